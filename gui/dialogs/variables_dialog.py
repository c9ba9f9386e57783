"""Study > Variables: declare the study's baseline variables, rename them, order their levels
(the first is the reference) and retire them (issue 16; interchange 1.1, variables.csv).

Each button is one undoable edit, applied at once (model/clinical_edits.SetVariable). The
store refuses a declaration that a value does not fit, so no value is lost silently; retiring
a variable with values asks first and says how many go (Undo brings them back).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.actions import add_action
from gui.session import StudySession
from model.domain import Variable, VariableType
from model.editing.clinical import SetVariable


def add_variables_action(menu: QMenu, session: StudySession, parent: QWidget) -> None:
    """Add Study > Variables… to `menu`; returns nothing."""
    add_action(
        menu,
        "&Variables…",
        lambda: VariablesDialog(session, parent).exec(),
        "Ctrl+Shift+V",
        "Declare, rename, order the levels of and retire the study's baseline variables",
        parent,
    )


class VariablesDialog(QDialog):
    """The study's variables on the left, the chosen one's declaration on the right."""

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Baseline variables")
        self._session = session
        self.variables = QListWidget()
        self.variables.setObjectName("variable_list")
        self.variables.currentRowChanged.connect(self._on_chosen)
        self.name = QLineEdit()
        self.name.setObjectName("variable_name")
        self.type = QComboBox()
        self.type.setObjectName("variable_type")
        self.type.addItems([t.value for t in VariableType])
        self.label = QLineEdit()
        self.label.setObjectName("variable_label")
        self.unit = QLineEdit()
        self.unit.setObjectName("variable_unit")
        self.levels = QListWidget()
        self.levels.setObjectName("variable_levels")
        self.new_level = QLineEdit()
        self.new_level.setObjectName("variable_new_level")
        self.new_level.setPlaceholderText("a level, then Enter")
        self.new_level.returnPressed.connect(self.add_level)
        self.message = QLabel()
        self.message.setObjectName("variable_message")
        self.message.setWordWrap(True)
        session.edit_refused.connect(self.message.setText)
        self._layout()
        self._reload()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Type:", self.type)
        form.addRow("Label:", self.label)
        form.addRow("Unit:", self.unit)
        levels = QGridLayout()
        levels.addWidget(self.levels, 0, 0, 4, 1)
        for row, (text, slot) in enumerate(
            (("Up", self.level_up), ("Down", self.level_down), ("Remove", self.remove_level))
        ):
            button = QPushButton(text)
            button.setObjectName(f"level_{text.lower()}")
            button.clicked.connect(slot)
            levels.addWidget(button, row, 1)
        levels.addWidget(self.new_level, 4, 0, 1, 2)
        form.addRow("Levels (first is the reference):", levels)
        buttons = QHBoxLayout()
        for text, slot, name in (
            ("&New", self.new_variable, "variable_new"),
            ("&Apply", self.apply, "variable_apply"),
            ("&Retire…", self.retire, "variable_retire"),
            ("&Close", self.accept, "variable_close"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.message)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.variables, 1)
        layout.addLayout(right, 2)

    def _reload(self, choose: str | None = None) -> None:
        store = self._session.store
        self._all = store.variables()
        self._declared = {v.name for v in store.declared_variables()}
        self.variables.blockSignals(True)
        self.variables.clear()
        for v in self._all:
            self.variables.addItem(v.name if v.name in self._declared else f"{v.name} (inferred)")
        self.variables.blockSignals(False)
        names = [v.name for v in self._all]
        row = names.index(choose) if choose in names else (0 if names else -1)
        self.variables.setCurrentRow(row)
        self._on_chosen(row)

    def chosen(self) -> Variable | None:
        """Return the variable chosen in the list, None for a new one."""
        row = self.variables.currentRow()
        return self._all[row] if 0 <= row < len(self._all) else None

    def _on_chosen(self, row: int) -> None:
        variable = self.chosen()
        self.name.setText(variable.name if variable else "")
        self.type.setCurrentText((variable.type if variable else VariableType.CATEGORICAL).value)
        self.label.setText(variable.label or "" if variable else "")
        self.unit.setText(variable.unit or "" if variable else "")
        self.levels.clear()
        if variable is not None:
            levels = variable.levels or self._session.store.values_of(variable.name)
            if variable.type is VariableType.CATEGORICAL:
                self.levels.addItems(list(levels))

    def typed(self) -> Variable:
        """Return the declaration the form shows."""
        levels = tuple(self.levels.item(i).text() for i in range(self.levels.count()))
        kind = VariableType(self.type.currentText())
        return Variable(
            self.name.text().strip().lower(),
            kind,
            levels if kind is VariableType.CATEGORICAL else (),
            self.label.text().strip() or None,
            self.unit.text().strip() or None,
        )

    def new_variable(self) -> None:
        """Clear the form for a new variable; returns nothing."""
        self.variables.setCurrentRow(-1)
        self._on_chosen(-1)
        self.name.setFocus()

    def apply(self) -> None:
        """Declare the variable as the form shows it (renaming it when its name changed)."""
        new, old = self.typed(), self.chosen()
        self.message.clear()
        edits = []
        if old is None:
            edits.append(SetVariable(new.name, new))
            label = f"Declare the variable {new.name}"
        else:
            if old.name not in self._declared and new.name != old.name:
                # An inferred variable is declared as it is first, then renamed (one undo).
                edits.append(SetVariable(old.name, Variable(old.name, new.type, new.levels)))
            edits.append(SetVariable(old.name, new))
            label = f"Change the variable {old.name}"
        if self._session.submit_all(edits, label):
            self._reload(new.name)

    def retire(self) -> None:
        """Remove the chosen variable with its values, after asking when it has any."""
        variable = self.chosen()
        if variable is None:
            return
        values = self._session.store.variable_values()
        count = sum(variable.name in by_name for by_name in values.values())
        if count:
            question = (
                f"{count} patients have a value of {variable.name}. Retiring the variable removes"
                " those values too (Edit > Undo brings them back). Retire it?"
            )
            answer = QMessageBox.question(self, "Retire a variable", question)
            if answer != QMessageBox.StandardButton.Yes:
                return
        edit = SetVariable(variable.name, None, values={})
        if self._session.submit(edit, f"Retire the variable {variable.name}"):
            self._reload()

    def add_level(self) -> None:
        """Add the typed level at the end of the levels; returns nothing."""
        text = self.new_level.text().strip()
        if text and not self.levels.findItems(text, Qt.MatchFlag.MatchExactly):
            self.levels.addItem(text)
        self.new_level.clear()

    def remove_level(self) -> None:
        """Drop the chosen level from the form (Apply refuses it while a patient has it)."""
        row = self.levels.currentRow()
        if row >= 0:
            self.levels.takeItem(row)

    def level_up(self) -> None:
        """Move the chosen level one up (to the top: the reference); returns nothing."""
        self._move_level(-1)

    def level_down(self) -> None:
        """Move the chosen level one down; returns nothing."""
        self._move_level(1)

    def _move_level(self, step: int) -> None:
        row = self.levels.currentRow()
        if 0 <= row + step < self.levels.count() and row >= 0:
            item = self.levels.takeItem(row)
            self.levels.insertItem(row + step, item)
            self.levels.setCurrentRow(row + step)
