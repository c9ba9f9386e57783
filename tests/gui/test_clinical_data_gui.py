"""A nurse declares ECOG and PD-L1, enters them and a grade 3 pneumonitis attributed to the ICI
by keyboard, and sees them in the cohort table and on the swimmer (issue 16)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton

from gui.dialogs.variables_dialog import VariablesDialog
from gui.item_models.row_table_model import RowObjectRole
from model.domain import EventRecord, Variable, VariableType
from model.editing.clinical import SetVariable
from model.editing.edits import AddEvent

ECOG = Variable("ecog", VariableType.CATEGORICAL, ("0", "1", "2"), "ECOG")


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    if isinstance(widget, QComboBox):
        # A drop-down takes letters typed within the keyboard interval as one search.
        qtbot.wait(QApplication.keyboardInputInterval() + 20)
    qtbot.keyClicks(widget, text)


def _declare(qtbot, dialog: VariablesDialog, name: str, kind: str, levels=(), unit="") -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, "variable_new"), Qt.MouseButton.LeftButton)
    _type(qtbot, dialog.name, name)
    _type(qtbot, dialog.type, kind[0])  # a drop-down chooses by the first letter typed
    for level in levels:
        _type(qtbot, dialog.new_level, level)
        qtbot.keyClick(dialog.new_level, Qt.Key.Key_Return)
    _type(qtbot, dialog.unit, unit)
    qtbot.mouseClick(dialog.findChild(QPushButton, "variable_apply"), Qt.MouseButton.LeftButton)


def _cohort_row(window, patient_id: str) -> dict[str, str]:
    window.show_cohort_page()
    view = window.cohort_page.patient_view
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data(RowObjectRole).patient_id == patient_id:
            return {
                str(model.headerData(c, Qt.Orientation.Horizontal)): model.index(row, c).data()
                for c in range(model.columnCount())
            }
    raise AssertionError(f"{patient_id} is not in the cohort table")


def test_a_nurse_declares_ecog_and_pdl1_and_enters_them_by_keyboard(qtbot, window):
    dialog = VariablesDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _declare(qtbot, dialog, "ecog", "categorical", ("0", "1", "2"))
    _declare(qtbot, dialog, "pdl1", "numeric", unit="%")
    assert window.session.store.declared_variables() == (
        Variable("ecog", VariableType.CATEGORICAL, ("0", "1", "2")),
        Variable("pdl1", VariableType.NUMERIC, unit="%"),
    )
    facts = window.patient_page.facts
    window.patient_page.tabs.setCurrentIndex(1)
    ecog = facts.findChild(QComboBox, "variable_ecog")
    _type(qtbot, ecog, "1")
    pdl1 = facts.findChild(QLineEdit, "variable_pdl1")
    _type(qtbot, pdl1, "50")
    qtbot.keyClick(pdl1, Qt.Key.Key_Return)
    assert window.session.store.patient("P01").extra == {"x_ecog": "1", "x_pdl1": "50"}
    row = _cohort_row(window, "P01")
    assert (row["ecog"], row["pdl1"]) == ("1", "50")
    window.session.undo_stack.undo()
    assert _cohort_row(window, "P01")["pdl1"] == ""


def test_a_value_outside_the_levels_cannot_be_typed_and_levels_reorder(qtbot, window):
    window.session.execute(SetVariable("ecog", ECOG), "Declare ECOG")
    dialog = VariablesDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.levels.setCurrentRow(2)
    qtbot.mouseClick(dialog.findChild(QPushButton, "level_up"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.findChild(QPushButton, "variable_apply"), Qt.MouseButton.LeftButton)
    assert window.session.store.declared_variables()[0].levels == ("0", "2", "1")
    ecog = window.patient_page.facts.findChild(QComboBox, "variable_ecog")
    assert [ecog.itemText(i) for i in range(ecog.count())] == ["", "0", "2", "1"]


def test_a_grade_3_pneumonitis_entered_by_keyboard_shows_in_the_cohort_and_on_the_swimmer(
    qtbot, window
):
    start = date(2024, 1, 2)
    window.session.execute(AddEvent(EventRecord("P01", "treatment", start, None, "pembrolizumab")),
                           "Add the ICI")  # fmt: skip
    panel = window.patient_page.facts.adverse_events
    window.patient_page.tabs.setCurrentIndex(1)
    _type(qtbot, panel.term, "Pneumonitis")
    _type(qtbot, panel.grade, "3")
    _type(qtbot, panel.onset, "2024-02-10")
    _type(qtbot, panel.attribution, "p")
    panel.serious.setFocus()
    qtbot.keyClick(panel.serious, Qt.Key.Key_Space)
    _type(qtbot, panel.category, "Respiratory")
    qtbot.keyClick(panel.category, Qt.Key.Key_Return)
    (stored,) = window.session.store.adverse_events("P01")
    record = stored.record
    assert (record.term, record.grade, record.start_date) == ("Pneumonitis", 3, date(2024, 2, 10))
    assert (record.attribution, record.serious, record.category) == (
        "pembrolizumab", True, "Respiratory")  # fmt: skip
    assert panel.model.index(0, 0).data() == "Pneumonitis" and panel.term.text() == ""
    assert _cohort_row(window, "P01")["Worst AE"] == "grade 3"
    lanes = {lane.patient_id: lane for lane in window.cohort_plots.swimmer.data.lanes}
    marks = [m.label for m in lanes["P01"].markers if m.kind == "adverse_event"]
    assert marks == ["Pneumonitis (grade 3)"]


def test_a_term_is_completed_from_the_study_and_an_unparsable_line_is_refused(qtbot, window):
    panel = window.patient_page.facts.adverse_events
    _type(qtbot, panel.term, "Fatigue")
    _type(qtbot, panel.onset, "2024-02-30")
    qtbot.keyClick(panel.onset, Qt.Key.Key_Return)
    assert window.session.store.adverse_events("P01") == ()
    assert "YYYY-MM-DD" in window.statusBar().currentMessage()
    panel.onset.setText("2024-02-03")
    qtbot.keyClick(panel.onset, Qt.Key.Key_Return)
    window.show_patient("P02")
    assert panel.term.completer().model().index(0, 0).data() == "Fatigue"


def _edit_cell(qtbot, view, row: int, column: int, text: str) -> None:
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.parent() is view.viewport()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(20)  # the delegate commits the typed text on a queued call


def test_a_surgery_outcome_is_typed_in_the_events_table_and_refused_on_another_event(qtbot, window):
    from gui.item_models.event_table_model import MARGIN_COLUMN, NECROSIS_COLUMN

    facts = window.patient_page.facts
    window.patient_page.tabs.setCurrentIndex(1)
    add = next(b for b in facts.findChildren(QPushButton) if b.text() == "&Add event")
    for kind in ("surgery", "treatment"):
        facts.kind.setCurrentText(kind)
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    _edit_cell(qtbot, facts.event_view, 0, MARGIN_COLUMN, "r1")
    _edit_cell(qtbot, facts.event_view, 0, NECROSIS_COLUMN, "35")
    surgery = window.session.store.events("P01")[0].record
    assert (surgery.kind, surgery.margin, surgery.necrosis_pct) == ("surgery", "R1", 35.0)
    _edit_cell(qtbot, facts.event_view, 1, MARGIN_COLUMN, "R0")
    assert window.session.store.events("P01")[1].record.margin is None
    assert "only a surgery event has margin" in window.statusBar().currentMessage()
