"""The tables of baseline variables, patient values and adverse events (issue 16), as the
migration `add_variables_adverse_events_and_surgery` (model/store/migrations.py) makes them.
"""

from __future__ import annotations

from sqlite_utils import Database

from model.store.schema_parts import cascade

#: Columns of the tables of issue 16 as audited (frozen as shipped, like _AUDITED).
CLINICAL_AUDITED: dict[str, tuple[str, str, tuple[str, ...]]] = {
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
EVENT_COLUMNS = (
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


def create_clinical_tables(db: Database) -> None:
    """Creates the variables, patient_values and adverse_events tables and their indexes."""
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
        foreign_keys=[cascade("patient_values", "patient_uuid", "patients")],
        strict=True,
    )
    db["patient_values"].create_index(["patient_uuid", "name"], unique=True)
    db["patient_values"].create_index(["name"])
    _create_adverse_events(db)


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
        foreign_keys=[cascade("adverse_events", "patient_uuid", "patients")],
        strict=True,
    )
    db["adverse_events"].create_index(["patient_uuid"])


def move_extra_fields_to_values(db: Database) -> None:
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
