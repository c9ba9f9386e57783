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
