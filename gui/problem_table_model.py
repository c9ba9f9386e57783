"""A list of input problems (file, line, column, value, message) as a table."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from model.errors import InputProblem

Index = QModelIndex | QPersistentModelIndex

#: Columns, in the order an error message names them.
HEADERS = ("File", "Line", "Column", "Value", "Problem")
#: Role returning the row's InputProblem.
RowObjectRole = Qt.ItemDataRole.UserRole + 1

_ROOT = QModelIndex()


class ProblemTableModel(QAbstractTableModel):
    """Every problem found in an import, one per row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._problems: tuple[InputProblem, ...] = ()

    def set_problems(self, problems) -> None:
        """Show `problems`; returns nothing."""
        self.beginResetModel()
        self._problems = tuple(problems)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        problem = self._problems[index.row()]
        if role == RowObjectRole:
            return problem
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (problem.file, problem.line, problem.column, problem.value, problem.message)
            value = values[index.column()]
            return "" if value is None else str(value)
        return None
