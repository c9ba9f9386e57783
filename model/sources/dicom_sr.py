"""DICOM Structured Reports holding TID 1500 Measurement Reports, read as lesion sizes.

DICOM PS3.16, TID 1500 "Measurement Report": the document's root container
(126000, DCM, "Imaging Measurement Report") holds "Imaging Measurements"
(126010), whose "Measurement Group" containers (125007; TID 1501 and 1410)
each describe one lesion: its Tracking Identifier (112039, TEXT) and Tracking
Unique Identifier (112040, UIDREF), a Finding (121071) and Finding Site
(363698007 SCT, G-C0E3 SRT), and NUM measurements of CID 7470 (Long axis,
Short axis, Length, Diameter) in a unit of length.

How viewers name a lesion there:
- dcmqi (3D Slicer) and highdicom write the reader's label as the Tracking
  Identifier (`T1`).
- OHIF (dcmjs, Cornerstone) writes its tool there (`Cornerstone3DTools@^0.1.0:Length`,
  or the tool's name alone) and the reader's label as free text: a Comment
  (121106, TEXT), or a Finding or Finding Site coded CORNERSTONEFREETEXT whose
  meaning is the label (older versions).

The patient is the report's Patient ID, the scan its Study Date (an SR is
stored in the study whose images it measures). Sizes are rounded to 0.1 mm:
viewers write sub-pixel lengths (23.4567891 mm) that no reader records.

pydicom (the optional extra `dicom`) is imported inside the functions only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from model.errors import InputError, InputProblem

#: SOP Classes of Structured Reports that may hold a TID 1500 document (PS3.4, B.5).
SR_STORAGE = {
    "1.2.840.10008.5.1.4.1.1.88.11": "Basic Text SR",
    "1.2.840.10008.5.1.4.1.1.88.22": "Enhanced SR",
    "1.2.840.10008.5.1.4.1.1.88.33": "Comprehensive SR",
    "1.2.840.10008.5.1.4.1.1.88.34": "Comprehensive 3D SR",
    "1.2.840.10008.5.1.4.1.1.88.35": "Extensible SR",
}
#: Concept names of TID 1500 (PS3.16): the document, its measurements, one group's items.
REPORT, MEASUREMENTS, GROUP = "126000", "126010", "125007"
TRACKING_ID, TRACKING_UID, FINDING, COMMENT = "112039", "112040", "121071", "121106"
FINDING_SITES = {"363698007", "G-C0E3"}
#: CID 7470 lengths, SNOMED CT and the older SRT codes (OHIF's dcmjs writes SRT).
LONG_AXIS, SHORT_AXIS = {"103339001", "G-A185"}, {"103340004", "G-A186"}
LENGTH, DIAMETER = {"410668003", "G-D7FE"}, {"81827009", "G-D785"}
#: Codes that OHIF uses for the reader's free-text label (dcmjs, Cornerstone).
FREE_TEXT_CODES = {"CORNERSTONEFREETEXT", "CS3DTEXT"}
#: Millimetres per UCUM unit of length.
MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "um": 0.001}
#: Cornerstone's measurement tools, which OHIF writes as a Tracking Identifier.
CORNERSTONE_TOOLS = frozenset(
    "Length Bidirectional ArrowAnnotate EllipticalROI CircleROI RectangleROI "
    "PlanarFreehandROI SplineROI LivewireContour Probe Angle CobbAngle Ellipse".split()
)
_TOOL = re.compile(r"[\w.-]+@[^:]*:\s*\w+")
_NODE = re.compile(r"\blymph|\bnodes?\b", re.IGNORECASE)
_PRECISION = Decimal("0.1")
_WORDS = {"long": "long axis", "short": "short axis", "length": "length", "diameter": "diameter"}


@dataclass(frozen=True)
class SrFinding:
    """One measurement group: one lesion as a report names, places and measures it."""

    #: The group's number in its report, from 1.
    group: int
    tracking_id: str
    tracking_uid: str
    #: The reader's label: dcmqi's Tracking Identifier or OHIF's free text; '' when none.
    label: str
    site: str
    lymph_node: bool
    long_axis_mm: float | None
    short_axis_mm: float | None

    @property
    def size_mm(self) -> float | None:
        """Returns the size RECIST 1.1 records: a node's short axis, else the long axis."""
        return self.short_axis_mm if self.lymph_node else self.long_axis_mm

    @property
    def name(self) -> str:
        """Returns how the group is named in messages: its label, else its tracking identifier."""
        return self.label or self.tracking_id or f"group {self.group}"


@dataclass(frozen=True)
class SrReport:
    """One TID 1500 Measurement Report: whose, which scan, and its lesions."""

    file: str
    sop_instance_uid: str
    patient_id: str
    study_date: date
    #: ContentDate and ContentTime as written (YYYYMMDDHHMMSS): which version is newer.
    written: str
    findings: tuple[SrFinding, ...]

    @property
    def name(self) -> str:
        """Returns the report's file name, for tables and messages."""
        return Path(self.file).name


def read_reports(paths: Sequence[Path]) -> tuple[SrReport, ...]:
    """Returns the TID 1500 reports in `paths` (files, or folders searched recursively).

    A file named itself must be such a report. In a folder, files that are not
    DICOM Structured Reports (images, other files) are passed over, but the
    folder must hold at least one report. Raises InputError listing every
    problem: not DICOM, not an SR, an SR without measurements, a missing
    Patient ID or Study Date, a size in a unit that is not a length.
    """
    problems: list[InputProblem] = []
    reports: list[SrReport] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = [r for r in map(_folder_report, _files(path, problems)) if r is not None]
            if not found and not problems:
                message = "holds no DICOM SR measurement report (TID 1500)"
                problems.append(InputProblem(message, str(path)))
            for dataset, file in found:
                reports += _checked(_report(dataset, file), problems)
        elif not path.exists():
            problems.append(InputProblem("no such file or folder", str(path)))
        else:
            dataset = _dataset(path, problems)
            if dataset is not None:
                reports += _checked(_report(dataset, str(path)), problems)
    if problems:
        raise InputError(problems)
    return tuple(reports)


def is_dicom_file(path: Path) -> bool:
    """Returns whether `path` is a file that starts like DICOM (the 'DICM' mark at byte 128)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(132)[128:] == b"DICM"
    except OSError:
        return False


def _files(folder: Path, problems: list[InputProblem]) -> Iterator[Path]:
    try:
        entries = sorted(folder.rglob("*"))
    except OSError as error:
        problems.append(InputProblem(f"cannot be read: {error.strerror}", str(folder)))
        return
    for entry in entries:
        if entry.is_file() and not entry.name.startswith(".") and is_dicom_file(entry):
            yield entry


def _folder_report(path: Path) -> tuple[Any, str] | None:
    """Returns (dataset, file) for a Measurement Report in a folder; None for other files."""
    dataset = _dataset(path, [])
    if dataset is None or str(dataset.get("SOPClassUID", "")) not in SR_STORAGE:
        return None
    if _code_value(_first(dataset, "ConceptNameCodeSequence")) != REPORT:
        return None
    return dataset, str(path)


def _dataset(path: Path, problems: list[InputProblem]) -> Any:
    """Returns the DICOM dataset of `path` without pixel data; None after noting a problem."""
    try:
        from pydicom import dcmread
        from pydicom.errors import InvalidDicomError
    except ImportError:
        message = "reading DICOM needs pydicom: pip install 'nadir[dicom]'"
        raise InputError(InputProblem(message, str(path))) from None
    try:
        return dcmread(path, stop_before_pixels=True)
    except InvalidDicomError:
        problems.append(InputProblem("not a DICOM file", str(path)))
    except OSError as error:
        problems.append(InputProblem(f"cannot be read: {error.strerror or error}", str(path)))
    except Exception as error:  # pydicom raises many kinds on a damaged file
        problems.append(InputProblem(f"cannot be read as DICOM ({error})", str(path)))
    return None


def _checked(result: SrReport | list[InputProblem], problems: list[InputProblem]) -> list:
    if isinstance(result, SrReport):
        return [result]
    problems += result
    return []


def _report(ds: Any, file: str) -> SrReport | list[InputProblem]:
    """Returns the report in `ds`, or the problems that keep it from being read."""
    sop_class = str(ds.get("SOPClassUID", ""))
    if sop_class not in SR_STORAGE:
        kind = getattr(ds.get("SOPClassUID"), "name", "") or sop_class or "no SOP Class"
        return [InputProblem(f"not a DICOM Structured Report (it is {kind})", file)]
    title = _first(ds, "ConceptNameCodeSequence")
    if _code_value(title) != REPORT:
        meaning = getattr(title, "CodeMeaning", "") if title is not None else ""
        message = "a Structured Report, but not a TID 1500 Measurement Report"
        return [InputProblem(f"{message} (its title is {meaning or 'missing'!r})", file)]
    problems: list[InputProblem] = []
    groups = list(_groups(ds))
    findings = [f for i, g in enumerate(groups, 1) if (f := _finding(g, i, file, problems))]
    if not groups or not any(f.long_axis_mm or f.short_axis_mm for f in findings) and not problems:
        message = "a Measurement Report without lesion measurements (no long axis, short axis, "
        return [InputProblem(message + "length or diameter in any group): nothing to import", file)]
    patient_id = str(ds.get("PatientID", "") or "").strip()
    if not patient_id:
        problems.append(InputProblem("has no Patient ID (0010,0020)", file))
    study_date = _date(str(ds.get("StudyDate", "") or ""), file, problems)
    if problems or study_date is None:
        return problems
    written = f"{ds.get('ContentDate', '') or ''}{ds.get('ContentTime', '') or ''}"
    uid = str(ds.get("SOPInstanceUID", "") or "")
    return SrReport(file, uid, patient_id, study_date, written, tuple(findings))


def _date(text: str, file: str, problems: list[InputProblem]) -> date | None:
    text = text.strip()
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        message = "has no Study Date (0008,0020)" if not text else "Study Date is not YYYYMMDD"
        problems.append(InputProblem(message, file, value=text or None))
        return None


def _groups(ds: Any) -> Iterator[Any]:
    """Yields the Measurement Group containers under Imaging Measurements."""
    for item in ds.get("ContentSequence", []):
        if _concept(item) == MEASUREMENTS:
            for group in item.get("ContentSequence", []):
                if _concept(group) == GROUP:
                    yield group


def _finding(group: Any, index: int, file: str, problems: list[InputProblem]) -> SrFinding | None:
    """Returns the lesion of one Measurement Group; None after noting a bad unit."""
    text: dict[str, str] = {}
    codes: list[tuple[str, Any]] = []
    lengths: dict[str, float] = {}
    found = len(problems)
    for item in _items(group):
        concept, kind = _concept(item), item.get("ValueType", "")
        if kind in ("TEXT", "UIDREF") and concept not in text:
            text[concept] = str(item.get("TextValue", "") or item.get("UID", "") or "").strip()
        elif kind == "CODE":
            codes.append((concept, _first(item, "ConceptCodeSequence")))
        elif kind == "NUM":
            _length(item, lengths, (file, index, text.get(TRACKING_ID, "")), problems)
    if len(problems) > found:
        return None
    free = [c.CodeMeaning for _, c in codes if c is not None and _code_value(c) in FREE_TEXT_CODES]
    sites = [
        str(c.CodeMeaning)
        for concept, c in codes
        if concept in FINDING_SITES and c is not None and _code_value(c) not in FREE_TEXT_CODES
    ]
    meanings = sites + [str(c.CodeMeaning) for n, c in codes if n == FINDING and c is not None]
    tracking_id = text.get(TRACKING_ID, "")
    label = text.get(COMMENT) or (str(free[0]).strip() if free else "")
    if not label and not _names_a_tool(tracking_id):
        label = tracking_id
    long_axis = next((lengths[k] for k in ("long", "length", "diameter") if k in lengths), None)
    return SrFinding(
        group=index,
        tracking_id=tracking_id,
        tracking_uid=text.get(TRACKING_UID, ""),
        label=label,
        site=sites[0] if sites else "",
        lymph_node=any(_NODE.search(m) for m in meanings),
        long_axis_mm=long_axis,
        short_axis_mm=lengths.get("short"),
    )


def _items(group: Any) -> Iterator[Any]:
    """Yields a group's content items, and the items one level under each (a NUM's own
    finding site)."""
    for item in group.get("ContentSequence", []):
        yield item
        if item.get("ValueType", "") == "NUM":
            yield from (i for i in item.get("ContentSequence", []) if i.get("ValueType") == "CODE")


def _length(item: Any, lengths: dict[str, float], where, problems: list[InputProblem]) -> None:
    """Adds a NUM item that is a length to `lengths` in mm (kind: long, short, length,
    diameter); other measurements (area, volume, mean) are passed over."""
    concept = _concept(item)
    kind = next(
        (k for k, c in (("long", LONG_AXIS), ("short", SHORT_AXIS), ("length", LENGTH),
                        ("diameter", DIAMETER)) if concept in c),
        None,
    )  # fmt: skip
    value = _first(item, "MeasuredValueSequence")
    if kind is None or kind in lengths or value is None:
        return
    unit = _code_value(_first(value, "MeasurementUnitsCodeSequence"))
    file, index, tracking_id = where
    if unit not in MM_PER_UNIT:
        message = f"measurement group {index} ({tracking_id or 'no tracking identifier'}): "
        message += f"the {_WORDS[kind]} is in {unit or 'no unit'!r}; expected mm or cm"
        problems.append(InputProblem(message, file, value=str(value.get("NumericValue", ""))))
        return
    try:
        number = Decimal(str(value.NumericValue).strip()) * Decimal(str(MM_PER_UNIT[unit]))
    except (ArithmeticError, AttributeError):
        message = f"measurement group {index} ({tracking_id}): the {_WORDS[kind]} is not a number"
        problems.append(InputProblem(message, file))
        return
    lengths[kind] = float(number.quantize(_PRECISION, rounding=ROUND_HALF_UP))


def _names_a_tool(tracking_id: str) -> bool:
    """Returns whether a Tracking Identifier names OHIF's tool rather than the lesion."""
    return tracking_id in CORNERSTONE_TOOLS or bool(_TOOL.fullmatch(tracking_id))


def _first(item: Any, keyword: str) -> Any:
    sequence = item.get(keyword) if item is not None else None
    return sequence[0] if sequence else None


def _code_value(code: Any) -> str:
    if code is None:
        return ""
    for keyword in ("CodeValue", "LongCodeValue", "URNCodeValue"):
        value = code.get(keyword)
        if value:
            return str(value)
    return ""


def _concept(item: Any) -> str:
    return _code_value(_first(item, "ConceptNameCodeSequence"))
