"""The double-reading screens (issue #7): who is reading, the two reads side by side with the
study's agreement, and the adjudicator's choice with its reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from gui.adjudication_dialog import AdjudicationDialog
from gui.comparison_view import ComparisonView
from gui.reader_dialog import ReaderDialog
from model.domain import AssessmentSettings
from model.edits import SetAdjudication
from model.readers import ViewerRole
from model.reading_comparison import compare_readers
from tests.model.double_read import FOLLOW_UP, double_read

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
