"""The views of the reading panel: the measurement grid and the response rows aligned under it.

Typing in the grid: a number opens the editor, Enter stores it and moves to
the next lesion, Tab to the next scan; a status letter (gui/item_models/cell_input.py)
is stored at once and moves down; Delete clears the cell.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
)

from gui.item_models.cell_input import KEY_HELP, KEY_TIP, STATUS_KEYS
from gui.item_models.measurement_table_model import (
    FIXED_COLUMNS,
    LABEL_COLUMN,
    NODE_COLUMN,
    ROLE_COLUMN,
    SITE_COLUMN,
    DiameterDelegate,
    MeasurementTableModel,
    RoleDelegate,
)
from gui.item_models.response_table_model import NON_TARGET_ROW, ROW_NAMES, ResponseTableModel
from gui.layouts import ROW_HEIGHT

#: Widths of the lesion columns in pixels, then of every scan column.
LESION_COLUMN_WIDTHS = {LABEL_COLUMN: 64, SITE_COLUMN: 104, NODE_COLUMN: 44, ROLE_COLUMN: 86}
SCAN_COLUMN_WIDTH = 84


class MeasurementGridView(QTableView):
    """The lesions x scans grid, made for typing from cell to cell."""

    def __init__(self, model: MeasurementTableModel, parent=None):
        super().__init__(parent)
        self.setObjectName("measurement_grid")
        self.setModel(model)
        self.setItemDelegate(DiameterDelegate(self))
        self.setItemDelegateForColumn(ROLE_COLUMN, RoleDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setStatusTip(KEY_TIP)
        self.setWhatsThis(KEY_HELP)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.horizontalHeader().setHighlightSections(True)
        model.modelReset.connect(self.apply_column_widths)
        model.modelReset.connect(self.fit_height)

    def fit_height(self) -> None:
        """Make the grid no taller than its rows, so the responses sit right under it."""
        rows = self.verticalHeader().length() + self.horizontalHeader().sizeHint().height()
        scroll = self.horizontalScrollBar().sizeHint().height()
        self.setMaximumHeight(rows + scroll + 2 * self.frameWidth() + 2)

    def apply_column_widths(self) -> None:
        """Size the columns for a 1366 x 768 screen; returns nothing."""
        for column in range(self.model().columnCount()):
            width = LESION_COLUMN_WIDTHS.get(column, SCAN_COLUMN_WIDTH)
            self.setColumnWidth(column, width)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.model().paste(self.currentIndex(), QApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            indexes = self.selectionModel().selectedIndexes()
            QApplication.clipboard().setText(self.model().copy_text(indexes))
            return
        index = self.currentIndex()
        if self.state() != QAbstractItemView.State.EditingState and index.column() >= FIXED_COLUMNS:
            if self._status_key(index, event) or self._clear_key(index, event):
                return
        super().keyPressEvent(event)

    def _status_key(self, index: QModelIndex, event: QKeyEvent) -> bool:
        lesion = self.model().lesion_at(index.row())
        letter = event.text().upper()
        if (
            event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
            or letter not in STATUS_KEYS[lesion.role]
        ):
            return False
        if self.model().setData(index, letter):
            self.move_down(index)
        return True

    def _clear_key(self, index: QModelIndex, event: QKeyEvent) -> bool:
        if event.key() not in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            return False
        self.model().setData(index, "")
        return True

    def move_down(self, index: QModelIndex) -> None:
        """Make the cell below `index` current; after the last lesion, the next scan's first."""
        below = self.model().index(index.row() + 1, index.column())
        if not below.isValid():
            below = self.model().index(0, index.column() + 1)
        self.setCurrentIndex(below if below.isValid() else index)

    def closeEditor(self, editor, hint: QAbstractItemDelegate.EndEditHint) -> None:
        index = self.currentIndex()
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_down(index)


class ResponseView(QTableView):
    """The response rows, column for column under the grid, scrolling with it."""

    def __init__(self, model: ResponseTableModel, grid: MeasurementGridView, parent=None):
        super().__init__(parent)
        self.setObjectName("response_rows")
        self.setModel(model)
        self._grid = grid
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        # NON-CR/NON-PD is shown on two lines of a taller row.
        self.setRowHeight(NON_TARGET_ROW, 2 * ROW_HEIGHT - 6)
        self.setStatusTip("Responses per scan; hover for the reason, Ctrl+R overrides the overall.")
        self.setFixedHeight(self.verticalHeader().length() + 2 * self.frameWidth())
        grid.horizontalHeader().sectionResized.connect(self._on_grid_section_resized)
        grid.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)
        model.modelReset.connect(self._on_model_reset)

    def _on_grid_section_resized(self, column: int, _old: int, new: int) -> None:
        self.setColumnWidth(column, new)

    def _on_model_reset(self) -> None:
        self.clearSpans()
        self.setRowHeight(NON_TARGET_ROW, 2 * ROW_HEIGHT - 6)
        for row in range(len(ROW_NAMES)):
            self.setSpan(row, 0, 1, FIXED_COLUMNS)
        for column in range(self.model().columnCount()):
            self.setColumnWidth(column, self._grid.columnWidth(column))
        self.horizontalScrollBar().setValue(self._grid.horizontalScrollBar().value())
