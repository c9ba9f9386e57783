"""The dialog in which a reader overrides a computed time-point response, with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from gui.dialogs.reason_dialog import ReasonDialog
from model.domain import OVERRIDE_CODES, Criteria


class OverrideDialog(ReasonDialog):
    """Asks for the response a reader decides and the reason; OK stays off until both are given."""

    def __init__(
        self,
        *,
        what: str,
        computed: str | None,
        criteria: Criteria,
        current: str | None = None,
        reason: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(
            "Why the rules' answer does not hold (required)", "override_reason", reason, parent
        )
        self.setWindowTitle(f"Override {what}")
        self.code = QComboBox()
        self.code.setObjectName("override_code")
        self.code.addItems(OVERRIDE_CODES[criteria])
        self.code.setCurrentText(current or computed or "")
        form = QFormLayout(self)
        form.addRow("Computed:", QLabel(computed or "none"))
        form.addRow("Reader's response:", self.code)
        form.addRow("Reason:", self.reason)
        form.addRow(self.buttons)
        self.require_reason()

    def chosen_code(self) -> str:
        """Return the response code chosen."""
        return self.code.currentText()
