"""The File menu's work: new, open, recent, save as, import and export of study files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu, QMessageBox

from gui.actions import add_action
from gui.dialogs.import_wizard import ImportWizard
from gui.interchange_tasks import export_to
from gui.safety_actions import offer_newest_backup
from gui.session import StudySession
from gui.settings import UiSettings
from gui.tasks import run_task
from model.errors import InputError
from model.merge.study import MergeReport, merge_studies
from model.store.locking import StudyInUse
from model.store.study import Store

#: File-dialog filter of study files.
STUDY_FILTER = "Nadir studies (*.nadir)"
#: Milliseconds a message about files stays in the status bar.
MESSAGE_MS = 10_000


class StudyFiles(QObject):
    """Opens, creates, copies, imports into and exports the window's study."""

    def __init__(self, window: QMainWindow, session: StudySession, ui_settings: UiSettings):
        super().__init__(window)
        self._window = window
        self._session = session
        self._ui_settings = ui_settings
        self.recent_menu: QMenu | None = None

    def build_menu(self, menu: QMenu) -> None:
        """Fill the File menu; returns nothing."""
        keys = QKeySequence.StandardKey
        add_action(menu, "&New study…", self.new_study, keys.New, "Create an empty study file")
        add_action(menu, "&Open study…", self.open_study, keys.Open, "Open a study file")
        self.recent_menu = menu.addMenu("Open &recent")
        self.recent_menu.menuAction().setStatusTip("Open a study file used lately")
        add_action(menu, "Save study &as…", self.save_as, keys.SaveAs, "Copy the study to a file")
        menu.addSeparator()
        add_action(menu, "&Import…", self.import_files, "Ctrl+I", "Import CSV files or .xlsx")
        add_action(menu, "&Export…", self.export_files, "Ctrl+E", "Export as CSV files")
        add_action(menu, "Export &workbook…", self.export_workbook, "Ctrl+Shift+E",
                   "Export as one .xlsx workbook")  # fmt: skip
        add_action(menu, "&Report…", self.write_report, "Ctrl+Shift+P",
                   "Write the study's summary, figures and PDF report into a folder")  # fmt: skip
        menu.addSeparator()
        add_action(menu, "&Merge a copy…", self.merge_copy, "Ctrl+Shift+M",
                   "Merge back a copy of this study read elsewhere")  # fmt: skip

    def remember(self) -> None:
        """Put the open study first in Open recent; returns nothing."""
        path = self._session.path
        if path is None or self.recent_menu is None:
            return
        self.recent_menu.clear()
        for recent in self._ui_settings.add_recent_study(path):
            action = self.recent_menu.addAction(recent)
            action.setStatusTip(f"Open {recent}")
            action.triggered.connect(lambda _checked=False, p=recent: self.open_path(p))

    def _say(self, message: str) -> None:
        self._window.statusBar().showMessage(message, MESSAGE_MS)

    def open_path(self, path: str, *, create: bool = False) -> bool:
        """Open the study file at `path` in the window; returns whether it was opened.

        A study another Nadir is writing can be opened read-only instead.
        """
        try:
            store = Store.open(path, create=create)
        except StudyInUse as error:
            question = f"{error}\n\nOpen it read-only?"
            answer = QMessageBox.question(self._window, "Study in use", question)
            if answer != QMessageBox.StandardButton.Yes:
                return False
            store = Store.open(path, create=False, read_only=True)
        except InputError as error:
            if offer_newest_backup(self._window, Path(path), error):
                return self.open_path(path)
            QMessageBox.warning(self._window, "Cannot open study", str(error))
            return False
        self._session.replace_store(store)
        return True

    def new_study(self) -> None:
        """Ask for a file name and start an empty study there; returns nothing."""
        name, _ = QFileDialog.getSaveFileName(self._window, "New study", "", STUDY_FILTER)
        if not name:
            return
        path = Path(name).with_suffix(".nadir")
        if path.exists():
            QMessageBox.warning(self._window, "New study", f"{path} exists; choose another name.")
            return
        self.open_path(str(path), create=True)

    def open_study(self) -> None:
        """Ask for a study file and open it; returns nothing."""
        name, _ = QFileDialog.getOpenFileName(self._window, "Open study", "", STUDY_FILTER)
        if name:
            self.open_path(name)

    def save_as(self) -> None:
        """Copy the study to a new file and continue there; returns nothing."""
        source = self._session.path
        name, _ = QFileDialog.getSaveFileName(self._window, "Save study as", "", STUDY_FILTER)
        if source and name:
            self.copy_to(Path(name).with_suffix(".nadir"))

    def copy_to(self, target: Path) -> None:
        """Copy the open study consistently to `target` and open the copy; returns nothing."""
        try:
            self._session.store.backup(target)
        except (OSError, InputError) as error:
            QMessageBox.warning(self._window, "Save study as", str(error))
            return
        self.open_path(str(target))

    def import_files(self) -> None:
        """Open the import wizard; re-read the study after an import; returns nothing."""
        if not self._session.path:
            return
        store, undo = self._session.store, []
        wizard = ImportWizard(
            Path(self._session.path),
            self._window,
            present=store.patient_ids(),
            # What undoes the import is read just before it writes (issue 15, item 2).
            before_import=lambda data: undo.extend(store.import_undo(data)),
        )
        if wizard.exec() == QDialog.DialogCode.Accepted and wizard.summary:
            label = f"Import {Path(wizard.path.text().strip()).name}"
            self._session.record_import(tuple(undo), label)
            kept = f"; the study as it was is kept in {wizard.backup.name}" if wizard.backup else ""
            self._say(f"Import: {wizard.summary}{kept}. Edit > Undo takes it back.")

    def write_report(self) -> None:
        """Open File > Report… on the open study (gui/dialogs/report_dialog.py); returns nothing."""
        if not self._session.path:
            self._say("A study held in memory has no file to report on; save it first")
            return
        # Imported here: the report's statistics (scipy) are not needed to start the app.
        from gui.dialogs.report_dialog import ReportDialog

        ReportDialog(Path(self._session.path), self._window).exec()

    def merge_copy(self) -> None:
        """Ask for a copy of the study and merge it into the open one; returns nothing."""
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Merge a copy of the study", "", STUDY_FILTER
        )
        if name:
            self.merge_path(Path(name))

    def merge_path(self, copy: Path) -> MergeReport | None:
        """Merge the study copy at `copy` in (model/merge/study.py, which backs the open study
        up first); shows what came in and each conflict; returns the report (None: refused)."""
        store = self._session.store
        try:
            if store.path is not None and copy.resolve() == Path(store.path).resolve():
                raise InputError("a study cannot be merged into itself")
            with Store.open(copy, create=False, read_only=True) as source:
                report = merge_studies(store, source)
        except InputError as error:
            QMessageBox.warning(self._window, "Cannot merge", str(error))
            return None
        self._session.reload()
        shown = [str(report)]
        if report.backup is not None:
            shown.append(f"The study as it was is kept in {report.backup.name}.")
        shown += [f"Conflict (this study's value kept): {c}" for c in report.conflicts[:20]]
        if len(report.conflicts) > 20:
            shown.append(f"… and {len(report.conflicts) - 20} more conflicts")
        # Not modal: the window stays usable while the nurse reads the list.
        box = QMessageBox(QMessageBox.Icon.Information, "Merge", "\n".join(shown),
                          parent=self._window)  # fmt: skip
        box.setObjectName("merge_report")
        box.show()
        self._say(str(report))
        return report

    def export_files(self) -> None:
        """Ask for a folder and write the interchange CSV files there; returns nothing."""
        folder = QFileDialog.getExistingDirectory(self._window, "Export into folder")
        if folder:
            self.export(Path(folder))

    def export_workbook(self) -> None:
        """Ask for a file name and write one .xlsx workbook; returns nothing."""
        name, _ = QFileDialog.getSaveFileName(
            self._window, "Export workbook", "", "Workbooks (*.xlsx)"
        )
        if name:
            self.export(Path(name).with_suffix(".xlsx"))

    def export(self, target: Path) -> None:
        """Write the study to `target` (a folder, or an .xlsx file) off the GUI thread."""
        source = self._session.path
        if not source:
            return
        run_task(
            lambda progress: export_to(Path(source), target, progress),
            title="Exporting",
            parent=self._window,
            on_done=lambda paths: self._say(f"Exported {len(paths)} file(s) to {target}"),
            on_error=lambda error: QMessageBox.warning(self._window, "Export failed", str(error)),
        )
