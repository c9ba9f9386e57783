"""Which reader a study to import needs: the interchange files, SDTM datasets (issue 13),
DICOM SR measurement reports or a REDCap export (issue 21).

The one place that tells the formats apart, for `python main.py import` and
the GUI's import wizard alike: a folder holding interchange files
(patients.csv or measurements.csv) or an .xlsx workbook is read as the
interchange format (interchange spec, "Headless commands"); a folder holding
SDTM datasets (dm, tu, tr as .csv or .xpt) and no interchange file as SDTM
(model/sdtm/read.py); a DICOM file, or a folder holding DICOM files and
neither, as DICOM SR (merged into a study: model/sources/sr_import.py). A
REDCap export is never guessed: it needs its mapping (model/sources/redcap.py).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from model.domain import StudyData
from model.errors import InputError, InputProblem
from model.interchange.tables import MEASUREMENTS, PATIENTS
from model.sdtm.files import sdtm_datasets

INTERCHANGE, SDTM, DICOM_SR, REDCAP = "interchange", "sdtm", "dicom-sr", "redcap"
#: The formats `import --format` accepts; None (the default) detects the format.
FORMATS = (INTERCHANGE, SDTM, DICOM_SR, REDCAP)
_NEITHER = (
    "holds neither patients.csv nor measurements.csv (the interchange format), "
    "nor SDTM datasets (dm, tu and tr as .csv or .xpt), nor DICOM files"
)
#: The kinds of file the readers of a folder take; an import records those it was given.
_READ_SUFFIXES = (".csv", ".xpt", ".xlsx")
#: Files looked at, at most, for a DICOM file in a folder of another kind.
_DICOM_PEEK = 200


def read_any(path: Path, format: str | None = None) -> StudyData:
    """The study at `path`, in `format` or, when None, the format `detect_format` finds.

    Raises InputError listing every problem, each naming its file.
    """
    path = Path(path)
    if format not in (None, *FORMATS):
        raise InputError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    # Imported here: main.py loads this module to build its parser, which needs no pandas.
    from model.interchange.study_files import read_study
    from model.sdtm.read import read_sdtm

    chosen = format or detect_format(path)
    if chosen in (DICOM_SR, REDCAP):
        why = "is merged into a study" if chosen == DICOM_SR else "needs its mapping file"
        raise InputError(InputProblem(f"{chosen} {why}: use the import of that format", str(path)))
    return read_sdtm(path) if chosen == SDTM else read_study(path)


def source_files(*paths: Path | None) -> list[Path]:
    """Returns the files an import of `paths` read, for its audit entry (issue 19): each
    file, and each file of a folder of a kind a reader takes (.csv, .xpt, .xlsx)."""
    found: list[Path] = []
    for path in paths:
        if path is None:
            continue
        path = Path(path)
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _READ_SUFFIXES
            )
        elif path.is_file():
            found.append(path)
    return found


def detect_format(path: Path) -> str:
    """SDTM for a folder with a dm, tu or tr dataset and no patients.csv or measurements.csv;
    the interchange format for a folder with either, and for a file (whose reader names
    what is wrong with it); DICOM SR for a DICOM file and a folder of neither that holds
    DICOM files. InputError for a folder with none of them."""
    from model.sources.dicom_sr import is_dicom_file

    path = Path(path)
    if not path.is_dir():
        return DICOM_SR if is_dicom_file(path) else INTERCHANGE
    try:
        names = {entry.name.lower() for entry in path.iterdir() if entry.is_file()}
    except OSError as error:
        raise InputError(InputProblem(f"cannot be read: {error.strerror}", str(path))) from None
    # A folder with interchange files stays interchange, as it was before SDTM was read.
    if names & {PATIENTS.file_name, MEASUREMENTS.file_name}:
        return INTERCHANGE
    if set(sdtm_datasets(path)) & {"dm", "tu", "tr"}:
        return SDTM
    files = (entry for entry in path.rglob("*") if entry.is_file())
    if any(is_dicom_file(entry) for entry in itertools.islice(files, _DICOM_PEEK)):
        return DICOM_SR
    raise InputError(InputProblem(_NEITHER, str(path)))
