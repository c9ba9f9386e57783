"""The backups of a study: list them, take one now, set the schedule, choose one to restore.

The dialog does not restore by itself: the study must be closed first, which is
the window's business, so it returns the chosen backup (`chosen`) on Restore,
and `restore_study()` does the rest. Issue #8, part 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.row_table_model import RowTableModel
from model.errors import InputError
from model.store.backup_files import Backup, list_backups
from model.store.backups import backup_now, every_hours, set_every_hours
from model.store.study import Store

#: What each kind of backup is, in words.
KINDS = {"auto": "scheduled", "before-restore": "before a restore"}


def kind_in_words(kind: str) -> str:
    """Returns why a backup of `kind` was taken: 'scheduled', 'before migrating version 3'."""
    if kind.startswith("v") and kind[1:].isdigit():
        return f"before updating from version {kind[1:]}"
    return KINDS.get(kind, kind)


class BackupTableModel(RowTableModel):
    """One Backup per row, newest first: when (local time), why, file name."""

    HEADERS = ("Taken", "Why", "File")

    def row_data(self, record: Backup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(record.path)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        taken = record.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return (taken, kind_in_words(record.kind), record.path.name)[column]


class BackupDialog(QDialog):
    """Lists the backups of `study`; `store` (None when the study cannot be opened) serves
    Back up now and the schedule. Accepted with Restore: `chosen` is the backup to restore."""

    def __init__(self, study: Path, store: Store | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Backups of {Path(study).name}")
        self.resize(720, 360)
        self.study, self.store = Path(study), store
        self.chosen: Path | None = None
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("backup_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.hours = QDoubleSpinBox()
        self.hours.setObjectName("backup_hours")
        self.hours.setRange(0, 24 * 7)
        self.hours.setDecimals(1)
        self.hours.setSuffix(" hours")
        self.hours.setSpecialValueText("never")
        writable = store is not None and not store.read_only
        self.hours.setValue(every_hours(store) if store is not None else 0)
        self.hours.setEnabled(writable)
        self.hours.setToolTip("Back up every N hours of editing (0: never); 5 are kept")
        self.back_up = QPushButton("Back up now")
        self.back_up.setEnabled(store is not None)
        self.back_up.clicked.connect(self._on_back_up_clicked)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore = self.buttons.addButton("Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_restore_clicked)
        self.buttons.rejected.connect(self._on_close_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        form = QFormLayout()
        form.addRow("Back up every:", self.hours)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Backups sit beside the study file, readable by you only."))
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(self.back_up)
        layout.addWidget(self.buttons)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the backups from disk; returns nothing."""
        self.model.set_rows(list_backups(self.study))
        self.table.resizeColumnsToContents()
        self._on_selection_changed()

    def select_row(self, row: int) -> None:
        """Select backup `row` (0 is the newest); returns nothing."""
        self.table.selectRow(row)

    def _on_selection_changed(self, *_: object) -> None:
        self.restore.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _on_back_up_clicked(self) -> None:
        assert self.store is not None
        try:
            backup_now(self.store)
        except (InputError, OSError) as error:
            QMessageBox.warning(self, "Back up", str(error))
        self.refresh()

    def _save_schedule(self) -> None:
        if self.store is not None and self.hours.isEnabled():
            if self.hours.value() != every_hours(self.store):
                set_every_hours(self.store, self.hours.value())

    def _on_close_clicked(self) -> None:
        self._save_schedule()
        self.reject()

    def _on_restore_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self._save_schedule()
        self.chosen = self.model.row_at(rows[0].row()).path
        self.accept()


def restore_study(parent: QWidget | None, backup: Path, study: Path) -> Path | None:
    """Returns where the study's replaced file went, after restoring `backup` over the closed
    study; None (after saying why) when the restore was refused."""
    from model.store.backups import restore_backup

    try:
        return restore_backup(backup, study)
    except InputError as error:
        QMessageBox.warning(parent, "Restore backup", str(error))
        return None
