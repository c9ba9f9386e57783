"""Blinded double reading (issue #7, part 1): a reader sees the other reader's values at a
time point only once both reads of that time point are complete; nurse and adjudicator
see everything."""

from __future__ import annotations

from datetime import date

import pytest

from model.domain import MeasurementRecord, Role, ScanRecord, Status, StudyData
from model.edits import Override
from model.readers import ViewerRole, complete_reads, visible_data, visible_overrides
from tests.model.double_read import BASELINE, FOLLOW_UP, double_read, target
from tests.model.store_builders import study_store


def _non_target(pid: str, reader: str, scan_date: date) -> MeasurementRecord:
    return MeasurementRecord(pid, scan_date, "NT1", Role.NON_TARGET, Status.PRESENT, reader=reader)


def _values(data: StudyData, reader: str) -> set[tuple[date, str]]:
    return {(m.scan_date, m.lesion_id) for m in data.measurements if m.reader == reader}


#: B's rows in the order B types them: baseline T1 and NT1, then the follow-up.
B_TYPES = [
    target("P1", "B", BASELINE, 48.0),
    _non_target("P1", "B", BASELINE),
    target("P1", "B", FOLLOW_UP, 30.0),
    _non_target("P1", "B", FOLLOW_UP),
]

#: A's complete read of both time points.
A_READ = [
    target("P1", "A", BASELINE, 50.0),
    _non_target("P1", "A", BASELINE),
    target("P1", "A", FOLLOW_UP, 35.0),
    _non_target("P1", "A", FOLLOW_UP),
]


def test_a_reader_never_sees_the_other_read_of_a_time_point_before_both_are_complete():
    """Issue #7: blind until both reads of a time point are complete, step by step as B types."""
    for typed in range(len(B_TYPES) + 1):
        data = StudyData(measurements=(*A_READ, *B_TYPES[:typed]))
        seen_by_a = _values(visible_data(data, "A", ViewerRole.READER), "B")
        b_follow_up_done = typed == len(B_TYPES)
        expected = {(m.scan_date, m.lesion_id) for m in B_TYPES[:typed]}
        if not b_follow_up_done:
            expected = {(d, lesion) for d, lesion in expected if d == BASELINE}
        assert seen_by_a == expected


def test_a_reader_who_has_not_finished_sees_nothing_of_the_other_at_that_time_point():
    """Issue #7: the other read stays hidden while the viewer's own read is incomplete."""
    data = StudyData(measurements=(*A_READ[:3], *B_TYPES))
    seen_by_a = _values(visible_data(data, "A", ViewerRole.READER), "B")
    assert seen_by_a == {(BASELINE, "T1"), (BASELINE, "NT1")}
    seen_by_b = _values(visible_data(data, "B", "reader"), "A")
    assert seen_by_b == {(BASELINE, "T1"), (BASELINE, "NT1")}


def test_hidden_time_points_stay_listed_as_scans():
    """Issue #7: only values are blinded; a scan known from a hidden row is still a time point."""
    data = StudyData(measurements=(*A_READ[:2], *B_TYPES))
    seen = visible_data(data, "A", ViewerRole.READER)
    assert ScanRecord("P1", FOLLOW_UP) in seen.scans
    assert _values(seen, "B") == {(BASELINE, "T1"), (BASELINE, "NT1")}


@pytest.mark.parametrize("role", [ViewerRole.NURSE, ViewerRole.ADJUDICATOR])
def test_nurse_and_adjudicator_see_every_read(role):
    """Issue #7: the nurse and the adjudicator are not blinded."""
    data = StudyData(measurements=(*A_READ[:1], *B_TYPES[:3]))
    assert visible_data(data, "", role) == data


def test_complete_reads_need_every_baseline_lesion_of_the_reader():
    """Issue #7 (model/readers.py): a read is complete when each lesion chosen at baseline
    has a row there."""
    complete = complete_reads(StudyData(measurements=(*A_READ[:3], *B_TYPES)))
    assert complete[("P1", BASELINE)] == {"A", "B"}
    assert complete[("P1", FOLLOW_UP)] == {"B"}


def test_overrides_of_the_other_reader_are_blinded_too():
    """Issue #7: a reader's decision at a time point is one of their values."""
    data = double_read({"P1": ("PR", "SD")})
    decided = Override("u", "P1", FOLLOW_UP, "B", "PR", "looks smaller", "2024-03-02T00:00:00")
    assert visible_overrides([decided], data, "A", ViewerRole.READER) == (decided,)
    partial = StudyData(measurements=tuple(m for m in data.measurements if m.scan_date == BASELINE))
    assert visible_overrides([decided], partial, "A", ViewerRole.READER) == ()


def test_visible_data_reads_a_store():
    """Issue #7: the view can be asked of an open study as well as of its data."""
    store = study_store(double_read({"P1": ("PR", "SD")}))
    assert visible_data(store, "A", ViewerRole.READER) == store.study_data()
