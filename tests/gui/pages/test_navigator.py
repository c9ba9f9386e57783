"""The navigator's filter keeps patients by id, arm or best response, and the cohort follows."""

from __future__ import annotations

from tests.gui.conftest import FOLLOW_UP
from tests.gui.grid_helpers import type_into


def test_filter_by_arm_id_and_best_response(qtbot, window):
    """Every word typed must match the patient's id, arm or best response (issue #4)."""
    nav = window.navigator
    type_into(qtbot, window.patient_page, "T1", FOLLOW_UP, "30")
    qtbot.keyClicks(nav.filter_box, "arm b")
    assert nav.visible_patients() == ["P02"]
    nav.filter_box.clear()
    qtbot.keyClicks(nav.filter_box, "PR")
    assert nav.visible_patients() == ["P01"]
    nav.filter_box.clear()
    assert nav.visible_patients() == ["P01", "P02"]


def test_cohort_page_shows_the_patients_the_filter_keeps(qtbot, window):
    """The cohort tables and plots are drawn for the filtered patients only."""
    qtbot.keyClicks(window.navigator.filter_box, "P02")
    window.show_cohort_page()
    table = window.cohort_page.patient_view.model()
    assert [table.index(r, 0).data() for r in range(table.rowCount())] == ["P02"]


def test_next_patient_shortcut_walks_the_navigator(qtbot, window):
    """Ctrl+PgDown opens the next patient (issue #4, shortcuts)."""
    window.step_patient(1)
    assert window.patient_page.patient_id() == "P02"
    window.step_patient(1)
    assert window.patient_page.patient_id() == "P02"
