"""The patient's facts: arm, dates and covariates in a form, the baseline variables under it,
the events in a table, and the adverse events under them (issue 16).

Each field is written when the user leaves it (one undoable edit per field);
there is nothing to save.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from gui.field_message import FieldMessage
from gui.item_models.event_table_model import (
    EVENT_KINDS,
    KIND_COLUMN,
    START_COLUMN,
    EventTableModel,
    parse_date,
)
from gui.layouts import ROW_HEIGHT
from gui.pages.adverse_event_panel import AdverseEventPanel
from gui.pages.typing_table import TypingTableView
from gui.pages.variable_form import VariableForm
from gui.session import StudySession
from model.domain import DEFAULT_ARM, EventRecord, PatientRecord
from model.editing.edits import AddEvent, RemoveEvent, UpdatePatient
from model.errors import InputError

#: Form fields: (PatientRecord field, label, placeholder).
FIELDS = (
    ("patient_id", "Patient id", ""),
    ("arm", "Arm", DEFAULT_ARM),
    ("start_date", "Start date", "YYYY-MM-DD (time origin)"),
    ("last_contact_date", "Last contact", "YYYY-MM-DD"),
    ("death_date", "Death", "YYYY-MM-DD"),
    ("sex", "Sex", "F or M"),
    ("age", "Age (years)", "at start date"),
    ("histology", "Histology", ""),
    ("stage", "Stage", ""),
)
_DATES = {"start_date", "last_contact_date", "death_date"}


def _text(value) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def record_with(record: PatientRecord, name: str, text: str) -> PatientRecord:
    """Return `record` with field `name` set from `text`; InputError when the text does not fit."""
    text = text.strip()
    if name in _DATES:
        value: object = parse_date(text, name.replace("_", " "))
        if value is None and name == "start_date":
            raise InputError("a patient needs a start date")
    elif name == "age":
        try:
            value = float(text) if text else None
        except ValueError:
            raise InputError(f"age must be a number of years, not {text!r}") from None
    elif name == "patient_id":
        if not text:
            raise InputError("a patient needs an id")
        value = text
    elif name == "arm":
        value = text or DEFAULT_ARM
    else:
        value = text or None
    return replace(record, **{name: value})


class EventTableView(TypingTableView):
    """The events, typed like the grid: a key opens the cell, Enter stores it and moves right
    (issue 15, item 2)."""

    def cell_key(self, index: QModelIndex) -> object:
        return self.model().row_at(index.row()).uuid, index.column()

    def index_of(self, key: object) -> QModelIndex:
        uuid, column = key
        model = self.model()
        rows = [r for r in range(model.rowCount()) if model.row_at(r).uuid == uuid]
        return model.index(rows[0], column) if rows else QModelIndex()

    def after_commit(self, index: QModelIndex) -> None:
        right = index.siblingAtColumn(index.column() + 1)
        self.setCurrentIndex(right if right.isValid() else index)


class KindDelegate(QStyledItemDelegate):
    """Edits an event's kind as text, completing the kinds the interchange spec names."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        editor = QLineEdit(parent)
        completer = QCompleter(list(EVENT_KINDS), editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        editor.setCompleter(completer)
        return editor


class PatientFacts(QWidget):
    """Form of the patient's own fields, and the table of their events."""

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._record: PatientRecord | None = None
        #: Why the last field refused what was typed, shown under the field.
        self.refusal = FieldMessage(self)
        self.fields: dict[str, QLineEdit] = {}
        form_box = QGroupBox("Patient")
        form = QFormLayout(form_box)
        for name, label, placeholder in FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"fact_{name}")
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(label)
            edit.textEdited.connect(self.refusal.hide)
            edit.editingFinished.connect(lambda name=name: self._on_field_edited(name))
            form.addRow(label + ":", edit)
            self.fields[name] = edit
        self.events = EventTableModel(session, self)
        self.event_view = EventTableView()
        self.event_view.setObjectName("event_table")
        self.event_view.setAccessibleName("Events of the patient")
        self.event_view.setModel(self.events)
        self.event_view.watch_refusals(self.events)
        self.event_view.setItemDelegateForColumn(KIND_COLUMN, KindDelegate(self.event_view))
        self.event_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.event_view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.event_view.setWordWrap(False)
        self.event_view.setStatusTip(
            "Treatments, procedures, surgery, progression, off-study: type into a cell, Enter"
            " stores it and moves right"
        )
        self.kind = QComboBox()
        self.kind.addItems(EVENT_KINDS)
        add = QPushButton("&Add event")
        add.setObjectName("add_event")
        add.setAutoDefault(False)
        add.setStatusTip(
            "Add an event of the chosen kind on the patient's start date; the cursor goes to"
            " its start date"
        )
        add.clicked.connect(self.add_event)
        remove = QPushButton("Remove event")
        remove.setStatusTip("Remove the selected event")
        remove.clicked.connect(self.remove_event)
        buttons = QHBoxLayout()
        for widget in (self.kind, add, remove):
            buttons.addWidget(widget)
        buttons.addStretch()
        events_box = QGroupBox("Events")
        events_layout = QVBoxLayout(events_box)
        events_layout.addWidget(self.event_view)
        events_layout.addLayout(buttons)
        self.variables = VariableForm(session)
        self.adverse_events = AdverseEventPanel(session)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(form_box)
        left.addWidget(self.variables)
        left.addStretch()
        right.addWidget(events_box, 1)
        right.addWidget(self.adverse_events, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 2)

    def set_patient(self, record: PatientRecord | None, events) -> None:
        """Show `record` and its events (None: nobody); returns nothing."""
        self._record = record
        self.refusal.hide()
        for name, edit in self.fields.items():
            edit.setText(_text(getattr(record, name)) if record else "")
            edit.setEnabled(record is not None)
        self.events.set_rows(events)
        self.variables.set_patient(record)
        self.adverse_events.set_patient(record, events)

    def _on_field_edited(self, name: str) -> None:
        record, field = self._record, self.fields[name]
        if record is None or field.text().strip() == _text(getattr(record, name)):
            return
        label = f"Change the {name.replace('_', ' ')} of {record.patient_id}"
        try:
            changed = record_with(record, name, field.text())
            self._session.execute(UpdatePatient(record.patient_id, changed), label)
        except InputError as error:
            # The field keeps what was typed and the cursor, with the reason under it
            # (issue 15, items 1 and 2); leaving the patient puts the stored value back.
            self._session.refuse(str(error))
            self.refusal.show_under(field, None, f"Not saved: {error}")
            QTimer.singleShot(0, lambda: (field.setFocus(), field.selectAll()))

    def add_event(self) -> None:
        """Add an event of the chosen kind on the start date and put the cursor on its start
        date; returns nothing."""
        if self._record is None:
            return
        start = self._record.start_date or date.today()
        record = EventRecord(self._record.patient_id, self.kind.currentText(), start)
        before = {self.events.row_at(r).uuid for r in range(self.events.rowCount())}
        if not self._session.submit(AddEvent(record), f"Add a {record.kind} event"):
            return
        for row in range(self.events.rowCount()):
            if self.events.row_at(row).uuid not in before:
                self.event_view.setFocus()
                self.event_view.setCurrentIndex(self.events.index(row, START_COLUMN))

    def remove_event(self) -> None:
        """Remove the selected event; returns nothing."""
        index = self.event_view.currentIndex()
        if index.isValid():
            event = self.events.row_at(index.row())
            self._session.submit(RemoveEvent(event.uuid), f"Remove a {event.record.kind} event")
