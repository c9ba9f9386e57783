"""A table typed into cell by cell, whose model may refuse what was typed.

The grid and the events table share it. When the model emits
`cell_refused(row, column, text, why)` the cursor stays in the cell, the
editor opens again with the text typed, and the reason shows beside the cell
(issue 15, item 1: "a cell that refuses input stays put with the message next
to it"). Enter stores and moves on (`after_commit`), as a spreadsheet does.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QTableView,
)

from gui.field_message import FieldMessage

#: Ways a cell's editor opens: typing, F2, a double-click.
TYPING_TRIGGERS = (
    QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
)


class TypingTableView(QTableView):
    """Cells opened by typing; a refused cell keeps the cursor, its text and says why."""

    def __init__(self, parent=None):
        super().__init__(parent)
        #: Why the last cell refused what was typed, shown beside the cell.
        self.refusal = FieldMessage(self)
        self._refused: tuple[int, int, str] | None = None
        self._cell_before_reset: object = None
        self.setEditTriggers(TYPING_TRIGGERS)

    def watch_refusals(self, model) -> None:
        """Show the refusals of `model` (its `cell_refused` signal) in place, and keep the
        cursor on its cell when the model resets (an edit re-read); returns nothing."""
        model.cell_refused.connect(self._on_cell_refused)
        model.modelAboutToBeReset.connect(self._remember_cell)
        model.modelReset.connect(self._restore_cell)

    def cell_key(self, index: QModelIndex) -> object:
        """Return what names the cell of `index` across a reset (by default its place)."""
        return index.row(), index.column()

    def index_of(self, key: object) -> QModelIndex:
        """Return the cell `key` names after a reset (invalid when it is gone)."""
        return self.model().index(*key)

    def _remember_cell(self) -> None:
        index = self.currentIndex()
        focused = QApplication.focusWidget()
        has_focus = focused is self or (focused is not None and self.isAncestorOf(focused))
        self._cell_before_reset = self.cell_key(index) if index.isValid() and has_focus else None

    def _restore_cell(self) -> None:
        remembered, self._cell_before_reset = self._cell_before_reset, None
        if remembered is not None and (index := self.index_of(remembered)).isValid():
            self.setCurrentIndex(index)

    def _on_cell_refused(self, row: int, column: int, text: str, why: str) -> None:
        index = self.model().index(row, column)
        if self.state() == QAbstractItemView.State.EditingState:
            # closeEditor, next, keeps the cursor in the cell and opens it again.
            self._refused = (row, column, text)
            QTimer.singleShot(0, lambda: self.show_refusal(self.currentIndex(), why))
            return
        self.setFocus()
        self.setCurrentIndex(index)
        if text and self.reopens(index):
            self._edit_again(index, text)
        self.show_refusal(index, why)

    def reopens(self, index: QModelIndex) -> bool:
        """Return whether a refused cell's editor opens again with the text typed."""
        return True

    def show_refusal(self, index: QModelIndex, why: str) -> None:
        """Show `why` beside the cell of `index`; returns nothing."""
        self.refusal.show_under(self.viewport(), self.visualRect(index), f"Not saved: {why}")

    def _edit_again(self, index: QModelIndex, text: str) -> None:
        self.edit(index)
        if isinstance(editor := self.indexWidget(index), QLineEdit):
            editor.setText(text)

    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current != previous:
            self.refusal.hide()
        super().currentChanged(current, previous)

    def closeEditor(self, editor, hint: QAbstractItemDelegate.EndEditHint) -> None:
        index = self.currentIndex()
        refused, self._refused = self._refused, None
        if refused is not None and refused[:2] == (index.row(), index.column()):
            # The cell refused the text: keep the cursor there, with the text to correct.
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._edit_again(index, refused[2])
            return
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.after_commit(index)

    def after_commit(self, index: QModelIndex) -> None:
        """Move on after Enter stored the cell of `index`; by default, stay; returns nothing."""
