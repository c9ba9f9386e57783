"""Where study data already lives, read into Nadir (issue 21): DICOM SR measurement reports
(TID 1500) merged into a study through a confirmed preview, and REDCap exports turned into
the interchange files through a saved mapping, and written back for REDCap.

Each reader names what is wrong and where (file, line or measurement group, field, value);
the optional libraries (pydicom for DICOM) are imported only inside the functions that
need them, so that building main.py's parser stays cheap.
"""
