"""The preview of a DICOM SR import: one row per lesion and scan; the label and the role of a
lesion new to the study editable (issue 21). The model never plans: a role chosen or a name
given is announced by `role_chosen` or `lesion_named`, and the dialog shows the plan made with
it (model/sources/sr_plan.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from gui.item_models.row_table_model import Index, RowTableModel
from model.domain import Role
from model.sources.sr_plan import Action, PlannedRow, SrPlan

#: Columns a reader may change for a lesion new to the study: its label (the lesion_id of one
#: of the study's lesions matches it to that lesion) and its role.
LESION_COLUMN, ROLE_COLUMN = 2, 3


class SrPreviewModel(RowTableModel):
    """The rows of an SrPlan (PlannedRow values); the role of a new lesion can be edited."""

    HEADERS = ("Patient", "Scan", "Lesion", "Role", "Size", "Action", "Before", "Report", "Why")

    #: (patient_id, lesion key, role) when the reader picks another role for a new lesion.
    role_chosen = Signal(str, str, str)
    #: (patient_id, lesion key, name) when the reader names a new lesion.
    lesion_named = Signal(str, str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._why: dict[tuple[str, str], str] = {}
        self._new: set[tuple[str, str]] = set()

    def set_plan(self, plan: SrPlan) -> None:
        """Show the rows of `plan`; returns nothing."""
        self._why = {(x.patient_id, x.key): x.why for x in plan.lesions}
        self._new = {(x.patient_id, x.key) for x in plan.lesions if x.is_new}
        self.set_rows(plan.rows)

    def _is_new(self, row: PlannedRow) -> bool:
        return (row.patient_id, row.key) in self._new

    def row_data(self, row: PlannedRow, column: int, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            size = "" if row.size_mm is None else f"{row.size_mm:g} mm"
            why = self._why.get((row.patient_id, row.key), "") if self._is_new(row) else row.note
            values = (row.patient_id, str(row.scan_date), row.lesion_id, str(row.role), size,
                      str(row.action), row.before, row.report, why)  # fmt: skip
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ROLE_COLUMN and self._is_new(row):
                return "Proposed role of a lesion new to the study: change it here"
            if column == LESION_COLUMN and self._is_new(row):
                return "Type the label of one of the study's lesions to match it, or a new label"
            return row.note
        if role == Qt.ItemDataRole.FontRole and column == ROLE_COLUMN and self._is_new(row):
            font = QFont()
            font.setItalic(True)  # a proposal, not yet the study's
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.action is Action.NOT_IN_REPORT:
            return QBrush(QColor("gray"))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in (LESION_COLUMN, ROLE_COLUMN):
            if self._is_new(self.row_at(index.row())):
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        row, text = self.row_at(index.row()), str(value).strip()
        if index.column() == LESION_COLUMN:
            if not text or text == row.lesion_id:
                return False
            self.lesion_named.emit(row.patient_id, row.key, text)
            return True
        if text not in tuple(Role) or text == str(row.role):
            return False
        self.role_chosen.emit(row.patient_id, row.key, text)
        return True
