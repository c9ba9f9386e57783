"""The one undo command: applies an edit value through the session and keeps its inverse.

Edits and their inverses are plain values from model/edits.py (style practice
4). The edit is applied once before the command is pushed, so that an invalid
edit raises to the caller and never reaches the stack; the first redo() that
QUndoStack.push() calls therefore does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from model.edits import Edit

if TYPE_CHECKING:
    from gui.session import StudySession


class EditCommand(QUndoCommand):
    """Undoable application of one model edit; redo applies it, undo applies its inverse."""

    def __init__(self, session: StudySession, edit: Edit, inverse: Edit, text: str):
        super().__init__(text)
        self._session = session
        self._edit = edit
        self._inverse = inverse
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        self._inverse = self._session.apply_now(self._edit)
        self._applied = True

    def undo(self) -> None:
        # The inverse of the inverse restores exactly, UUIDs included (model/edits.py).
        self._edit = self._session.apply_now(self._inverse)
        self._applied = False
