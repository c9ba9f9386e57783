"""The import wizard: pick a folder of CSV files, an .xlsx workbook or a folder of SDTM
datasets (dm, tu and tr as .csv or .xpt; told apart by model/importing.py), check it, then
import.

Checking reads the files off the GUI thread and lists every problem with its
file, line, column and value; Import stays disabled until the check finds
none, and the import itself is all or nothing (interchange spec). The preview
names the patients the import replaces; a backup is taken before it writes, and
`before_import` lets the caller keep what undoes it (issue 15, item 2). The
worker opens its own Store on its own thread (style practice 3).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs.import_preview import PreviewTableModel, preview_rows, preview_text
from gui.interchange_tasks import check_files, import_into
from gui.item_models.problem_table_model import ProblemTableModel
from gui.layouts import record_table
from gui.tasks import Task, problems_of
from model.domain import StudyData
from model.importing import source_files
from model.store.imports import ImportSummary


class ImportWizard(QDialog):
    """Check, preview and import interchange files or SDTM datasets into the open study file."""

    def __init__(
        self,
        study: Path,
        parent: QWidget | None = None,
        *,
        present: Collection[str] = (),
        before_import: Callable[[StudyData], object] | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Import study data")
        self.resize(820, 520)
        self._study = study
        self._present = frozenset(present)
        self._before_import = before_import
        self._data: StudyData | None = None
        self._task: Task | None = None
        self.summary: ImportSummary | None = None
        #: The copy of the study taken just before the import wrote.
        self.backup: Path | None = None
        self.path = QLineEdit()
        self.path.setObjectName("import_path")
        self.path.setPlaceholderText(
            "Folder of CSV files (patients.csv, measurements.csv, …) or of SDTM datasets"
        )
        self.path.setAccessibleName("Folder or workbook to import")
        self.path.textChanged.connect(self._on_path_changed)
        # Enter in the path checks it (then Import, once checked), never closes the wizard.
        self.path.returnPressed.connect(self._on_path_entered)
        folder = QPushButton("Folder…")
        folder.clicked.connect(self._choose_folder)
        workbook = QPushButton("Workbook…")
        workbook.clicked.connect(self._choose_workbook)
        for button in (folder, workbook):
            button.setAutoDefault(False)
        self.check_button = QPushButton("&Check")
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(self.check)
        self.status = QLabel(
            "Choose a folder (interchange CSV files, or SDTM dm, tu and tr as .csv or .xpt) "
            "or an .xlsx workbook, then Check."
        )
        self.status.setObjectName("import_status")
        self.status.setWordWrap(True)
        self.problems = ProblemTableModel(self)
        self.problem_view = record_table(self.problems, "import_problems")
        self.preview = PreviewTableModel(self)
        self.preview_view = record_table(self.preview, "import_preview")
        self.preview_view.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.import_button = QPushButton("&Import")
        self.import_button.setAutoDefault(False)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self._on_close_clicked)
        source = QHBoxLayout()
        for widget in (self.path, folder, workbook, self.check_button):
            source.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(source)
        layout.addWidget(self.status)
        layout.addWidget(self.problem_view, 1)
        layout.addWidget(self.preview_view, 1)
        layout.addLayout(buttons)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder of interchange CSV files or SDTM datasets"
        )
        if folder:
            self.path.setText(folder)
            self.check()

    def _choose_workbook(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Workbook", "", "Workbooks (*.xlsx)")
        if name:
            self.path.setText(name)
            self.check()

    def _on_path_entered(self) -> None:
        if self.import_button.isEnabled():
            self.start_import()
        elif self._task is None and self.path.text().strip():
            self.check()

    def _on_path_changed(self) -> None:
        self._data = None
        self.import_button.setEnabled(False)

    def check(self) -> None:
        """Read the chosen files off the GUI thread and list what is wrong; returns nothing."""
        path = Path(self.path.text().strip())
        self._data = None
        self.problems.set_rows(())
        self._run(lambda progress: check_files(path, progress), self._on_checked, "Checking…")

    def start_import(self) -> None:
        """Import the checked data off the GUI thread, all or nothing; returns nothing."""
        data = self._data
        if data is None:
            return
        if self._before_import is not None:
            self._before_import(data)
        study, sources = self._study, source_files(Path(self.path.text().strip()))
        self._run(
            lambda progress: import_into(study, data, progress, sources), self._on_imported, ""
        )

    def _run(self, fn, on_done, message: str) -> None:
        self._set_busy(True, message)
        self._task = Task(fn, self)
        self._task.progress.progressed.connect(self._on_progress)
        self._task.finished.connect(on_done)
        self._task.failed.connect(self._on_failed)
        self._task.start()

    def _on_close_clicked(self) -> None:
        if self._task is not None:
            self._task.progress.cancel()
        else:
            self.reject()

    def _set_busy(self, busy: bool, message: str = "") -> None:
        if not busy:
            self._task = None
        self.check_button.setEnabled(not busy)
        self.close_button.setText("Cancel" if busy else "Close")
        self.import_button.setEnabled(not busy and self._data is not None and not self.summary)
        self.progress.setRange(0, 0 if busy else 1)
        if not busy:
            self.progress.reset()
        if message:
            self.status.setText(message)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if message:
            self.status.setText(message)

    def _on_checked(self, data: StudyData) -> None:
        self._data = data
        self.preview.set_rows(preview_rows(data, self._present))
        self.problem_view.hide()
        self.preview_view.show()
        text = preview_text(data, self._present)
        self._set_busy(False, f"No problems found. {text} Press Import (Edit > Undo undoes it).")

    def _on_imported(self, result: tuple[ImportSummary, Path]) -> None:
        summary, self.backup = result
        self.summary = summary
        self._set_busy(False, f"Done: {summary}.")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._data = None
        self.preview_view.hide()
        self.problem_view.show()
        problems = problems_of(error)
        self.problems.set_rows(problems)
        self._set_busy(False, f"{len(problems)} problem(s) found; nothing was imported.")
        self.import_button.setEnabled(False)
