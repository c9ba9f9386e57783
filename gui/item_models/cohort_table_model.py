"""The cohort's tables: one row per patient, and one row per arm with ORR and DCR."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt

from gui.item_models.row_table_model import RowTableModel, SortRole
from gui.palette import STALE_MARK, response_colour, response_text_colour, stale_text
from model.analysis import NOT_EVALUABLE, StudyAnalysis
from model.domain import Variable, VariableType
from model.rules.clinical import effective_variables, is_number, value_pairs, variable_values

if TYPE_CHECKING:
    from model.stats.response_rates import ArmResponse, Proportion, ResponseRates


@dataclass(frozen=True)
class CohortRow:
    """One patient as the cohort table shows it; times in the study's time unit."""

    patient_id: str
    arm: str
    scans: int
    best_response: str
    best_pct_change: float | None
    pfs_time: float | None
    pfs_event: bool
    os_time: float | None
    os_event: bool
    pfs_reason: str = ""
    os_reason: str = ""
    #: The highest CTCAE grade of the patient's adverse events (None: none recorded).
    worst_ae_grade: int | None = None
    #: The patient's baseline variable values, by variable name (issue 16).
    values: Mapping[str, str] = field(default_factory=dict)
    #: The patient's stale overrides in words (gui/palette.py); empty: none.
    stale: str = ""


_ROOT = QModelIndex()


def study_variables(analysis: StudyAnalysis) -> tuple[Variable, ...]:
    """Return the variables of the study analysed: declared, then inferred (model/clinical)."""
    data = analysis.data
    return effective_variables(data.variables, value_pairs(data.patients))


def time_unit(analysis: StudyAnalysis) -> str:
    """Return the unit the study shows intervals in (months when the plots cannot show it)."""
    from model.domain import DAYS_PER_UNIT

    unit = analysis.settings.time_unit
    return unit if unit in DAYS_PER_UNIT else "months"


def cohort_rows(analysis: StudyAnalysis) -> list[CohortRow]:
    """Return one row per patient of `analysis`, in study order."""
    # Imported here: model.plot_data loads scipy, needed only once the cohort is shown.
    from model.plot_data import in_unit

    unit = time_unit(analysis)
    scans: dict[str, set] = {}
    for row in analysis.data.scans + analysis.data.measurements:
        scans.setdefault(row.patient_id, set()).add(row.scan_date)
    best = {a.patient_id: a for a in analysis.assessments}
    not_evaluable = {pid: NOT_EVALUABLE for pid in analysis.not_evaluable}
    ends = {e.patient_id: e for e in analysis.endpoints}
    worst: dict[str, int] = {}
    for ae in analysis.data.adverse_events:
        worst[ae.patient_id] = max(worst.get(ae.patient_id, 0), ae.grade)
    rows = []
    for patient in analysis.data.patients:
        pid = patient.patient_id
        a, e = best.get(pid), ends.get(pid)
        rows.append(
            CohortRow(
                patient_id=pid,
                arm=patient.arm,
                scans=len(scans.get(pid, ())),
                best_response=a.best_overall_response if a else not_evaluable.get(pid, ""),
                best_pct_change=a.best_pct_change if a else None,
                pfs_time=in_unit(e.pfs_days, unit) if e else None,
                pfs_event=bool(e and e.pfs_event),
                os_time=in_unit(e.os_days, unit) if e else None,
                os_event=bool(e and e.os_event),
                pfs_reason=e.pfs_reason if e else "",
                os_reason=e.os_reason if e else "",
                worst_ae_grade=worst.get(pid),
                values=variable_values(patient),
                stale=stale_text(a.stale_overrides) if a else "",
            )
        )
    return rows


#: Patient table columns.
PATIENT_HEADERS = (
    "Patient",
    "Arm",
    "Scans",
    "Best response",
    "Best change",
    "PFS",
    "OS",
    "Worst AE",
)
ARM_COLUMN, BEST_COLUMN, PFS_COLUMN, OS_COLUMN, AE_COLUMN = 1, 3, 5, 6, 7


def _time(value: float | None, event: bool) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" + ("" if event else "+")


class CohortTableModel(RowTableModel):
    """One row per patient: arm, scans, best response and change, PFS and OS ("+" = censored),
    the worst adverse event grade, then a column per baseline variable of the study."""

    HEADERS = PATIENT_HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._unit = "months"
        self._variables: tuple[Variable, ...] = ()

    def set_unit(self, unit: str) -> None:
        """Show PFS and OS in `unit` (set before `set_rows`); returns nothing."""
        self._unit = unit

    def set_variables(self, variables: Sequence[Variable]) -> None:
        """Show a column per variable after the fixed ones (set before `set_rows`)."""
        self._variables = tuple(variables)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(PATIENT_HEADERS) + len(self._variables)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and section >= len(PATIENT_HEADERS):
            variable = self._variables[section - len(PATIENT_HEADERS)]
            if role == Qt.ItemDataRole.DisplayRole:
                return variable.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return variable.label or variable.name
            return None
        if horizontal and section in (PFS_COLUMN, OS_COLUMN):
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{PATIENT_HEADERS[section]} ({self._unit})"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "A + marks a censored time"
        return super().headerData(section, orientation, role)

    def row_data(self, row: CohortRow, column: int, role: int):
        if column >= len(PATIENT_HEADERS):
            return self._value(row, self._variables[column - len(PATIENT_HEADERS)], role)
        if role == SortRole:
            return self._sort_value(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (PFS_COLUMN, OS_COLUMN):
            return row.pfs_reason if column == PFS_COLUMN else row.os_reason
        if role == Qt.ItemDataRole.ToolTipRole and column == BEST_COLUMN and row.stale:
            return f"{STALE_MARK} {row.stale}"
        if column == BEST_COLUMN and role == Qt.ItemDataRole.BackgroundRole:
            return response_colour(row.best_response)
        if column == BEST_COLUMN and role == Qt.ItemDataRole.ForegroundRole:
            return response_text_colour(row.best_response)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == BEST_COLUMN:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _value(row: CohortRow, variable: Variable, role: int):
        text = row.values.get(variable.name, "")
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == SortRole:
            # Blanks last; numbers by value, levels in their declared order, text as text.
            if not text:
                return (2, 0.0, "")
            if variable.type is VariableType.NUMERIC and is_number(text):
                return (0, float(text), "")
            if text in variable.levels:
                return (0, float(variable.levels.index(text)), "")
            return (1, 0.0, text)
        return None

    @staticmethod
    def _text(row: CohortRow, column: int) -> str:
        change = "" if row.best_pct_change is None else f"{row.best_pct_change:+.1f} %"
        return (
            row.patient_id,
            row.arm,
            str(row.scans),
            row.best_response + (f" {STALE_MARK}" if row.stale else ""),
            change,
            _time(row.pfs_time, row.pfs_event),
            _time(row.os_time, row.os_event),
            "" if row.worst_ae_grade is None else f"grade {row.worst_ae_grade}",
        )[column]

    @staticmethod
    def _sort_value(row: CohortRow, column: int):
        missing = float("inf")
        return (
            row.patient_id,
            row.arm,
            row.scans,
            row.best_response,
            missing if row.best_pct_change is None else row.best_pct_change,
            missing if row.pfs_time is None else row.pfs_time,
            missing if row.os_time is None else row.os_time,
            -1 if row.worst_ae_grade is None else row.worst_ae_grade,
        )[column]


#: Arm table columns.
ARM_HEADERS = ("Arm", "Patients", "ORR (95 % CI)", "DCR (95 % CI)")


def _proportion(p: Proportion, one_sided: bool = False) -> str:
    if p.rate is None:
        return "n/a"
    shown = f"{p.k}/{p.n} = {100 * p.rate:.1f} %"
    if one_sided:
        return f"{shown} (\u2265{100 * p.ci_low:.1f})"
    return f"{shown} ({100 * p.ci_low:.1f}-{100 * p.ci_high:.1f})"


class ArmTableModel(RowTableModel):
    """One row per arm (ArmResponse rows): patients, ORR and DCR with exact CIs at the
    study's confidence level (one-sided lower bounds when the study asks for them)."""

    HEADERS = ARM_HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._one_sided = False
        self._headers = ARM_HEADERS

    def set_rates(self, rates: ResponseRates | None, *, one_sided: bool = False) -> None:
        """Show the arms of `rates` (None: nothing); returns nothing."""
        self._one_sided = one_sided
        level = 0.95 if rates is None else 1 - rates.alpha
        ci = f"{100 * level:g} % " + ("lower bound" if one_sided else "CI")
        self._headers = ("Arm", "Patients", f"ORR ({ci})", f"DCR ({ci})")
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ARM_HEADERS) - 1)
        self.set_rows(rates.arms if rates else ())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def row_data(self, arm: ArmResponse, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            shown = [_proportion(p, self._one_sided) for p in (arm.orr, arm.dcr)]
            return (arm.arm, str(arm.n), *shown)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column >= 2:
            return "Objective response: CR or PR; disease control: CR, PR, SD or non-CR/non-PD"
        return None
