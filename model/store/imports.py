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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from model.domain import StudyData, Variable
from model.progress import Progress, check_cancelled
from model.store.checks import audited_tables
from model.store.import_record import (
    IMPORTED_TABLES,
    PatientImport,
    SourceFile,
    insert_triggers_held_back,
    record_import,
)
from model.store.rows import COLUMNS, ImportPlan, Rows, new_uuid, plan_import, to_json
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


def named_patients(data: StudyData) -> list[str]:
    """Returns the ids of the patients `data` names in any table, in order of first mention:
    those an import adds or replaces."""
    tables = (data.patients, data.measurements, data.scans, data.events)
    return list(dict.fromkeys(row.patient_id for table in tables for row in table))


def import_study_data(
    conn: sqlite3.Connection,
    data: StudyData,
    versions: SeenVersions,
    progress: Progress | None,
    sources: Sequence[SourceFile] = (),
) -> ImportSummary:
    """Returns what was written, after writing `data` inside the caller's transaction and
    recording it in the audit trail as one import of `sources` (model/store/import_record.py).

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
    ensure_names(conn, "arms", plan.rows.arms)
    ensure_names(conn, "readers", plan.rows.readers)
    with insert_triggers_held_back(conn):
        _insert(conn, plan.rows, progress)
    _declare(conn, data.variables)
    if data.variables or plan.rows.patient_values:
        check_all_values(conn)
    versions.bump(conn, plan.replaced)
    rows = plan.rows
    counts = {table: len(getattr(rows, table)) for table in IMPORTED_TABLES}
    patients = _patients_written(data, existing, plan)
    record_import(conn, patients, counts, sources, audited_tables(conn), new_uuid)
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


def _patients_written(
    data: StudyData, existing: Mapping[str, tuple[str, int]], plan: ImportPlan
) -> list[PatientImport]:
    """Returns each patient the import wrote, with the tables whose rows of theirs it wrote:
    every table for a patient it adds; for one it replaces, the tables it replaced (their
    variable values only when the import lists the patient, as _insert replaces them)."""
    listed = {p.patient_id for p in data.patients}
    uuids = {row[1]: row[0] for row in plan.rows.patients}
    written = []
    for patient_id in named_patients(data):
        uuid = existing[patient_id][0] if patient_id in existing else uuids[patient_id]
        if patient_id not in existing:
            tables = IMPORTED_TABLES
        elif patient_id in listed:
            tables = IMPORTED_TABLES[1:]  # not their own row: its fields are updated
        else:
            tables = IMPORTED_TABLES[2:]  # nor their variable values: those are kept
        written.append(PatientImport(uuid, patient_id, tables))
    return written


def _insert(conn: sqlite3.Connection, rows: Rows, progress: Progress | None) -> None:
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
