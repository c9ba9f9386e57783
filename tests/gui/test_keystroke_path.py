"""The way of one keystroke stays short: the patient is read once and judged once, a double-read
study's whole comparison is not recomputed behind the user's back, and a paste is one
transaction and one undo step (shared/design.md, "Data flow of one edit"; issue 13, item 6).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import model.criteria.assessment as assessment
import model.double_reading.adjudication as adjudication
from gui.pages.comparison_view import ComparisonPage
from gui.pages.patient_page import PatientPage
from gui.session import StudySession
from model.domain import Status
from model.editing.edits import SetObservation, SetSettings
from model.store.study import Store
from tests.gui.conftest import FOLLOW_UP
from tests.gui.grid_helpers import cell_text, go_to, response, type_into
from tests.model.double_reading import builders


class Spy:
    """Wraps a function and records the arguments of each call."""

    def __init__(self, function):
        self.function, self.calls = function, []

    def __call__(self, *args, **kwargs):
        self.calls.append(args)
        return self.function(*args, **kwargs)


@pytest.fixture
def spies(window, monkeypatch):
    """Spy on the engine's one entry per patient and on the store's read of a patient, once
    the navigator has read every patient (it does so in the background, not per keystroke)."""
    while window.session.read_some(100):
        pass
    engine = Spy(assessment.assess_patient)
    monkeypatch.setattr(assessment, "assess_patient", engine)
    read = Spy(window.session.store.patient_data)
    monkeypatch.setattr(window.session.store, "patient_data", read)
    return engine, read


def test_a_keystroke_reads_the_patient_once_and_judges_it_once(qtbot, window, spies):
    engine, read = spies
    type_into(qtbot, window.patient_page, "T1", FOLLOW_UP, "35")
    assert response(window.patient_page, "Overall", FOLLOW_UP) == "PR"
    assert len(read.calls) == 1
    assert len(engine.calls) == 1


def test_a_keystroke_with_an_override_still_judges_once(qtbot, window, spies):
    from model.editing.edits import SetOverride

    window.session.execute(SetOverride("P01", FOLLOW_UP, "", "SD", "why"), "Override")
    engine, read = spies
    engine.calls.clear()
    read.calls.clear()
    type_into(qtbot, window.patient_page, "T1", FOLLOW_UP, "35")
    assert response(window.patient_page, "Overall", FOLLOW_UP) == "SD ✎"
    assert (len(read.calls), len(engine.calls)) == (1, 1)


def test_a_paste_is_one_transaction_and_one_undo_step(qtbot, window, monkeypatch):
    store = window.session.store
    single, grouped = Spy(store.apply), Spy(store.apply_all)
    monkeypatch.setattr(store, "apply", single)
    monkeypatch.setattr(store, "apply_all", grouped)
    page = window.patient_page
    before = window.session.undo_stack.count()
    assert page.grid_model.paste(go_to(page, "T1", FOLLOW_UP), "35\nY") == 2
    assert (len(single.calls), len(grouped.calls)) == (0, 1)
    assert window.session.undo_stack.count() == before + 1
    window.session.undo_stack.undo()
    assert cell_text(page.grid, "T1", FOLLOW_UP) == cell_text(page.grid, "NT1", FOLLOW_UP) == ""


def _double_read_session() -> StudySession:
    store = Store.in_memory()
    store.import_study_data(builders.double_read({"P1": ("PR", "SD"), "P2": ("PR", "PR")}))
    store.apply(SetSettings(replace(store.settings(), readers_required=2)))
    return StudySession(store)


def test_a_keystroke_in_a_double_read_study_leaves_the_study_comparison_alone(qtbot, monkeypatch):
    session = _double_read_session()
    comparison = ComparisonPage(session)
    page = PatientPage(session)
    for widget in (comparison, page):
        qtbot.addWidget(widget)
    page.show()
    page.show_patient("P1")
    compared = Spy(adjudication.compare_readers)
    monkeypatch.setattr(adjudication, "compare_readers", compared)
    monkeypatch.setattr("gui.pages.comparison_view.compare_readers", compared)
    edit = SetObservation("P1", "T1", builders.FOLLOW_UP, "A", Status.MEASURED, 31.0)
    session.execute(edit, "Set T1")
    whole_study = [args for args in compared.calls if len(args[0].patients) > 1]
    assert whole_study == []
    comparison.show()
    assert [len(args[0].patients) for args in compared.calls][-1] == 2
