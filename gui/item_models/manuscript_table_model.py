"""A manuscript table on screen (model/exports/manuscript/table.py): the label column, then
the data columns under their headers, each spanner's text before its columns' headers, a
level indented under its factor, so the page shows exactly what the .docx holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:
    # Only named: importing the exports package loads Word and Excel writers and pandas.
    from model.exports.manuscript import Row, Table


Index = QModelIndex | QPersistentModelIndex

#: Role returning the backing manuscript Row of a row.
RowObjectRole = Qt.ItemDataRole.UserRole + 1

_ROOT = QModelIndex()
#: Indent of a level under its factor, in spaces.
_INDENT = "    "


class ManuscriptTableModel(QAbstractTableModel):
    """Column 0 the label (stub), then one column per data column of the table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table: Table | None = None

    def set_table(self, table: Table | None) -> None:
        """Show `table` (None: nothing); returns nothing."""
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else 1 + len(self.table.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.table is None:
            return None
        row: Row = self.table.rows[index.row()]
        if role == RowObjectRole:
            return row
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _INDENT * row.indent + row.label if column == 0 else row.cells[column - 1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if self.table is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return None
        if section == 0:
            return self.table.stub
        spanner = next((text for text, first, last in self.table.span_ranges()
                        if first <= section - 1 <= last), "")  # fmt: skip
        name = self.table.columns[section - 1]
        return f"{spanner}\n{name}" if spanner else name
