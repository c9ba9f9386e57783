"""The study settings dialog stores criteria, confirmation, minimum SD duration and origins.

Per-study choices travel in the study file and can be undone (style practice 10).
"""

from __future__ import annotations

from gui.dialogs.settings_dialog import StudySettingsDialog
from model.domain import Criteria
from model.settings import StudySettings, TimeOrigin
from tests.gui.grid_helpers import answer_next_dialog


def test_dialog_returns_what_was_chosen(qtbot):
    """Every field of the dialog maps to a StudySettings field."""
    dialog = StudySettingsDialog(StudySettings(), ["Arm A", "Arm B"], [""])
    qtbot.addWidget(dialog)
    dialog.criteria.setCurrentIndex(dialog.criteria.findText("iRECIST"))
    dialog.confirm.setChecked(True)
    dialog.min_sd_days.setValue(42)
    kind, detail = dialog.origins["Arm B"]
    kind.setCurrentText("procedure")
    detail.setText("dTACE")
    chosen = dialog.settings()
    assert chosen.criteria is Criteria.IRECIST
    assert chosen.confirm and chosen.min_sd_days == 42
    assert chosen.origins == (TimeOrigin("Arm B", "procedure", "dTACE"),)


def test_dialog_shows_the_current_settings(qtbot):
    """Opening the dialog on stored settings gives them back unchanged, those it does not show
    included."""
    current = StudySettings(
        criteria=Criteria.MRECIST,
        min_sd_days=30,
        origins=(TimeOrigin("Arm A", "treatment"),),
        readers_required=2,
    )
    dialog = StudySettingsDialog(current, ["Arm A"], [""])
    qtbot.addWidget(dialog)
    assert dialog.settings() == current


def test_changing_criteria_rejudges_the_patient_and_undo_restores(qtbot, window):
    """The patient page follows the study's criteria (interchange spec, --criteria)."""
    summary = window.patient_page.summary
    assert "RECIST 1.1" in summary.text()
    answer_next_dialog(
        StudySettingsDialog, lambda d: d.criteria.setCurrentIndex(d.criteria.findText("iRECIST"))
    )
    window.edit_settings()
    assert "iRECIST" in summary.text()
    assert window.session.settings().criteria is Criteria.IRECIST
    window.session.undo_stack.undo()
    assert "RECIST 1.1" in summary.text()
