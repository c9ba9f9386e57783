"""The patient's adverse events (issue 16): a line to enter one by keyboard, the term and organ
class completed from those already in the study, and the table of the patient's events.

Tab moves along the line (term, grade, onset, resolution, attribution, serious, organ class);
Enter adds the event as one undoable edit. The attribution offers the drugs and procedures of
the patient's events (model/clinical.attributions), `unrelated`, or nothing (unknown).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.adverse_event_table_model import AdverseEventTableModel, parse_grade
from gui.item_models.event_table_model import parse_date
from gui.layouts import ROW_HEIGHT
from gui.session import StudySession
from model.domain import AdverseEvent, EventRecord, PatientRecord
from model.editing.clinical import AddAdverseEvent, RemoveAdverseEvent
from model.errors import InputError
from model.rules.clinical import GRADES, UNRELATED, attributions

#: What the attribution drop-down shows for "unknown".
UNKNOWN = ""


class AdverseEventPanel(QGroupBox):
    """Entry line and table of one patient's adverse events."""

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__("Adverse events", parent)
        self._session = session
        self._record: PatientRecord | None = None
        self.term = self._line("ae_term", "term (CTCAE), e.g. Pneumonitis")
        self.term.setMinimumWidth(160)
        self.grade = QComboBox()
        self.grade.setObjectName("ae_grade")
        self.grade.addItems([str(g) for g in GRADES])
        self.grade.setStatusTip("CTCAE grade: 1 mild to 5 death")
        self.onset = self._line("ae_onset", "onset YYYY-MM-DD")
        self.resolved = self._line("ae_resolved", "resolved YYYY-MM-DD")
        self.attribution = QComboBox()
        self.attribution.setObjectName("ae_attribution")
        self.attribution.setStatusTip("What it is attributed to; blank when unknown")
        self.serious = QCheckBox("serious")
        self.serious.setObjectName("ae_serious")
        self.category = self._line("ae_category", "organ class")
        add = QPushButton("Add adverse event")
        add.setObjectName("ae_add")
        add.setStatusTip("Add the adverse event typed on this line (Enter)")
        add.clicked.connect(self.add)
        remove = QPushButton("Remove adverse event")
        remove.setStatusTip("Remove the selected adverse event")
        remove.clicked.connect(self.remove)
        self.model = AdverseEventTableModel(session, self)
        self.view = QTableView()
        self.view.setObjectName("ae_table")
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.setWordWrap(False)
        line = QGridLayout()
        entries = (self.term, self.grade, self.onset, self.resolved, self.attribution,
                   self.serious, self.category)  # fmt: skip
        # Two lines of four, so that the panel fits beside the events at 1366 x 768 and 150 %.
        cells = (*zip(self.model.HEADERS, entries, strict=True), ("", add))
        for i, (title, widget) in enumerate(cells):
            row, column = divmod(i, 4)
            line.addWidget(QLabel(title), 2 * row, column)
            line.addWidget(widget, 2 * row + 1, column)
        line.setColumnStretch(0, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(self.view, 1)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        for first, second in zip(entries, (*entries[1:], add), strict=True):
            QWidget.setTabOrder(first, second)

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.returnPressed.connect(self.add)
        return edit

    def set_patient(self, record: PatientRecord | None, events) -> None:
        """Show the adverse events of `record` (None: nobody), attributions from its `events`
        (StoredEvent rows); returns nothing."""
        self._record = record
        store = self._session.store
        self.model.set_rows(store.adverse_events(record.patient_id) if record else ())
        choices = attribution_choices([e.record for e in events])
        current = self.attribution.currentText()
        self.attribution.clear()
        self.attribution.addItems(list(choices))
        self.attribution.setCurrentText(current if current in choices else UNKNOWN)
        for edit, column in ((self.term, "term"), (self.category, "category")):
            completer = QCompleter(list(self._session.adverse_event_words(column)), edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            edit.setCompleter(completer)
        self.setEnabled(record is not None)

    def typed(self) -> AdverseEvent:
        """Return the adverse event on the entry line; InputError when it does not parse."""
        if self._record is None:
            raise InputError("no patient is shown")
        term = self.term.text().strip()
        if not term:
            raise InputError("an adverse event needs a term")
        onset = parse_date(self.onset.text(), "onset")
        if onset is None:
            raise InputError("an adverse event needs an onset date (YYYY-MM-DD)")
        return AdverseEvent(
            self._record.patient_id,
            term,
            parse_grade(self.grade.currentText()),
            onset,
            parse_date(self.resolved.text(), "resolution"),
            self.attribution.currentText() or None,
            self.serious.isChecked(),
            self.category.text().strip() or None,
        )

    def add(self) -> None:
        """Add the adverse event typed on the entry line, then clear the line; returns nothing."""
        try:
            record = self.typed()
        except InputError as error:
            self._session.refuse(str(error))
            return
        label = f"Add {record.term} (grade {record.grade}) to {record.patient_id}"
        if self._session.submit(AddAdverseEvent(record), label):
            for edit in (self.term, self.onset, self.resolved, self.category):
                edit.clear()
            self.serious.setChecked(False)
            self.term.setFocus()

    def remove(self) -> None:
        """Remove the selected adverse event; returns nothing."""
        index = self.view.currentIndex()
        if index.isValid():
            event = self.model.row_at(index.row())
            self._session.submit(RemoveAdverseEvent(event.uuid), f"Remove {event.record.term}")


def attribution_choices(events: list[EventRecord]) -> tuple[str, ...]:
    """Return the attribution drop-down's entries for a patient with `events`."""
    return (UNKNOWN, *attributions(events), UNRELATED)
