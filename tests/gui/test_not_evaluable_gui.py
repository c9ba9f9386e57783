"""The cohort page lists a patient the rules refuse as not evaluable, with the reason, as
`report` and the exports do (issue 13, item 5; tests/model/test_not_evaluable.py)."""

from __future__ import annotations

from model.domain import Status
from model.editing.edits import SetObservation
from tests.gui.conftest import BASELINE


def test_cohort_page_lists_a_refused_patient_as_not_evaluable(qtbot, window):
    edit = SetObservation("P01", "T1", BASELINE, status=Status.ABSENT)
    window.session.execute(edit, "Mark T1 absent at baseline")
    window.show_cohort_page()
    table = window.cohort_page.patient_view.model()
    rows = {table.index(r, 0).data(): r for r in range(table.rowCount())}
    assert set(rows) == {"P01", "P02"}
    shown = [table.index(rows["P01"], c).data() for c in range(table.columnCount())]
    assert "not evaluable" in shown
    assert "P01 not evaluable" in window.cohort_page.notes.text()
    assert "baseline" in window.cohort_page.notes.text()
