"""Who may see which measurements in a blinded double-read study (issue #7).

In a study read twice (setting `readers_required` = 2), each reader sees only
their own measurements at a time point until both reads of that time point
are complete; then both see each other's. The research nurse and the
adjudicator see everything. A single-read study hides nothing.

A reader's read of a time point is complete when they recorded every lesion
they chose at the patient's baseline there (a `not-evaluated` row counts as
recorded); at baseline, when they recorded any lesion. A baseline without
disease (no row) is therefore never complete, which keeps the other read
hidden: blinding errs on the side of hiding.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Protocol

from model.domain import MeasurementRecord, Role, ScanRecord, StudyData
from model.edits import Override


class ViewerRole(StrEnum):
    """What the person at the keyboard does in the study."""

    READER = "reader"
    NURSE = "nurse"
    ADJUDICATOR = "adjudicator"


class _HasStudyData(Protocol):
    def study_data(self) -> StudyData: ...


def study_readers(data: StudyData) -> tuple[str, ...]:
    """Returns the named readers with measurements, in order of their first row."""
    return tuple(dict.fromkeys(m.reader for m in data.measurements if m.reader))


def complete_reads(data: StudyData) -> dict[tuple[str, date], frozenset[str]]:
    """Returns, per (patient_id, scan_date), the readers whose read there is complete."""
    rows: dict[tuple[str, str], list[MeasurementRecord]] = {}
    for m in data.measurements:
        rows.setdefault((m.patient_id, m.reader), []).append(m)
    complete: dict[tuple[str, date], set[str]] = {}
    for (patient_id, reader), own in rows.items():
        baseline = min(m.scan_date for m in own)
        chosen = {m.lesion_id for m in own if m.scan_date == baseline and m.role is not Role.NEW}
        recorded: dict[date, set[str]] = {}
        for m in own:
            recorded.setdefault(m.scan_date, set()).add(m.lesion_id)
        for scan_date, lesions in recorded.items():
            if scan_date == baseline or chosen <= lesions:
                complete.setdefault((patient_id, scan_date), set()).add(reader)
    return {key: frozenset(readers) for key, readers in complete.items()}


def may_see(
    viewer: str,
    role: ViewerRole,
    reader: str,
    complete: frozenset[str],
) -> bool:
    """Returns whether `viewer` may see `reader`'s values at a time point whose complete
    reads are `complete` (issue #7: blind until both reads of the time point are complete)."""
    if role is not ViewerRole.READER or reader == viewer:
        return True
    return viewer in complete and reader in complete


def visible_data(
    study: StudyData | _HasStudyData, viewer: str, role: ViewerRole | str
) -> StudyData:
    """Returns the study as `viewer` in `role` may see it.

    A reader gets their own rows everywhere and another reader's rows only at
    time points where both reads are complete. The time points themselves are
    not blinded: a scan known only from a hidden row stays listed.
    """
    data = study if isinstance(study, StudyData) else study.study_data()
    role = ViewerRole(role)
    if role is not ViewerRole.READER:
        return data
    complete = complete_reads(data)
    shown, hidden = [], []
    for m in data.measurements:
        key = (m.patient_id, m.scan_date)
        ok = may_see(viewer, role, m.reader, complete.get(key, frozenset()))
        (shown if ok else hidden).append(m)
    known = {(s.patient_id, s.scan_date) for s in data.scans}
    known |= {(m.patient_id, m.scan_date) for m in shown}
    implied = dict.fromkeys((m.patient_id, m.scan_date) for m in hidden)
    extra_scans = [ScanRecord(p, d) for p, d in implied if (p, d) not in known]
    return StudyData(data.patients, tuple(shown), (*data.scans, *extra_scans), data.events)


def visible_overrides(
    overrides: Iterable[Override], data: StudyData, viewer: str, role: ViewerRole | str
) -> tuple[Override, ...]:
    """Returns the overrides `viewer` in `role` may see, by the same rule as visible_data."""
    role = ViewerRole(role)
    complete = complete_reads(data)
    return tuple(
        o
        for o in overrides
        if may_see(viewer, role, o.reader, complete.get((o.patient_id, o.scan_date), frozenset()))
    )
