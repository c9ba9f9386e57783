"""Adjudication of a double-read study (issue #7, part 3): the adjudicator's choice is stored
with a reason and undone exactly, and the cohort statistics use the adjudicated read."""

from __future__ import annotations

from dataclasses import replace

import pytest

from model.analysis import analyse, analyse_as
from model.double_reading.adjudication import shown_reader
from model.double_reading.visibility import ViewerRole
from model.editing.edits import RemovePatient, SetAdjudication, SetSettings
from model.errors import InputError
from model.settings import StudySettings
from model.stats.response_rates import response_rates
from model.store.study import Store
from tests.model.double_reading.builders import FOLLOW_UP, double_read

#: (A's BOR, B's BOR) by RECIST 1.1.
READS = {"P1": ("PR", "SD"), "P2": ("PR", "PR"), "P3": ("SD", "SD"), "P4": ("SD", "PR")}


def _double_read_store() -> Store:
    store = Store.in_memory()
    store.import_study_data(double_read(READS))
    store.apply(SetSettings(replace(store.settings(), readers_required=2)))
    return store


def _orr(store: Store) -> tuple[int, int]:
    """Returns the cohort's ORR as (responders, patients), as the report computes it."""
    analysis = analyse(
        store.study_data(), store.settings(), store.overrides(), store.adjudications()
    )
    (arm,) = response_rates(analysis.best_responses_by_arm()).arms
    return arm.orr.k, arm.orr.n


def test_adjudication_changes_the_cohort_orr_as_expected():
    """Issue #7: the adjudicated read is the one the cohort's ORR counts."""
    store = _double_read_store()
    assert _orr(store) == (2, 4)  # A's reads, pending adjudication: PR, PR, SD, SD
    store.apply(SetAdjudication("P1", "B", "B measured the right lesion", adjudicator="C"))
    assert _orr(store) == (1, 4)
    store.apply(SetAdjudication("P4", "B", "A missed the shrinkage"))
    assert _orr(store) == (2, 4)


def test_which_read_counts_is_shown_with_its_reason():
    """Issue #7: adjudicated, agreeing and pending patients each say whose read is used."""
    store = _double_read_store()
    store.apply(SetAdjudication("P1", "B", "B measured the right lesion", adjudicator="C"))
    analysis = analyse(store.study_data(), store.settings(), (), store.adjudications())
    texts = {r.patient_id: (r.reader, r.adjudicated, r.text) for r in analysis.reads}
    assert texts["P1"] == ("B", True, "B's read, adjudicated by C: B measured the right lesion")
    assert texts["P2"] == ("A", True, "A's read: the readers agree")
    assert texts["P4"][:2] == ("A", False)
    assert texts["P4"][2].startswith("not adjudicated: A and B disagree")
    warnings = {a.patient_id: a.warnings for a in analysis.assessments}
    assert warnings["P4"] == (texts["P4"][2],) and warnings["P1"] == ()


def test_a_time_point_adjudication_takes_that_readers_response_there():
    """Issue #7: adjudicating one time point puts the chosen reader's overall response there,
    and best overall response follows."""
    store = _double_read_store()
    store.apply(SetAdjudication("P1", "B", "B's follow-up is right", scan_date=FOLLOW_UP))
    analysis = analyse(store.study_data(), store.settings(), (), store.adjudications())
    p1 = analysis.assessments[0]
    assert p1.timepoints[1].overall == "SD"
    assert p1.best_overall_response == "SD"
    assert "B's follow-up is right" in p1.timepoints[1].reason


def test_set_adjudication_is_undone_exactly():
    """shared/style.md, practice 4: the inverse restores the same row; its inverse redoes it."""
    store = _double_read_store()
    _, undo_first = store.apply(SetAdjudication("P1", "A", "first look"))
    first = store.adjudications()
    _, undo_second = store.apply(SetAdjudication("P1", "B", "second look"))
    assert [a.reader for a in store.adjudications()] == ["B"]
    _, redo_second = store.apply(undo_second)
    assert store.adjudications() == first
    store.apply(undo_first)
    assert store.adjudications() == ()
    store.apply(redo_second)
    assert [(a.reader, a.reason) for a in store.adjudications()] == [("B", "second look")]


def test_an_adjudication_comes_back_when_removing_its_patient_is_undone():
    """Stable UUIDs (design.md, "Store"): undoing a removal restores the patient's decisions."""
    store = _double_read_store()
    store.apply(SetAdjudication("P1", "B", "why"))
    before = store.adjudications()
    _, undo = store.apply(RemovePatient("P1"))
    assert store.adjudications() == ()
    store.apply(undo)
    assert store.adjudications() == before


def test_an_adjudication_is_in_the_audit_trail():
    """Issue #8 audit trail covers adjudications (issue #7, part 3)."""
    store = _double_read_store()
    store.apply(SetAdjudication("P1", "B", "why", adjudicator="C"))
    assert any(e.table == "adjudications" for e in store.history("P1"))


@pytest.mark.parametrize(
    "edit, message",
    [
        (SetAdjudication("P1", "B", "  "), "needs a reason"),
        (SetAdjudication("P1", "Z", "why"), "has not read"),
        (SetAdjudication("P9", "A", "why"), "no patient"),
    ],
)
def test_a_bad_adjudication_writes_nothing(edit, message):
    """Issue #7: an adjudication names a reader of the patient and gives a reason."""
    store = _double_read_store()
    with pytest.raises(InputError, match=message):
        store.apply(edit)
    assert store.adjudications() == ()


def test_a_single_read_study_ignores_reads_used():
    """Issue #7: a study read once has no adjudication; `reads` stays empty."""
    store = Store.in_memory()
    store.import_study_data(double_read({"P1": ("PR", "PR")}))
    settings = replace(StudySettings(), reader="A")
    assert analyse(store.study_data(), settings).reads == ()


def test_a_blinded_reader_gets_the_cohort_of_their_own_read():
    """Issue #7: a reader's cohort statistics leak neither the other read nor the adjudicated
    one; the nurse and the adjudicator get the adjudicated cohort."""
    store = _double_read_store()
    store.apply(SetAdjudication("P1", "B", "B measured the right lesion"))
    args = (store.study_data(), store.settings(), store.overrides(), store.adjudications())
    best = {
        role: [a.best_overall_response for a in analyse_as(name, role, *args).assessments]
        for name, role in (("B", ViewerRole.READER), ("", ViewerRole.ADJUDICATOR))
    }
    assert best[ViewerRole.READER] == ["SD", "PR", "SD", "PR"]
    assert best[ViewerRole.ADJUDICATOR] == ["SD", "PR", "SD", "SD"]


def test_the_patient_page_shows_the_viewers_read_or_the_one_that_counts():
    """Issue #7: a blinded reader edits their own read; others see the read that counts."""
    store = _double_read_store()
    store.apply(SetAdjudication("P1", "B", "B measured the right lesion"))
    settings = store.settings()
    p1 = store.patient_data("P1")
    decided = store.adjudications("P1")
    assert shown_reader("A", ViewerRole.READER, p1, settings, (), decided) == "A"
    assert shown_reader("", ViewerRole.NURSE, p1, settings, (), decided) == "B"
    assert shown_reader("", ViewerRole.NURSE, store.patient_data("P4"), settings) == "A"
    single = replace(settings, readers_required=1, reader="B")
    assert shown_reader("A", ViewerRole.READER, p1, single) == "B"
