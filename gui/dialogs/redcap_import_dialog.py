"""File > Import from REDCap: an export read through the project's mapping, checked, previewed
and imported all or nothing (issue 21).

The export and dictionary may also be pulled over the project's API (URL and
token typed here; the token is handed to REDCap and then forgotten: the box is
emptied, nothing is saved). Check reads the export off the GUI thread
(model/sources/redcap.py) and lists every problem with the export's line,
record, instrument and field; Import, enabled once the check finds none,
writes the study in one transaction on the worker thread
(gui/interchange_tasks.py), as the import wizard does. Edit mapping… opens the
mapping editor on the export's fields.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs.import_preview import PreviewTableModel, preview_rows, preview_text
from gui.dialogs.redcap_mapping_dialog import RedcapMappingDialog
from gui.interchange_tasks import import_into
from gui.item_models.problem_table_model import ProblemTableModel
from gui.layouts import record_table
from gui.tasks import Task, problems_of
from model.errors import InputError, InputProblem
from model.importing import source_files
from model.sources.redcap import RedcapImport, read_redcap
from model.sources.redcap_api import pull_project
from model.sources.redcap_mapping import read_mapping
from model.sources.redcap_project import read_project
from model.store.imports import ImportSummary


class RedcapImportDialog(QDialog):
    """Check, preview and import a REDCap export into the study file `study`."""

    def __init__(self, study: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import from REDCap")
        self.resize(860, 540)
        self._study = study
        self._imported: RedcapImport | None = None
        self._task: Task | None = None
        self.summary: ImportSummary | None = None
        self.export = self._path_row("redcap_export", "REDCap export (CSV, raw or labels)")
        self.mapping = self._path_row("redcap_mapping", "Mapping (JSON or YAML)")
        self.dictionary = self._path_row("redcap_dictionary", "Data dictionary (if the mapping "
                                         "names none)")  # fmt: skip
        self.api_url = QLineEdit()
        self.api_url.setObjectName("redcap_api_url")
        self.api_url.setPlaceholderText("https://redcap.example.org/api/ (optional)")
        self.token = QLineEdit()
        self.token.setObjectName("redcap_token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("API token: used for this pull only, never saved")
        self.pull_button = QPushButton("&Pull")
        self.pull_button.clicked.connect(self.pull)
        self._pulled = tempfile.TemporaryDirectory(prefix="nadir-redcap-pull-")
        self.check_button = QPushButton("&Check")
        self.check_button.clicked.connect(self.check)
        edit = QPushButton("Edit &mapping…")
        edit.setObjectName("edit_mapping")
        edit.clicked.connect(self.edit_mapping)
        self.status = QLabel("Choose the export and its mapping, then Check.")
        self.status.setObjectName("redcap_status")
        self.status.setWordWrap(True)
        self.problems = ProblemTableModel(self)
        self.problem_view = record_table(self.problems, "redcap_problems")
        self.preview = PreviewTableModel(self)
        self.preview_view = record_table(self.preview, "redcap_preview")
        self.preview_view.hide()
        self.import_button = QPushButton("&Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        form = QFormLayout()
        for label, (line, choose) in (("Export:", self.export), ("Mapping:", self.mapping),
                                      ("Dictionary:", self.dictionary)):  # fmt: skip
            row = QHBoxLayout()
            row.addWidget(line, 1)
            row.addWidget(choose)
            form.addRow(label, row)
        api = QHBoxLayout()
        api.addWidget(self.api_url, 2)
        api.addWidget(self.token, 1)
        api.addWidget(self.pull_button)
        form.addRow("Or pull:", api)
        buttons = QHBoxLayout()
        buttons.addWidget(edit)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.problem_view, 1)
        layout.addWidget(self.preview_view, 1)
        layout.addLayout(buttons)

    def _path_row(self, name: str, hint: str) -> tuple[QLineEdit, QPushButton]:
        line = QLineEdit()
        line.setObjectName(name)
        line.setPlaceholderText(hint)
        line.textChanged.connect(self._on_changed)
        choose = QPushButton("Choose…")
        kinds = "Mappings (*.json *.yaml *.yml)" if name == "redcap_mapping" else "CSV (*.csv)"
        choose.clicked.connect(lambda: self._choose(line, kinds))
        return line, choose

    def _choose(self, line: QLineEdit, kinds: str) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose a file", "", kinds)
        if name:
            line.setText(name)

    def _path(self, pair: tuple[QLineEdit, QPushButton]) -> Path | None:
        text = pair[0].text().strip()
        return Path(text) if text else None

    def _on_changed(self) -> None:
        self._imported = None
        self.import_button.setEnabled(False)

    def edit_mapping(self) -> None:
        """Open the mapping editor on the export's fields; use the mapping saved there."""
        export, dictionary = self._path(self.export), self._path(self.dictionary)
        try:
            if export is None:
                raise InputError("choose the REDCap export first: the editor offers its fields")
            mapping_path = self._path(self.mapping)
            mapping = read_mapping(mapping_path) if mapping_path and mapping_path.exists() else None
            if dictionary is None and mapping is not None:
                dictionary = mapping.dictionary_path()
            project = read_project(export, dictionary)
        except InputError as error:
            self._show_problems(list(error.problems))
            return
        editor = RedcapMappingDialog(project, mapping, dictionary, self)
        if editor.exec() == QDialog.DialogCode.Accepted and editor.saved is not None:
            self.mapping[0].setText(str(editor.saved))

    def pull(self) -> None:
        """Pull the export and the dictionary over the API off the GUI thread, then use them;
        the token box is emptied at once. Returns nothing."""
        url, token = self.api_url.text().strip(), self.token.text().strip()
        self.token.clear()
        folder = Path(self._pulled.name)
        self._run(lambda progress: pull_project(url, token, folder), self._on_pulled)

    def _on_pulled(self, files: tuple[Path, Path]) -> None:
        self._task = None
        self.check_button.setEnabled(True)
        self.export[0].setText(str(files[0]))
        self.dictionary[0].setText(str(files[1]))
        self.status.setText("Pulled the records and the data dictionary; now Check.")

    def done(self, result: int) -> None:
        """Close, removing the files pulled over the API."""
        self._pulled.cleanup()
        super().done(result)

    def check(self) -> None:
        """Read the export through the mapping off the GUI thread; returns nothing."""
        export, mapping = self._path(self.export), self._path(self.mapping)
        if export is None or mapping is None:
            self._show_problems([InputProblem("choose the REDCap export and its mapping")])
            return
        dictionary = self._path(self.dictionary)
        self._run(lambda progress: read_redcap(export, mapping, dictionary), self._on_checked)

    def start_import(self) -> None:
        """Import what the check read, all or nothing, off the GUI thread; returns nothing."""
        if self._imported is None:
            return
        study, data = self._study, self._imported.data
        boxes = (self.export, self.mapping, self.dictionary)
        sources = source_files(*(self._path(box) for box in boxes))
        self._run(lambda progress: import_into(study, data, progress, sources), self._on_imported)

    def _run(self, fn, on_done) -> None:
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.status.setText("Working…")
        self._task = Task(fn, self)
        self._task.finished.connect(on_done)
        self._task.failed.connect(self._on_failed)
        self._task.start()

    def _on_checked(self, imported: RedcapImport) -> None:
        self._task = None
        self._imported = imported
        self.check_button.setEnabled(True)
        self.problem_view.hide()
        self.preview_view.show()
        self.preview.set_rows(preview_rows(imported.data))
        text = f"No problems found in {imported.records} records. {preview_text(imported.data)}"
        self.status.setText(text + " Press Import.")
        self.import_button.setEnabled(True)

    def _on_imported(self, summary: ImportSummary) -> None:
        self._task = None
        self.summary = summary
        self.status.setText(f"Done: {summary}.")
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._task = None
        self.check_button.setEnabled(True)
        self._show_problems(problems_of(error))

    def _show_problems(self, problems: list[InputProblem]) -> None:
        self._imported = None
        self.preview_view.hide()
        self.problem_view.show()
        self.problems.set_rows(problems)
        self.import_button.setEnabled(False)
        self.status.setText(f"{len(problems)} problem(s) found; nothing was imported.")
