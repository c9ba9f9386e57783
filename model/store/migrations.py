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

from model.store.clinical_schema import (
    CLINICAL_AUDITED,
    EVENT_COLUMNS,
    create_clinical_tables,
    move_extra_fields_to_values,
)
from model.store.schema_parts import audit_triggers, cascade

#: The study schema, oldest migration first.
MIGRATIONS = Migrations("nadir")


def migration_names() -> tuple[str, ...]:
    """Names of every migration this version of Nadir knows, oldest first."""
    return tuple(migration.name for migration in MIGRATIONS.pending(Database(memory=True)))


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
        foreign_keys=[cascade("scans", "patient_uuid", "patients")],
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
        foreign_keys=[cascade("lesions", "patient_uuid", "patients")],
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
            cascade("measurements", "lesion_uuid", "lesions"),
            cascade("measurements", "scan_uuid", "scans"),
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
        foreign_keys=[cascade("events", "patient_uuid", "patients")],
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
            cascade("overrides", "patient_uuid", "patients"),
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
        for sql in audit_triggers(table, key, patient, columns):
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
    for sql in audit_triggers("adjudications", "uuid", "ROW.patient_uuid", columns):
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
    for sql in audit_triggers("read_signoffs", "uuid", "ROW.patient_uuid", columns):
        db.execute(sql)


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
    create_clinical_tables(db)
    move_extra_fields_to_values(db)
    for column, kind in (("intent", str), ("margin", str), ("necrosis_pct", float)):
        db["events"].add_column(column, kind)
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_events_{action}")
    audited = {**CLINICAL_AUDITED, "events": ("uuid", "ROW.patient_uuid", EVENT_COLUMNS)}
    for table, (key, patient, columns) in audited.items():
        for sql in audit_triggers(table, key, patient, columns):
            db.execute(sql)


@MIGRATIONS()
def add_replaced_to_overrides(db: Database) -> None:
    """Keep with each override the rules' answer it replaced when made (NULL: not known).

    An override whose scan the rules now judge otherwise is stale: the
    measurements under it changed since the reader decided (issue 15, item 1).
    The overrides' audit triggers are made again to record the new column.
    """
    db["overrides"].add_column("replaced", str)
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_overrides_{action}")
    columns = ("scan_date", "reader", "response", "reason", "time", "replaced")
    for sql in audit_triggers("overrides", "uuid", "ROW.patient_uuid", columns):
        db.execute(sql)


def _refuse_changes(db: Database, table: str, what: str) -> None:
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}"
            f" BEGIN SELECT RAISE(ABORT, '{what} cannot be changed'); END"
        )


@MIGRATIONS()
def add_study_identity(db: Database) -> None:
    """Give the study an identity, made once and kept by every copy (issue 14, attack 1).

    A merge takes only a copy of the same study. A study from before this
    migration takes an identity derived from the first entry of its audit
    trail, which its copies share, so that copies migrated apart still match.
    """
    from model.store.identity import first_identity

    db.execute("CREATE TABLE study_identity (id TEXT NOT NULL, created_at TEXT NOT NULL) STRICT")
    db.execute("INSERT INTO study_identity (id, created_at) VALUES (?, ?)", first_identity(db.conn))
    _refuse_changes(db, "study_identity", "the study identity")
    db.execute(
        "CREATE TRIGGER study_identity_once BEFORE INSERT ON study_identity"
        " BEGIN SELECT RAISE(ABORT, 'a study has one identity'); END"
    )


@MIGRATIONS()
def chain_the_audit_trail(db: Database) -> None:
    """Chain each audit entry to the one before by a hash, and let only Nadir write the trail
    (model/store/audit_chain.py; issue 14, attack 2).

    Entries already there are chained now. Inserting into the audit tables
    needs nadir_audit_writer(), and chaining needs nadir_audit_hash(): the
    functions Nadir's connection has and the sqlite3 shell has not.
    """
    from model.store.audit_chain import HASH_ARGUMENTS, chain_existing
    from model.store.checks import rows_before_the_trail

    db.execute("CREATE TABLE audit_chain (id INTEGER PRIMARY KEY, hash TEXT NOT NULL) STRICT")
    chain_existing(db.conn)
    # A study from before the audit trail holds rows no entry made: listed once, here.
    db.execute(
        "CREATE TABLE audit_older_rows (table_name TEXT NOT NULL, row_key TEXT NOT NULL,"
        " PRIMARY KEY (table_name, row_key)) STRICT"
    )
    db.conn.executemany(
        "INSERT INTO audit_older_rows (table_name, row_key) VALUES (?, ?)",
        rows_before_the_trail(db.conn),
    )
    _refuse_changes(db, "audit_chain", "the audit trail")
    _refuse_changes(db, "audit_older_rows", "the audit trail")
    db.execute(
        "CREATE TRIGGER audit_chain_entry AFTER INSERT ON audit BEGIN"
        f" INSERT INTO audit_chain (id, hash) SELECT NEW.id, nadir_audit_hash({HASH_ARGUMENTS})"
        " FROM (SELECT 1) LEFT JOIN audit_sessions s ON s.id = NEW.session; END"
    )
    for table in ("audit", "audit_sessions", "audit_chain", "audit_older_rows"):
        db.execute(
            f"CREATE TRIGGER {table}_by_nadir_only BEFORE INSERT ON {table}"
            " WHEN nadir_audit_writer() IS NOT 1"
            " BEGIN SELECT RAISE(ABORT, 'only Nadir writes the audit trail'); END"
        )


@MIGRATIONS()
def add_analysis_sets(db: Database) -> None:
    """Create the saved analysis sets (issue 17): a subgroup's recipe, or a matched set's
    recipe with its members as a JSON list of [patient uuid, pair]; audited as study rows."""
    columns = ("name", "kind", "recipe", "members", "position")
    db.execute(
        "CREATE TABLE analysis_sets (uuid TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
        " kind TEXT NOT NULL, recipe TEXT NOT NULL, members TEXT, position INTEGER NOT NULL)"
        " STRICT"
    )
    for sql in audit_triggers("analysis_sets", "uuid", "NULL", columns):
        db.execute(sql)


@MIGRATIONS()
def add_response_cache(db: Database) -> None:
    """Keep each patient's best overall response with the version of the patient and the
    rules it was judged by (model/store/responses.py, issue 19): derived, so not audited."""
    db.execute(
        "CREATE TABLE response_cache (patient_uuid TEXT PRIMARY KEY"
        " REFERENCES patients(uuid) ON DELETE CASCADE, version INTEGER NOT NULL,"
        " rules TEXT NOT NULL, best TEXT, stale TEXT NOT NULL) STRICT"
    )
