"""A double-read study in the main window (issue #7): the app asks who is reading, a reader
sees and edits their own read blind, signs it off, and the adjudicator compares and decides."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gui.dialogs.reader_dialog import ReaderDialog
from gui.settings import UiSettings
from model.double_reading.visibility import ViewerRole
from model.editing.edits import SetSettings
from model.store.study import Store
from tests.gui.grid_helpers import answer_next_dialog, response
from tests.model.double_reading.builders import FOLLOW_UP, double_read


@pytest.fixture
def double_read_path(tmp_path):
    path = tmp_path / "double.nadir"
    with Store.open(path) as store:
        store.import_study_data(double_read({"P1": ("PR", "SD"), "P2": ("SD", "SD")}))
        store.apply(SetSettings(replace(store.settings(), readers_required=2)))
    return path


def _open_as(qtbot, path, name: str, role: ViewerRole):
    from gui.app import build_main_window

    def fill(dialog: ReaderDialog) -> None:
        dialog.role.setCurrentIndex(list(ViewerRole).index(role))
        dialog.name.setCurrentText(name)

    # Polled until the dialog is up: building the window may outlast a fixed delay, and an
    # answer that finds no dialog would leave the one that opens after it unanswered.
    answer_next_dialog(ReaderDialog, fill)
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.session.viewer_role is role and window.session.viewer == name)
    window.show_patient("P1")
    return window


def test_a_reader_is_asked_remembered_and_sees_their_own_read(qtbot, double_read_path):
    """Issue #7: the app asks who reads; a reader sees their own read of the patient."""
    window = _open_as(qtbot, double_read_path, "B", ViewerRole.READER)
    assert response(window.patient_page, "Overall", FOLLOW_UP) == "SD"
    assert UiSettings().reading_as() == ("B", "reader")
    window.show_comparison_page()
    assert window.comparison_page.patients.rowCount() == 0


def test_a_reader_signs_off_the_current_scan(qtbot, double_read_path):
    """Issue #7: a read is complete when its reader signs it off."""
    window = _open_as(qtbot, double_read_path, "A", ViewerRole.READER)
    window.sign_off_read()
    (signed,) = window.session.store.read_signoffs()
    assert (signed.patient_id, signed.reader) == ("P1", "A")


def test_the_adjudicator_sees_the_read_that_counts_and_the_comparison(qtbot, double_read_path):
    """Issue #7: not adjudicated yet, the first reader's read counts; both reads compared."""
    window = _open_as(qtbot, double_read_path, "C", ViewerRole.ADJUDICATOR)
    assert response(window.patient_page, "Overall", FOLLOW_UP) == "PR"
    window.show_comparison_page()
    assert window.comparison_page.patients.rowCount() == 2
