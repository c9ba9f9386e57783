"""Typing into the measurement grid judges the time point at once, and undo takes it back.

Rules from the interchange spec, "How a time point is judged (RECIST 1.1)".
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import BASELINE, FOLLOW_UP
from tests.gui.grid_helpers import cell_text, go_to, response, type_into


def test_partial_response_when_sum_falls_to_70_percent_of_baseline(qtbot, window):
    """PR when sum <= 0.7 x baseline sum (interchange spec; RECIST 1.1 section 4.3.1)."""
    page = window.patient_page
    assert response(page, "Overall", FOLLOW_UP) == "NE"
    type_into(qtbot, page, "T1", FOLLOW_UP, "35")
    assert cell_text(page.grid, "T1", FOLLOW_UP) == "35"
    assert response(page, "Sum (mm)", FOLLOW_UP) == "35"
    assert response(page, "Change from baseline", FOLLOW_UP) == "-30.0 %"
    assert response(page, "Target", FOLLOW_UP) == "PR"
    assert response(page, "Overall", FOLLOW_UP) == "PR"


def test_progression_when_sum_grows_20_percent_and_5_mm_over_nadir(qtbot, window):
    """PD when sum >= 1.2 x nadir and sum - nadir >= 5 mm (RECIST 1.1 section 4.3.1)."""
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "60")
    assert response(page, "Overall", FOLLOW_UP) == "PD"
    assert "nadir" in page.response_view.model().index(
        page.response_model.rowCount() - 1, page.grid.currentIndex().column()
    ).data(Qt.ItemDataRole.ToolTipRole)


def test_undo_restores_the_previous_measurement_and_response(qtbot, window):
    """Undo applies the inverse edit (style practice 4): the cell and the answer come back."""
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "35")
    assert response(page, "Overall", FOLLOW_UP) == "PR"
    window.session.undo_stack.undo()
    assert cell_text(page.grid, "T1", FOLLOW_UP) == ""
    assert response(page, "Overall", FOLLOW_UP) == "NE"
    window.session.undo_stack.redo()
    assert response(page, "Overall", FOLLOW_UP) == "PR"


def test_undo_shortcut_from_the_keyboard(qtbot, window):
    """Ctrl+Z undoes the last edit (issue #4, keyboard shortcuts)."""
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "35")
    qtbot.keyClick(page.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert response(page, "Overall", FOLLOW_UP) == "NE"


def test_enter_moves_to_the_next_lesion_and_tab_to_the_next_scan(qtbot, window):
    """Enter stores the value and moves down (after the last lesion: to the next scan's first);
    Tab stores it and moves right (issue #4)."""
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "40")
    assert page.grid.currentIndex().row() == 1
    type_into(qtbot, page, "NT1", BASELINE, "Y")
    assert (page.grid.currentIndex().row(), page.grid.currentIndex().column()) == (0, 5)
    type_into(qtbot, page, "T1", BASELINE, "48", key=Qt.Key.Key_Tab)
    assert page.grid.currentIndex().column() == page.grid.model().columnCount() - 1
    assert cell_text(page.grid, "T1", BASELINE) == "48"


def test_status_letters_record_absent_target_and_progression(qtbot, window):
    """A typed A marks a target absent (0 mm); P marks unequivocal non-target progression.

    Target CR with a non-target still present gives PR; non-target PD gives PD
    (interchange spec, "Overall", RECIST 1.1 Table 1).
    """
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "A")
    assert cell_text(page.grid, "T1", FOLLOW_UP) == "absent"
    assert response(page, "Target", FOLLOW_UP) == "CR"
    type_into(qtbot, page, "NT1", FOLLOW_UP, "Y")
    assert response(page, "Overall", FOLLOW_UP) == "PR"
    type_into(qtbot, page, "NT1", FOLLOW_UP, "P")
    assert response(page, "Non-target", FOLLOW_UP) == "PD"
    assert response(page, "Overall", FOLLOW_UP) == "PD"


def test_text_that_is_not_a_size_is_refused_with_a_message(qtbot, window):
    """A value that does not fit its cell is not written, and the status bar says why."""
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "4x")
    assert cell_text(page.grid, "T1", FOLLOW_UP) == ""
    assert "Not saved" in window.statusBar().currentMessage()
    assert window.session.undo_stack.count() == 0


def test_delete_clears_a_cell(qtbot, window):
    """Delete removes the finding: the lesion is then not evaluated at that scan (spec)."""
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "35")
    go_to(page, "T1", FOLLOW_UP)
    qtbot.keyClick(page.grid, Qt.Key.Key_Delete)
    assert cell_text(page.grid, "T1", FOLLOW_UP) == ""
    assert response(page, "Overall", FOLLOW_UP) == "NE"


def test_paste_fills_cells_in_one_undo_step(qtbot, window):
    """Pasted tab-separated values are typed cell by cell; one undo takes them all back."""
    from PySide6.QtWidgets import QApplication

    page = window.patient_page
    QApplication.clipboard().setText("35\nY\n")
    go_to(page, "T1", FOLLOW_UP)
    qtbot.keyClick(page.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert cell_text(page.grid, "NT1", FOLLOW_UP) == "present"
    assert response(page, "Overall", FOLLOW_UP) == "PR"
    window.session.undo_stack.undo()
    assert cell_text(page.grid, "T1", FOLLOW_UP) == ""
    assert cell_text(page.grid, "NT1", FOLLOW_UP) == ""


def test_copy_gives_the_cells_as_typed(qtbot, window):
    """Ctrl+C puts the selected cells on the clipboard as a spreadsheet takes them."""
    from PySide6.QtWidgets import QApplication

    page = window.patient_page
    go_to(page, "T1", BASELINE)
    qtbot.keyClick(page.grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(page.grid, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "50\nY"
