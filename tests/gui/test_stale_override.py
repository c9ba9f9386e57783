"""An override stays in force after the measurements under it change, but is marked stale
with the rules' answer beside it, in the response row, the navigator and the cohort, until
the reader confirms or clears it (issue 15, item 1)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.dialogs.override_dialog import OverrideDialog
from tests.gui.conftest import FOLLOW_UP
from tests.gui.grid_helpers import answer_next_dialog, go_to, response, type_into

CTRL = Qt.KeyboardModifier.ControlModifier


def _navigator_text(window, patient_id: str) -> str:
    model = window.navigator.model
    return str(model.index_of(patient_id).data())


def _cohort_best(window, patient_id: str) -> str:
    window.show_cohort_page()
    table = window.cohort_page.patient_model
    for row in range(table.rowCount()):
        if table.index(row, 0).data() == patient_id:
            return str(table.index(row, 3).data())
    raise AssertionError(patient_id)


def _override(qtbot, window, code: str, reason: str = "") -> None:
    def fill(dialog: OverrideDialog) -> None:
        dialog.code.setCurrentText(code)
        if reason:
            dialog.reason.setPlainText(reason)

    page = window.patient_page
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    go_to(page, "T1", FOLLOW_UP)
    answer_next_dialog(OverrideDialog, fill)
    qtbot.keyClick(page.grid, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=2000)


def test_a_stale_override_is_marked_everywhere_until_confirmed(qtbot, window):
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "45")
    type_into(qtbot, page, "NT1", FOLLOW_UP, "Y")
    assert response(page, "Overall", FOLLOW_UP) == "SD"
    _override(qtbot, window, "PR", "shrinking on MRI")
    assert response(page, "Overall", FOLLOW_UP) == "PR ✎"

    type_into(qtbot, page, "T1", FOLLOW_UP, "70")  # the rules now say PD under the override
    assert response(page, "Overall", FOLLOW_UP) == "PR ✎⚠rules: PD"
    assert "stale" in page.warnings.text()
    assert "⚠" in _navigator_text(window, "P01")
    assert "⚠" in _cohort_best(window, "P01")

    window.show_patient("P01")
    _override(qtbot, window, "PR")  # Ctrl+R, OK: the reader confirms it
    assert response(page, "Overall", FOLLOW_UP) == "PR ✎"
    assert "⚠" not in _navigator_text(window, "P01")
    assert "⚠" not in _cohort_best(window, "P01")


def test_the_target_cell_explains_the_target_and_an_empty_scan_says_nothing_of_new_lesions(
    qtbot, window
):
    page = window.patient_page
    assert response(page, "New lesions", FOLLOW_UP) == ""  # nothing read there yet
    type_into(qtbot, page, "T1", FOLLOW_UP, "35")
    assert response(page, "New lesions", FOLLOW_UP) == "no"
    model = page.response_view.model()
    from tests.gui.grid_helpers import column_of, row_of

    tip = model.index(row_of(page.response_view, "Target"), column_of(page.grid, FOLLOW_UP)).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert tip.startswith("Target: PR.")


def test_the_headers_best_change_names_its_scan_and_that_an_unconfirmed_cr_did_not_count(
    qtbot, window
):
    """With confirmation on, an unconfirmed CR counts as SD (RECIST 1.1, 4.4.1); the header's
    best % change (interchange spec: over the response window) says whose scan it is."""
    from dataclasses import replace

    from model.editing.edits import SetSettings

    settings = window.session.settings()
    window.session.execute(SetSettings(replace(settings, confirm=True)), "Confirm CR and PR")
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "A")
    type_into(qtbot, page, "NT1", FOLLOW_UP, "A")
    assert response(page, "Overall", FOLLOW_UP) == "CR"
    header = page.summary.text()
    assert "best overall response <b>SD</b>" in header
    assert f"deepest change -100.0 % on {FOLLOW_UP} (answered CR there)" in header
