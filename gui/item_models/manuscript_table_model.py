"""A manuscript table (model.exports.manuscript.Table) on screen: the same rows and columns the
Word, Excel and CSV files get, so that what a PI sees is what a journal gets (issue 18).

Column 0 is the row's label (indented by its level); the others are the table's columns,
headed by the spanner above them when there is one ("Arm A: Grade 3-4").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from gui.item_models.row_table_model import RowTableModel
from model.exports.manuscript import Row, Table

#: Spaces per indent level of a row label.
INDENT = "    "


class ManuscriptTableModel(RowTableModel):
    """Rows of one `Table`; `set_table` replaces it (None: empty)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table: Table | None = None
        self._headers: tuple[str, ...] = ()

    def set_table(self, table: Table | None) -> None:
        """Show `table`; returns nothing."""
        self.beginResetModel()
        self.table = table
        self._headers = () if table is None else _headers(table)
        self._rows = () if table is None else table.rows
        self.endResetModel()

    def columnCount(self, parent=None) -> int:
        return len(self._headers)

    def row_data(self, record: Row, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return INDENT * record.indent + record.label
            return record.cells[column - 1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


def _headers(table: Table) -> tuple[str, ...]:
    """The stub, then each column under its spanner's text."""
    above = [""] * len(table.columns)
    for text, first, last in table.span_ranges():
        for i in range(first, last + 1):
            above[i] = text
    columns = (f"{a}: {c}" if a else c for a, c in zip(above, table.columns, strict=True))
    return (table.stub, *columns)
