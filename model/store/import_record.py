"""An import recorded in the audit trail by what came in, not by a copy of every row (issue 19).

An import writes its rows with the insert triggers of the imported tables held
back (`insert_triggers_held_back`), then records:

- one entry for the import as a whole (action `import`, table `import`): the
  files read (name, size, SHA-256), the rows written per table, the patients
  added and replaced, and the columns of each table as recorded; who and when
  are the entry's session and time, as for every entry;
- one entry per patient it wrote (action `import`, table `patients`, the
  patient's UUID): which of the patient's tables the import wrote, how many
  rows of each, and the SHA-256 of those rows as the audit trail writes a row
  (`digest_rows`).

A row deleted by an import (a patient's rows it replaces) and a patient's own
fields it updates are still audited row by row: the trail keeps what was
there before. So the trail still explains every row: replaying it backwards
from the rows as they are (model/store/audit_replay.py) reaches each patient's
import with the rows the import wrote, whose digest must match; and a merge
treats the patient's entry as an insert of each of those rows
(model/merge/changes.py). A 20,000-patient import adds 20,001 entries instead
of 600,000 copies of rows: the study file is a twelfth of the size.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The tables an import writes without an audit entry per row, in the order their rows are
#: digested. A patient's own row is among them only when the import adds the patient.
IMPORTED_TABLES = (
    "patients",
    "patient_values",
    "scans",
    "lesions",
    "measurements",
    "events",
    "adverse_events",
)

#: What a row of an audited table is in the trail: its key, its patient and its columns.
Audited = Mapping[str, tuple[str, str, tuple[str, ...]]]

#: Tables whose rows name their patient through another table's row (the same as the audit
#: triggers' subquery says, migrations.py): a measurement's patient is its lesion's.
_THROUGH = {"measurements": ("lesions", "lesion_uuid")}


@contextmanager
def insert_triggers_held_back(conn: sqlite3.Connection) -> Iterator[None]:
    """Drops the insert triggers of IMPORTED_TABLES while the block runs, inside the caller's
    transaction, and makes them again, the same SQL, before it ends: no other connection
    ever sees them gone, and a failed import rolls back to them. (A trigger that only
    decides not to fire still costs an import of 20,000 patients 5 s: holding it back is
    what lets an import near its floor.)"""
    names = [f"audit_{table}_insert" for table in IMPORTED_TABLES]
    marks = ", ".join("?" * len(names))
    triggers = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", names
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for _, sql in triggers:
        conn.execute(sql)


@dataclass(frozen=True)
class SourceFile:
    """A file an import read: its name, size in bytes and SHA-256 (hex)."""

    name: str
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> SourceFile:
        """Returns the description of the file at `path`."""
        with open(path, "rb") as file:
            digest = hashlib.file_digest(file, "sha256")
        return cls(path.name, path.stat().st_size, digest.hexdigest())


@dataclass(frozen=True)
class PatientImport:
    """One patient an import wrote: UUID, id, and the tables whose rows of theirs it wrote."""

    uuid: str
    patient_id: str
    tables: tuple[str, ...]


#: What separates a key from its row, rows, and tables in what a digest reads (SQL's
#: char(31) and char(30) in `imported_digests`): control characters, which json_object
#: escapes and UUIDs never hold.
_KEY, _ROW, _TABLE = "\x1f", "\x1e", "\x1d"


def digest_tables(tables: Iterable[tuple[str, list[str]]]) -> str:
    """Returns the SHA-256 (hex) of a patient's imported rows: per table (in IMPORTED_TABLES
    order, those with rows), each row as `row_text` gives it, in key order."""
    digest = hashlib.sha256()
    for table, rows in tables:
        rows.sort()  # by key: the key comes first, then a separator below any character
        digest.update(f"{table}{_TABLE}{_ROW.join(rows)}{_TABLE}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def row_text(key: str, text: str) -> str:
    """Returns a row as a digest reads it: its key, then the row as its audit entry writes it
    (SQLite's json_object of its audited columns)."""
    return f"{key}{_KEY}{text}"


def row_select(table: str, audited: Audited) -> str:
    """Returns the SELECT of (patient UUID, key, the row as audited) of `table`'s rows."""
    key, patient, columns = audited[table]
    return f"SELECT {patient}, ROW.{key}, {_as_audited(columns)} FROM {table} AS ROW"


def _as_audited(columns: Sequence[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', ROW.{c}" for c in columns) + ")"


def imported_digests(
    conn: sqlite3.Connection, patients: Sequence[PatientImport], audited: Audited
) -> dict[str, tuple[str, dict[str, int]]]:
    """Returns {patient UUID: (digest_tables of their rows in the tables each names, how many
    per table)}, as the study holds them now (an import reads back what it wrote; a check,
    what is there): SQLite joins each patient's rows of a table into one text, so that
    Python handles a patient, not a row, at a time."""
    wanted = {p.uuid: set(p.tables) for p in patients}
    tables: dict[str, list[tuple[str, list[str]]]] = {p.uuid: [] for p in patients}
    uuids = json.dumps(list(wanted))
    for table in IMPORTED_TABLES:
        key, patient, columns = audited[table]
        rows = f"{table} AS ROW"
        if table in _THROUGH:  # a join walks the index by patient: twice as fast
            parent, column = _THROUGH[table]
            rows = f"{parent} JOIN {rows} ON ROW.{column} = {parent}.uuid"
            patient = f"{parent}.patient_uuid"
        found = conn.execute(
            f"SELECT {patient}, group_concat(ROW.{key} || char(31) || {_as_audited(columns)},"
            f" char(30)) FROM {rows} WHERE {patient} IN (SELECT value FROM json_each(?))"
            f" GROUP BY {patient}",
            [uuids],
        )
        for owner, joined in found:
            if table in wanted[owner]:
                tables[owner].append((table, joined.split(_ROW)))
    return {
        uuid: (digest_tables(rows), {table: len(texts) for table, texts in rows})
        for uuid, rows in tables.items()
    }


def record_import(
    conn: sqlite3.Connection,
    patients: Sequence[PatientImport],
    counts: Mapping[str, int],
    sources: Sequence[SourceFile],
    audited: Audited,
    new_uuid: Callable[[], str],
) -> None:
    """Writes the audit entries of an import: one per patient in `patients`, then one for the
    whole import (`counts`: rows written per table; `sources`: the files read)."""
    import_uuid = new_uuid()
    digests = imported_digests(conn, patients, audited)
    entries = [
        ("patients", p.uuid, p.uuid, _patient_entry(import_uuid, p, *digests[p.uuid]))
        for p in patients
    ]
    whole = {
        "files": [vars(source) for source in sources],
        "rows": dict(counts),
        "patients": {
            "added": sum("patients" in p.tables for p in patients),
            "replaced": sum("patients" not in p.tables for p in patients),
        },
        "columns": {table: list(audited[table][2]) for table in IMPORTED_TABLES},
    }
    entries.append(("import", import_uuid, None, _json(whole)))
    conn.executemany(
        "INSERT INTO audit (session, time, action, table_name, row_key, patient_uuid, field,"
        " old_value, new_value) VALUES (nadir_audit_session(),"
        " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'import', ?, ?, ?, NULL, NULL, ?)",
        entries,
    )


def _patient_entry(
    import_uuid: str, patient: PatientImport, digest: str, counts: dict[str, int]
) -> str:
    return _json(
        {
            "import": import_uuid,
            "patient_id": patient.patient_id,
            "tables": list(patient.tables),
            "rows": counts,
            "sha256": digest,
        }
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
