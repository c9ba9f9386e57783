"""A reader's override of a time-point response: it needs a reason and is shown apart.

Design (shared/design.md, "Layers"): what a reader decides against the rules
is stored as data, with its reason; the computed answer stays visible.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gui.dialogs.override_dialog import OverrideDialog
from gui.item_models.response_table_model import OVERRIDE_MARK
from model.domain import Criteria
from tests.gui.conftest import FOLLOW_UP
from tests.gui.grid_helpers import column_of, response, row_of, type_into


def test_override_dialog_refuses_ok_until_a_reason_is_given(qtbot):
    """An override needs a reason (issue #4; model/editing/edits.py SetOverride)."""
    dialog = OverrideDialog(what="overall", computed="PR", criteria=Criteria.RECIST11)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.reason, "new liver lesion on MRI")
    assert ok.isEnabled()


def _answer_override_dialog(qtbot, code: str, reason: str) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, OverrideDialog)
        dialog.code.setCurrentText(code)
        qtbot.keyClicks(dialog.reason, reason)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, answer)


def test_override_replaces_the_overall_response_shown_in_italics_with_the_reason(qtbot, window):
    """The reader's answer is shown with a marker in italics; the tooltip keeps the computed one."""
    page = window.patient_page
    type_into(qtbot, page, "T1", FOLLOW_UP, "35")
    assert response(page, "Overall", FOLLOW_UP) == "PR"
    _answer_override_dialog(qtbot, "PD", "new lesion seen on PET")
    page.override_response(FOLLOW_UP)
    assert response(page, "Overall", FOLLOW_UP) == "PD" + OVERRIDE_MARK
    view = page.response_view
    index = view.model().index(row_of(view, "Overall"), column_of(page.grid, FOLLOW_UP))
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "new lesion seen on PET" in tooltip and "Computed: PR" in tooltip
    assert response(page, "Target", FOLLOW_UP) == "PR"
    assert "reader's PD (computed PR): new lesion seen on PET" in page.warnings.text()


def test_undo_removes_an_override(qtbot, window):
    """Undo of an override brings back the computed answer (style practice 4)."""
    page = window.patient_page
    _answer_override_dialog(qtbot, "SD", "target measured on a different phase")
    page.override_response(FOLLOW_UP)
    assert response(page, "Overall", FOLLOW_UP) == "SD" + OVERRIDE_MARK
    window.session.undo_stack.undo()
    assert response(page, "Overall", FOLLOW_UP) == "NE"


def test_an_override_counts_for_the_best_overall_response(qtbot, window):
    """The best overall response is taken over the decided answers
    (model/criteria/assessment.py).
    """
    window.show_patient("P02")
    page = window.patient_page
    assert "best overall response <b>SD</b>" in page.summary.text()
    _answer_override_dialog(qtbot, "PR", "second lesion fragment was counted twice")
    page.override_response(FOLLOW_UP)
    assert "best overall response <b>PR</b>" in page.summary.text()
    nav = window.navigator
    qtbot.keyClicks(nav.filter_box, "PR")
    assert nav.visible_patients() == ["P02"]
