"""File > Import measurements from DICOM SR: read TID 1500 reports, preview the merge, confirm.

The reports are read off the GUI thread (a folder may hold a whole study's
images); the plan is made on the GUI thread against the open study
(model/sources/sr_import.py) and shown row by row: new, update, unchanged, not
in the report, with the role proposed for each lesion new to the study and
why. The reader may change such a role in the table, or type over a new
lesion's label the label of the study's lesion it is (OHIF gives every
annotation its own Tracking UID); the plan is made again with that choice.
Nothing is written before Confirm, which writes the plan's edits in one
transaction: one undo step (issue 21).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.measurement_table_model import RoleDelegate
from gui.item_models.problem_table_model import ProblemTableModel
from gui.item_models.sr_preview_model import ROLE_COLUMN, SrPreviewModel
from gui.layouts import record_table
from gui.session import StudySession
from gui.tasks import Task, problems_of
from model.domain import Role
from model.double_reading.visibility import ViewerRole
from model.errors import InputError, InputProblem
from model.sources.dicom_sr import SrReport, read_reports
from model.sources.sr_import import plan_from_store, read_patient_map, undo_label
from model.sources.sr_plan import SrPlan

#: Between the paths of several files in the path box.
PATH_SEPARATOR = "; "
_HINT = (
    "Choose DICOM SR files (TID 1500 measurement reports from OHIF, 3D Slicer or a PACS) "
    "or a folder holding them, then Read."
)


class SrImportDialog(QDialog):
    """Reads DICOM SR reports, shows what merging them would change, and writes on Confirm."""

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import measurements from DICOM SR")
        self.resize(1100, 560)
        self._session = session
        self._reports: tuple[SrReport, ...] = ()
        self._roles: dict[tuple[str, str], Role] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._patient_map: dict[str, str] | None = None
        self._task: Task | None = None
        self.plan: SrPlan | None = None
        self.path = QLineEdit()
        self.path.setObjectName("sr_path")
        self.path.setPlaceholderText("DICOM SR files (separated by ;) or a folder")
        self.map_path = QLineEdit()
        self.map_path.setObjectName("sr_patient_map")
        self.map_path.setPlaceholderText("Patient map (dicom_patient_id,patient_id), if needed")
        self.read_button = QPushButton("&Read")
        self.read_button.clicked.connect(self.read)
        self.status = QLabel(_HINT)
        self.status.setObjectName("sr_status")
        self.status.setWordWrap(True)
        self.problems = ProblemTableModel(self)
        self.problem_view = record_table(self.problems, "sr_problems")
        self.problem_view.hide()
        self.preview = SrPreviewModel(self)
        self.preview.role_chosen.connect(self._on_role_chosen)
        self.preview.lesion_named.connect(self._on_lesion_named)
        self.preview_view = record_table(self.preview, "sr_preview")
        self.preview_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.preview_view.setItemDelegateForColumn(ROLE_COLUMN, RoleDelegate(self.preview_view))
        self.confirm_button = QPushButton("&Confirm and import")
        self.confirm_button.setObjectName("sr_confirm")
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        self._lay_out(close)

    def _lay_out(self, close: QPushButton) -> None:
        source = QHBoxLayout()
        for text, slot in (("Files…", self._choose_files), ("Folder…", self._choose_folder)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            source.addWidget(button)
        source.insertWidget(0, self.path, 1)
        source.addWidget(self.read_button)
        mapping = QHBoxLayout()
        mapping.addWidget(self.map_path, 1)
        choose_map = QPushButton("Patient map…")
        choose_map.clicked.connect(self._choose_map)
        mapping.addWidget(choose_map)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(source)
        layout.addLayout(mapping)
        layout.addWidget(self.status)
        layout.addWidget(self.problem_view, 1)
        layout.addWidget(self.preview_view, 1)
        layout.addLayout(buttons)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "DICOM SR files", "", "DICOM (*.dcm);;All (*)"
        )
        if names:
            self.path.setText(str(Path(names[0]).parent) if len(names) > 1 else names[0])
            self.read()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of DICOM SR reports")
        if folder:
            self.path.setText(folder)
            self.read()

    def _choose_map(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Patient map", "", "CSV or JSON (*.csv *.json)")
        if name:
            self.map_path.setText(name)

    def read(self) -> None:
        """Read the reports off the GUI thread, then preview them; returns nothing."""
        paths = [
            Path(p.strip()) for p in self.path.text().split(PATH_SEPARATOR.strip()) if p.strip()
        ]
        if not paths:
            self._show_problems([InputProblem("choose a DICOM SR file or folder first")])
            return
        self._roles.clear()
        self._names.clear()
        self.read_button.setEnabled(False)
        self.confirm_button.setEnabled(False)
        self.status.setText("Reading…")
        self._task = Task(lambda progress: read_reports(paths), self)
        self._task.finished.connect(self._on_read)
        self._task.failed.connect(self._on_failed)
        self._task.start()

    def _on_read(self, reports: tuple[SrReport, ...]) -> None:
        self._task = None
        self.read_button.setEnabled(True)
        self._reports = reports
        self.replan()

    def _on_failed(self, error: BaseException) -> None:
        self._task = None
        self.read_button.setEnabled(True)
        self._show_problems(problems_of(error))

    def replan(self) -> None:
        """Plan the merge of the reports read, with the roles chosen; returns nothing."""
        try:
            map_text = self.map_path.text().strip()
            patient_map = read_patient_map(Path(map_text)) if map_text else None
            store = self._session.store
            self.plan = plan_from_store(store, self._reports, patient_map, self._roles,
                                        self._reader(), self._names)  # fmt: skip
        except InputError as error:
            self._show_problems(list(error.problems))
            return
        self.problem_view.hide()
        self.preview_view.show()
        self.preview.set_plan(self.plan)
        plan = self.plan
        lines = [plan.summary() + "."]
        lines += [f"Note: {note}." for note in plan.notes]
        lines += [f"Problem: {problem}." for problem in plan.problems]
        if not plan.edits and not plan.problems:
            lines.append("The study holds every value of these reports already.")
        elif not plan.problems:
            lines.append(
                "Italic roles are proposals: change them in the table; type the label of one of "
                "the study's lesions over a new lesion's to match it. Then Confirm."
            )
        self.status.setText("\n".join(lines))
        self.confirm_button.setEnabled(bool(plan.edits) and not plan.problems)

    def _reader(self) -> str | None:
        """Returns whose read the rows are: the viewer's in a study read twice, else None
        (the reader of each patient's rows)."""
        session = self._session
        if session.settings().readers_required == 2 and session.viewer_role is ViewerRole.READER:
            return session.viewer
        return None

    def _on_role_chosen(self, patient_id: str, key: str, role: str) -> None:
        self._roles[(patient_id, key)] = Role(role)
        self.replan()

    def _on_lesion_named(self, patient_id: str, key: str, name: str) -> None:
        self._names[(patient_id, key)] = name
        self.replan()

    def _show_problems(self, problems: list[InputProblem]) -> None:
        self.plan = None
        self.preview.set_rows(())
        self.preview_view.hide()
        self.problem_view.show()
        self.problems.set_rows(problems)
        self.confirm_button.setEnabled(False)
        self.status.setText(f"{len(problems)} problem(s) found; nothing can be imported.")

    def confirm(self) -> None:
        """Write the plan in one undoable step and close; returns nothing. A refusal of the
        store is shown by the session's edit_refused, and nothing is written."""
        plan = self.plan
        if plan is None or plan.problems or not plan.edits:
            return
        if self._session.submit_all(plan.edits, undo_label(plan)):
            self.accept()
