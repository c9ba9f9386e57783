"""Blinded double reading (issue #7, part 1): a reader sees the other reader's values at a
time point only once both reads of that time point are complete (signed off); nurse and
adjudicator see everything."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from model.domain import MeasurementRecord, Role, ScanRecord, Status, StudyData
from model.double_reading.visibility import (
    ViewerRole,
    complete_reads,
    visible_data,
    visible_overrides,
)
from model.editing.edits import Override, ReadSignOff, SetReadComplete
from model.errors import InputError
from model.store.study import Store
from tests.model.double_reading.builders import BASELINE, FOLLOW_UP, double_read, target


def _non_target(pid: str, reader: str, scan_date: date) -> MeasurementRecord:
    return MeasurementRecord(pid, scan_date, "NT1", Role.NON_TARGET, Status.PRESENT, reader=reader)


def _values(data: StudyData, reader: str) -> set[tuple[date, str]]:
    return {(m.scan_date, m.lesion_id) for m in data.measurements if m.reader == reader}


def _signed(reader: str, scan_date: date) -> ReadSignOff:
    return ReadSignOff("u", "P1", scan_date, reader, "2024-03-02T00:00:00+00:00")


#: What B does, in order: types baseline T1 and NT1, signs baseline off, types the follow-up.
B_WORKS = [
    target("P1", "B", BASELINE, 48.0),
    _non_target("P1", "B", BASELINE),
    _signed("B", BASELINE),
    target("P1", "B", FOLLOW_UP, 30.0),
    _non_target("P1", "B", FOLLOW_UP),
    _signed("B", FOLLOW_UP),
]

#: A's complete, signed-off read of both time points.
A_READ = [
    target("P1", "A", BASELINE, 50.0),
    _non_target("P1", "A", BASELINE),
    target("P1", "A", FOLLOW_UP, 35.0),
    _non_target("P1", "A", FOLLOW_UP),
]
A_SIGNED = [_signed("A", BASELINE), _signed("A", FOLLOW_UP)]


def _state(steps: list) -> tuple[StudyData, list[ReadSignOff]]:
    rows = [s for s in steps if isinstance(s, MeasurementRecord)]
    return StudyData(measurements=tuple(rows)), [s for s in steps if isinstance(s, ReadSignOff)]


def test_a_reader_never_sees_the_other_read_of_a_time_point_before_both_are_signed_off():
    """Issue #7: blind until both reads of a time point are complete, step by step as B works."""
    for done in range(len(B_WORKS) + 1):
        data, signoffs = _state(A_READ + A_SIGNED + B_WORKS[:done])
        seen_by_a = _values(visible_data(data, "A", ViewerRole.READER, signoffs), "B")
        b_signed = {s.scan_date for s in signoffs if s.reader == "B"}
        typed = {(m.scan_date, m.lesion_id) for m in data.measurements if m.reader == "B"}
        assert seen_by_a == {(d, lesion) for d, lesion in typed if d in b_signed}


def test_a_reader_who_has_not_signed_off_sees_nothing_of_the_other_there():
    """Issue #7: the other read stays hidden while the viewer's own read is not complete."""
    data, signoffs = _state(A_READ + A_SIGNED[:1] + B_WORKS)
    assert _values(visible_data(data, "A", ViewerRole.READER, signoffs), "B") == {
        (BASELINE, "T1"),
        (BASELINE, "NT1"),
    }
    assert _values(visible_data(data, "B", "reader", signoffs), "A") == {
        (BASELINE, "T1"),
        (BASELINE, "NT1"),
    }


def test_typing_every_lesion_does_not_reveal_the_other_read():
    """Issue #7: only a sign-off completes a read (a new lesion may still be coming)."""
    data, _ = _state(A_READ + B_WORKS)
    assert _values(visible_data(data, "A", ViewerRole.READER), "B") == set()


def test_hidden_time_points_stay_listed_as_scans():
    """Issue #7: only values are blinded; a scan known from a hidden row is still a time point."""
    data, signoffs = _state(A_READ[:2] + A_SIGNED[:1] + B_WORKS)
    seen = visible_data(data, "A", ViewerRole.READER, signoffs)
    assert ScanRecord("P1", FOLLOW_UP) in seen.scans
    assert _values(seen, "B") == {(BASELINE, "T1"), (BASELINE, "NT1")}


@pytest.mark.parametrize("role", [ViewerRole.NURSE, ViewerRole.ADJUDICATOR])
def test_nurse_and_adjudicator_see_every_read(role):
    """Issue #7: the nurse and the adjudicator are not blinded."""
    data, _ = _state(A_READ[:1] + B_WORKS[:4])
    assert visible_data(data, "", role) == data


def test_complete_reads_are_the_signed_off_ones():
    """Issue #7 (model/double_reading/visibility.py): a read is complete when its reader signs
    it off.
    """
    _, signoffs = _state(A_SIGNED[:1] + B_WORKS)
    assert complete_reads(signoffs) == {
        ("P1", BASELINE): {"A", "B"},
        ("P1", FOLLOW_UP): {"B"},
    }


def test_overrides_of_the_other_reader_are_blinded_too():
    """Issue #7: a reader's decision at a time point is one of their values."""
    decided = Override("u", "P1", FOLLOW_UP, "B", "PR", "looks smaller", "2024-03-02T00:00:00")
    both = [_signed("A", FOLLOW_UP), _signed("B", FOLLOW_UP)]
    assert visible_overrides([decided], both, "A", ViewerRole.READER) == (decided,)
    assert visible_overrides([decided], both[1:], "A", ViewerRole.READER) == ()


def test_an_open_study_blinds_by_its_own_signoffs():
    """Issue #7: sign-offs are stored (SetReadComplete, undoable) and blind the store's view."""
    store = Store.in_memory()
    store.import_study_data(double_read({"P1": ("PR", "SD")}))
    assert _values(visible_data(store, "A", ViewerRole.READER), "B") == set()
    for reader in ("A", "B"):
        store.apply(SetReadComplete("P1", BASELINE, reader))
    _, undo = store.apply(SetReadComplete("P1", FOLLOW_UP, "A"))
    assert _values(visible_data(store, "A", ViewerRole.READER), "B") == {(BASELINE, "T1")}
    _, redo = store.apply(undo)
    assert {(s.scan_date, s.reader) for s in store.read_signoffs()} == {
        (BASELINE, "A"),
        (BASELINE, "B"),
    }
    store.apply(redo)
    (restored,) = [s for s in store.read_signoffs("P1") if s.scan_date == FOLLOW_UP]
    assert replace(restored, time="") == ReadSignOff(restored.uuid, "P1", FOLLOW_UP, "A", "")


def test_a_signoff_needs_a_scan_of_the_patient():
    """Issue #7: a read is of one of the patient's time points."""
    store = Store.in_memory()
    store.import_study_data(double_read({"P1": ("PR", "SD")}))
    with pytest.raises(InputError, match="no scan"):
        store.apply(SetReadComplete("P1", date(2025, 1, 1), "A"))
    assert store.read_signoffs() == ()
