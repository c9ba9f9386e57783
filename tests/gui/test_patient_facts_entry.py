"""The nurse's safety net on the Patient & events tab (issue 15, item 2): a refused fact or
event keeps the cursor and the text, with the reason beside it; events are typed by keyboard
like the grid.

The rules themselves (death before last contact, scans or surgery after death) are the
model's, the one checker an import uses (issue 14); this page only shows its refusal.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from model.errors import InputError


def _type_field(qtbot, facts, name: str, text: str) -> None:
    """Type `text` into the fact field `name` as a user does, and press Tab."""
    field = facts.fields[name]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.wait(20)


@pytest.fixture
def facts(window):
    window.patient_page.tabs.setCurrentIndex(1)
    return window.patient_page.facts


def test_death_before_last_contact_is_refused(qtbot, window, facts):
    _type_field(qtbot, facts, "last_contact_date", "2024-06-01")
    _type_field(qtbot, facts, "death_date", "2024-05-01")
    field = facts.fields["death_date"]
    qtbot.waitUntil(lambda: facts.refusal.isVisible(), timeout=2000)
    assert facts.refusal.text().startswith("Not saved: ")  # the model's reason follows
    assert field.text() == "2024-05-01"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=2000)
    assert window.session.store.patient("P01").death_date is None


def test_a_refused_fact_keeps_the_cursor_and_the_text_with_the_reason_beside_it(
    qtbot, window, facts
):
    field = facts.fields["death_date"]
    _type_field(qtbot, facts, "death_date", "2024-13-45")
    qtbot.waitUntil(lambda: facts.refusal.isVisible(), timeout=2000)
    assert "death date must be a date" in facts.refusal.text()
    assert field.text() == "2024-13-45"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=2000)
    assert window.session.undo_stack.count() == 0
    assert window.statusBar().currentMessage().startswith("Not saved")


def test_a_fact_the_store_refuses_stays_in_its_field(qtbot, window, facts, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise InputError("death 2024-05-01 is before the last contact 2024-06-01")

    monkeypatch.setattr(window.session.store, "apply", refuse)
    _type_field(qtbot, facts, "death_date", "2024-05-01")
    qtbot.waitUntil(lambda: facts.refusal.isVisible(), timeout=2000)
    assert "before the last contact" in facts.refusal.text()
    assert facts.fields["death_date"].text() == "2024-05-01"


def test_events_are_typed_by_keyboard_like_the_grid(qtbot, window, facts):
    view, events = facts.event_view, facts.events
    button = next(b for b in facts.findChildren(QPushButton) if b.objectName() == "add_event")
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert events.rowCount() == 1
    assert view.hasFocus() and view.currentIndex().column() == 1  # the new event's start
    for text in ("2024-02-01", "2024-03-01", "doxorubicin"):
        index = view.currentIndex()
        qtbot.keyClicks(view, text[:1])
        editor = view.indexWidget(index)
        assert editor is not None, "typing did not open the cell"
        qtbot.keyClicks(editor, text[1:])
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda index=index: view.indexWidget(index) is None, timeout=2000)
    event = window.session.store.events("P01")[0].record
    assert (event.start_date, event.end_date, event.detail) == (
        date(2024, 2, 1),
        date(2024, 3, 1),
        "doxorubicin",
    )
    qtbot.keyClick(view, Qt.Key.Key_Space)  # a Space in the table adds no second event
    qtbot.wait(20)
    assert events.rowCount() == 1


def test_a_refused_event_date_stays_in_its_cell_with_the_reason(qtbot, window, facts):
    facts.add_event()
    view = facts.event_view
    index = view.currentIndex().siblingAtColumn(2)
    view.setCurrentIndex(index)
    qtbot.keyClicks(view, "2")
    qtbot.keyClicks(view.indexWidget(index), "024-99-01")
    qtbot.keyClick(view.indexWidget(index), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.refusal.isVisible(), timeout=2000)
    assert "end date must be a date" in view.refusal.text()
    assert view.currentIndex() == index
    assert view.indexWidget(index).text() == "2024-99-01"
