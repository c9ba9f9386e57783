"""The double-reading screens (issue #7): who is reading, the two reads side by side with the
study's agreement, and the adjudicator's choice with its reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gui.dialogs.adjudication_dialog import AdjudicationDialog
from gui.dialogs.reader_dialog import ReaderDialog, ask_who_is_reading
from gui.pages.comparison_view import ComparisonPage, ComparisonView
from gui.session import StudySession
from model.domain import AssessmentSettings
from model.double_reading.comparison import compare_readers
from model.double_reading.visibility import ViewerRole
from model.editing.edits import SetAdjudication
from model.store.study import Store
from tests.model.double_reading.builders import FOLLOW_UP, double_read

READS = {"P1": ("PR", "SD"), "P2": ("PR", "PR"), "P3": ("SD", "PD")}


def _ok(dialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_a_reader_must_give_a_name_the_nurse_need_not(qtbot):
    """Issue #7: the app asks who is reading; a reader is known by name."""
    dialog = ReaderDialog(["A", "B", ""], name="", role=ViewerRole.READER)
    qtbot.addWidget(dialog)
    assert not _ok(dialog)
    qtbot.keyClicks(dialog.name.lineEdit(), "B")
    assert _ok(dialog) and dialog.chosen_name() == "B"
    dialog.name.setCurrentText("")
    dialog.role.setCurrentIndex(1)
    assert _ok(dialog) and dialog.chosen_role() is ViewerRole.NURSE


def test_the_comparison_shows_agreement_and_flags_disagreeing_patients(qtbot, qtmodeltester):
    """Issue #7: both reads side by side, disagreements flagged, kappa with its CI shown."""
    view = ComparisonView()
    qtbot.addWidget(view)
    view.show_comparison(compare_readers(double_read(READS), AssessmentSettings()))
    assert view.agreement.text().startswith(
        "Agreement on best overall response: 33.3 % (1 of 3 patients); Cohen's kappa"
    )
    model = view.patients
    assert model.headerData(1, Qt.Orientation.Horizontal) == "BOR A"
    assert [model.index(r, 1).data() for r in range(3)] == ["PR", "PR", "SD"]
    assert model.index(0, 7).data().startswith(f"overall response on {FOLLOW_UP}: A PR, B SD")
    assert model.index(1, 7).data() == ""
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    qtmodeltester.check(model)
    view.patient_table.selectRow(0)
    assert [view.timepoints.index(1, c).data() for c in range(5)] == [
        str(FOLLOW_UP),
        "30",
        "45",
        "PR",
        "SD",
    ]
    qtmodeltester.check(view.timepoints)
    with qtbot.waitSignal(view.adjudication_requested) as asked:
        qtbot.mouseClick(view.adjudicate, Qt.MouseButton.LeftButton)
    assert asked.args[0].patient_id == "P1"


def test_the_adjudication_dialog_needs_a_reason_and_gives_the_edit(qtbot):
    """Issue #7: the adjudicator picks one read, for the patient or a time point, with a reason."""
    (p1, *_) = compare_readers(double_read(READS), AssessmentSettings()).patients
    dialog = AdjudicationDialog(p1, adjudicator="C")
    qtbot.addWidget(dialog)
    assert not _ok(dialog)
    dialog.reader.setCurrentIndex(1)
    dialog.scope.setCurrentIndex(1)
    qtbot.keyClicks(dialog.reason, "B measured the right lesion")
    assert _ok(dialog)
    assert dialog.edit() == SetAdjudication(
        "P1", "B", "B measured the right lesion", scan_date=FOLLOW_UP, adjudicator="C"
    )


def _page(qtbot, role: ViewerRole) -> tuple[ComparisonPage, StudySession]:
    store = Store.in_memory()
    store.import_study_data(double_read(READS))
    session = StudySession(store)
    page = ComparisonPage(session)
    qtbot.addWidget(page)
    page.set_viewer("C", role)
    page.show()
    return page, session


def test_the_adjudicator_adjudicates_from_the_comparison_page_and_can_undo(qtbot):
    """Issue #7: the adjudicator's choice is an undoable edit, stored with its reason."""
    page, session = _page(qtbot, ViewerRole.ADJUDICATOR)
    page.patient_table.selectRow(0)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AdjudicationDialog)
        dialog.reader.setCurrentIndex(1)
        qtbot.keyClicks(dialog.reason, "B measured the right lesion")
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(page.adjudicate, Qt.MouseButton.LeftButton)
    (decided,) = session.store.adjudications()
    assert (decided.patient_id, decided.reader, decided.adjudicator) == ("P1", "B", "C")
    session.undo_stack.undo()
    assert session.store.adjudications() == ()


@pytest.mark.parametrize("role", [ViewerRole.READER, ViewerRole.NURSE])
def test_only_the_adjudicator_adjudicates_and_a_reader_sees_no_comparison(qtbot, role):
    """Issue #7: a reader reads blind; the nurse sees the comparison but does not decide."""
    page, _ = _page(qtbot, role)
    page.patient_table.selectRow(0)
    assert not page.adjudicate.isEnabled()
    assert (page.patients.rowCount() == 0) == (role is ViewerRole.READER)


def test_asking_who_is_reading_returns_the_answer(qtbot):
    """Issue #7: the answer is a name and a role; Cancel leaves it unanswered."""

    def answer(accept: bool) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReaderDialog)
        dialog.role.setCurrentIndex(2)
        dialog.accept() if accept else dialog.reject()

    QTimer.singleShot(0, lambda: answer(True))
    assert ask_who_is_reading(["A", "B"], "C") == ("C", ViewerRole.ADJUDICATOR)
    QTimer.singleShot(0, lambda: answer(False))
    assert ask_who_is_reading(["A", "B"], "C") is None
