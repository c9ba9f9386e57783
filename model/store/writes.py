"""Writing an edit: one handler per kind of edit (model/editing/edits.py), chosen from a table.

Every handler runs inside the edit's transaction, checks the version of what it
changes once (model/store/versions.py), writes, and returns what changed with
the edit that undoes it exactly (same rows, same UUIDs).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, get_args

from model.editing.analysis_sets import SetAnalysisSet
from model.editing.checks import check_name, check_patient
from model.editing.clinical import (
    AddAdverseEvent,
    RemoveAdverseEvent,
    SetVariable,
    UpdateAdverseEvent,
)
from model.editing.edits import (
    AddEvent,
    AddPatient,
    Changes,
    Edit,
    PatientEdit,
    PatientSnapshot,
    RemoveEvent,
    RestorePatient,
    SetAdjudication,
    SetReadComplete,
    SetSettings,
    UpdateEvent,
    check_in_study,
)
from model.editing.patient import edited
from model.errors import InputError
from model.rules.clinical import value_problem, variable_values
from model.settings import SETTINGS
from model.store import reads
from model.store.analysis_sets import set_analysis_set
from model.store.rows import COLUMNS, Rows, iso, new_uuid, snapshot_rows
from model.store.variables import set_variable
from model.store.versions import SeenVersions


def _insert_sql(table: str, upsert: bool) -> str:
    columns = COLUMNS[table]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    if upsert:
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        sql += f" ON CONFLICT(uuid) DO UPDATE SET {updates}"
    return sql


#: INSERT of each table for new rows.
INSERT = {table: _insert_sql(table, upsert=False) for table in COLUMNS}

#: INSERT of each table that updates a row already there (same UUID) in place, which,
#: unlike a delete, leaves the rows that depend on it alone. Slower than INSERT for bulk
#: rows (it weighs foreign keys for an update too), so edits alone use it.
UPSERT = {table: _insert_sql(table, upsert=True) for table in COLUMNS}


def ensure_names(conn: sqlite3.Connection, table: str, names: Iterable[str]) -> None:
    """Lists each of `names` in `table` (arms or readers) unless it is there already."""
    conn.executemany(
        f"INSERT OR IGNORE INTO {table} (uuid, name) VALUES (?, ?)",
        [(new_uuid(), name) for name in names],
    )


def apply_edit(
    conn: sqlite3.Connection, edit: Edit, versions: SeenVersions
) -> tuple[Changes, Edit]:
    """Returns (what changed, the inverse edit), after writing `edit` through its handler."""
    handler = _HANDLERS.get(type(edit))
    if handler is None:
        raise InputError(f"{type(edit).__name__} is not an edit of a study")
    check_in_study(edit, reads.settings(conn))
    return handler(conn, edit, versions)


def _edit_patient(
    conn: sqlite3.Connection, edit: PatientEdit, versions: SeenVersions
) -> tuple[Changes, Edit]:
    if isinstance(edit, UpdateEvent | RemoveEvent):
        patient_id = reads.event_owner(conn, edit.event_uuid)
    elif isinstance(edit, UpdateAdverseEvent | RemoveAdverseEvent):
        patient_id = reads.adverse_event_owner(conn, edit.ae_uuid)
    elif isinstance(edit, AddEvent | AddAdverseEvent):
        patient_id = edit.record.patient_id
    else:
        patient_id = edit.patient_id
    before = reads.snapshot(conn, patient_id)
    if before is None:
        raise InputError(f"no patient {patient_id!r} in the study")
    return _replace_patient(conn, patient_id, before, edited(edit, before, new_uuid), versions)


def _restore_patient(
    conn: sqlite3.Connection, edit: RestorePatient, versions: SeenVersions
) -> tuple[Changes, Edit]:
    before = reads.snapshot(conn, edit.patient_id)
    return _replace_patient(conn, edit.patient_id, before, edit.snapshot, versions)


def _add_patient(
    conn: sqlite3.Connection, edit: AddPatient, versions: SeenVersions
) -> tuple[Changes, Edit]:
    check_patient(edit.record)
    position = conn.execute("SELECT 1 + coalesce(max(position), -1) FROM patients").fetchone()
    after = PatientSnapshot(new_uuid(), edit.record, position[0])
    return _replace_patient(conn, edit.record.patient_id, None, after, versions)


def _replace_patient(
    conn: sqlite3.Connection,
    patient_id: str,
    before: PatientSnapshot | None,
    after: PatientSnapshot | None,
    versions: SeenVersions,
) -> tuple[Changes, Edit]:
    """Returns what changed and the inverse, after making `patient_id` be exactly `after`."""
    if before is None and after is None:
        raise InputError(f"no patient {patient_id!r} in the study")
    new_id = patient_id if after is None else after.record.patient_id
    if new_id != (before and before.record.patient_id) and reads.snapshot(conn, new_id):
        raise InputError(f"patient {new_id!r} is already in the study")
    if before is not None:
        versions.check(conn, before.uuid)
    if after is not None and (before is None or before.record.extra != after.record.extra):
        _check_values(conn, after)
    _write_difference(conn, before, after)
    if after is not None:
        versions.bump(conn, [after.uuid])
    listed = (
        before is None
        or after is None
        or (before.record.patient_id, before.record.arm) != (new_id, after.record.arm)
    )
    changes = Changes(frozenset({patient_id, new_id}), patient_list=listed)
    return changes, RestorePatient(new_id, before)


def _check_values(conn: sqlite3.Connection, after: PatientSnapshot) -> None:
    """Raises InputError when one of the patient's values does not fit its declaration."""
    declared = {v.name: v for _, _, v in reads.variables(conn)}
    values = variable_values(after.record)
    reasons = [
        f"{name} {value!r} {problem}"
        for name, value in values.items()
        if name in declared and (problem := value_problem(declared[name], value))
    ]
    if reasons:
        raise InputError(f"{after.record.patient_id}: {'; '.join(reasons)}")


def _write_difference(
    conn: sqlite3.Connection, before: PatientSnapshot | None, after: PatientSnapshot | None
) -> None:
    """Writes only the rows of one patient that differ between two snapshots (fast edits)."""
    old = Rows() if before is None else snapshot_rows(before)
    new = Rows() if after is None else snapshot_rows(after)
    for table in reversed(COLUMNS):
        kept = {row[0] for row in getattr(new, table)}
        gone = [row[:1] for row in getattr(old, table) if row[0] not in kept]
        conn.executemany(f"DELETE FROM {table} WHERE uuid = ?", gone)
    ensure_names(conn, "arms", new.arms)
    ensure_names(conn, "readers", new.readers)
    for table in COLUMNS:
        known = {row[0]: row for row in getattr(old, table)}
        new_rows = getattr(new, table)
        # A new row takes a plain INSERT, so that a UUID in use elsewhere fails loudly.
        conn.executemany(INSERT[table], [r for r in new_rows if r[0] not in known])
        conn.executemany(UPSERT[table], [r for r in new_rows if known.get(r[0], r) != r])


def _now(time: str | None) -> str:
    return time or datetime.now(UTC).isoformat(timespec="seconds")


def _set_adjudication(
    conn: sqlite3.Connection, edit: SetAdjudication, versions: SeenVersions
) -> tuple[Changes, Edit]:
    """Writes or clears one adjudication (issue #7)."""
    edit.check()
    pid, day = edit.patient_id, iso(edit.scan_date) or ""
    uuid = reads.patient_uuid(conn, pid)
    read = conn.execute(
        "SELECT 1 FROM measurements m JOIN lesions l ON l.uuid = m.lesion_uuid"
        " JOIN scans s ON s.uuid = m.scan_uuid WHERE l.patient_uuid = ? AND m.reader = ?"
        " AND (?3 = '' OR s.scan_date = ?3) LIMIT 1",
        [uuid, edit.reader, day],
    ).fetchone()
    if edit.reader is not None and read is None:
        raise InputError(f"{edit.reader!r} has not read {pid} {edit.scan_date or ''}".strip())
    before = [a for a in reads.adjudications(conn, pid) if a.scan_date == edit.scan_date]
    versions.check(conn, uuid)
    conn.execute("DELETE FROM adjudications WHERE patient_uuid = ? AND scan_date = ?", [uuid, day])
    if edit.reader is not None:
        conn.execute(
            "INSERT INTO adjudications (uuid, patient_uuid, scan_date, reader, reason,"
            " adjudicator, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [edit.uuid or new_uuid(), uuid, day, edit.reader, edit.reason.strip()]
            + [edit.adjudicator, _now(edit.time)],
        )
    versions.bump(conn, [uuid])
    inverse = SetAdjudication(pid, None, scan_date=edit.scan_date)
    if before:
        old = before[0]
        inverse = SetAdjudication(
            pid, old.reader, old.reason, old.scan_date, old.adjudicator, old.uuid, old.time
        )
    return Changes(frozenset({pid})), inverse


def _set_read_complete(
    conn: sqlite3.Connection, edit: SetReadComplete, versions: SeenVersions
) -> tuple[Changes, Edit]:
    """Signs a read off or withdraws it (issue #7)."""
    pid, day = edit.patient_id, edit.scan_date.isoformat()
    check_name("reader", edit.reader, required=False)
    uuid = reads.patient_uuid(conn, pid)
    scan = "SELECT 1 FROM scans WHERE patient_uuid = ? AND scan_date = ?"
    if conn.execute(scan, [uuid, day]).fetchone() is None:
        raise InputError(f"{pid} has no scan on {day}")
    key = (edit.scan_date, edit.reader)
    before = [r for r in reads.read_signoffs(conn, pid) if (r.scan_date, r.reader) == key]
    versions.check(conn, uuid)
    ensure_names(conn, "readers", [edit.reader])
    conn.execute(
        "DELETE FROM read_signoffs WHERE patient_uuid = ? AND scan_date = ? AND reader = ?",
        [uuid, day, edit.reader],
    )
    if edit.complete:
        conn.execute(
            "INSERT INTO read_signoffs (uuid, patient_uuid, scan_date, reader, time)"
            " VALUES (?, ?, ?, ?, ?)",
            [edit.uuid or new_uuid(), uuid, day, edit.reader, _now(edit.time)],
        )
    versions.bump(conn, [uuid])
    old = before[0] if before else None
    inverse = SetReadComplete(
        pid, edit.scan_date, edit.reader, old is not None, old and old.uuid, old and old.time
    )
    return Changes(frozenset({pid})), inverse


def _set_settings(
    conn: sqlite3.Connection, edit: SetSettings, versions: SeenVersions
) -> tuple[Changes, Edit]:
    new = edit.settings
    new.check()
    before = reads.settings(conn)
    versions.check_settings(before)
    # An upsert, not INSERT OR REPLACE, so that the audit trail sees an update of the value.
    conn.executemany(
        "INSERT INTO settings (name, value) VALUES (?, ?)"
        " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        [(name, json.dumps(getattr(new, name))) for name, _, _ in SETTINGS if name != "origins"],
    )
    ensure_names(conn, "arms", [origin.arm for origin in new.origins])
    origins = {o.arm: (o.kind, o.detail) for o in new.origins}
    arms = [row[0] for row in reads.rows(conn, "SELECT name FROM arms ORDER BY rowid")]
    # Every arm in one statement each, so that only origins that change reach the audit trail.
    conn.executemany(
        "UPDATE arms SET origin_kind = ?, origin_detail = ? WHERE name = ?",
        [(*origins.get(arm, (None, None)), arm) for arm in arms],
    )
    versions.settings = new
    return Changes(settings=True), SetSettings(before)


#: The handler of each kind of edit.
_HANDLERS: dict[type, Callable[[sqlite3.Connection, Any, SeenVersions], tuple[Changes, Edit]]] = {
    **{kind: _edit_patient for kind in get_args(PatientEdit)},
    AddPatient: _add_patient,
    RestorePatient: _restore_patient,
    SetAdjudication: _set_adjudication,
    SetReadComplete: _set_read_complete,
    SetSettings: _set_settings,
    SetVariable: set_variable,
    SetAnalysisSet: set_analysis_set,
}
