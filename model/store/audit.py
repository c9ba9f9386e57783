"""The audit trail of a study: who changed which value of which row, when, with which Nadir.

The study file records it itself (model/store/migrations.py, add_audit_trail): SQLite
triggers write an audit row for every insert, update and delete, whatever the
write path, and refuse to change or delete audit rows. An insert or a delete
is one entry holding the whole row as JSON; an update is one entry per field
that changed. An import is recorded as what came in, one entry per patient and
one for its files, not as a copy of each row (model/store/import_record.py,
issue 19). `Store.history(patient_id)` reads a patient's entries.
The trail has no index by patient: one made an import half again as slow,
and reading one patient's history scans the trail instead (well under a
second for a 20,000-patient study).

Issue #8, part 1.
"""

from __future__ import annotations

import getpass
import json
import socket
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any


@dataclass(frozen=True)
class Session:
    """Who writes through one open Store: the user, their machine and Nadir's version."""

    user: str
    host: str
    app_version: str


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change: `action` is insert, update or delete of the row `row_key` of `table`,
    or import.

    An update names its `field` and holds the values before and after; an
    insert holds the new row (a JSON object of its columns) in `new_value`, a
    delete the old row in `old_value`, and `field` is None. An import's entry
    holds what it wrote as a JSON object in `new_value`: for the whole import
    (table `import`) the files read and the rows written; for a patient (table
    `patients`, their UUID) the tables of theirs it wrote and how many rows of
    each (model/store/import_record.py).
    """

    time: str
    user: str
    host: str
    app_version: str
    action: str
    table: str
    row_key: str
    field: str | None
    old_value: Any
    new_value: Any

    @property
    def what(self) -> str | None:
        """Returns the field changed, or for a setting its name (its field is always 'value')."""
        return self.row_key if self.table == "settings" else self.field

    def describe(self) -> str:
        """Returns the change in words: 'measurements.diameter_mm: 15.0 -> 18.0'."""
        if self.action == "update":
            return f"{self.table}.{self.what}: {_shown(self.old_value)} -> {_shown(self.new_value)}"
        if self.action == "import":
            return _imported(json.loads(self.new_value))
        row = self.new_value if self.action == "insert" else self.old_value
        fields = json.loads(row) if isinstance(row, str) else {}
        shown = ", ".join(f"{k}={_shown(v)}" for k, v in fields.items() if v is not None)
        return f"{self.action} {self.table} row: {shown}"


#: How an import's entry names the rows it wrote of each table.
_ROWS = {"patient_values": "variable values", "adverse_events": "adverse events"}


def _imported(entry: dict[str, Any]) -> str:
    """Returns an import's entry in words: 'imported patient P1: 3 scans, 9 measurements' or
    'imported 20 patients (20 new, 0 replaced) from measurements.csv (20,480 bytes, SHA-256
    9f2c0e1a7b3d...): 60 scans, 1,200 measurements'."""
    counts = ", ".join(
        f"{n:,} {_ROWS.get(table, table)}"
        for table, n in entry["rows"].items()
        if n and table != "patients"
    )
    if "patient_id" in entry:
        return f"imported patient {entry['patient_id']}: {counts or 'no rows'}"
    added, replaced = entry["patients"]["added"], entry["patients"]["replaced"]
    files = ", ".join(
        f"{f['name']} ({f['size']:,} bytes, SHA-256 {f['sha256'][:12]}...)" for f in entry["files"]
    )
    source = f"from {files}" if files else "not read from files"
    return (
        f"imported {added + replaced:,} patients ({added:,} new, {replaced:,} replaced) "
        f"{source}: {counts or 'no rows'}"
    )


def _shown(value: Any) -> str:
    return "(empty)" if value is None else str(value)


@cache
def app_version() -> str:
    """Returns the installed Nadir's version ('unknown' when it is not installed)."""
    try:
        return version("nadir")
    except PackageNotFoundError:
        return "unknown"


def current_session(user: str | None = None) -> Session:
    """Returns the session of this process: `user` (default: the login name), host, version."""
    if user is None:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
    return Session(user, socket.gethostname(), app_version())


#: The fields of an AuditEntry, then the UUID of the patient the entry concerns.
_AUDIT_SELECT = (
    "SELECT a.time, coalesce(s.user, ''), coalesce(s.host, ''), coalesce(s.app_version, ''),"
    " a.action, a.table_name, a.row_key, a.field, a.old_value, a.new_value, a.patient_uuid"
    " FROM audit a LEFT JOIN audit_sessions s ON s.id = a.session"
)


def history(conn: sqlite3.Connection, patient_id: str | None) -> tuple[AuditEntry, ...]:
    """Returns the audit trail of the patient (of the study's settings, arms and readers
    when None), oldest first; a patient removed or renamed is found by any id it had."""
    if patient_id is None:
        return _entries(conn, "a.patient_uuid IS NULL", [])
    found = conn.execute("SELECT uuid FROM patients WHERE patient_id = ?", [patient_id])
    uuids = [row[0] for row in found]
    if not uuids:
        uuids = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT row_key FROM audit WHERE table_name = 'patients' AND"
                " CASE action WHEN 'insert' THEN json_extract(new_value, '$.patient_id') = ?1"
                " WHEN 'import' THEN json_extract(new_value, '$.patient_id') = ?1"
                " WHEN 'delete' THEN json_extract(old_value, '$.patient_id') = ?1"
                " ELSE field = 'patient_id' AND ?1 IN (old_value, new_value) END",
                [patient_id],
            )
        ]
    marks = ", ".join("?" * len(uuids))
    return _entries(conn, f"a.patient_uuid IN ({marks})", uuids)


def audit_by_patient(conn: sqlite3.Connection) -> dict[str | None, list[AuditEntry]]:
    """Returns the whole audit trail in one read, oldest first, by the UUID of the patient
    each entry concerns (None: the study's settings, arms and readers); for a merge."""
    trails: dict[str | None, list[AuditEntry]] = {}
    for *entry, patient_uuid in conn.execute(f"{_AUDIT_SELECT} ORDER BY a.id"):
        trails.setdefault(patient_uuid, []).append(AuditEntry(*entry))
    return trails


def _entries(conn: sqlite3.Connection, where: str, params: list[str]) -> tuple[AuditEntry, ...]:
    found = conn.execute(f"{_AUDIT_SELECT} WHERE {where} ORDER BY a.id", params)
    return tuple(AuditEntry(*row[:-1]) for row in found)


def change_time(conn: sqlite3.Connection, latest: bool) -> str | None:
    """Returns the UTC time (ISO) of the study's latest (else earliest) recorded change."""
    order = "DESC" if latest else ""
    row = conn.execute(f"SELECT time FROM audit ORDER BY id {order} LIMIT 1").fetchone()
    return row[0] if row else None
