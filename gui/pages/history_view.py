"""The history of a patient (or of the study's settings): every recorded change, newest last.

A thin view of Store.history (model/store/audit.py): who changed what, when, with
which Nadir, the old and the new value. Issue #8, part 1.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.row_table_model import RowTableModel, SortRole
from model.store.audit import AuditEntry
from model.store.study import Store

#: Columns of the history table.
TIME, USER, ACTION, WHAT, FIELD, OLD, NEW, VERSION = range(8)

_ACTIONS = {"insert": "added", "update": "changed", "delete": "removed", "import": "imported"}


def local_time(utc: str) -> str:
    """Returns an audit time (ISO, UTC) as local 'YYYY-MM-DD HH:MM:SS'."""
    try:
        moment = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    except ValueError:
        return utc
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


class HistoryTableModel(RowTableModel):
    """One AuditEntry per row: time, user, what was done to which row and field, old and new."""

    HEADERS = ("Time", "User", "Change", "Table", "Field", "Old value", "New value", "Nadir")

    def row_data(self, record: AuditEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{record.describe()}\nby {record.user} on {record.host}"
        if role == SortRole and column == TIME:
            return record.time
        if role not in (Qt.ItemDataRole.DisplayRole, SortRole):
            return None
        return (
            local_time(record.time),
            record.user,
            _ACTIONS.get(record.action, record.action),
            record.table,
            record.what or "",
            _shown(record.old_value),
            record.describe() if record.action == "import" else _shown(record.new_value),
            record.app_version,
        )[column]


class HistoryDialog(QDialog):
    """Shows the recorded changes of one patient (of the study's settings when None)."""

    def __init__(self, store: Store, patient_id: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        subject = f"patient {patient_id}" if patient_id else "the study's settings and imports"
        self.setWindowTitle(f"History of {subject}")
        self.resize(900, 420)
        self.model = HistoryTableModel(self)
        self.model.set_rows(store.history(patient_id))
        self.table = QTableView()
        self.table.setObjectName("history_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.scrollToBottom()
        count = self.model.rowCount()
        summary = QLabel(
            f"{count} recorded change{'s' if count != 1 else ''}, oldest first. "
            "The trail is kept in the study file and cannot be edited."
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
