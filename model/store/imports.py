"""Importing interchange data into a study: all or nothing, in one transaction.

Each patient the import names (in any table) has its scans, lesions,
measurements, events and adverse events replaced by the import's rows, and its
own fields and variable values too when it is in the data's patients; its UUID,
place and overrides are kept. Patients the import does not name are left alone.
The import's variable declarations replace those of the same name; every value
must then fit its declaration (interchange 1.1).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from model.domain import StudyData, Variable
from model.progress import Progress, check_cancelled
from model.store.rows import COLUMNS, Rows, new_uuid, plan_import, to_json
from model.store.variables import check_all_values
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
    adverse_events: int = 0
    variables: int = 0

    def __str__(self) -> str:
        clinical = "".join(
            f", {count} {what}"
            for count, what in (
                (self.adverse_events, "adverse events"),
                (self.variables, "variables"),
            )
            if count
        )
        return (
            f"imported {self.patients_added + self.patients_replaced} patients "
            f"({self.patients_added} new, {self.patients_replaced} replaced), "
            f"{self.scans} scans, {self.lesions} lesions, {self.measurements} measurements, "
            f"{self.events} events{clinical}"
        )


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
        for table in ("lesions", "scans", "events", "adverse_events"):
            conn.execute(f"DELETE FROM {table} WHERE patient_uuid = ?", [uuid])
    own = [(existing[p.patient_id][0],) for p in data.patients if p.patient_id in existing]
    conn.executemany("DELETE FROM patient_values WHERE patient_uuid = ?", own)
    _insert(conn, plan.rows, progress)
    _declare(conn, data.variables)
    if data.variables or plan.rows.patient_values:
        check_all_values(conn)
    versions.bump(conn, plan.replaced)
    rows = plan.rows
    return ImportSummary(
        plan.added,
        len(plan.replaced),
        len(rows.scans),
        len(rows.lesions),
        len(rows.measurements),
        len(rows.events),
        len(rows.adverse_events),
        len(data.variables),
    )


def _declare(conn: sqlite3.Connection, variables: Sequence[Variable]) -> None:
    """Declares each variable of the import: a declaration of the same name is updated in
    place (keeping its UUID and place), a new one goes last (interchange 1.1, variables.csv)."""
    for variable in variables:
        conn.execute(
            "INSERT INTO variables (uuid, name, type, levels, label, unit, extra, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT 1 + coalesce(max(position), -1) FROM variables))"
            " ON CONFLICT(name) DO UPDATE SET type = excluded.type, levels = excluded.levels,"
            " label = excluded.label, unit = excluded.unit, extra = excluded.extra",
            [new_uuid(), variable.name, variable.type.value]
            + [json.dumps(list(variable.levels), ensure_ascii=False), variable.label]
            + [variable.unit, to_json(variable.extra)],
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
