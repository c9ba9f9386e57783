"""Merge one patient's rows from two copies of a study: the rules of model/merge/study.py, row
by row.

Pure functions on snapshots (model/edits.PatientSnapshot): the caller finds
which rows each copy changed since the copies diverged, and writes the result
back as one RestorePatient edit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from model.domain import PatientRecord
from model.editing.clinical import StoredAdverseEvent
from model.editing.edits import (
    Override,
    PatientSnapshot,
    StoredEvent,
    StoredLesion,
    StoredMeasurement,
    StoredScan,
)
from model.merge.changes import Columns, KeyOf, changed_keys, columns_by_uuid
from model.rules.clinical import variable_column, variable_values
from model.store.audit import AuditEntry

T = TypeVar("T")


@dataclass(frozen=True)
class Conflict:
    """A row both copies changed differently since they diverged; the target kept its value."""

    patient_id: str
    what: str
    target: str
    source: str

    def __str__(self) -> str:
        where = f"{self.patient_id}: " if self.patient_id else ""
        return f"{where}{self.what}: kept {self.target}; the copy has {self.source}"


@dataclass
class Tally:
    """Rows a merge took from the source, and the conflicts it listed."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def merge_rows(
    pid: str,
    mine: Mapping[Hashable, T],
    theirs: Mapping[Hashable, T],
    touched: tuple[set, set],
    tally: Tally,
    name: Callable[[Any], str],
) -> dict[Hashable, T]:
    """Returns the merged rows by key: a row changed in one copy only takes that copy's
    state; changed in both, or unexplained and different, it is a conflict and the target's
    stays; unexplained and only in the source, it is added (model/merge/study.py)."""
    ours, yours = touched
    merged: dict[Hashable, T] = dict(mine)
    for key in dict.fromkeys((*mine, *theirs)):
        t_row, s_row = mine.get(key), theirs.get(key)
        if _same(t_row, s_row) or (key in ours and key not in yours):
            continue
        if (key in yours and key not in ours) or (t_row is None and key not in ours):
            _take(merged, key, s_row, t_row, tally)
        else:
            tally.conflicts.append(
                Conflict(pid, name(t_row or s_row), _state(t_row), _state(s_row))
            )
    return merged


def _same(mine: Any, theirs: Any) -> bool:
    """True when two rows hold the same values, whatever their UUIDs."""
    if mine is None or theirs is None or not hasattr(mine, "uuid"):
        return mine == theirs
    return mine == replace(theirs, uuid=mine.uuid)


def _take(merged: dict, key: Hashable, s_row: Any, t_row: Any, tally: Tally) -> None:
    if s_row is None:
        del merged[key]
        tally.removed += 1
    else:
        merged[key] = s_row
        if t_row is None:
            tally.added += 1
        else:
            tally.changed += 1


def _state(row: Any) -> str:
    return "nothing (removed)" if row is None else _values(row)


def _values(row: Any) -> str:
    """Returns a row's values in words, UUIDs left out (for the report)."""
    if isinstance(row, PatientSnapshot):
        return f"the patient with {_row_count(row) - 1} rows of scans, lesions and the like"
    if isinstance(row, StoredMeasurement):
        sizes = [f"{mm:g} mm" for mm in (row.diameter_mm,) if mm is not None]
        sizes += [f"viable {mm:g} mm" for mm in (row.viable_mm,) if mm is not None]
        return " ".join([row.status.value, *sizes])
    if isinstance(row, Override):
        return f"{row.response} ({row.reason})"
    fields = getattr(row, "__dataclass_fields__", {})
    shown = [
        _values(value) if hasattr(value, "__dataclass_fields__") else f"{name}={value}"
        for name in fields
        if "uuid" not in name
        and name not in ("position", "fragment", "time", "patient_id")
        and (value := getattr(row, name)) not in (None, "", {}, False)
    ]
    return ", ".join(shown) if fields else str(row)


def _matched_apart(mine: Iterable, theirs: Iterable, natural: Callable[[Any], Hashable]) -> dict:
    """Returns source UUID -> target UUID of rows each copy created apart with one natural key."""
    mine, theirs = list(mine), list(theirs)
    mine_ids, their_ids = {r.uuid for r in mine}, {r.uuid for r in theirs}
    by_key = {natural(r): r.uuid for r in mine if r.uuid not in their_ids}
    return {
        r.uuid: by_key[natural(r)]
        for r in theirs
        if r.uuid not in mine_ids and natural(r) in by_key
    }


def merge_patient(
    pid: str,
    mine: PatientSnapshot | None,
    theirs: PatientSnapshot | None,
    since: tuple[Sequence[AuditEntry], Sequence[AuditEntry]],
    tally: Tally,
) -> PatientSnapshot | None:
    """Returns the patient as merged (None: removed), counting and listing into `tally`;
    `since` holds each copy's audit entries about the patient since the copies diverged."""
    if mine is None or theirs is None:
        return _whole_patient(pid, mine, theirs, (bool(since[0]), bool(since[1])), tally)
    remap = {
        theirs.uuid: mine.uuid,
        **_matched_apart(mine.scans, theirs.scans, lambda x: x.scan_date),
        **_matched_apart(mine.lesions, theirs.lesions, lambda x: x.lesion_id),
    }
    remap |= _matched_apart(mine.events, theirs.events, _event_key)
    remap |= _matched_apart(mine.adverse_events, theirs.adverse_events, _ae_key)
    theirs = _remapped(theirs, remap)
    copies = ((mine, {}), (theirs, remap))
    columns = [columns_by_uuid(snapshot) for snapshot, _ in copies]
    name = _namer(mine, theirs)
    merged = {}
    for table, rows, key in (*_KINDS, ("patients", _own_fields, _uuid)):
        sides = [{key(r): r for r in rows(snapshot)} for snapshot, _ in copies]
        changed = [
            changed_keys(
                table,
                entries,
                {key(r): by_uuid[table][r.uuid] for r in rows(snapshot)},
                _KEY_OF.get(table, _uuid_key),
                uuids,
            )
            for (snapshot, uuids), by_uuid, entries in zip(copies, columns, since, strict=True)
        ]
        merged[table] = merge_rows(pid, *sides, (changed[0], changed[1]), tally, name)
    (patient,) = merged.pop("patients").values()
    values = {variable_column(v.name): v.value for v in merged.pop("patient_values").values()}
    result = replace(
        mine,
        record=replace(patient.record, extra=values),
        **{table: tuple(rows.values()) for table, rows in merged.items()},
    )
    return _consistent(pid, result, mine, theirs, tally)


def _uuid(row: Any) -> Hashable:
    return row.uuid


@dataclass(frozen=True)
class _OwnFields:
    """The patient's own fields as one row of the patients table."""

    uuid: str
    record: PatientRecord


def _own_fields(s: PatientSnapshot) -> tuple[_OwnFields]:
    # The variable values merge one by one (_Value), not with the patient's own fields.
    return (_OwnFields(s.uuid, replace(s.record, extra={})),)


@dataclass(frozen=True)
class _Value:
    """One of the patient's variable values as its row of patient_values (issue 16)."""

    uuid: str
    name: str
    value: str


def _values_of(s: PatientSnapshot) -> tuple[_Value, ...]:
    return tuple(
        _Value(f"{s.uuid}:{name}", name, value) for name, value in variable_values(s.record).items()
    )


def _override_key(o: Override) -> Hashable:
    return (o.scan_date.isoformat(), o.reader)


#: Each kind of row in a snapshot: its table, how to get its rows, and what a row is known
#: by. A measurement is known by its cell and an override by its scan and reader, as the
#: edits that set them replace the row (and may change its UUID).
_KINDS: tuple[tuple[str, Callable[[PatientSnapshot], Iterable], Callable[[Any], Hashable]], ...] = (
    ("scans", lambda s: s.scans, _uuid),
    ("lesions", lambda s: s.lesions, _uuid),
    ("measurements", lambda s: s.measurements, lambda m: _cell(m)),
    ("events", lambda s: s.events, _uuid),
    ("overrides", lambda s: s.overrides, _override_key),
    ("adverse_events", lambda s: s.adverse_events, _uuid),
    ("patient_values", _values_of, lambda v: v.name),
)


def _uuid_key(uuid: str, _: Columns) -> Hashable:
    return uuid


#: How a row's key of _KINDS follows from its UUID and columns, where it is not the UUID.
_KEY_OF: dict[str, KeyOf] = {
    "measurements": lambda _, r: (r["lesion_uuid"], r["scan_uuid"], r["reader"], r["fragment"]),
    "overrides": lambda _, r: (r["scan_date"], r["reader"]),
    "patient_values": lambda _, r: r["name"],
}


def _namer(mine: PatientSnapshot, theirs: PatientSnapshot) -> Callable[[Any], str]:
    """Returns a function naming a row of the patient as a reader would ("T1 on 2024-03-01")."""
    lesions = {x.uuid: x.lesion_id for x in (*theirs.lesions, *mine.lesions)}
    scans = {x.uuid: x.scan_date for x in (*theirs.scans, *mine.scans)}

    def name(row: Any) -> str:
        if isinstance(row, StoredMeasurement):
            by = f" by {row.reader}" if row.reader else ""
            return f"{lesions[row.lesion_uuid]} on {scans[row.scan_uuid]}{by}"
        if isinstance(row, StoredScan):
            return f"scan on {row.scan_date}"
        if isinstance(row, StoredLesion):
            return f"lesion {row.lesion_id}"
        if isinstance(row, StoredEvent):
            return f"{row.record.kind} event of {row.record.start_date}"
        if isinstance(row, _OwnFields):
            return "the patient's own fields"
        if isinstance(row, StoredAdverseEvent):
            return f"adverse event {row.record.term} of {row.record.start_date}"
        if isinstance(row, _Value):
            return f"the value of {row.name}"
        return f"override on {row.scan_date} by {row.reader or 'the reader'}"

    return name


def _whole_patient(
    pid: str,
    mine: PatientSnapshot | None,
    theirs: PatientSnapshot | None,
    changed: tuple[bool, bool],
    tally: Tally,
) -> PatientSnapshot | None:
    """Returns the patient one copy has and the other does not, by the rules of merge_rows;
    `changed` says whether each copy wrote to the patient since the copies diverged."""
    ours, yours = changed
    merged = merge_rows(
        pid,
        {0: mine} if mine else {},
        {0: theirs} if theirs else {},
        ({0} if ours else set(), {0} if yours else set()),
        tally,
        lambda _: "the patient",
    )
    result = merged.get(0)
    # merge_rows counted the patient; count the rows that come or go with it too.
    if result is not None and mine is None:
        tally.added += _row_count(result) - 1
    elif result is None and mine is not None:
        tally.removed += _row_count(mine) - 1
    return result


def _row_count(s: PatientSnapshot) -> int:
    return 1 + sum(len(rows(s)) for _, rows, _ in _KINDS)


def _remapped(s: PatientSnapshot, remap: Mapping[str, str]) -> PatientSnapshot:
    """Returns the source's rows with the UUIDs of rows matched apart replaced by the target's."""

    def m(uuid: str) -> str:
        return remap.get(uuid, uuid)

    return replace(
        s,
        uuid=m(s.uuid),
        scans=tuple(replace(x, uuid=m(x.uuid)) for x in s.scans),
        lesions=tuple(replace(x, uuid=m(x.uuid)) for x in s.lesions),
        measurements=tuple(
            replace(x, uuid=m(x.uuid), lesion_uuid=m(x.lesion_uuid), scan_uuid=m(x.scan_uuid))
            for x in s.measurements
        ),
        events=tuple(replace(x, uuid=m(x.uuid)) for x in s.events),
        overrides=tuple(replace(x, uuid=m(x.uuid)) for x in s.overrides),
        adverse_events=tuple(replace(x, uuid=m(x.uuid)) for x in s.adverse_events),
    )


def _consistent(
    pid: str,
    merged: PatientSnapshot,
    mine: PatientSnapshot,
    theirs: PatientSnapshot,
    tally: Tally,
) -> PatientSnapshot:
    """Returns the merged patient with a scan or lesion that one copy removed and the other
    measured on put back, listing each such case as a conflict."""
    scans = {x.uuid: x for x in (*theirs.scans, *mine.scans)}
    lesions = {x.uuid: x for x in (*theirs.lesions, *mine.lesions)}
    kept_scans = {x.uuid: x for x in merged.scans}
    kept_lesions = {x.uuid: x for x in merged.lesions}
    name = _namer(mine, theirs)
    for row in merged.measurements:
        for kept, every, uuid in (
            (kept_scans, scans, row.scan_uuid),
            (kept_lesions, lesions, row.lesion_uuid),
        ):
            if uuid not in kept:
                kept[uuid] = every[uuid]
                tally.conflicts.append(
                    Conflict(pid, name(every[uuid]), "it (measured there)", "nothing (removed)")
                )
    return replace(
        merged,
        scans=tuple(sorted(kept_scans.values(), key=lambda x: x.scan_date)),
        lesions=tuple(sorted(kept_lesions.values(), key=lambda x: x.position)),
    )


def _ae_key(a: StoredAdverseEvent) -> Hashable:
    return (a.record.term, a.record.start_date)


def _event_key(e: StoredEvent) -> Hashable:
    return (e.record.kind, e.record.start_date, e.record.end_date, e.record.detail)


def _cell(m: StoredMeasurement) -> Hashable:
    return (m.lesion_uuid, m.scan_uuid, m.reader, m.fragment)
