"""The patient page: the reading panel (grid, response rows, warnings) and the patient's facts."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QLabel,
    QMenu,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.actions import add_action
from gui.dialogs.add_dialogs import AddLesionDialog, AddScanDialog
from gui.dialogs.override_dialog import OverrideDialog
from gui.dialogs.settings_dialog import CRITERIA_NAMES
from gui.field_message import FieldMessage
from gui.item_models.measurement_table_model import FIXED_COLUMNS, MeasurementTableModel
from gui.item_models.response_table_model import OVERRIDE_MARK, ResponseTableModel
from gui.layouts import header_over_body
from gui.pages.measurement_grid import MeasurementGridView, ResponseView
from gui.pages.patient_facts import PatientFacts
from gui.palette import STALE_MARK
from gui.session import PatientView, StudySession
from model.domain import Role
from model.editing.edits import AddLesion, AddScan, RemoveLesion, RemoveScan, SetOverride
from model.errors import InputError

#: Days after the last scan suggested for a new scan (a common 8-week schedule).
NEXT_SCAN_DAYS = 56


def _summary(view: PatientView) -> str:
    record = view.data.patients[0]
    text = f"<b>{record.patient_id}</b> &nbsp; arm {record.arm} &nbsp; start {record.start_date}"
    assessment = view.assessment
    if assessment is not None:
        text += f" &nbsp; {CRITERIA_NAMES[assessment.criteria]}: best overall response "
        text += f"<b>{assessment.best_overall_response}</b>"
        if assessment.best_pct_change is not None:
            text += " &nbsp; " + _deepest_change(assessment)
    return text


def _deepest_change(assessment) -> str:
    """Return the best % change (interchange spec: the smallest change in the response window)
    with the scan it comes from, and that scan's answer when it is not the one that counts (an
    unconfirmed CR under confirmation; issue 15, item 1)."""
    change = assessment.best_pct_change
    point = next(
        (p for p in assessment.timepoints[1:] if p.change_from_baseline_pct == change), None
    )
    text = f"deepest change {change:+.1f} %"
    if point is None:
        return text
    text += f" on {point.scan_date}"
    if point.overall and point.overall != assessment.best_overall_response:
        text += f" (answered {point.overall} there)"
    return text


def _notes(view: PatientView) -> list[str]:
    """Return the lines under the responses: problems, baseline warnings, then overrides."""
    assessment = view.assessment
    notes = [f"⚠ {note}" for note in view.problems + (assessment.warnings if assessment else ())]
    rules = view.computed.timepoints if view.computed else ()
    computed = {p.scan_date: p.overall for p in rules}
    stale = assessment.stale_overrides if assessment else {}
    for o in view.counted_overrides.values():
        was = computed.get(o.scan_date) or "none"
        note = f"{OVERRIDE_MARK.strip()} {o.scan_date}: reader's {o.response} (computed {was})"
        if o.scan_date in stale:
            note = (f"{STALE_MARK} {note}, stale: made when the rules said {o.replaced}; "
                    "confirm it (Ctrl+R, OK) or clear it (Ctrl+Shift+R)")  # fmt: skip
        notes.append(f"{note}: {o.reason}")
    return notes


def empty_hint(view: PatientView | None, has_patients: bool) -> str:
    """Return what to do next on an empty page (issue 15, item 5), empty when there is data."""
    if view is None:
        if has_patients:
            return "Choose a patient in the navigator (Ctrl+F filters, Enter opens)."
        return (
            "This study has no patients yet. Add one with Patient > New patient "
            "(Ctrl+Shift+N), or import a spreadsheet or CSV files with File > Import (Ctrl+I)."
        )
    if not view.scan_dates:
        return (
            "No scans yet. Add the baseline scan with Ctrl+T, then its target lesions with "
            "Ctrl+L; the cursor goes to each new cell, ready for the size in mm."
        )
    if not view.lesions:
        return (
            "No lesions yet. Add a target lesion with Ctrl+L (Ctrl+Shift+L for a new lesion) "
            "and type its size at baseline."
        )
    return ""


def _confirm(parent: QWidget, question: str) -> bool:
    """Return whether the user answered Yes (undo can still take it back)."""
    answer = QMessageBox.question(parent, "Nadir", question + "\n\nEdit > Undo brings it back.")
    return answer == QMessageBox.StandardButton.Yes


class PatientPage(QWidget):
    """One patient: the scans x lesions grid with responses under it, and the patient's facts."""

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._view: PatientView | None = None
        self.summary = QLabel()
        self.summary.setObjectName("patient_summary")
        # Wrapped, not one long line: at 150 % scaling its width alone outgrew the screen.
        self.summary.setWordWrap(True)
        self.grid_model = MeasurementTableModel(session, self)
        self.grid_model.ask_to_keep = self._ask_to_keep
        self.grid = MeasurementGridView(self.grid_model)
        self.response_model = ResponseTableModel(self)
        self.response_view = ResponseView(self.response_model, self.grid)
        self.response_view.setAccessibleName("Responses per scan under the grid")
        self.response_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.response_view.customContextMenuRequested.connect(self._on_response_menu)
        self.warnings = QLabel()
        self.warnings.setObjectName("patient_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8A4B00;")
        self.facts = PatientFacts(session)
        self.hint = QLabel()
        self.hint.setObjectName("empty_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("QLabel { color: #333; background: #EEF4FA; padding: 8px; }")
        reading = QWidget()
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.setSpacing(2)
        reading_layout.addWidget(self.hint)
        reading_layout.addWidget(self.grid, 1)
        reading_layout.addWidget(self.response_view)
        reading_layout.addWidget(self.warnings)
        # Stretch 0: the grid (stretch 1) takes the free height up to its rows, this the rest.
        reading_layout.addStretch(0)
        self.tabs = QTabWidget()
        self.tabs.addTab(reading, "&Reading")
        # Scrolled, so that the facts, variables, events and adverse events never make the
        # window wider than a small screen (1366 x 768 at 150 %).
        facts_scroll = QScrollArea()
        facts_scroll.setWidgetResizable(True)
        facts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        facts_scroll.setWidget(self.facts)
        self.tabs.addTab(facts_scroll, "Patient && &events")
        header_over_body(self, self.summary, self.tabs)
        session.study_changed.connect(self._on_study_changed)
        session.study_replaced.connect(self._on_study_replaced)

    def patient_id(self) -> str | None:
        """Return the id of the patient shown, None when nobody is."""
        return self._view.patient_id if self._view else None

    def show_patient(self, patient_id: str | None) -> None:
        """Read and show `patient_id` (None: nobody); returns nothing."""
        view = self._session.patient_view(patient_id) if patient_id else None
        self._view = view
        self.grid_model.set_view(view)
        self.response_model.set_view(view)
        self.summary.setText(_summary(view) if view else "No patient selected")
        # The study's ids are read only when nobody is shown: not on every keystroke.
        hint = empty_hint(view, view is not None or bool(self._session.patient_ids()))
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        notes = _notes(view) if view else []
        self.warnings.setText("\n".join(notes))
        self.warnings.setVisible(bool(notes))
        self.facts.set_patient(view.data.patients[0] if view else None, view.events if view else ())

    def _on_study_changed(self, changes) -> None:
        if self._view is None:
            return
        pid = self._view.patient_id
        if pid in changes.patients or changes.settings:
            ids = self._session.patient_ids()
            if pid not in ids:
                # Renamed (or removed): follow the patient to their new id, if any.
                renamed = [p for p in changes.patients if p in ids]
                pid = renamed[0] if len(renamed) == 1 else None
            self.show_patient(pid)

    def _on_study_replaced(self) -> None:
        self.show_patient(None)

    def current_scan(self) -> date | None:
        """Return the scan of the grid's current column, else of the last column."""
        column = self.grid.currentIndex().column()
        scans = self.grid_model.scan_dates()
        if column >= FIXED_COLUMNS:
            return scans[column - FIXED_COLUMNS]
        return scans[-1] if scans else None

    def add_scan(self) -> None:
        """Ask for a scan date and add the scan; returns nothing."""
        if self._view is None:
            return
        scans = self.grid_model.scan_dates()
        start = self._view.data.patients[0].start_date
        suggested = scans[-1] + timedelta(days=NEXT_SCAN_DAYS) if scans else start
        dialog = AddScanDialog(suggested, self)
        pid = self._view.patient_id
        edit = self._until_taken(
            dialog,
            dialog.date,
            lambda: AddScan(pid, dialog.scan_date(), dialog.modality_text()),
            lambda e: f"Add scan of {e.scan_date}",
        )
        if edit is not None:
            # The cursor goes to the new scan's first lesion (issue 15, item 1).
            first = self.grid_model.lesion_at(0).lesion_id if self._view.lesions else None
            self.grid.focus_cell(first, edit.scan_date)

    def add_lesion(self, role: Role = Role.TARGET) -> None:
        """Ask for a lesion's label, role and site and add it; returns nothing."""
        if self._view is None:
            return
        dialog = AddLesionDialog(role, (x.lesion_id for x in self._view.lesions), self)
        pid, on_scan = self._view.patient_id, self.current_scan()
        edit = self._until_taken(
            dialog,
            dialog.label,
            lambda: AddLesion(pid, *dialog.values()),
            lambda e: f"Add {e.role} lesion {e.lesion_id}",
        )
        if edit is not None:
            # The cursor goes to the new lesion's cell: at baseline, or for a new
            # lesion at the scan the reader is on (issue 15, item 1).
            scans = self.grid_model.scan_dates()
            at = on_scan if edit.role is Role.NEW else (scans[0] if scans else None)
            self.grid.focus_cell(edit.lesion_id, at)

    def remove_scan(self) -> None:
        """Remove the scan of the grid's current column, after asking; returns nothing."""
        column = self.grid.currentIndex().column()
        if self._view is None or column < FIXED_COLUMNS:
            return
        scan = self.grid_model.scan_dates()[column - FIXED_COLUMNS]
        if _confirm(self, f"Remove the scan of {scan} and every measurement made on it?"):
            self._execute(RemoveScan(self._view.patient_id, scan), f"Remove scan of {scan}")

    def remove_lesion(self) -> None:
        """Remove the lesion of the grid's current row, after asking; returns nothing."""
        index = self.grid.currentIndex()
        if self._view is None or not index.isValid():
            return
        label = self.grid_model.lesion_at(index.row()).lesion_id
        if _confirm(self, f"Remove lesion {label} and all its measurements?"):
            self._execute(RemoveLesion(self._view.patient_id, label), f"Remove lesion {label}")

    def override_response(self, scan: date | None = None) -> None:
        """Ask for the reader's response and reason at `scan` (default: current); returns None."""
        scan = scan or self.current_scan()
        if self._view is None or scan is None:
            return
        point = self.response_model.timepoint(scan)
        current = self.response_model.override(scan)
        dialog = OverrideDialog(
            what=f"overall response at {scan}",
            computed=point.overall if point else None,
            criteria=self._view.settings.criteria,
            current=current.response if current else None,
            reason=current.reason if current else "",
            parent=self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            # The rules' answer it replaces is kept: when that changes, the override is stale
            # until confirmed again (this dialog, OK) or cleared (issue 15, item 1).
            edit = SetOverride(
                self._view.patient_id,
                scan,
                self._view.reader,
                dialog.chosen_code(),
                dialog.reason_text(),
                replaced=point.overall if point else None,
            )
            self._execute(edit, f"Override the response at {scan}")

    def clear_override(self, scan: date | None = None) -> None:
        """Remove the reader's override at `scan` (default: current); returns nothing."""
        scan = scan or self.current_scan()
        if self._view is None or scan is None or self.response_model.override(scan) is None:
            return
        edit = SetOverride(self._view.patient_id, scan, self._view.reader)
        self._execute(edit, f"Clear the override at {scan}")

    def _until_taken(self, dialog: QDialog, field: QWidget, make_edit, label_of):
        """Return the edit the dialog made once the store took it, None when cancelled.

        A refusal (a scan already there, a scan after death) keeps the dialog open with
        the reason under `field`, to correct or cancel (issue 15, items 1 and 2).
        """
        refusal = FieldMessage(dialog)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            edit = make_edit()
            try:
                self._session.execute(edit, label_of(edit))
            except InputError as error:
                self._session.refuse(str(error))
                refusal.show_under(field, None, f"Not saved: {error}")
                continue
            return edit
        return None

    def _ask_to_keep(self, question: str) -> bool:
        """Return whether the reader keeps an implausible size (Edit > Undo takes it back)."""
        answer = QMessageBox.question(
            self, "Nadir", question, defaultButton=QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def _execute(self, edit, label: str) -> None:
        self._session.submit(edit, label)

    def _on_response_menu(self, position: QPoint) -> None:
        index = self.response_view.indexAt(position)
        scan = self.response_model.scan_at(index.column()) if index.isValid() else None
        if scan is None:
            return
        menu = QMenu(self)
        add_action(
            menu,
            "Override overall response…",
            lambda: self.override_response(scan),
            None,
            f"Set the reader's overall response at {scan}, with a reason",
        )
        clear = add_action(
            menu,
            "Clear override",
            lambda: self.clear_override(scan),
            None,
            f"Go back to the computed response at {scan}",
        )
        clear.setEnabled(self.response_model.override(scan) is not None)
        menu.exec(self.response_view.viewport().mapToGlobal(position))
        menu.deleteLater()
