"""The views of the reading panel: the measurement grid and the response rows aligned under it.

Typing in the grid: a number or a status letter (gui/item_models/cell_input.py)
opens the editor, Enter stores it and moves to the next lesion, Tab to the
next scan; Delete clears the cell. What a cell refuses (a typing slip, a size
the reader does not keep) leaves the cursor in the cell with the text typed
and the reason beside it (issue 15, item 1). Digits typed on a lesion's label,
site or role go nowhere: F2 or a double-click edits those.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
)

from gui.item_models.cell_input import KEY_HELP, KEY_TIP
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
from gui.item_models.response_table_model import (
    NON_TARGET_ROW,
    OVERALL_ROW,
    ROW_NAMES,
    ResponseTableModel,
)
from gui.layouts import ROW_HEIGHT
from gui.pages.typing_table import TypingTableView

#: Widths of the lesion columns in pixels, then of every scan column.
LESION_COLUMN_WIDTHS = {LABEL_COLUMN: 64, SITE_COLUMN: 104, NODE_COLUMN: 44, ROLE_COLUMN: 86}
SCAN_COLUMN_WIDTH = 84


class MeasurementGridView(TypingTableView):
    """The lesions x scans grid, made for typing from cell to cell."""

    def __init__(self, model: MeasurementTableModel, parent=None):
        super().__init__(parent)
        self.setObjectName("measurement_grid")
        self.setAccessibleName("Measurement grid: lesions by scans")
        self.setModel(model)
        self.watch_refusals(model)
        self.setItemDelegate(DiameterDelegate(self))
        self.setItemDelegateForColumn(ROLE_COLUMN, RoleDelegate(self))
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

    def focus_cell(self, lesion_id: str | None, scan: date | None) -> None:
        """Make the cell of `lesion_id` (else the first lesion) at `scan` (else the last scan)
        current, with the focus; never a label cell; returns nothing."""
        index = self.index_of((lesion_id, scan))
        if not index.isValid():
            return
        self.setFocus()
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def cell_key(self, index: QModelIndex) -> object:
        # By lesion and scan: a reset (a scan or lesion added, undo) would otherwise leave the
        # cursor on the first label, where digits meant for a scan rename T1 (issue 15, item 1).
        model, at = self.model(), index.column() - FIXED_COLUMNS
        scans = model.scan_dates()
        return model.lesion_at(index.row()).lesion_id, scans[at] if 0 <= at < len(scans) else None

    def index_of(self, key: object) -> QModelIndex:
        lesion_id, scan = key
        model = self.model()
        rows = [r for r in range(model.rowCount()) if model.lesion_at(r).lesion_id == lesion_id]
        scans = model.scan_dates()
        if not scans or not model.rowCount():
            return QModelIndex()
        column = FIXED_COLUMNS + (scans.index(scan) if scan in scans else len(scans) - 1)
        return model.index(rows[0] if rows else 0, column)

    def reopens(self, index: QModelIndex) -> bool:
        return index.column() >= FIXED_COLUMNS

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.model().paste(self.currentIndex(), QApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            indexes = self.selectionModel().selectedIndexes()
            QApplication.clipboard().setText(self.model().copy_text(indexes))
            return
        index = self.currentIndex()
        if self.state() != QAbstractItemView.State.EditingState:
            if index.column() >= FIXED_COLUMNS and self._clear_key(index, event):
                return
            if index.column() < FIXED_COLUMNS and self._typed_on_lesion(index, event):
                return
        super().keyPressEvent(event)

    def _typed_on_lesion(self, index: QModelIndex, event: QKeyEvent) -> bool:
        """Refuse text typed on a lesion column (F2 edits it); returns whether it was."""
        if not event.text().isprintable() or not event.text().strip():
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            return False
        self.show_refusal(
            index, "sizes go in a scan column (Tab moves there); F2 renames the lesion"
        )
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

    def after_commit(self, index: QModelIndex) -> None:
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
        # A stale override shows the rules' answer on a second line (issue 15, item 1).
        self.setRowHeight(
            OVERALL_ROW, 2 * ROW_HEIGHT - 6 if self.model().has_stale() else ROW_HEIGHT
        )
        self.setFixedHeight(self.verticalHeader().length() + 2 * self.frameWidth())
        for row in range(len(ROW_NAMES)):
            self.setSpan(row, 0, 1, FIXED_COLUMNS)
        for column in range(self.model().columnCount()):
            self.setColumnWidth(column, self._grid.columnWidth(column))
        self.horizontalScrollBar().setValue(self._grid.horizontalScrollBar().value())
