"""The patient page: adding scans and lesions, baseline warnings, and the patient's facts.

Rules from the interchange spec, "How a time point is judged (RECIST 1.1)".
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from gui.dialogs.add_dialogs import AddLesionDialog, AddScanDialog
from model.domain import Role
from tests.gui.conftest import BASELINE, FOLLOW_UP
from tests.gui.grid_helpers import (
    answer_next_dialog,
    column_of,
    response,
    row_of,
    type_into,
)

NEXT = date(2024, 5, 1)


def _add_scan(page, when: date) -> None:
    answer_next_dialog(
        AddScanDialog, lambda d: d.date.setDate(QDate(when.year, when.month, when.day))
    )
    page.add_scan()


def test_added_scan_is_a_new_column_not_evaluated_until_read(qtbot, window):
    """A lesion without a row at a later scan is not evaluated there: NE (interchange spec)."""
    page = window.patient_page
    _add_scan(page, NEXT)
    assert column_of(page.grid, NEXT) == page.grid.model().columnCount() - 1
    assert response(page, "Overall", NEXT) == "NE"
    type_into(qtbot, page, "T1", NEXT, "20")
    assert response(page, "Target", NEXT) == "PR"


def test_new_lesion_present_after_baseline_is_progression(qtbot, window):
    """New lesions: a `new` row `present` makes the time point PD (interchange spec, Overall)."""
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "45")
    type_into(qtbot, page, "NT1", FOLLOW_UP, "Y")
    assert response(page, "Overall", FOLLOW_UP) == "SD"

    def fill(dialog: AddLesionDialog) -> None:
        assert dialog.label.text() == "N1"
        dialog.site.setText("liver")

    answer_next_dialog(AddLesionDialog, fill)
    page.add_lesion(Role.NEW)
    assert row_of(page.grid, "N1") == 2
    type_into(qtbot, page, "N1", FOLLOW_UP, "Y")
    assert response(page, "New lesions", FOLLOW_UP) == "yes"
    assert response(page, "Overall", FOLLOW_UP) == "PD"


def test_baseline_target_below_measurable_size_is_warned(qtbot, window):
    """A target below 10 mm at baseline is a warning (interchange spec, Baseline)."""
    page = window.patient_page
    assert page.warnings.isHidden()
    type_into(qtbot, page, "T1", BASELINE, "8")
    assert not page.warnings.isHidden()
    assert "T1" in page.warnings.text()


def test_broken_baseline_is_shown_instead_of_answers(qtbot, window):
    """A baseline target that is not measured is an error (interchange spec, Baseline)."""
    page = window.patient_page
    type_into(qtbot, page, "T1", BASELINE, "A")
    assert not page.warnings.isHidden()
    assert response(page, "Overall", FOLLOW_UP) == ""
    window.session.undo_stack.undo()
    assert page.warnings.isHidden()


def test_editing_the_arm_moves_the_patient_in_the_navigator_and_undo_moves_back(qtbot, window):
    """Facts are saved when the field is left, one undoable edit each (issue #4)."""
    page = window.patient_page
    arm = page.facts.fields["arm"]
    arm.setText("Arm B")
    arm.editingFinished.emit()
    assert window.navigator.model.index(0, 0).data() == "Arm B (2)"
    window.session.undo_stack.undo()
    assert arm.text() == "Arm A"
    assert window.navigator.model.index(0, 0).data() == "Arm A (1)"


def test_renaming_a_patient_keeps_their_page_open(qtbot, window):
    """A new patient id is followed by the page and the navigator."""
    field = window.patient_page.facts.fields["patient_id"]
    field.setText("P01-renamed")
    field.editingFinished.emit()
    assert window.patient_page.patient_id() == "P01-renamed"
    assert window.navigator.current_patient() == "P01-renamed"


def test_a_bad_date_is_refused_and_kept_in_the_field_to_correct(qtbot, window):
    """A value that does not fit is not written; the field keeps it to be corrected, and the
    status bar says why (issue 15, item 1); showing the patient again restores the field."""
    field = window.patient_page.facts.fields["death_date"]
    field.setText("2024-02-30")
    field.editingFinished.emit()
    assert field.text() == "2024-02-30"
    assert window.session.store.patient("P01").death_date is None
    assert "YYYY-MM-DD" in window.statusBar().currentMessage()
    window.show_patient("P02")
    window.show_patient("P01")
    assert field.text() == ""


def test_a_new_patient_is_listed_and_read_from_baseline_on(qtbot, window):
    """A patient added from the Patient menu gets a page: scan, lesion, baseline, follow-up."""
    from gui.dialogs.add_dialogs import AddPatientDialog

    def fill(dialog: AddPatientDialog) -> None:
        dialog.patient_id.setText("P03")
        dialog.arm.setCurrentText("Arm C")

    answer_next_dialog(AddPatientDialog, fill)
    window.add_patient()
    assert window.navigator.current_patient() == "P03"
    page = window.patient_page
    _add_scan(page, BASELINE)
    _add_scan(page, FOLLOW_UP)
    answer_next_dialog(AddLesionDialog, lambda dialog: None)
    page.add_lesion(Role.TARGET)
    type_into(qtbot, page, "T1", BASELINE, "40")
    type_into(qtbot, page, "T1", FOLLOW_UP, "52")
    assert response(page, "Overall", FOLLOW_UP) == "PD"
    assert "P03" in window.navigator.visible_patients()
