"""The response rows show the model's assessment, overrides counted by the model; the GUI
re-derives nothing (issue 13, item 5; shared/design.md, "Layers")."""

from __future__ import annotations

from model.editing.edits import SetOverride
from tests.gui.conftest import BASELINE
from tests.gui.grid_helpers import response


def test_an_override_the_assessment_does_not_count_is_not_shown_as_counted(qtbot, window):
    """model/criteria/assessment.py lays overrides over the later time points only."""
    window.session.execute(SetOverride("P01", BASELINE, "", "NE", "motion artefact"), "Override")
    page = window.patient_page
    view = window.session.patient_view("P01")
    assert response(page, "Overall", BASELINE) == (view.assessment.timepoints[0].overall or "")
