"""A refused edit reaches the user the same way from every place: the status bar says
"Not saved" and why, nothing is written, nothing is pushed, nothing escapes the slot
(issue 13, item 5; shared/design.md, "One change signal").
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from model.errors import InputError
from tests.gui.conftest import FOLLOW_UP
from tests.gui.grid_helpers import cell_text, go_to, type_into

REFUSAL = "the study was changed by someone else"


@pytest.fixture
def refusing(window, monkeypatch):
    """Make the store refuse every edit from now on, as a read-only or changed study does."""

    def refuse(*_args, **_kwargs):
        raise InputError(REFUSAL)

    monkeypatch.setattr(window.session.store, "apply", refuse)
    monkeypatch.setattr(window.session.store, "apply_all", refuse)
    return window


def _says_refused(window) -> bool:
    message = window.statusBar().currentMessage()
    return message.startswith("Not saved") and REFUSAL in message


def test_removing_a_patient_the_store_refuses_is_reported(refusing, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    refusing.remove_patient()
    assert _says_refused(refusing)
    assert list(refusing.session.store.patient_ids()) == ["P01", "P02"]


def test_adding_an_event_the_store_refuses_is_reported(refusing):
    refusing.patient_page.facts.add_event()
    assert _says_refused(refusing)
    assert refusing.session.undo_stack.count() == 0


def test_removing_an_event_the_store_refuses_is_reported(window, monkeypatch):
    facts = window.patient_page.facts
    facts.add_event()
    facts.event_view.setCurrentIndex(facts.events.index(0, 0))

    def refuse(*_args, **_kwargs):
        raise InputError(REFUSAL)

    monkeypatch.setattr(window.session.store, "apply", refuse)
    facts.remove_event()
    assert _says_refused(window)
    assert window.session.undo_stack.count() == 1


def test_an_undo_the_store_refuses_is_reported_and_dropped(qtbot, window, monkeypatch):
    type_into(qtbot, window.patient_page, "T1", FOLLOW_UP, "35")

    def refuse(*_args, **_kwargs):
        raise InputError(REFUSAL)

    monkeypatch.setattr(window.session.store, "apply", refuse)
    window.session.undo_stack.undo()
    assert "Undo" in window.statusBar().currentMessage()
    assert REFUSAL in window.statusBar().currentMessage()
    assert cell_text(window.patient_page.grid, "T1", FOLLOW_UP) == "35"


def test_a_typed_value_the_store_refuses_is_reported_the_same_way(qtbot, refusing):
    type_into(qtbot, refusing.patient_page, "T1", FOLLOW_UP, "35")
    assert _says_refused(refusing)
    assert cell_text(refusing.patient_page.grid, "T1", FOLLOW_UP) == ""


def test_a_paste_the_store_refuses_writes_nothing_and_is_reported(qtbot, refusing):
    page = refusing.patient_page
    index = go_to(page, "T1", FOLLOW_UP)
    assert page.grid_model.paste(index, "35\nY") == 0
    assert _says_refused(refusing)
    assert refusing.session.undo_stack.count() == 0
