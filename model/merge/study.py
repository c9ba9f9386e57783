"""Merge a copy of a study back into the study it was copied from (issue #7, part 5).

A radiologist takes a copy of the study file, reads offline, and the nurse
merges the copy back. Patients, scans, lesions and events are matched by their
stable UUIDs (design.md, "Store"), and, when created apart in both copies, by
patient_id, scan date, lesion label and event; a measurement is known by its
cell (lesion, scan, reader, fragment), an override by its scan and reader, an
adjudication by its time point and a sign-off by its time point and reader,
as the edits that set these replace their row. The study settings are one row.

Which copy changed a row since the two diverged is read from the audit trail
that each study file keeps of every write (model/store/audit.py): both copies hold
the same trail up to the moment of copying, so, per patient, the entries after
their longest common beginning are that copy's changes since; a row counts as
changed when undoing those entries gives it another state than it has now, so
an edit undone is no change (model/merge/changes.py). Then, per row:

- a row changed in one copy only takes that copy's state (added, changed or
  removed);
- a row changed in both copies to different values is a conflict: the target
  keeps its value and the report lists both;
- a row that neither trail explains (copies of different origin) is added
  when only the source has it, and listed as a conflict when both differ.

No edit is lost: every change of the source is either taken or listed. A copy
is meant to be merged once; merging it again after both copies changed
further lists the rows touched since the first merge as conflicts.

Only a copy of the same study is merged: a file with another identity
(model/store/identity.py) is refused, however alike its patient ids, since
patients sharing an id in two studies are different people (issue 14, attack
1). The target is backed up before anything is written (kind `before-merge`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from model.domain import Variable
from model.editing.analysis_sets import AnalysisSet, SetAnalysisSet
from model.editing.clinical import SetVariable
from model.editing.edits import (
    Changes,
    Edit,
    PatientSnapshot,
    RestorePatient,
    SetAdjudication,
    SetReadComplete,
    SetSettings,
)
from model.errors import InputError, InputProblem
from model.merge.changes import Columns, changed_keys
from model.merge.patient import Conflict, Tally, merge_patient, merge_rows
from model.store.audit import AuditEntry
from model.store.backup_files import backup_path
from model.store.study import Store


@dataclass(frozen=True)
class MergeReport:
    """What a merge took from the source, what it listed as conflicts, and how to undo it."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    patients_added: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    changes: Changes = field(default_factory=Changes)
    #: Edits that undo the merge, in the order to apply them.
    undo: tuple[Edit, ...] = ()
    #: The backup of the target taken before the merge (None for a study held in memory).
    backup: Path | None = None

    def __str__(self) -> str:
        return (
            f"merged: {self.added} rows added, {self.changed} changed, {self.removed} removed"
            f" ({len(self.patients_added)} new patients); {len(self.conflicts)} conflicts"
        )


def diverged(target: Sequence[AuditEntry], source: Sequence[AuditEntry]) -> int:
    """Returns how many audit entries the two trails share from their beginning."""
    shared = 0
    for mine, theirs in zip(target, source, strict=False):
        if mine != theirs:
            break
        shared += 1
    return shared


def merge_studies(target: Store, source: Store) -> MergeReport:
    """Returns what was merged, after backing `target` up and writing the source's changes
    into it in one transaction (module docstring); the source is only read.

    Raises InputError, writing nothing, when `source` is not a copy of `target`.
    """
    check_same_study(target, source)
    backup = None
    if target.path is not None and not target.read_only:
        backup = target.backup(backup_path(target.path, "before-merge"))
    tally = Tally()
    trails = (target.audit_by_patient(), source.audit_by_patient())
    edits: list[Edit] = []
    study_trails = (trails[0].get(None) or (), trails[1].get(None) or ())
    study_edit = _merge_settings(target, source, study_trails, tally)
    if study_edit is not None:
        edits.append(study_edit)
    # Declarations first, so that the values the patients bring find theirs.
    declarations = _merge_variables(target, source, study_trails, tally)
    edits += declarations
    mine_all = {pid: target.snapshot(pid) for pid in target.patient_ids()}
    position = 1 + max((s.position for s in mine_all.values()), default=-1)
    patients_added = []
    for mine, theirs in _pairs(mine_all, {p: source.snapshot(p) for p in source.patient_ids()}):
        present = mine or theirs
        assert present is not None
        pid = present.record.patient_id
        trail = (
            trails[0].get(present.uuid, []),
            trails[1].get(theirs.uuid if theirs else present.uuid, []),
        )
        if mine == theirs and trail[0] == trail[1]:
            continue
        shared = diverged(*trail)
        since = (trail[0][shared:], trail[1][shared:])
        merged = merge_patient(pid, mine, theirs, since, tally)
        if mine is None and merged is not None:
            merged = replace(merged, position=position)
            position += 1
            patients_added.append(pid)
        if merged != mine:
            edits.append(RestorePatient(pid, merged))
        if merged is not None:
            for kind in (_ADJUDICATIONS, _SIGNOFFS):
                stored = (
                    kind.read(target, mine.record.patient_id) if mine else (),
                    kind.read(source, theirs.record.patient_id) if theirs else (),
                )
                edits += _merge_decisions(kind, stored, since, merged.record.patient_id, tally)
    # Sets last, so that a matched set finds the patients the source brings.
    sets = _merge_analysis_sets(target, source, study_trails, tally)
    edits += sets
    done = target.apply_all(edits)
    patients = frozenset(p for changes, _ in done for p in changes.patients)
    return MergeReport(
        tally.added,
        tally.changed,
        tally.removed,
        tuple(patients_added),
        tuple(tally.conflicts),
        Changes(
            patients,
            bool(patients_added) or tally.removed > 0,
            study_edit is not None,
            bool(declarations),
            bool(sets),
        ),
        tuple(inverse for _, inverse in reversed(done)),
        backup,
    )


def check_same_study(target: Store, source: Store) -> None:
    """Raises InputError, naming both files and studies, unless `source` is a copy of `target`."""
    mine, theirs = target.identity(), source.identity()
    if mine is None or mine != theirs:
        message = (
            f"{_named(source)} is not a copy of {_named(target)}: it is study {theirs}, the "
            f"target is study {mine}; only a copy of the same study can be merged back into it"
        )
        raise InputError(InputProblem(message, file=str(source.path or "")))


def _named(store: Store) -> str:
    return str(store.path) if store.path is not None else "the study held in memory"


def _pairs(
    mine: dict[str, PatientSnapshot], theirs: dict[str, PatientSnapshot]
) -> list[tuple[PatientSnapshot | None, PatientSnapshot | None]]:
    """Returns each patient as (target's, source's), matched by UUID, then by patient_id;
    None where a copy does not have the patient."""
    by_uuid = {s.uuid: s for s in theirs.values()}
    pairs: list[tuple[PatientSnapshot | None, PatientSnapshot | None]] = [
        (s, by_uuid.pop(s.uuid, None)) for s in mine.values()
    ]
    for snapshot in by_uuid.values():
        pid = snapshot.record.patient_id
        index = next(
            (i for i, (t, s) in enumerate(pairs) if s is None and t and t.record.patient_id == pid),
            None,
        )
        if index is None:
            pairs.append((None, snapshot))
        else:
            pairs[index] = (pairs[index][0], snapshot)
    return pairs


def _merge_settings(
    target: Store,
    source: Store,
    trails: tuple[Sequence[AuditEntry], Sequence[AuditEntry]],
    tally: Tally,
) -> SetSettings | None:
    """Returns the edit that takes the source's study settings, when only it changed them."""
    mine, theirs = target.settings(), source.settings()
    if mine == theirs:
        return None
    shared = diverged(*trails)
    touched = [{0} if any(_is_setting(e) for e in trail[shared:]) else set() for trail in trails]
    merged = merge_rows("", {0: mine}, {0: theirs}, (touched[0], touched[1]), tally, _settings)
    return None if merged[0] is mine else SetSettings(theirs)


def _merge_variables(
    target: Store,
    source: Store,
    trails: tuple[Sequence[AuditEntry], Sequence[AuditEntry]],
    tally: Tally,
) -> list[Edit]:
    """Returns the edits that take the source's variable declarations (issue 16), by the
    rules of merge_rows, a declaration known by its UUID (or, declared apart, its name)."""
    stored = (target.stored_variables(), source.stored_variables())
    mine = {uuid: (position, v) for uuid, position, v in stored[0]}
    by_name = {v.name: uuid for uuid, (_, v) in mine.items()}
    theirs = {
        uuid if uuid in mine else by_name.get(v.name, uuid): (position, v)
        for uuid, position, v in stored[1]
    }
    shared = diverged(*trails)
    changed = [
        changed_keys(
            "variables",
            trail[shared:],
            {uuid: _declaration_columns(uuid, *row) for uuid, row in rows.items()},
            lambda uuid, _: uuid,
            {},
        )
        for rows, trail in ((mine, trails[0]), (theirs, trails[1]))
    ]
    merged = merge_rows("", mine, theirs, (changed[0], changed[1]), tally, _declaration_name)
    edits: list[Edit] = []
    for uuid in dict.fromkeys((*mine, *merged)):
        now, before = merged.get(uuid), mine.get(uuid)
        if now != before:
            name = before[1].name if before else now[1].name
            variable = now[1] if now else None
            edits.append(SetVariable(name, variable, None, now and now[0], uuid))
    return edits


def _merge_analysis_sets(
    target: Store,
    source: Store,
    trails: tuple[Sequence[AuditEntry], Sequence[AuditEntry]],
    tally: Tally,
) -> list[Edit]:
    """Returns the edits that take the source's saved analysis sets (issue 17), by the rules
    of merge_rows, a set known by its UUID (or, saved apart in both, its name)."""
    stored = (target.stored_analysis_sets(), source.stored_analysis_sets())
    mine = {row["uuid"]: (row, s) for row, s in stored[0]}
    by_name = {s.name: uuid for uuid, (_, s) in mine.items()}
    theirs = {
        row["uuid"] if row["uuid"] in mine else by_name.get(s.name, row["uuid"]): (row, s)
        for row, s in stored[1]
    }
    shared = diverged(*trails)
    changed = [
        changed_keys(
            "analysis_sets",
            trail[shared:],
            {uuid: row for uuid, (row, _) in rows.items()},
            lambda uuid, _: uuid,
            {},
        )
        for rows, trail in ((mine, trails[0]), (theirs, trails[1]))
    ]
    values = [{u: (row["position"], s) for u, (row, s) in rows.items()} for rows in (mine, theirs)]
    merged = merge_rows("", values[0], values[1], (changed[0], changed[1]), tally, _set_name)
    edits: list[Edit] = []
    for uuid in dict.fromkeys((*values[0], *merged)):
        now, before = merged.get(uuid), values[0].get(uuid)
        if now != before:
            name = before[1].name if before else now[1].name
            edits.append(SetAnalysisSet(name, now and now[1], now and now[0], uuid))
    return edits


def _set_name(row: tuple[int, AnalysisSet] | None) -> str:
    return f"the analysis set {row[1].name}" if row else "an analysis set"


def _declaration_columns(uuid: str, position: int, v: Variable) -> Columns:
    """A declaration's columns as the audit trail records them (migrations.py)."""
    return {
        "uuid": uuid,
        "name": v.name,
        "type": v.type.value,
        "levels": json.dumps(list(v.levels), ensure_ascii=False),
        "label": v.label,
        "unit": v.unit,
        "extra": json.dumps(dict(v.extra), ensure_ascii=False) if v.extra else None,
        "position": position,
    }


def _declaration_name(row: tuple[int, Variable] | None) -> str:
    return f"the declaration of variable {row[1].name}" if row else "a variable declaration"


def _settings(_: object) -> str:
    return "the study settings"


def _is_setting(entry: AuditEntry) -> bool:
    """True for a change of a study setting or an arm's time origin (not of a study value)."""
    if entry.table == "arms":
        return entry.action == "update"
    return entry.table == "settings" and not entry.row_key.startswith("nadir.")


@dataclass(frozen=True)
class _Decisions:
    """A kind of per-patient decision stored beside the patient's rows, and how to merge it:
    its table, how to read it, its key (in a record and in an audit row), its columns as
    audited (the patient's left out), its name in the report, and the edits that set or
    clear one."""

    table: str
    read: Callable[[Store, str], Sequence[Any]]
    key: Callable[[Any], Hashable]
    audited_key: Callable[[Columns], Hashable]
    columns: Callable[[Any], Columns]
    name: Callable[[Any], str]
    setting: Callable[[str, Any], Edit]
    clearing: Callable[[str, Any], Edit]


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


_ADJUDICATIONS = _Decisions(
    "adjudications",
    Store.adjudications,
    lambda a: a.scan_date,
    lambda row: _day(row["scan_date"]),
    lambda a: {
        "uuid": a.uuid,
        "scan_date": a.scan_date.isoformat() if a.scan_date else "",
        **{c: getattr(a, c) for c in ("reader", "reason", "adjudicator", "time")},
    },
    lambda a: f"adjudication on {a.scan_date}" if a.scan_date else "adjudication of the patient",
    lambda pid, a: SetAdjudication(
        pid, a.reader, a.reason, a.scan_date, a.adjudicator, a.uuid, a.time
    ),
    lambda pid, day: SetAdjudication(pid, None, scan_date=day),
)

_SIGNOFFS = _Decisions(
    "read_signoffs",
    Store.read_signoffs,
    lambda s: (s.scan_date, s.reader),
    lambda row: (_day(row["scan_date"]), row["reader"]),
    lambda s: {
        "uuid": s.uuid,
        "scan_date": s.scan_date.isoformat(),
        "reader": s.reader,
        "time": s.time,
    },
    lambda s: f"sign-off of {s.reader}'s read on {s.scan_date}",
    lambda pid, s: SetReadComplete(pid, s.scan_date, s.reader, True, s.uuid, s.time),
    lambda pid, key: SetReadComplete(pid, key[0], key[1], False),
)


def _merge_decisions(
    kind: _Decisions,
    stored: tuple[Sequence[Any], Sequence[Any]],
    trails: tuple[Sequence[AuditEntry], Sequence[AuditEntry]],
    patient_id: str,
    tally: Tally,
) -> list[Edit]:
    """Returns the edits that take the source's decisions of one kind about the patient, by
    the rules of merge_rows, a decision being known by its key."""
    mine, theirs = ({kind.key(d): replace(d, patient_id=patient_id) for d in s} for s in stored)
    changed = [
        changed_keys(
            kind.table,
            entries,
            {key: kind.columns(d) for key, d in decisions.items()},
            lambda _, row: kind.audited_key(row),
            {},
        )
        for decisions, entries in ((mine, trails[0]), (theirs, trails[1]))
    ]
    merged = merge_rows(patient_id, mine, theirs, (changed[0], changed[1]), tally, kind.name)
    edits = []
    for key in dict.fromkeys((*mine, *merged)):
        now = merged.get(key)
        if now != mine.get(key):
            edits.append(
                kind.clearing(patient_id, key) if now is None else kind.setting(patient_id, now)
            )
    return edits
