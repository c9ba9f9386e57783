"""The patient's baseline variables as a form: a drop-down for a categorical variable, a text
field for a numeric one, each written when chosen or left (one undoable edit per value).

The variables are the study's (declared, then inferred: model/clinical.effective_variables);
the form is rebuilt when their declarations change (issue 16).
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QWidget

from gui.session import StudySession
from model.domain import PatientRecord, Variable, VariableType
from model.editing.clinical import SetPatientValue
from model.rules.clinical import variable_values

#: What a categorical drop-down shows for no value.
BLANK = ""


class VariableForm(QGroupBox):
    """One editor per variable of the study, showing the patient's values."""

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__("Baseline variables", parent)
        self.setObjectName("variable_form")
        self._session = session
        self._record: PatientRecord | None = None
        self._variables: tuple[Variable, ...] = ()
        #: The editor of each variable, by name (a QComboBox or a QLineEdit).
        self.editors: dict[str, QComboBox | QLineEdit] = {}
        self._layout = QFormLayout(self)
        session.study_changed.connect(self._on_study_changed)

    def set_patient(self, record: PatientRecord | None) -> None:
        """Show the values of `record` (None: nobody); returns nothing."""
        self._record = record
        variables = self._session.variables()
        if variables != self._variables:
            self._build(variables)
        values = variable_values(record) if record else {}
        for variable in self._variables:
            editor = self.editors[variable.name]
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                editor.clear()
                found = variable.levels or self._session.values_of(variable.name)
                options = (BLANK, *found)
                value = values.get(variable.name, BLANK)
                editor.addItems([*options, *([value] if value not in options else [])])
                editor.setCurrentText(value)
            else:
                editor.setText(values.get(variable.name, ""))
            editor.setEnabled(record is not None)
            editor.blockSignals(False)
        self.setVisible(bool(self._variables))

    def _build(self, variables: tuple[Variable, ...]) -> None:
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self.editors.clear()
        self._variables = variables
        for variable in variables:
            editor: QComboBox | QLineEdit
            if variable.type is VariableType.CATEGORICAL:
                editor = QComboBox()
                editor.activated.connect(lambda _, name=variable.name: self._on_edited(name))
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(variable.unit or "a number")
                editor.editingFinished.connect(lambda name=variable.name: self._on_edited(name))
            editor.setObjectName(f"variable_{variable.name}")
            editor.setStatusTip(variable.label or variable.name)
            unit = f" ({variable.unit})" if variable.unit else ""
            self._layout.addRow(f"{variable.label or variable.name}{unit}:", editor)
            self.editors[variable.name] = editor

    def _on_edited(self, name: str) -> None:
        record = self._record
        if record is None:
            return
        editor = self.editors[name]
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
        old = variable_values(record).get(name, "")
        if text.strip() == old:
            return
        label = f"Set {name} of {record.patient_id} to {text.strip() or 'blank'}"
        if not self._session.submit(SetPatientValue(record.patient_id, name, text), label):
            self.set_patient(record)

    def _on_study_changed(self, changes) -> None:
        if changes.variables and self._record is not None:
            pid = self._record.patient_id
            if pid in self._session.patient_ids():
                self.set_patient(self._session.store.patient(pid))
