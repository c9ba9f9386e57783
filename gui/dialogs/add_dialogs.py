"""Small dialogs that ask what to add: a scan (date, modality) or a lesion (label, role, site)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from model.domain import DEFAULT_ARM, PatientRecord, Role, next_label


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AddScanDialog(QDialog):
    """Asks for the date and modality of a new scan."""

    def __init__(self, suggested: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add scan")
        self.date = QDateEdit(QDate(suggested.year, suggested.month, suggested.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.modality = QComboBox()
        self.modality.setEditable(True)
        self.modality.addItems(["CT", "MRI", "PET-CT", ""])
        form = QFormLayout(self)
        form.addRow("Scan date:", self.date)
        form.addRow("Modality:", self.modality)
        form.addRow(_buttons(self))

    def scan_date(self) -> date:
        """Return the date chosen."""
        return self.date.date().toPython()

    def modality_text(self) -> str | None:
        """Return the modality typed, None when blank."""
        return self.modality.currentText().strip() or None


class AddLesionDialog(QDialog):
    """Asks for the label, role, site and node flag of a lesion to add."""

    def __init__(self, role: Role, taken: Iterable[str], parent: QWidget | None = None):
        super().__init__(parent)
        taken = list(taken)
        self.setWindowTitle("Add new lesion" if role is Role.NEW else "Add lesion")
        self.role = QComboBox()
        self.role.addItems([r.value for r in Role])
        self.role.setCurrentText(role.value)
        self.label = QLineEdit(next_label(role, taken))
        self.role.currentTextChanged.connect(
            lambda text: self.label.setText(next_label(Role(text), taken))
        )
        self.site = QLineEdit()
        self.site.setPlaceholderText("liver, lung, mediastinal node, ...")
        self.node = QCheckBox("Lymph node (short axis)")
        form = QFormLayout(self)
        form.addRow("Role:", self.role)
        form.addRow("Label:", self.label)
        form.addRow("Site:", self.site)
        form.addRow("", self.node)
        form.addRow(_buttons(self))

    def values(self) -> tuple[str, Role, str, bool]:
        """Return (label, role, site, lymph_node) as entered."""
        role = Role(self.role.currentText())
        return self.label.text().strip(), role, self.site.text().strip(), self.node.isChecked()


class AddPatientDialog(QDialog):
    """Asks for the id, arm and start date of a new patient."""

    def __init__(self, arms: Iterable[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add patient")
        self.patient_id = QLineEdit()
        self.patient_id.setPlaceholderText("pseudonymous subject code")
        self.arm = QComboBox()
        self.arm.setEditable(True)
        self.arm.addItems(list(arms) or [DEFAULT_ARM])
        today = date.today()
        self.start = QDateEdit(QDate(today.year, today.month, today.day))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout(self)
        form.addRow("Patient id:", self.patient_id)
        form.addRow("Arm:", self.arm)
        form.addRow("Start date:", self.start)
        form.addRow(_buttons(self))

    def record(self) -> PatientRecord:
        """Return the patient as entered."""
        return PatientRecord(
            self.patient_id.text().strip(),
            self.start.date().toPython(),
            self.arm.currentText().strip() or DEFAULT_ARM,
        )
