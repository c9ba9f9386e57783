"""The base of the tables that show a list of plain records, one per row, under fixed headers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

#: Role returning the row's backing record (a dataclass of model/).
RowObjectRole = Qt.ItemDataRole.UserRole + 1
#: Role returning a comparable value for a QSortFilterProxyModel.
SortRole = Qt.ItemDataRole.UserRole + 2

_ROOT = QModelIndex()


class RowTableModel(QAbstractTableModel):
    """Rows are records set with `set_rows()`; subclasses name `HEADERS` and answer `row_data()`."""

    #: Column titles, left to right.
    HEADERS: tuple[str, ...] = ()
    #: True when every cell may be edited (the subclass then answers setData).
    EDITABLE = False

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: tuple[Any, ...] = ()

    def set_rows(self, rows: Iterable[Any]) -> None:
        """Show `rows`, one per table row; returns nothing."""
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """Return the record shown in `row`."""
        return self._rows[row]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self.row_at(index.row())
        if role == RowObjectRole:
            return record
        return self.row_data(record, index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if self.EDITABLE else flags

    def row_data(self, record: Any, column: int, role: int) -> Any:
        """Return what `record` shows in `column` for `role`; None for nothing."""
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
