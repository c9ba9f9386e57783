"""Reading a study: the SELECTs that give the domain's records, snapshots and settings.

Plain functions of an open connection, so that the Store (model/store/study.py)
and its write path (model/store/writes.py) read through the same queries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import Any

from model.domain import (
    Criteria,
    Lesion,
    MeasurementColumns,
    ScanRecord,
    StudyData,
    Variable,
)
from model.editing.analysis_sets import AnalysisSet, SetMember, read_recipe
from model.editing.clinical import StoredAdverseEvent
from model.editing.edits import (
    Adjudication,
    Override,
    PatientSnapshot,
    ReadSignOff,
    StoredEvent,
    StoredLesion,
    StoredMeasurement,
    StoredScan,
)
from model.errors import InputError
from model.settings import SETTINGS, StudySettings, TimeOrigin
from model.store.records import (
    ADVERSE_EVENT_COLUMNS,
    EVENT_COLUMNS,
    PATIENT_COLUMNS,
    ROLES,
    STATUSES,
    adverse_event_record,
    event_record,
    extra,
    iso_date,
    lesion_fields,
    measurement_columns,
    optional_date,
    patient_record,
    variable_record,
)


def rows(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
    """Returns every row `sql` selects with `params`."""
    return conn.execute(sql, tuple(params)).fetchall()


def patient_uuid(conn: sqlite3.Connection, patient_id: str) -> str:
    """Returns the UUID of the patient; raises InputError for an unknown patient_id."""
    found = rows(conn, "SELECT uuid FROM patients WHERE patient_id = ?", [patient_id])
    if not found:
        raise InputError(f"no patient {patient_id!r} in the study")
    return found[0][0]


def event_owner(conn: sqlite3.Connection, event_uuid: str) -> str:
    """Returns the patient_id of the event's patient; raises InputError for an unknown event."""
    return _owner(conn, "events", event_uuid, "event")


def _owner(conn: sqlite3.Connection, table: str, row_uuid: str, what: str) -> str:
    """Returns the patient_id of the patient of `table`'s row `row_uuid`; InputError naming
    `what` when there is no such row."""
    found = rows(
        conn,
        f"SELECT p.patient_id FROM {table} r JOIN patients p ON p.uuid = r.patient_uuid"
        " WHERE r.uuid = ?",
        [row_uuid],
    )
    if not found:
        raise InputError(f"no {what} {row_uuid} in the study")
    return found[0][0]


def study_data(conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> StudyData:
    """Returns the patients `where` selects (all by default) in interchange form."""
    patients = rows(
        conn, f"SELECT {PATIENT_COLUMNS} FROM patients p {where} ORDER BY p.position", params
    )
    # Scans implied by measurement rows stay implied (migrations.py, `listed`).
    scans = rows(
        conn,
        "SELECT p.patient_id, s.scan_date, s.modality, s.extra FROM scans s"
        f" JOIN patients p ON p.uuid = s.patient_uuid {where or 'WHERE 1'} AND (s.listed"
        " OR NOT EXISTS (SELECT 1 FROM measurements m WHERE m.scan_uuid = s.uuid))"
        " ORDER BY p.position, s.scan_date",
        params,
    )
    events = rows(
        conn,
        f"SELECT {EVENT_COLUMNS} FROM events e"
        f" JOIN patients p ON p.uuid = e.patient_uuid {where}"
        " ORDER BY p.position, e.position",
        params,
    )
    adverse = rows(
        conn,
        f"SELECT {ADVERSE_EVENT_COLUMNS} FROM adverse_events a"
        f" JOIN patients p ON p.uuid = a.patient_uuid {where}"
        " ORDER BY p.position, a.position",
        params,
    )
    return StudyData(
        patients=tuple(patient_record(row) for row in patients),
        measurements=measurements(conn, where, params),
        scans=tuple(
            ScanRecord(pid, date.fromisoformat(d), modality, extra(x))
            for pid, d, modality, x in scans
        ),
        events=tuple(event_record(row) for row in events),
        adverse_events=tuple(adverse_event_record(row) for row in adverse),
        variables=tuple(v for _, _, v in variables(conn)),
    )


def variables(conn: sqlite3.Connection) -> list[tuple[str, int, Variable]]:
    """Returns the study's declared variables as (uuid, position, declaration), in order."""
    found = rows(
        conn,
        "SELECT uuid, position, name, type, levels, label, unit, extra FROM variables"
        " ORDER BY position",
    )
    return [(u, position, variable_record(row)) for u, position, *row in found]


def variable_values(
    conn: sqlite3.Connection, name: str | None = None
) -> list[tuple[str, str, str]]:
    """Returns (patient_id, variable name, value) of every value (of variable `name` when
    given), in the study's patient order."""
    return rows(
        conn,
        "SELECT p.patient_id, v.name, v.value FROM patient_values v"
        " JOIN patients p ON p.uuid = v.patient_uuid WHERE ?1 IS NULL OR v.name = ?1"
        " ORDER BY p.position, v.rowid",
        [name],
    )


def adverse_events(conn: sqlite3.Connection, patient_id: str) -> tuple[StoredAdverseEvent, ...]:
    """Returns the patient's adverse events with their UUIDs, in their order."""
    found = rows(
        conn,
        f"SELECT a.uuid, a.position, {ADVERSE_EVENT_COLUMNS} FROM adverse_events a"
        " JOIN patients p ON p.uuid = a.patient_uuid WHERE p.patient_id = ? ORDER BY a.position",
        [patient_id],
    )
    return tuple(
        StoredAdverseEvent(u, adverse_event_record(row), position) for u, position, *row in found
    )


def adverse_event_owner(conn: sqlite3.Connection, ae_uuid: str) -> str:
    """Returns the patient_id of the adverse event's patient; InputError for an unknown one."""
    return _owner(conn, "adverse_events", ae_uuid, "adverse event")


def measurements(conn: sqlite3.Connection, where: str, params: tuple) -> MeasurementColumns:
    """Returns the measurement rows of the patients `where` selects, in reading order, by
    columns (records.measurement_columns).

    Each row names its lesion and scan by rowid, and a lesion's fields and a scan's date are
    read once each: texts SQLite hands over row by row are new Python objects every time,
    and 524,860 rows of them cost 1.4 s at 20,000 patients (issue 19).
    """
    lesions = {
        rowid: lesion_fields(row)
        for rowid, *row in rows(
            conn,
            "SELECT l.rowid, p.patient_id, l.lesion_id, l.role, l.site, l.lymph_node"
            f" FROM lesions l JOIN patients p ON p.uuid = l.patient_uuid {where}",
            params,
        )
    }
    scan_dates = {
        rowid: iso_date(text)
        for rowid, text in rows(
            conn,
            "SELECT s.rowid, s.scan_date FROM scans s"
            f" JOIN patients p ON p.uuid = s.patient_uuid {where}",
            params,
        )
    }
    # CROSS JOIN keeps this join order: patients, each one's scans by date, their rows.
    # Left to choose, SQLite walked every measurement and looked its lesion, scan and
    # patient up by UUID, 0.4 s more at 20,000 patients (issue 19).
    found = rows(
        conn,
        "SELECT l.rowid, s.rowid, m.status, m.diameter_mm, m.viable_mm, m.irradiated, m.reader,"
        " m.extra FROM patients p CROSS JOIN scans s ON s.patient_uuid = p.uuid"
        " CROSS JOIN measurements m ON m.scan_uuid = s.uuid"
        f" CROSS JOIN lesions l ON l.uuid = m.lesion_uuid {where}"
        " ORDER BY p.position, s.scan_date, l.position, m.reader, m.fragment",
        params,
    )
    return measurement_columns(lesions, scan_dates, found)


def lesions(conn: sqlite3.Connection, patient_id: str) -> tuple[Lesion, ...]:
    """Returns the patient's lesions in their order, those without measurements included.

    `irradiated` is true when any row of the lesion says so.
    """
    found = rows(
        conn,
        "SELECT l.lesion_id, l.role, l.site, l.lymph_node,"
        " EXISTS(SELECT 1 FROM measurements m WHERE m.lesion_uuid = l.uuid AND m.irradiated)"
        " FROM lesions l JOIN patients p ON p.uuid = l.patient_uuid"
        " WHERE p.patient_id = ? ORDER BY l.position",
        [patient_id],
    )
    return tuple(Lesion(i, ROLES[r], s, bool(n), bool(x)) for i, r, s, n, x in found)


def events(conn: sqlite3.Connection, patient_id: str) -> tuple[StoredEvent, ...]:
    """Returns the patient's events with their UUIDs (for UpdateEvent and RemoveEvent)."""
    found = rows(
        conn,
        f"SELECT e.uuid, e.position, {EVENT_COLUMNS} FROM events e"
        " JOIN patients p ON p.uuid = e.patient_uuid"
        " WHERE p.patient_id = ? ORDER BY e.position",
        [patient_id],
    )
    return tuple(StoredEvent(u, event_record(row), position) for u, position, *row in found)


def overrides(conn: sqlite3.Connection, patient_id: str | None) -> tuple[Override, ...]:
    """Returns the patient's response overrides (every patient's when None), by patient,
    scan date, then reader."""
    found = rows(
        conn,
        "SELECT o.uuid, p.patient_id, o.scan_date, o.reader, o.response, o.reason, o.time,"
        " o.replaced FROM overrides o JOIN patients p ON p.uuid = o.patient_uuid"
        " WHERE ?1 IS NULL OR p.patient_id = ?1 ORDER BY p.position, o.scan_date, o.reader",
        [patient_id],
    )
    return tuple(Override(u, pid, date.fromisoformat(d), *rest) for u, pid, d, *rest in found)


def adjudications(conn: sqlite3.Connection, patient_id: str | None) -> tuple[Adjudication, ...]:
    """Returns the patient's adjudications (every patient's when None), the whole-patient
    one first, then by scan date (issue #7)."""
    found = rows(
        conn,
        "SELECT a.uuid, p.patient_id, a.scan_date, a.reader, a.reason, a.adjudicator, a.time"
        " FROM adjudications a JOIN patients p ON p.uuid = a.patient_uuid"
        " WHERE ?1 IS NULL OR p.patient_id = ?1 ORDER BY p.position, a.scan_date",
        [patient_id],
    )
    return tuple(
        Adjudication(u, pid, optional_date(d or None), *rest) for u, pid, d, *rest in found
    )


def read_signoffs(conn: sqlite3.Connection, patient_id: str | None) -> tuple[ReadSignOff, ...]:
    """Returns the sign-offs of complete reads of the patient (every patient's when None),
    by patient, scan date and reader (issue #7)."""
    found = rows(
        conn,
        "SELECT r.uuid, p.patient_id, r.scan_date, r.reader, r.time"
        " FROM read_signoffs r JOIN patients p ON p.uuid = r.patient_uuid"
        " WHERE ?1 IS NULL OR p.patient_id = ?1 ORDER BY p.position, r.scan_date, r.reader",
        [patient_id],
    )
    return tuple(ReadSignOff(u, pid, date.fromisoformat(d), *rest) for u, pid, d, *rest in found)


def settings(conn: sqlite3.Connection) -> StudySettings:
    """Returns the study's settings (defaults for those never set)."""
    stored = {
        name: json.loads(value) for name, value in rows(conn, "SELECT name, value FROM settings")
    }
    values = {name: stored.get(name, default) for name, default, _ in SETTINGS if name != "origins"}
    values["criteria"] = Criteria(values["criteria"])
    values["cox_covariates"] = tuple(values["cox_covariates"])
    origins = rows(
        conn,
        "SELECT name, origin_kind, origin_detail FROM arms"
        " WHERE origin_kind IS NOT NULL ORDER BY rowid",
    )
    return StudySettings(**values, origins=tuple(TimeOrigin(*row) for row in origins))


def snapshot(conn: sqlite3.Connection, patient_id: str) -> PatientSnapshot | None:
    """Returns every row of the patient with UUIDs, None for an unknown patient."""
    found = rows(
        conn,
        f"SELECT p.uuid, p.position, {PATIENT_COLUMNS} FROM patients p WHERE patient_id = ?",
        [patient_id],
    )
    if not found:
        return None
    uuid, position, *fields = found[0]
    return PatientSnapshot(
        uuid=uuid,
        record=patient_record(fields),
        position=position,
        scans=tuple(
            StoredScan(u, date.fromisoformat(d), m, extra(x), bool(listed))
            for u, d, m, x, listed in rows(
                conn,
                "SELECT uuid, scan_date, modality, extra, listed FROM scans"
                " WHERE patient_uuid = ? ORDER BY scan_date",
                [uuid],
            )
        ),
        lesions=tuple(
            StoredLesion(u, i, ROLES[r], s, bool(n), pos)
            for u, i, r, s, n, pos in rows(
                conn,
                "SELECT uuid, lesion_id, role, site, lymph_node, position FROM lesions"
                " WHERE patient_uuid = ? ORDER BY position",
                [uuid],
            )
        ),
        measurements=_stored_measurements(conn, uuid),
        events=events(conn, patient_id),
        overrides=overrides(conn, patient_id),
        adverse_events=adverse_events(conn, patient_id),
    )


def _stored_measurements(conn: sqlite3.Connection, uuid: str) -> tuple[StoredMeasurement, ...]:
    found = rows(
        conn,
        "SELECT m.uuid, m.lesion_uuid, m.scan_uuid, m.reader, m.fragment, m.status,"
        " m.diameter_mm, m.viable_mm, m.irradiated, m.extra FROM measurements m"
        " JOIN lesions l ON l.uuid = m.lesion_uuid JOIN scans s ON s.uuid = m.scan_uuid"
        " WHERE l.patient_uuid = ? ORDER BY s.scan_date, l.position, m.reader, m.fragment",
        [uuid],
    )
    return tuple(
        StoredMeasurement(u, lu, su, r, f, STATUSES[st], d, v, bool(i), extra(x))
        for u, lu, su, r, f, st, d, v, i, x in found
    )


#: A saved analysis set's columns as stored and audited (migrations.add_analysis_sets).
SET_COLUMNS = ("uuid", "name", "kind", "recipe", "members", "position")


def analysis_set_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Returns each saved analysis set's columns as stored, in the sets' order (a merge
    compares them with the audit trail)."""
    found = rows(conn, f"SELECT {', '.join(SET_COLUMNS)} FROM analysis_sets ORDER BY position")
    return [dict(zip(SET_COLUMNS, row, strict=True)) for row in found]


def analysis_sets(conn: sqlite3.Connection) -> list[tuple[str, int, AnalysisSet]]:
    """Returns the saved analysis sets as (uuid, position, set), in order; a member whose
    patient has left the study is left out."""
    ids = patient_ids_by_uuid(conn)
    found = analysis_set_rows(conn)
    return [(row["uuid"], row["position"], decoded_set(row, ids)) for row in found]


def patient_ids_by_uuid(conn: sqlite3.Connection) -> dict[str, str]:
    """Returns every patient's patient_id by their UUID."""
    return dict(rows(conn, "SELECT uuid, patient_id FROM patients"))


def decoded_set(row: dict[str, Any], patient_ids: dict[str, str]) -> AnalysisSet:
    """The analysis set of a stored row, its members' patient UUIDs read as `patient_ids`."""
    members = tuple(
        SetMember(patient_ids[uuid], pair)
        for uuid, pair in json.loads(row["members"] or "[]")
        if uuid in patient_ids
    )
    return AnalysisSet(row["name"], read_recipe(row["kind"], row["recipe"]), members)
