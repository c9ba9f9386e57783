"""Merging never loses an edit (issue #7, part 5): for any edits made in both copies after
they diverged, each measurement cell and each override ends as the copy that changed it left
it, and one both changed differently is listed as a conflict with the target's value kept."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from model.domain import Status
from model.editing.edits import SetObservation, SetOverride
from model.merge.study import merge_studies
from model.store.study import Store
from tests.model.double_reading.builders import BASELINE, FOLLOW_UP, double_read

PLACES = [
    (pid, day, reader)
    for pid in ("P1", "P2")
    for day in (BASELINE, FOLLOW_UP)
    for reader in ("A", "B")
]

#: One edit: a cell's new diameter or an override's response at a place; None removes it.
edits = st.lists(
    st.one_of(
        st.tuples(st.just("cell"), st.sampled_from(PLACES), st.sampled_from([None, 20.0, 35.0])),
        st.tuples(
            st.just("override"),
            st.sampled_from([p for p in PLACES if p[1] == FOLLOW_UP]),
            st.sampled_from([None, "PR", "PD"]),
        ),
    ),
    max_size=5,
)


def _values(store: Store) -> dict:
    cells = {
        ("cell", m.patient_id, m.scan_date, m.reader): m.diameter_mm
        for m in store.study_data().measurements
    }
    decided = {
        ("override", o.patient_id, o.scan_date, o.reader): o.response for o in store.overrides()
    }
    return cells | decided


def _apply(store: Store, changes) -> None:
    for kind, (pid, day, reader), value in changes:
        if kind == "cell":
            status = None if value is None else Status.MEASURED
            store.apply(SetObservation(pid, "T1", day, reader, status, value))
        else:
            store.apply(SetOverride(pid, day, reader, value, "seen again"))


def _name(kind: str, day, reader: str) -> str:
    return f"T1 on {day} by {reader}" if kind == "cell" else f"override on {day} by {reader}"


@settings(max_examples=40, deadline=None)
@given(edits, edits)
def test_each_row_ends_as_the_copy_that_changed_it_left_it(target_edits, source_edits):
    """Issue #7: changed in one copy only, that copy's state; in both differently, a conflict."""
    with tempfile.TemporaryDirectory() as folder:
        target = Store.in_memory()
        target.import_study_data(double_read({"P1": ("PR", "SD"), "P2": ("SD", "PD")}))
        source = Store.open(target.backup(Path(folder) / "copy.nadir"))
        base = _values(target)
        _apply(target, target_edits)
        _apply(source, source_edits)
        mine, theirs = _values(target), _values(source)
        report = merge_studies(target, source)
        merged = _values(target)
        source.close()
    conflicts = {(c.patient_id, c.what) for c in report.conflicts}
    for key in {*base, *mine, *theirs}:
        kind, pid, day, reader = key
        before, ours, yours = (v.get(key, "gone") for v in (base, mine, theirs))
        if yours in (before, ours):
            assert merged.get(key, "gone") == ours
        elif ours == before:
            assert merged.get(key, "gone") == yours
        else:
            assert merged.get(key, "gone") == ours
            assert (pid, _name(kind, day, reader)) in conflicts
