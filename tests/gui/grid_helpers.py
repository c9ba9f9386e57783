"""Reading and typing the patient page the way a user does: by headers and shown text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from gui.item_models.response_table_model import ROW_NAMES


def column_of(view: QTableView, scan: date) -> int:
    """Return the grid column whose header shows `scan`."""
    model = view.model()
    for column in range(model.columnCount()):
        header = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if header.startswith(scan.isoformat()):
            return column
    raise AssertionError(f"no column for {scan}")


def row_of(view: QTableView, label: str) -> int:
    """Return the row whose first cell shows `label`."""
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == label:
            return row
    raise AssertionError(f"no row {label!r}")


def cell_text(view: QTableView, label: str, scan: date) -> str:
    """Return the text shown in row `label` at the column of `scan`."""
    model = view.model()
    return str(model.index(row_of(view, label), column_of(view, scan)).data() or "")


def response(page, row_name: str, scan: date) -> str:
    """Return what the response row `row_name` shows at `scan` (lines joined)."""
    assert row_name in ROW_NAMES
    return cell_text(page.response_view, row_name, scan).replace("\n", "")


def go_to(page, lesion: str, scan: date):
    """Make the grid cell of `lesion` at `scan` current; returns its index."""
    grid = page.grid
    index = grid.model().index(row_of(grid, lesion), column_of(grid, scan))
    grid.setFocus()
    grid.setCurrentIndex(index)
    return index


def type_into(qtbot, page, lesion: str, scan: date, text: str, key=Qt.Key.Key_Return) -> None:
    """Type `text` into the cell of `lesion` at `scan` and press `key` (Enter by default).

    The first character opens the cell's editor, as it does for a user.
    """
    index = go_to(page, lesion, scan)
    qtbot.keyClicks(page.grid, text[:1])
    editor = page.grid.indexWidget(index)
    assert editor is not None, "typing did not open the cell's editor"
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, key)
    # The delegate commits an Enter on the next turn of the event loop; a refused text stays
    # in the cell's editor with the reason beside it (issue 15, item 1).
    qtbot.waitUntil(
        lambda: page.grid.indexWidget(index) is None or not page.grid.refusal.isHidden(),
        timeout=2000,
    )


def answer_next_dialog(dialog_type, fill, tries: int = 500) -> None:
    """When the next modal dialog of `dialog_type` opens, call `fill(dialog)` and accept it.

    Looks every 10 ms (at most `tries` times): a key that opens the dialog through a
    shortcut may let the event loop turn before the dialog shows.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def answer(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, dialog_type):
            assert left > 0, f"no {dialog_type.__name__} opened"
            QTimer.singleShot(10, lambda: answer(left - 1))
            return
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, lambda: answer(tries))
