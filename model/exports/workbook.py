"""The whole study in one Excel workbook, for reading and sharing (issue #9).

Sheets: Study (settings), Patients (with their variable values), Variables,
Events (with surgery outcomes), Adverse events, Lesions, Measurements, Time
points (with the reasons), Best responses and Endpoints (PFS and OS in days,
events and reasons). Headers are bold on a tinted row, frozen with the first column, and
filterable; columns are as wide as their content (capped); dates are dates and
numbers numbers.

Text that Excel would read as a formula (a leading =, +, -, @, tab or
carriage return; OWASP "CSV Injection") is stored as a string with Excel's
quote prefix, so it shows as typed and is never evaluated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from model.analysis import NOT_EVALUABLE, StudyAnalysis
from model.domain import MeasurementRecord, Variable, VariableType
from model.errors import InputError
from model.interchange.folders import private_file
from model.interchange.write import too_long_for_a_cell
from model.rules.clinical import effective_variables, is_number, value_pairs, variable_values

#: Characters that make a spreadsheet cell a formula or a command (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Widest column, in characters, and the narrowest.
MAX_WIDTH, MIN_WIDTH = 60, 8
DATE_FORMAT = "yyyy-mm-dd"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")

Cell = str | int | float | bool | date | None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, column headers and rows of values."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def study_sheets(analysis: StudyAnalysis) -> list[Sheet]:
    """The workbook's sheets, in order."""
    return [
        _study_sheet(analysis),
        _patients_sheet(analysis),
        _variables_sheet(analysis),
        _events_sheet(analysis),
        _adverse_events_sheet(analysis),
        _lesions_sheet(analysis),
        _measurements_sheet(analysis),
        _timepoints_sheet(analysis),
        _best_sheet(analysis),
        _endpoints_sheet(analysis),
    ]


def write_study_workbook(analysis: StudyAnalysis, path: Path) -> Path:
    """Return `path` after writing the whole study there as an .xlsx workbook."""
    sheets = study_sheets(analysis)
    problems = [p for s in sheets for p in too_long_for_a_cell(s.title, s.headers, s.rows)]
    if problems:
        raise InputError(problems)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        _write_sheet(workbook.create_sheet(sheet.title), sheet)
    path.parent.mkdir(parents=True, exist_ok=True)
    with private_file(path) as temporary:
        workbook.save(temporary)
    return path


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    ws.append(list(sheet.headers))
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for row in sheet.rows:
        ws.append([None if value == "" else value for value in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            _finish(cell)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    for index, header in enumerate(sheet.headers, start=1):
        widest = max([len(header)] + [len(_shown(r[index - 1])) for r in sheet.rows])
        ws.column_dimensions[get_column_letter(index)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, widest + 2)
        )


def _finish(cell) -> None:
    """Dates get a date format; formula-like text is kept as quoted text."""
    if isinstance(cell.value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _shown(value: Cell) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _study_sheet(analysis: StudyAnalysis) -> Sheet:
    s = analysis.settings
    origins = "; ".join(f"{o.arm}: {o.kind} {o.detail or ''}".strip() for o in s.origins)
    rows = [
        ("criteria", str(s.criteria)),
        ("confirmation of CR/PR", _yes(s.confirm)),
        ("minimum SD duration (days)", s.min_sd_days),
        ("locally treated lesions left out", _yes(s.exclude_irradiated)),
        ("reader", s.reader or "single reader"),
        ("time origins", origins or "start_date"),
        ("patients", len(analysis.data.patients)),
        ("arms", ", ".join(analysis.arms)),
        ("exported", date.today()),
    ]
    return Sheet("Study", ("setting", "value"), rows)


def _variables(analysis: StudyAnalysis) -> tuple[Variable, ...]:
    data = analysis.data
    return effective_variables(data.variables, value_pairs(data.patients))


def _patients_sheet(analysis: StudyAnalysis) -> Sheet:
    headers = ("patient_id", "arm", "start_date", "last_contact_date", "death_date", "sex",
               "age", "histology", "stage")  # fmt: skip
    variables = _variables(analysis)
    rows = [
        _cells(p, headers) + tuple(_value(v, variable_values(p).get(v.name)) for v in variables)
        for p in analysis.data.patients
    ]
    return Sheet("Patients", (*headers, *(v.name for v in variables)), rows)


def _value(variable: Variable, text: str | None) -> Cell:
    """A variable's value: a number for a numeric variable, else its text."""
    if text is not None and variable.type is VariableType.NUMERIC and is_number(text):
        return float(text)
    return text


def _variables_sheet(analysis: StudyAnalysis) -> Sheet:
    """The study's variables (declared, then inferred, interchange 1.1) with their count."""
    counts = Counter(name for name, _ in value_pairs(analysis.data.patients))
    declared = {v.name for v in analysis.data.variables}
    headers = ("name", "type", "levels", "label", "unit", "declared", "patients_with_value")
    rows = [
        _cells(v, headers[:5], levels=" | ".join(v.levels))
        + (_yes(v.name in declared), counts[v.name])
        for v in _variables(analysis)
    ]
    return Sheet("Variables", headers, rows)


def _events_sheet(analysis: StudyAnalysis) -> Sheet:
    headers = ("patient_id", "kind", "start_date", "end_date", "detail", "intent", "margin",
               "necrosis_pct")  # fmt: skip
    return Sheet("Events", headers, [_cells(e, headers) for e in analysis.data.events])


def _adverse_events_sheet(analysis: StudyAnalysis) -> Sheet:
    headers = ("patient_id", "term", "grade", "start_date", "end_date", "attribution",
               "serious", "category")  # fmt: skip
    rows = [_cells(a, headers) for a in analysis.data.adverse_events]
    return Sheet("Adverse events", headers, rows)


def _lesions_sheet(analysis: StudyAnalysis) -> Sheet:
    first: dict[tuple[str, str, str], MeasurementRecord] = {}
    for m in sorted(analysis.data.measurements, key=lambda m: m.scan_date):
        first.setdefault((m.patient_id, m.reader, m.lesion_id), m)
    headers = ("patient_id", "lesion_id", "role", "site", "lymph_node", "irradiated",
               "first_seen", "reader")  # fmt: skip
    rows = [_cells(m, headers, first_seen=m.scan_date) for m in first.values()]
    return Sheet("Lesions", headers, sorted(rows, key=lambda r: (r[0], r[6], r[1])))


def _measurements_sheet(analysis: StudyAnalysis) -> Sheet:
    headers = ("patient_id", "scan_date", "lesion_id", "role", "status", "diameter_mm",
               "viable_mm", "site", "lymph_node", "irradiated", "reader")  # fmt: skip
    return Sheet("Measurements", headers, [_cells(m, headers) for m in analysis.data.measurements])


def _timepoints_sheet(analysis: StudyAnalysis) -> Sheet:
    headers = ("patient_id", "scan_date", "target", "non_target", "new_lesions", "overall",
               "sum_mm", "change_from_baseline_pct", "change_from_nadir_pct", "reason")  # fmt: skip
    rows = [
        _cells(t, headers, patient_id=a.patient_id)
        for a in analysis.assessments
        for t in a.timepoints
    ]
    return Sheet("Time points", headers, rows)


def _best_sheet(analysis: StudyAnalysis) -> Sheet:
    arms = {p.patient_id: p.arm for p in analysis.data.patients}
    headers = ("patient_id", "arm", "criteria", "best_overall_response", "best_pct_change",
               "warnings")  # fmt: skip
    rows = [
        _cells(a, headers, arm=arms.get(a.patient_id, ""), warnings="; ".join(a.warnings))
        for a in analysis.assessments
    ]
    criteria = str(analysis.settings.criteria)
    rows += [
        (pid, arms.get(pid, ""), criteria, NOT_EVALUABLE, None, why)
        for pid, why in analysis.not_evaluable.items()
    ]
    return Sheet("Best responses", headers, rows)


def _endpoints_sheet(analysis: StudyAnalysis) -> Sheet:
    headers = ("patient_id", "arm", "time_origin", "pfs_days", "pfs_event", "pfs_reason",
               "os_days", "os_event", "os_reason")  # fmt: skip
    rows = [
        _cells(e, headers, pfs_event=int(e.pfs_event), os_event=int(e.os_event))
        for e in analysis.endpoints
    ]
    return Sheet("Endpoints", headers, rows)


def _cells(record: object, names: Sequence[str], **given: Cell) -> tuple[Cell, ...]:
    """The record's fields `names` as cells, `given` values instead where named."""
    return tuple(given[n] if n in given else _cell(getattr(record, n)) for n in names)


def _cell(value: Any) -> Cell:
    """Flags as yes/no and codes (roles, statuses, criteria) as their text."""
    if isinstance(value, bool):
        return _yes(value)
    if isinstance(value, StrEnum):
        return str(value)
    return value
