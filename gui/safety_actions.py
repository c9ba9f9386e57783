"""The window's data-safety actions: history, backups (scheduled, listed, restored), reload.

One object the main window creates and puts in its menus; it checks the
backup schedule when a study is opened, by a timer while editing, and when
the window closes (model/store/backups.py). Issue #8.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMessageBox, QWidget

from gui.actions import add_action
from gui.dialogs.backup_dialog import BackupDialog, restore_study
from gui.pages.history_view import HistoryDialog
from gui.session import StudySession
from model.errors import InputError
from model.store.backup_files import list_backups
from model.store.backups import backup_if_due
from model.store.study import Store
from model.store.study_file import DamagedStudy

#: How often the backup schedule is checked while the study is open, in milliseconds.
CHECK_EVERY_MS = 10 * 60 * 1000


class SafetyActions(QObject):
    """History, backups and reload for the study of `session`, shown over `window`."""

    def __init__(self, session: StudySession, window: QMainWindow):
        super().__init__(window)
        self._session, self._window = session, window
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.back_up_if_due)
        self.timer.start()
        session.study_replaced.connect(self.back_up_if_due)
        self.back_up_if_due()

    def build_file_menu(self, menu: QMenu) -> None:
        """Add Reload, Backups… and Study history… to the File menu; returns nothing."""
        for text, slot, key, tip in (
            ("Re&load study", self.reload, "F5",
             "Read the study again, with changes made in another Nadir"),
            ("&Backups…", self.show_backups, None,
             "List the study's backups, back up now, set the schedule, restore one"),
            ("Study &history…", lambda: self.show_history(None), None,
             "Every change of the study's settings, arms and readers, and every import"),
        ):  # fmt: skip
            add_action(menu, text, slot, key, tip)

    def build_patient_menu(self, menu: QMenu, current_patient: Callable[[], str | None]) -> None:
        """Add History… for the patient `current_patient()` names; returns nothing."""
        tip = "Every recorded change of the patient shown: who, when, old and new value"
        add_action(menu, "&History…", lambda: self.show_history(current_patient()), "Ctrl+H", tip)

    def back_up_if_due(self) -> None:
        """Take a scheduled backup when one is due (not for a read-only study); returns nothing."""
        store = self._session.store
        if self._session.closed or store.read_only or store.path is None:
            return
        try:
            backup_if_due(store)
        except (InputError, OSError) as error:
            self._window.statusBar().showMessage(f"Backup failed: {error}")

    def reload(self) -> None:
        """Re-read the study (after 'changed by someone else'); returns nothing."""
        self._session.reload()

    def show_history(self, patient_id: str | None) -> None:
        """Show the recorded changes of `patient_id` (the study's when None); returns nothing."""
        HistoryDialog(self._session.store, patient_id, self._window).exec()

    def show_backups(self) -> None:
        """Show the backups; restore the one chosen, reopening the study; returns nothing."""
        path = self._session.path
        if path is None:
            return
        dialog = BackupDialog(Path(path), self._session.store, self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.restore(dialog.chosen, Path(path))

    def restore(self, backup: Path, study: Path) -> None:
        """Close the study, restore `backup` over it and open it again; returns nothing."""
        self._session.store.close()  # a restore needs the study closed: it takes the lock
        kept = restore_study(self._window, backup, study)
        self._session.replace_store(Store.open(study, create=False))
        if kept is not None:
            self._window.statusBar().showMessage(
                f"Restored {backup.name}; the replaced file is {kept.name}"
            )


def offer_newest_backup(parent: QWidget | None, study: Path, error: InputError) -> bool:
    """Returns whether the newest backup of a damaged study was restored over it, after asking
    the user; False for other errors, when there is no backup, or when the user declines."""
    backups = list_backups(study)
    if not isinstance(error, DamagedStudy) or not backups:
        return False
    question = f"{error}\n\nRestore the newest backup ({backups[0]})? The file is kept aside."
    answer = QMessageBox.question(parent, "Study cannot be opened", question)
    return answer == QMessageBox.StandardButton.Yes and (
        restore_study(parent, backups[0].path, study) is not None
    )
