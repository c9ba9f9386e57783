"""Which rows one copy of a study changed since the copies diverged, from its audit trail.

A row counts as changed when its state now differs from its state at the
divergence, which is found by undoing the copy's audit entries since then, newest
first, on the row's current columns: an update gives a field its old value back,
an insert means the row was not there, a delete brings back the row it removed.
An import's entry for the patient counts as an insert of each of their rows in
the tables it wrote. So a value changed and changed back (an edit undone) is no
change, and neither is a cell cleared and typed again as it was, nor a patient
imported again as they were (issue #7, part 5; model/merge/study.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

from model.editing.edits import PatientSnapshot
from model.store.audit import AuditEntry
from model.store.rows import COLUMNS, snapshot_rows

#: A row as column name -> value, as the audit trail records it.
Columns = dict[str, Any]

#: How a row's key (model/merge/patient.py, _KINDS) follows from its UUID and its columns.
KeyOf = Callable[[str, Columns], Hashable]


def columns_by_uuid(snapshot: PatientSnapshot) -> dict[str, dict[str, Columns]]:
    """Returns, per table, every row of the patient as columns, by UUID."""
    rows = snapshot_rows(snapshot)
    return {
        table: {row[0]: dict(zip(COLUMNS[table], row, strict=True)) for row in getattr(rows, table)}
        for table in COLUMNS
    }


def changed_keys(
    table: str,
    entries: Sequence[AuditEntry],
    current: Mapping[Hashable, Columns],
    key_of: KeyOf,
    remap: Mapping[str, str],
) -> set[Hashable]:
    """Returns the keys of `table`'s rows whose state differs from their state before
    `entries` (a copy's entries since the divergence, oldest first).

    `current` maps each key to the row's columns now; `remap` turns the copy's
    UUIDs into the ones `current` uses (rows matched apart, model/merge/patient.py).
    """
    mine = [e for e in entries if _about(e, table)]
    keys = {columns["uuid"]: key for key, columns in current.items()}
    for entry in mine:
        if entry.action in ("insert", "delete"):
            uuid = remap.get(entry.row_key, entry.row_key)
            row = json.loads(entry.new_value or entry.old_value)
            keys[uuid] = key_of(uuid, _mapped(row, remap))
    by_key: dict[Hashable, list[AuditEntry]] = {}
    for entry in mine:
        if entry.action == "import":
            # It wrote every row of the patient's in this table that was there after it.
            for key in set(keys.values()):
                by_key.setdefault(key, []).append(entry)
            continue
        key = keys.get(remap.get(entry.row_key, entry.row_key))
        by_key.setdefault(key, []).append(entry)
    return {
        key
        for key, history in by_key.items()
        if not _same(_before(current.get(key), history, remap), current.get(key))
    }


def _before(now: Columns | None, history: Iterable[AuditEntry], remap: Mapping[str, str]):
    """Returns the row's columns before `history`, undoing its entries newest first."""
    state = None if now is None else dict(now)
    for entry in reversed(list(history)):
        if entry.action in ("insert", "import"):
            state = None
        elif entry.action == "delete":
            state = _mapped(json.loads(entry.old_value), remap)
        elif state is not None and entry.field is not None:
            state[entry.field] = _value(entry.old_value, remap)
    return state


def _about(entry: AuditEntry, table: str) -> bool:
    """True for an entry about rows of `table`: its own entries, and a patient's import entry
    that wrote their rows of it (model/store/import_record.py), an insert of each of them."""
    if entry.action == "import":
        return entry.table == "patients" and table in json.loads(entry.new_value)["tables"]
    return entry.table == table


def _same(before: Columns | None, now: Columns | None) -> bool:
    if before is None or now is None:
        return before is now
    return all(before[c] == now.get(c) for c in before if c != "uuid" and c in now)


def _mapped(columns: Columns, remap: Mapping[str, str]) -> Columns:
    return {name: _value(value, remap) for name, value in columns.items()}


def _value(value: Any, remap: Mapping[str, str]) -> Any:
    return remap.get(value, value) if isinstance(value, str) else value
