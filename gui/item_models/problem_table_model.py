"""A list of input problems (file, line, column, value, message) as a table."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.item_models.row_table_model import RowTableModel
from model.errors import InputProblem


class ProblemTableModel(RowTableModel):
    """Every problem found in an import, one per row (rows are InputProblem values)."""

    #: Columns, in the order an error message names them.
    HEADERS = ("File", "Line", "Column", "Value", "Problem")

    def row_data(self, problem: InputProblem, column: int, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (problem.file, problem.line, problem.column, problem.value, problem.message)
            return "" if values[column] is None else str(values[column])
        return None
