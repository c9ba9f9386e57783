"""Merging never loses an edit (issue #7, part 5): for any edits made in both copies after
they diverged, each measurement cell ends as the copy that changed it left it, and a cell
both changed differently is listed as a conflict with the target's value kept."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from model.domain import Status
from model.edits import SetObservation
from model.merge import merge_studies
from model.store import Store
from tests.model.double_read import BASELINE, FOLLOW_UP, double_read

CELLS = [
    (pid, day, reader)
    for pid in ("P1", "P2")
    for day in (BASELINE, FOLLOW_UP)
    for reader in ("A", "B")
]

#: One edit of a cell: a new diameter, or None to remove the cell's row.
edits = st.lists(st.tuples(st.sampled_from(CELLS), st.sampled_from([None, 20.0, 35.0])), max_size=5)


def _cells(store: Store) -> dict:
    return {
        (m.patient_id, m.scan_date, m.reader): m.diameter_mm
        for m in store.study_data().measurements
    }


def _apply(store: Store, changes) -> None:
    for (pid, day, reader), mm in changes:
        status = None if mm is None else Status.MEASURED
        store.apply(SetObservation(pid, "T1", day, reader, status, mm))


@settings(max_examples=25, deadline=None)
@given(edits, edits)
def test_each_cell_ends_as_the_copy_that_changed_it_left_it(target_edits, source_edits):
    """Issue #7: changed in one copy only, that copy's state; in both differently, a conflict."""
    with tempfile.TemporaryDirectory() as folder:
        target = Store.in_memory()
        target.import_study_data(double_read({"P1": ("PR", "SD"), "P2": ("SD", "PD")}))
        source = Store.open(target.backup(Path(folder) / "copy.nadir"))
        base = _cells(target)
        _apply(target, target_edits)
        _apply(source, source_edits)
        mine, theirs = _cells(target), _cells(source)
        report = merge_studies(target, source)
        merged = _cells(target)
        source.close()
    conflicts = {c.what for c in report.conflicts}
    for pid, day, reader in CELLS:
        cell = (pid, day, reader)
        ours, yours = mine.get(cell, "gone"), theirs.get(cell, "gone")
        before = base.get(cell, "gone")
        if yours == before or yours == ours:
            assert merged.get(cell, "gone") == ours
        elif ours == before:
            assert merged.get(cell, "gone") == yours
        else:
            assert merged.get(cell, "gone") == ours
            assert f"T1 on {day} by {reader}" in conflicts
