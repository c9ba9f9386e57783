"""The response rows under the measurement grid: per scan, the sum, its changes and the answers.

Columns line up with the grid's (gui/item_models/measurement_table_model.py): the lesion
columns hold the row's name, the scan columns the model's answer for that
scan (`PatientView.assessment`, overrides counted), with its reason as tooltip.
An overridden answer is shown in italics with a marker, and the tooltip keeps
the rules' own (`PatientView.computed`). Nothing is re-derived here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from gui.item_models.measurement_table_model import FIXED_COLUMNS
from gui.palette import STALE_MARK, response_colour, response_text_colour
from gui.session import PatientView
from model.domain import TimepointResponse
from model.editing.edits import Override

Index = QModelIndex | QPersistentModelIndex

#: Rows, top to bottom.
SUM_ROW, BASELINE_ROW, NADIR_ROW, TARGET_ROW, NON_TARGET_ROW, NEW_ROW, OVERALL_ROW = range(7)
#: Name of each row, shown in the lesion columns.
ROW_NAMES = (
    "Sum (mm)",
    "Change from baseline",
    "Change from nadir",
    "Target",
    "Non-target",
    "New lesions",
    "Overall",
)
#: Rows that hold a response code and are coloured by it.
CODE_ROWS = (TARGET_ROW, NON_TARGET_ROW, OVERALL_ROW)
#: Codes longer than this are shown on two lines, to fit a scan column (NON-CR/NON-PD).
LONG_CODE = 8
#: Marker after an overridden response.
OVERRIDE_MARK = " ✎"

#: Role returning the scan date of a column (None on lesion columns).
ScanDateRole = Qt.ItemDataRole.UserRole + 3
#: Role returning the computed answer of a cell, before any override.
ComputedRole = Qt.ItemDataRole.UserRole + 4

_ROOT = QModelIndex()


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f} %"


def _value(point: TimepointResponse, row: int) -> str | None:
    """Return the text of one response row at one time point."""
    if row == SUM_ROW:
        return None if point.sum_mm is None else f"{point.sum_mm:g}"
    if row == BASELINE_ROW:
        return _pct(point.change_from_baseline_pct)
    if row == NADIR_ROW:
        return _pct(point.change_from_nadir_pct)
    if row == NEW_ROW:
        return "yes" if point.new_lesions else "no" if point.overall else ""
    return {TARGET_ROW: point.target, NON_TARGET_ROW: point.non_target}.get(row, point.overall)


class ResponseTableModel(QAbstractTableModel):
    """Seven rows of answers per scan for one patient, columns aligned with the grid."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._scans: list[date] = []
        self._points: dict[date, TimepointResponse] = {}
        self._decided: dict[date, TimepointResponse] = {}
        self._overrides: Mapping[date, Override] = {}
        self._stale: Mapping[date, str] = {}
        #: Scans with at least one finding recorded: an empty scan says nothing of new lesions.
        self._read: frozenset[date] = frozenset()

    def set_view(self, view: PatientView | None) -> None:
        """Show the answers of `view` (None: nobody); returns nothing."""
        self.beginResetModel()
        self._scans = view.scan_dates if view else []
        points = view.computed.timepoints if view and view.computed else ()
        self._points = {p.scan_date: p for p in points}
        decided = view.assessment.timepoints if view and view.assessment else ()
        self._decided = {p.scan_date: p for p in decided}
        self._overrides = view.counted_overrides if view else {}
        self._stale = view.assessment.stale_overrides if view and view.assessment else {}
        self._read = frozenset(m.scan_date for m in view.rows) if view else frozenset()
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(ROW_NAMES)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else FIXED_COLUMNS + len(self._scans)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return ROW_NAMES[section]
        if orientation == Qt.Orientation.Horizontal and section >= FIXED_COLUMNS:
            scan = self._scans[section - FIXED_COLUMNS]
            return scan.isoformat() if role == Qt.ItemDataRole.DisplayRole else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def has_stale(self) -> bool:
        """Return whether an override shown has gone stale (its cell takes two lines)."""
        return bool(self._stale)

    def scan_at(self, column: int) -> date | None:
        """Return the scan date of a column, None for the lesion columns."""
        return self._scans[column - FIXED_COLUMNS] if column >= FIXED_COLUMNS else None

    def timepoint(self, scan: date) -> TimepointResponse | None:
        """Return the rules' answer at `scan` (before any override), None when there is none."""
        return self._points.get(scan)

    def override(self, scan: date) -> Override | None:
        """Return the reader's override at `scan`, None when there is none."""
        return self._overrides.get(scan)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, scan = index.row(), self.scan_at(index.column())
        if scan is None:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return ROW_NAMES[row]
            return None
        if role == ScanDateRole:
            return scan
        point = self._points.get(scan)
        if role == ComputedRole:
            return _value(point, row) if point else None
        decided = self._decided.get(scan)
        shown = _value(decided, row) if decided else None
        if row == NEW_ROW and scan not in self._read:
            shown = None  # nothing read at this scan yet: no answer about new lesions
        override = self._overrides.get(scan) if row == OVERALL_ROW else None
        if override is not None and (decided is None or decided.overall != override.response):
            override = None  # not counted by the assessment (a baseline scan)
        stale = self._stale.get(scan) if override is not None else None
        return self._role_data(role, row, shown, point, override, stale)

    def _role_data(self, role, row, shown, point, override, stale=None):
        if role == Qt.ItemDataRole.DisplayRole:
            text = shown or ""
            # NON-CR/NON-PD goes on two lines to fit a scan column.
            text = text.replace("/", "/\n") if len(text) > LONG_CODE else text
            if stale is not None:
                # Stale: the rules' answer now, beside the reader's (issue 15, item 1).
                return f"{text}{OVERRIDE_MARK}{STALE_MARK}\nrules: {stale}"
            return text + (OVERRIDE_MARK if override else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, point, override, stale)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if row in CODE_ROWS and role == Qt.ItemDataRole.BackgroundRole:
            return response_colour(shown)
        if row in CODE_ROWS and role == Qt.ItemDataRole.ForegroundRole:
            return response_text_colour(shown)
        if role == Qt.ItemDataRole.FontRole and (override or row == OVERALL_ROW):
            font = QFont()
            font.setBold(row == OVERALL_ROW)
            font.setItalic(override is not None)
            return font
        return None

    @staticmethod
    def _tooltip(
        row: int, point: TimepointResponse | None, override: Override | None, stale: str | None
    ) -> str:
        computed = point.reason if point and point.reason else "No answer computed at this scan."
        if point is not None and row in (TARGET_ROW, NON_TARGET_ROW, NEW_ROW):
            # Each row says its own finding; the overall reason follows (issue 15, item 1).
            computed = f"{ROW_NAMES[row]}: {_value(point, row) or 'none'}. Overall {computed}"
        if override is None:
            return computed
        text = (
            f"Reader's override: {override.response} ({override.reason}; {override.time}).\n"
            f"Computed: {point.overall if point else 'none'}. {computed}"
        )
        if stale is not None:
            text = (
                f"{STALE_MARK} Stale override: when it was made the rules said "
                f"{override.replaced}; they now say {stale}. Confirm it (Ctrl+R, OK) or clear "
                f"it (Ctrl+Shift+R).\n" + text
            )
        return text
