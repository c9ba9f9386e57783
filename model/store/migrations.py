"""The schema of a study file (*.nadir) as forward migrations, applied in order by the store.

Each migration is named for what it does; a file records the ones applied
(sqlite-utils' `_sqlite_migrations` table). Never edit or reorder a migration
that has shipped: add a new one. The store backs the file up before applying
any pending migration to an existing study (design.md, "Store").

Rows a user creates have a UUID primary key, so that two copies of a study can
be merged later. A scan is `listed` when it came from scans.csv or was added
by hand, rather than implied by a measurement row: export writes listed scans
and scans without measurements to scans.csv, so that a study reads back the
same for every reader. Tables are STRICT; dates are ISO text; `extra` is a JSON
object of the `x_` columns of the interchange files, or NULL.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.db import ForeignKey
from sqlite_utils.migrations import Migrations

#: The study schema, oldest migration first.
MIGRATIONS = Migrations("nadir")


def migration_names() -> tuple[str, ...]:
    """Names of every migration this version of Nadir knows, oldest first."""
    return tuple(migration.name for migration in MIGRATIONS.pending(Database(memory=True)))


def _cascade(table: str, column: str, other: str, other_column: str = "uuid") -> ForeignKey:
    return ForeignKey(table, column, other, other_column, on_delete="CASCADE")


@MIGRATIONS()
def create_study_tables(db: Database) -> None:
    """Create settings, arms, readers, patients, scans, lesions, measurements, events, overrides."""
    db["settings"].create({"name": str, "value": str}, pk="name", strict=True)
    db["arms"].create(
        {"uuid": str, "name": str, "origin_kind": str, "origin_detail": str},
        pk="uuid",
        not_null=["name"],
        strict=True,
    )
    db["arms"].create_index(["name"], unique=True)
    db["readers"].create({"uuid": str, "name": str}, pk="uuid", not_null=["name"], strict=True)
    db["readers"].create_index(["name"], unique=True)
    _create_patients(db)
    _create_scans_and_lesions(db)
    _create_measurements(db)
    _create_events_and_overrides(db)


def _create_patients(db: Database) -> None:
    db["patients"].create(
        {
            "uuid": str,
            "patient_id": str,
            "arm": str,
            "start_date": str,
            "last_contact_date": str,
            "death_date": str,
            "sex": str,
            "age": float,
            "histology": str,
            "stage": str,
            "extra": str,
            "position": int,
        },
        pk="uuid",
        not_null=["patient_id", "arm", "start_date", "position"],
        foreign_keys=[ForeignKey("patients", "arm", "arms", "name", on_update="CASCADE")],
        strict=True,
    )
    db["patients"].create_index(["patient_id"], unique=True)
    db["patients"].create_index(["arm"])


def _create_scans_and_lesions(db: Database) -> None:
    db["scans"].create(
        {
            "uuid": str,
            "patient_uuid": str,
            "scan_date": str,
            "modality": str,
            "extra": str,
            "listed": int,
        },
        pk="uuid",
        not_null=["patient_uuid", "scan_date", "listed"],
        foreign_keys=[_cascade("scans", "patient_uuid", "patients")],
        strict=True,
    )
    db["scans"].create_index(["patient_uuid", "scan_date"], unique=True)
    db["lesions"].create(
        {
            "uuid": str,
            "patient_uuid": str,
            "lesion_id": str,
            "role": str,
            "site": str,
            "lymph_node": int,
            "position": int,
        },
        pk="uuid",
        not_null=["patient_uuid", "lesion_id", "role", "site", "lymph_node", "position"],
        foreign_keys=[_cascade("lesions", "patient_uuid", "patients")],
        strict=True,
    )
    db["lesions"].create_index(["patient_uuid", "lesion_id"], unique=True)


def _create_measurements(db: Database) -> None:
    db["measurements"].create(
        {
            "uuid": str,
            "lesion_uuid": str,
            "scan_uuid": str,
            "reader": str,
            "fragment": int,
            "status": str,
            "diameter_mm": float,
            "viable_mm": float,
            "irradiated": int,
            "extra": str,
        },
        pk="uuid",
        not_null=["lesion_uuid", "scan_uuid", "reader", "fragment", "status", "irradiated"],
        foreign_keys=[
            _cascade("measurements", "lesion_uuid", "lesions"),
            _cascade("measurements", "scan_uuid", "scans"),
            ForeignKey("measurements", "reader", "readers", "name", on_update="CASCADE"),
        ],
        strict=True,
    )
    db["measurements"].create_index(["lesion_uuid", "scan_uuid", "reader", "fragment"], unique=True)
    db["measurements"].create_index(["scan_uuid"])


def _create_events_and_overrides(db: Database) -> None:
    db["events"].create(
        {
            "uuid": str,
            "patient_uuid": str,
            "kind": str,
            "start_date": str,
            "end_date": str,
            "detail": str,
            "extra": str,
            "position": int,
        },
        pk="uuid",
        not_null=["patient_uuid", "kind", "start_date", "position"],
        foreign_keys=[_cascade("events", "patient_uuid", "patients")],
        strict=True,
    )
    db["events"].create_index(["patient_uuid"])
    db["overrides"].create(
        {
            "uuid": str,
            "patient_uuid": str,
            "scan_date": str,
            "reader": str,
            "response": str,
            "reason": str,
            "time": str,
        },
        pk="uuid",
        not_null=["patient_uuid", "scan_date", "reader", "response", "reason", "time"],
        foreign_keys=[
            _cascade("overrides", "patient_uuid", "patients"),
            ForeignKey("overrides", "reader", "readers", "name", on_update="CASCADE"),
        ],
        strict=True,
    )
    db["overrides"].create_index(["patient_uuid", "scan_date", "reader"], unique=True)


#: Tables whose rows the audit trail records, each with its key column, the expression that
#: names the row's patient (ROW is OLD or NEW), and its other columns. Frozen as shipped in
#: add_audit_trail: a later schema change adds a migration rather than editing these.
_AUDITED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "settings": ("name", "NULL", ("value",)),
    "arms": ("uuid", "NULL", ("name", "origin_kind", "origin_detail")),
    "readers": ("uuid", "NULL", ("name",)),
    "patients": (
        "uuid",
        "ROW.uuid",
        (
            "patient_id",
            "arm",
            "start_date",
            "last_contact_date",
            "death_date",
            "sex",
            "age",
            "histology",
            "stage",
            "extra",
            "position",
        ),
    ),
    "scans": ("uuid", "ROW.patient_uuid", ("scan_date", "modality", "extra", "listed")),
    "lesions": (
        "uuid",
        "ROW.patient_uuid",
        ("lesion_id", "role", "site", "lymph_node", "position"),
    ),
    "measurements": (
        "uuid",
        "(SELECT patient_uuid FROM lesions WHERE uuid = ROW.lesion_uuid)",
        (
            "lesion_uuid",
            "scan_uuid",
            "reader",
            "fragment",
            "status",
            "diameter_mm",
            "viable_mm",
            "irradiated",
            "extra",
        ),
    ),
    "events": (
        "uuid",
        "ROW.patient_uuid",
        ("kind", "start_date", "end_date", "detail", "extra", "position"),
    ),
    "overrides": (
        "uuid",
        "ROW.patient_uuid",
        ("scan_date", "reader", "response", "reason", "time"),
    ),
}

#: What each audit row shares: who (the connection's session, see Store) and when.
_AUDIT_INSERT = (
    "INSERT INTO audit (session, time, action, table_name, row_key, patient_uuid, field,"
    " old_value, new_value) SELECT nadir_audit_session(),"
    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
)


def _row_json(row: str, columns: tuple[str, ...]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in columns) + ")"


def _audit_triggers(table: str, key: str, patient: str, columns: tuple[str, ...]) -> list[str]:
    """Returns the triggers that record every insert, update and delete of `table`.

    Inserts and deletes take one audit row holding the whole row as JSON (a
    20,000-patient import stays one row per row written); an update takes one
    audit row per field whose value changed.
    """
    new, old = patient.replace("ROW", "NEW"), patient.replace("ROW", "OLD")
    fields = " UNION ALL ".join(
        f"SELECT '{c}' AS f, OLD.{c} AS o, NEW.{c} AS n" for c in (key, *columns)
    )
    return [
        f"CREATE TRIGGER audit_{table}_insert AFTER INSERT ON {table} BEGIN {_AUDIT_INSERT}"
        f"'insert', '{table}', NEW.{key}, {new}, NULL, NULL, {_row_json('NEW', columns)}; END",
        f"CREATE TRIGGER audit_{table}_update AFTER UPDATE ON {table} BEGIN {_AUDIT_INSERT}"
        f"'update', '{table}', NEW.{key}, {new}, f, o, n FROM ({fields}) WHERE o IS NOT n; END",
        f"CREATE TRIGGER audit_{table}_delete AFTER DELETE ON {table} BEGIN {_AUDIT_INSERT}"
        f"'delete', '{table}', OLD.{key}, {old}, NULL, {_row_json('OLD', columns)}, NULL; END",
    ]


#: Before a row goes, its measurements go explicitly, while the row they hang on (and so their
#: patient) can still be looked up: a foreign-key cascade would delete them after it.
_DELETE_MEASUREMENTS_FIRST = (
    "CREATE TRIGGER delete_measurements_of_lesion BEFORE DELETE ON lesions"
    " BEGIN DELETE FROM measurements WHERE lesion_uuid = OLD.uuid; END",
    "CREATE TRIGGER delete_measurements_of_scan BEFORE DELETE ON scans"
    " BEGIN DELETE FROM measurements WHERE scan_uuid = OLD.uuid; END",
    "CREATE TRIGGER delete_lesions_of_patient BEFORE DELETE ON patients"
    " BEGIN DELETE FROM lesions WHERE patient_uuid = OLD.uuid; END",
)


@MIGRATIONS()
def add_audit_trail(db: Database) -> None:
    """Create the append-only audit trail and the triggers that fill it (issue #8).

    Every insert, update and delete of study data writes audit rows, through
    any write path; each names the connection's session (user, host, Nadir
    version), which the Store provides as the SQL function
    nadir_audit_session(). A connection without that function cannot write to
    the study at all, and no one can change or delete an audit row.
    """
    db["audit_sessions"].create(
        {"id": int, "user": str, "host": str, "app_version": str, "opened_at": str},
        pk="id",
        not_null=["user", "host", "app_version", "opened_at"],
        strict=True,
    )
    db.execute(
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, session INTEGER, time TEXT NOT NULL,"
        " action TEXT NOT NULL, table_name TEXT NOT NULL, row_key TEXT NOT NULL,"
        " patient_uuid TEXT, field TEXT, old_value ANY, new_value ANY) STRICT"
    )
    for table in ("audit", "audit_sessions"):
        for action in ("UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}"
                " BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END"
            )
    for sql in _DELETE_MEASUREMENTS_FIRST:
        db.execute(sql)
    for table, (key, patient, columns) in _AUDITED.items():
        for sql in _audit_triggers(table, key, patient, columns):
            db.execute(sql)


@MIGRATIONS()
def add_version_to_patients(db: Database) -> None:
    """Count the writes to each patient, so that an edit built on an older read is refused."""
    db["patients"].add_column("version", int, not_null_default=0)


@MIGRATIONS()
def add_adjudications(db: Database) -> None:
    """Create the adjudications: which reader's read counts for a patient or a time point.

    `scan_date` is '' for the whole patient. No foreign key to the patient: a
    removed patient's adjudications stay, unseen, so that undoing the removal
    (which restores the patient's UUID) brings them back; they are audited
    like every study row (issue #7, part 3).
    """
    columns = ("patient_uuid", "scan_date", "reader", "reason", "adjudicator", "time")
    db["adjudications"].create(
        {"uuid": str, **dict.fromkeys(columns, str)},
        pk="uuid",
        not_null=list(columns),
        foreign_keys=[
            ForeignKey("adjudications", "reader", "readers", "name", on_update="CASCADE")
        ],
        strict=True,
    )
    db["adjudications"].create_index(["patient_uuid", "scan_date"], unique=True)
    for sql in _audit_triggers("adjudications", "uuid", "ROW.patient_uuid", columns):
        db.execute(sql)


@MIGRATIONS()
def add_read_signoffs(db: Database) -> None:
    """Create the sign-offs: a reader declares their read of a patient's time point complete.

    In a blinded double read a reader sees the other read of a time point only once both
    have signed it off (model/double_reading/visibility.py). Like adjudications, no foreign key
    to the
    patient, so that undoing a patient's removal brings them back; audited (issue #7).
    """
    columns = ("patient_uuid", "scan_date", "reader", "time")
    db["read_signoffs"].create(
        {"uuid": str, **dict.fromkeys(columns, str)},
        pk="uuid",
        not_null=list(columns),
        foreign_keys=[
            ForeignKey("read_signoffs", "reader", "readers", "name", on_update="CASCADE")
        ],
        strict=True,
    )
    db["read_signoffs"].create_index(["patient_uuid", "scan_date", "reader"], unique=True)
    for sql in _audit_triggers("read_signoffs", "uuid", "ROW.patient_uuid", columns):
        db.execute(sql)


#: Columns of the tables of issue 16 as audited (frozen as shipped, like _AUDITED).
_CLINICAL_AUDITED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "variables": ("uuid", "NULL", ("name", "type", "levels", "label", "unit", "extra", "position")),
    "patient_values": ("uuid", "ROW.patient_uuid", ("name", "value")),
    "adverse_events": (
        "uuid",
        "ROW.patient_uuid",
        (
            "term",
            "grade",
            "start_date",
            "end_date",
            "attribution",
            "serious",
            "category",
            "extra",
            "position",
        ),
    ),
}

#: The events columns as audited once surgery outcomes are added.
_EVENT_COLUMNS = (
    "kind",
    "start_date",
    "end_date",
    "detail",
    "extra",
    "position",
    "intent",
    "margin",
    "necrosis_pct",
)


@MIGRATIONS()
def add_variables_adverse_events_and_surgery(db: Database) -> None:
    """Create the study's baseline variables, their values, adverse events and surgery
    outcomes (issue 16; interchange 1.1).

    `variables` declares a variable (name without `x_`, `numeric` or `categorical`,
    its levels as a JSON list, first the reference); `patient_values` holds one value
    per patient and variable, keyed `<patient uuid>:<name>` so that a value keeps its
    key across edits and merges by variable. The `x_` fields a patient carried in
    patients.extra move there, every one of them a variable (undeclared: inferred,
    interchange 1.1), and patients.extra is left empty. Events gain intent, margin
    and necrosis_pct, and their audit triggers are made again to record them.
    """
    db["variables"].create(
        {
            "uuid": str,
            "name": str,
            "type": str,
            "levels": str,
            "label": str,
            "unit": str,
            "extra": str,
            "position": int,
        },
        pk="uuid",
        not_null=["name", "type", "levels", "position"],
        strict=True,
    )
    db["variables"].create_index(["name"], unique=True)
    db["patient_values"].create(
        {"uuid": str, "patient_uuid": str, "name": str, "value": str},
        pk="uuid",
        not_null=["patient_uuid", "name", "value"],
        foreign_keys=[_cascade("patient_values", "patient_uuid", "patients")],
        strict=True,
    )
    db["patient_values"].create_index(["patient_uuid", "name"], unique=True)
    db["patient_values"].create_index(["name"])
    _create_adverse_events(db)
    _move_extra_fields_to_values(db)
    for column, kind in (("intent", str), ("margin", str), ("necrosis_pct", float)):
        db["events"].add_column(column, kind)
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_events_{action}")
    audited = {**_CLINICAL_AUDITED, "events": ("uuid", "ROW.patient_uuid", _EVENT_COLUMNS)}
    for table, (key, patient, columns) in audited.items():
        for sql in _audit_triggers(table, key, patient, columns):
            db.execute(sql)


def _create_adverse_events(db: Database) -> None:
    db["adverse_events"].create(
        {
            "uuid": str,
            "patient_uuid": str,
            "term": str,
            "grade": int,
            "start_date": str,
            "end_date": str,
            "attribution": str,
            "serious": int,
            "category": str,
            "extra": str,
            "position": int,
        },
        pk="uuid",
        not_null=["patient_uuid", "term", "grade", "start_date", "serious", "position"],
        foreign_keys=[_cascade("adverse_events", "patient_uuid", "patients")],
        strict=True,
    )
    db["adverse_events"].create_index(["patient_uuid"])


def _move_extra_fields_to_values(db: Database) -> None:
    """Moves each patient's `x_` fields (patients.extra) into patient_values, before that table
    is audited; clearing patients.extra is audited as an update of each such patient."""
    db.execute(
        "INSERT INTO patient_values (uuid, patient_uuid, name, value)"
        " SELECT p.uuid || ':' || substr(j.key, 3), p.uuid, substr(j.key, 3), j.value"
        " FROM patients p, json_each(p.extra) j"
        " WHERE p.extra IS NOT NULL AND j.key LIKE 'x\\_%' ESCAPE '\\' AND j.value != ''"
    )
    db.execute(
        "INSERT INTO patient_values (uuid, patient_uuid, name, value)"
        " SELECT p.uuid || ':' || lower(j.key), p.uuid, lower(j.key), j.value"
        " FROM patients p, json_each(p.extra) j"
        " WHERE p.extra IS NOT NULL AND j.key NOT LIKE 'x\\_%' ESCAPE '\\' AND j.value != ''"
        " ON CONFLICT DO NOTHING"
    )
    db.execute("UPDATE patients SET extra = NULL WHERE extra IS NOT NULL")
