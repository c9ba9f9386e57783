"""TID 1500 Measurement Reports built with highdicom, the way the viewers write them.

- dcmqi (3D Slicer) and highdicom: the Tracking Identifier is the reader's label
  (`T1`), sizes are SNOMED CT Long axis / Short axis, the site a coded Finding Site.
- OHIF (dcmjs): the Tracking Identifier names the tool (`Length`, or
  `Cornerstone3DTools@^0.1.0:Bidirectional`), sizes use the older SRT codes (Length,
  Long Axis, Short Axis), and the reader's label is free text: a Finding coded
  CORNERSTONEFREETEXT (older versions) or a Comment (newer ones).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import highdicom as hd
import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

LONG_AXIS, SHORT_AXIS = (
    Code("103339001", "SCT", "Long axis"),
    Code("103340004", "SCT", "Short axis"),
)
OHIF_LENGTH = Code("G-D7FE", "SRT", "Length")
OHIF_LONG, OHIF_SHORT = Code("G-A185", "SRT", "Long Axis"), Code("G-A186", "SRT", "Short Axis")
SITES = {
    "liver": Code("10200004", "SCT", "Liver"),
    "lung": Code("39607008", "SCT", "Lung"),
    "mediastinal node": Code("62683002", "SCT", "Mediastinal lymph node"),
    "adrenal": Code("23451007", "SCT", "Adrenal gland"),
    "bone": Code("272673000", "SCT", "Bone"),
}


@dataclass(frozen=True)
class Lesion:
    """One lesion to write: label, site (a key of SITES or ''), long and short axis in mm."""

    label: str
    site: str = ""
    long_mm: float | None = None
    short_mm: float | None = None
    uid: str = ""
    unit: Code = codes.UCUM.Millimeter


def image(patient_id: str, day: date, study_uid: str | None = None) -> Dataset:
    """Returns a minimal CT image dataset of the patient's study on `day`: the SR's evidence."""
    ds = Dataset()
    ds.PatientID, ds.PatientName = patient_id, "Doe^Jane"
    ds.PatientBirthDate, ds.PatientSex = "", ""
    ds.StudyDate, ds.StudyTime = day.strftime("%Y%m%d"), "101500"
    ds.StudyInstanceUID = study_uid or generate_uid()
    ds.AccessionNumber, ds.ReferringPhysicianName, ds.StudyID = "", "", "1"
    ds.SeriesInstanceUID, ds.SOPInstanceUID = generate_uid(), generate_uid()
    ds.SOPClassUID, ds.Modality, ds.SeriesNumber, ds.InstanceNumber = CTImageStorage, "CT", 2, 1
    ds.Rows = ds.Columns = 512
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    return ds


def image_file(patient_id: str, day: date) -> Dataset:
    """Returns a CT image dataset ready to be saved as a DICOM file (not a report)."""
    ds = image(patient_id, day)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    return ds


def _region(source: Dataset) -> hd.sr.ImageRegion:
    return hd.sr.ImageRegion(
        graphic_type=hd.sr.GraphicTypeValues.POLYLINE,
        graphic_data=np.array([[100.0, 120.0], [140.0, 150.0]]),
        source_image=hd.sr.SourceImageForRegion.from_source_image(source),
    )


def _sizes(lesion: Lesion, long_code: Code, short_code: Code) -> list[hd.sr.Measurement]:
    sizes = []
    for code, value in ((long_code, lesion.long_mm), (short_code, lesion.short_mm)):
        if value is not None:
            sizes.append(hd.sr.Measurement(name=code, value=value, unit=lesion.unit))
    return sizes


def dcmqi_group(lesion: Lesion, source: Dataset):
    """Returns a group as dcmqi writes it: Tracking Identifier = the label."""
    site = [hd.sr.FindingSite(anatomic_location=SITES[lesion.site])] if lesion.site else None
    return hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
        tracking_identifier=hd.sr.TrackingIdentifier(
            uid=lesion.uid or generate_uid(), identifier=lesion.label
        ),
        referenced_region=_region(source),
        finding_type=Code("108369006", "SCT", "Tumor"),
        finding_sites=site,
        measurements=_sizes(lesion, LONG_AXIS, SHORT_AXIS),
    )


def ohif_group(lesion: Lesion, source: Dataset, *, comment: bool = False):
    """Returns a group as OHIF writes it: the tool as Tracking Identifier (Length, or
    Bidirectional with a short axis), the label as a CORNERSTONEFREETEXT Finding or a
    Comment."""
    bidirectional = lesion.short_mm is not None
    tool = "Cornerstone3DTools@^0.1.0:Bidirectional" if bidirectional else "Length"
    long_code = OHIF_LONG if bidirectional else OHIF_LENGTH
    finding = None
    if lesion.label and not comment:
        finding = Code("CORNERSTONEFREETEXT", "CORNERSTONEJS", lesion.label)
    site = [hd.sr.FindingSite(anatomic_location=SITES[lesion.site])] if lesion.site else None
    group = hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
        tracking_identifier=hd.sr.TrackingIdentifier(
            uid=lesion.uid or generate_uid(), identifier=tool
        ),
        referenced_region=_region(source),
        finding_type=finding,
        finding_sites=site,
        measurements=_sizes(lesion, long_code, OHIF_SHORT),
    )
    if lesion.label and comment:
        group[0].ContentSequence.append(
            hd.sr.TextContentItem(
                name=Code("121106", "DCM", "Comment"),
                value=lesion.label,
                relationship_type=hd.sr.RelationshipTypeValues.CONTAINS,
            )
        )
    return group


def report(
    patient_id: str,
    day: date,
    lesions: list[Lesion],
    *,
    style: str = "dcmqi",
    comment: bool = False,
    written: str = "120000",
) -> Dataset:
    """Returns a Comprehensive 3D SR holding a TID 1500 report of the patient's scan on `day`."""
    source = image(patient_id, day)
    if style == "dcmqi":
        groups = [dcmqi_group(lesion, source) for lesion in lesions]
    else:
        groups = [ohif_group(lesion, source, comment=comment) for lesion in lesions]
    observer = hd.sr.ObserverContext(
        observer_type=codes.cid270.Person,
        observer_identifying_attributes=hd.sr.PersonObserverIdentifyingAttributes(
            name="Reader^One"
        ),
    )
    content = hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_person_context=observer),
        procedure_reported=Code("77477000", "SCT", "CT"),
        imaging_measurements=groups,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # highdicom's advice on names and codes
        sr = hd.sr.Comprehensive3DSR(
            evidence=[source],
            content=content[0],
            series_instance_uid=generate_uid(),
            series_number=99,
            sop_instance_uid=generate_uid(),
            instance_number=1,
            manufacturer="dcmqi" if style == "dcmqi" else "OHIF",
        )
    sr.ContentDate, sr.ContentTime = day.strftime("%Y%m%d"), written
    return sr


def save(dataset: Dataset, path: Path) -> Path:
    """Returns `path`, after writing `dataset` there as a DICOM file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    dataset.save_as(path, enforce_file_format=True)
    return path
