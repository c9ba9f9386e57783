"""Who may see which measurements in a blinded double-read study (issue #7).

In a study read twice (setting `readers_required` = 2), each reader sees only
their own measurements at a time point until both reads of that time point
are complete; then both see each other's. The research nurse and the
adjudicator see everything. A single-read study hides nothing.

A read is complete when its reader signs it off (model/edits.SetReadComplete),
as in blinded independent central review, where a reader locks each read:
no count of typed lesions can tell a finished read from one paused before a
new lesion was added. Without sign-offs nothing of the other read is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from enum import StrEnum
from typing import Protocol

from model.domain import ScanRecord, StudyData
from model.editing.edits import Override, ReadSignOff


class ViewerRole(StrEnum):
    """What the person at the keyboard does in the study."""

    READER = "reader"
    NURSE = "nurse"
    ADJUDICATOR = "adjudicator"


class _Study(Protocol):
    def study_data(self) -> StudyData: ...

    def read_signoffs(self) -> tuple[ReadSignOff, ...]: ...


def study_readers(data: StudyData) -> tuple[str, ...]:
    """Returns the named readers with measurements, in order of their first row."""
    return tuple(dict.fromkeys(m.reader for m in data.measurements if m.reader))


def complete_reads(signoffs: Iterable[ReadSignOff]) -> dict[tuple[str, date], frozenset[str]]:
    """Returns, per (patient_id, scan_date), the readers who signed their read there off."""
    complete: dict[tuple[str, date], set[str]] = {}
    for signoff in signoffs:
        complete.setdefault((signoff.patient_id, signoff.scan_date), set()).add(signoff.reader)
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
    study: StudyData | _Study,
    viewer: str,
    role: ViewerRole | str,
    signoffs: Iterable[ReadSignOff] | None = None,
) -> StudyData:
    """Returns the study as `viewer` in `role` may see it.

    A reader gets their own rows everywhere and another reader's rows only at
    time points where both reads are signed off (`signoffs`; by default, an
    open study's own, and none for bare data). The time points themselves are
    not blinded: a scan known only from a hidden row stays listed.
    """
    if isinstance(study, StudyData):
        data = study
    else:
        data = study.study_data()
        signoffs = study.read_signoffs() if signoffs is None else signoffs
    role = ViewerRole(role)
    if role is not ViewerRole.READER:
        return data
    complete = complete_reads(signoffs or ())
    shown, hidden = [], []
    for m in data.measurements:
        key = (m.patient_id, m.scan_date)
        ok = may_see(viewer, role, m.reader, complete.get(key, frozenset()))
        (shown if ok else hidden).append(m)
    known = {(s.patient_id, s.scan_date) for s in data.scans}
    known |= {(m.patient_id, m.scan_date) for m in shown}
    implied = dict.fromkeys((m.patient_id, m.scan_date) for m in hidden)
    extra_scans = [ScanRecord(p, d) for p, d in implied if (p, d) not in known]
    return replace(data, measurements=tuple(shown), scans=(*data.scans, *extra_scans))


def visible_overrides(
    overrides: Iterable[Override],
    signoffs: Iterable[ReadSignOff],
    viewer: str,
    role: ViewerRole | str,
) -> tuple[Override, ...]:
    """Returns the overrides `viewer` in `role` may see, by the same rule as visible_data."""
    role = ViewerRole(role)
    complete = complete_reads(signoffs)
    return tuple(
        o
        for o in overrides
        if may_see(viewer, role, o.reader, complete.get((o.patient_id, o.scan_date), frozenset()))
    )
