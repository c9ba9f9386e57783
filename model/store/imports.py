"""Importing interchange data into a study: all or nothing, in one transaction.

Each patient the import names (in any table) has its scans, lesions,
measurements and events replaced by the import's rows, and its own fields too
when it is in the data's patients; its UUID, place and overrides are kept.
Patients the import does not name are left alone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from model.domain import StudyData
from model.progress import Progress, check_cancelled
from model.store.rows import COLUMNS, Rows, plan_import
from model.store.versions import SeenVersions
from model.store.writes import INSERT, UPSERT, ensure_names

#: Rows per INSERT batch of an import, between progress reports.
_BATCH = 50_000

#: INSERT of each table for an import, which updates a patient already in the study.
_IMPORT = INSERT | {"patients": UPSERT["patients"]}


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: patient counts and row counts."""

    patients_added: int
    patients_replaced: int
    scans: int
    lesions: int
    measurements: int
    events: int

    def __str__(self) -> str:
        return (
            f"imported {self.patients_added + self.patients_replaced} patients "
            f"({self.patients_added} new, {self.patients_replaced} replaced), "
            f"{self.scans} scans, {self.lesions} lesions, {self.measurements} measurements, "
            f"{self.events} events"
        )


def named_patients(data: StudyData) -> list[str]:
    """Returns the ids of the patients `data` names in any table, in order of first mention:
    those an import adds or replaces."""
    tables = (data.patients, data.measurements, data.scans, data.events)
    return list(dict.fromkeys(row.patient_id for table in tables for row in table))


def import_study_data(
    conn: sqlite3.Connection, data: StudyData, versions: SeenVersions, progress: Progress | None
) -> ImportSummary:
    """Returns what was written, after writing `data` inside the caller's transaction.

    Raises InputError listing every problem, or Cancelled when `progress` asks.
    """
    # Read inside the transaction, so that the plan matches what it writes over.
    existing = {
        pid: (uuid, position)
        for pid, uuid, position in conn.execute("SELECT patient_id, uuid, position FROM patients")
    }
    next_position = 1 + max((position for _, position in existing.values()), default=-1)
    plan = plan_import(data, existing, next_position)
    for uuid in plan.replaced:
        for table in ("lesions", "scans", "events"):
            conn.execute(f"DELETE FROM {table} WHERE patient_uuid = ?", [uuid])
    _insert(conn, plan.rows, progress)
    versions.bump(conn, plan.replaced)
    rows = plan.rows
    return ImportSummary(
        plan.added,
        len(plan.replaced),
        len(rows.scans),
        len(rows.lesions),
        len(rows.measurements),
        len(rows.events),
    )


def _insert(conn: sqlite3.Connection, rows: Rows, progress: Progress | None) -> None:
    ensure_names(conn, "arms", rows.arms)
    ensure_names(conn, "readers", rows.readers)
    tables = [(table, getattr(rows, table)) for table in COLUMNS]
    total, done = sum(len(table_rows) for _, table_rows in tables), 0
    for table, table_rows in tables:
        for start in range(0, len(table_rows), _BATCH):
            check_cancelled(progress)
            batch = table_rows[start : start + _BATCH]
            conn.executemany(_IMPORT[table], batch)
            done += len(batch)
            if progress is not None:
                progress.report(done, total, f"writing {table}")
