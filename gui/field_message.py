"""A refusal shown next to the field or cell that refused it, not only in the status bar.

Issue 15, item 1: "a cell that refuses input stays put with the message next
to it". One small label per page, laid over its parent widget under the
field; it hides when the user next types elsewhere or after MESSAGE_MS.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

#: Milliseconds a refusal stays next to its field.
MESSAGE_MS = 10_000
#: Widest the message grows before it wraps, in pixels.
MAX_WIDTH = 420


class FieldMessage(QLabel):
    """A yellow note with the reason, drawn over `parent` just under a field or cell."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("field_message")
        self.setAccessibleName("Refused input")
        self.setWordWrap(True)
        self.setMaximumWidth(MAX_WIDTH)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setStyleSheet(
            "QLabel { background: #FFF4C2; color: #5A3A00; border: 1px solid #C99A00;"
            " padding: 3px 6px; }"
        )
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)

    def show_under(self, widget: QWidget, rect: QRect | None, text: str) -> None:
        """Show `text` just under `rect` of `widget` (its whole area when None); returns nothing."""
        area = rect if rect is not None else widget.rect()
        self.setText(text)
        self.adjustSize()
        parent = self.parentWidget()
        corner = widget.mapTo(parent, area.bottomLeft() + QPoint(0, 2))
        x = max(0, min(corner.x(), parent.width() - self.width()))
        y = (
            corner.y()
            if corner.y() + self.height() <= parent.height()
            else (widget.mapTo(parent, area.topLeft()).y() - self.height() - 2)
        )
        self.move(x, max(0, y))
        self.raise_()
        self.show()
        self._timer.start(MESSAGE_MS)
