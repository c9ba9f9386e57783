"""The dialog that asks, when a study opens, who is at the keyboard: a reader (and which), the
research nurse or the adjudicator. The answer decides what is shown
(model/double_reading/visibility.py:
a reader is blinded to the other read until both reads of a time point are complete)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from model.double_reading.visibility import ViewerRole

#: How each role is offered, in the order shown.
ROLE_LABELS = {
    ViewerRole.READER: "Reader (blinded to the other read)",
    ViewerRole.NURSE: "Research nurse (sees every read)",
    ViewerRole.ADJUDICATOR: "Adjudicator (sees both reads, decides)",
}


class ReaderDialog(QDialog):
    """Asks for the role and, for a reader, the reader's name; OK stays off until a reader
    has a name. Start it with the answer remembered on this machine."""

    def __init__(
        self,
        readers: Sequence[str],
        *,
        name: str = "",
        role: ViewerRole = ViewerRole.READER,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Who is reading?")
        self.role = QComboBox()
        self.role.setObjectName("reader_role")
        for value, label in ROLE_LABELS.items():
            self.role.addItem(label, value.value)
        self.role.setCurrentIndex(list(ROLE_LABELS).index(ViewerRole(role)))
        self.name = QComboBox()
        self.name.setObjectName("reader_name")
        self.name.setEditable(True)
        self.name.addItems([r for r in readers if r])
        self.name.setCurrentText(name)
        self.name.setToolTip("Your reader name, as in the measurements' reader column")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel("This study is read twice, blind. Who is at the keyboard?"))
        form.addRow("Role:", self.role)
        form.addRow("Name:", self.name)
        form.addRow(self.buttons)
        self.role.currentIndexChanged.connect(self._on_changed)
        self.name.editTextChanged.connect(self._on_changed)
        self._on_changed()

    def _on_changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.chosen_role() is not ViewerRole.READER or bool(self.chosen_name()))

    def chosen_role(self) -> ViewerRole:
        """Return the role chosen."""
        return ViewerRole(self.role.currentData())

    def chosen_name(self) -> str:
        """Return the name typed or picked, stripped."""
        return self.name.currentText().strip()


def ask_who_is_reading(
    readers: Sequence[str],
    name: str = "",
    role: ViewerRole = ViewerRole.READER,
    parent: QWidget | None = None,
) -> tuple[str, ViewerRole] | None:
    """Return (name, role) as answered, starting from the remembered answer; None on Cancel."""
    dialog = ReaderDialog(readers, name=name, role=role, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen_name(), dialog.chosen_role()
