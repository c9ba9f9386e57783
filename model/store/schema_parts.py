"""Pieces of the schema the migrations share: cascading foreign keys and audit triggers.

Kept apart from model/store/migrations.py so that the migrations of one issue
(model/store/clinical_schema.py) can use them without an import circle.
"""

from __future__ import annotations

from sqlite_utils.db import ForeignKey

#: What each audit row shares: who (the connection's session, see Store) and when.
_AUDIT_INSERT = (
    "INSERT INTO audit (session, time, action, table_name, row_key, patient_uuid, field,"
    " old_value, new_value) SELECT nadir_audit_session(),"
    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
)


def cascade(table: str, column: str, other: str, other_column: str = "uuid") -> ForeignKey:
    """A foreign key whose rows go with the row they point at."""
    return ForeignKey(table, column, other, other_column, on_delete="CASCADE")


def _row_json(row: str, columns: tuple[str, ...]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in columns) + ")"


def audit_triggers(table: str, key: str, patient: str, columns: tuple[str, ...]) -> list[str]:
    """Returns the triggers that record every insert, update and delete of `table`.

    Inserts and deletes take one audit row holding the whole row as JSON; an
    update takes one audit row per field whose value changed. An import holds
    the insert triggers back and records itself (model/store/import_record.py).
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
