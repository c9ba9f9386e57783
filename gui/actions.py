"""Making menu actions: every QAction gets its shortcut, status tip and tooltip in one call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

#: What a shortcut may be given as.
Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


def add_action(
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    shortcut: Shortcut,
    tip: str,
    parent: QObject | None = None,
) -> QAction:
    """Return a new action in `menu` that calls `slot`; the tip shows in the status bar."""
    action = QAction(text, parent or menu)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action
