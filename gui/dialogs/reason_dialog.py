"""A dialog whose OK stays off until a reason is typed: overrides and adjudications are
decisions against, or between, the rules' answers, and must say why (design.md)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QWidget


class ReasonDialog(QDialog):
    """Holds `reason` (a text box) and `buttons` (OK, Cancel); lay them out, then call
    `require_reason()`."""

    def __init__(
        self, placeholder: str, name: str, reason: str = "", parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.reason = QPlainTextEdit(reason)
        self.reason.setObjectName(name)
        self.reason.setPlaceholderText(placeholder)
        self.reason.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def require_reason(self) -> None:
        """Keep OK off while the reason is blank; returns nothing."""
        self.reason.textChanged.connect(self._on_reason_changed)
        self._on_reason_changed()

    def reason_text(self) -> str:
        """Return the reason typed, stripped."""
        return self.reason.toPlainText().strip()

    def _on_reason_changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason_text()))
