"""The one undo command: applies an edit value (or a tuple of them, written in one
transaction: a paste) through the session and keeps its inverse.

Edits and their inverses are plain values from model/editing/edits.py (style practice
4). The edit is applied once before the command is pushed, so that an invalid
edit raises to the caller and never reaches the stack; the first redo() that
QUndoStack.push() calls therefore does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from model.editing.edits import Edit
from model.errors import InputError

if TYPE_CHECKING:
    from gui.session import StudySession


class EditCommand(QUndoCommand):
    """Undoable application of one model edit; redo applies it, undo applies its inverse."""

    def __init__(
        self,
        session: StudySession,
        edit: Edit | tuple[Edit, ...],
        inverse: Edit | tuple[Edit, ...],
        text: str,
    ):
        super().__init__(text)
        self._session = session
        self._edit = edit
        self._inverse = inverse
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        try:
            self._inverse = self._session.apply_now(self._edit)
        except InputError as error:
            self._refused("Redo", error)
            return
        self._applied = True

    def undo(self) -> None:
        try:
            # The inverse of the inverse restores exactly, UUIDs included (model/editing/edits.py).
            self._edit = self._session.apply_now(self._inverse)
        except InputError as error:
            self._refused("Undo", error)
            return
        self._applied = False

    def _refused(self, what: str, error: InputError) -> None:
        # The study no longer takes the step (changed by someone else, read-only): the
        # stack drops it rather than stepping over it (QUndoCommand.setObsolete).
        self.setObsolete(True)
        self._session.refuse(f"{what} of {self.text()!r} refused: {error}")
