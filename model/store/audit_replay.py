"""Whether a study's rows are what its audit trail says they are: the trail replayed backwards.

Starting from the audited rows as they are, each entry is undone, newest
first: an update must find its new value and puts the old one back, an insert
must find the row it wrote and takes it away, a delete must find no row and
puts back the one it removed, and an import's entry for a patient must find
the rows of theirs it wrote, whose digest it holds (model/store/import_record.py),
and takes them away. What is left must be the rows a study from before the
trail already held (audit_older_rows). A row changed, added or removed while
the triggers were away breaks one of these, and is named (issue 14, attack 2;
issue 19 for imports).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from model.store.import_record import (
    IMPORTED_TABLES,
    Audited,
    PatientImport,
    digest_tables,
    imported_digests,
    row_select,
    row_text,
)

#: A row of the replay: its table and key.
RowKey = tuple[str, str]

_ORDER = {table: place for place, table in enumerate(IMPORTED_TABLES)}


class Replay:
    """The audited rows of a study, undone entry by entry back to before its trail."""

    def __init__(self, conn: sqlite3.Connection, audited: Audited):
        self._conn = conn
        self._audited = audited
        #: Each row now: the text its audit entry writes, or its columns once changed.
        self.rows: dict[RowKey, str | dict[str, Any]] = {}
        self._owner: dict[RowKey, str | None] = {}
        self._of_patient: dict[str | None, set[RowKey]] = {}
        #: {import UUID: {table: its columns as recorded}}, from each import's whole entry.
        self._columns: dict[str, dict[str, list[str]]] = {}
        self.problems: dict[RowKey, str] = {}
        self._trail = conn.execute(
            "SELECT id, table_name, row_key, patient_uuid, action, field, old_value, new_value"
            " FROM audit ORDER BY id DESC"
        ).fetchall()
        quiet = _quiet_imports(self._trail, audited)
        self._checked = self._check_quiet(quiet)
        for table in audited:
            skipped = json.dumps([p for p, (_, entry) in quiet.items() if table in entry["tables"]])
            found = conn.execute(
                f"{row_select(table, audited)} WHERE coalesce({audited[table][1]}, '')"
                " NOT IN (SELECT value FROM json_each(?))",
                [skipped],
            )
            for owner, key, text in found:
                self._put((table, str(key)), text, owner)

    def _check_quiet(self, quiet: dict[str, tuple[int, dict]]) -> set[int]:
        """Returns the ids of the import entries checked at once: those of the patients whose
        rows the import wrote have no entry since, so that their rows now must be the rows
        the import wrote (their digest is taken by SQLite a patient at a time, not row by row
        in Python: model/store/import_record.py)."""
        patients = [
            PatientImport(p, e["patient_id"], tuple(e["tables"])) for p, (_, e) in quiet.items()
        ]
        for uuid, (digest, counts) in imported_digests(self._conn, patients, self._audited).items():
            entry = quiet[uuid][1]
            if digest != entry["sha256"]:
                self.problems[("patients", uuid)] = _import_changed(entry, counts)
        return {entry_id for entry_id, _ in quiet.values()}

    def run(self) -> Replay:
        """Undoes every entry of the trail, newest first; returns self."""
        for entry_id, table, key, patient, action, field, old, new in self._trail:
            if entry_id in self._checked:
                continue
            if action == "import":
                self._undo_import(table, key, new)
            elif table not in self._audited:
                continue
            elif action == "insert":
                self._undo_insert((table, key), new)
            elif action == "delete":
                self._undo_delete((table, key), old, patient)
            else:
                self._undo_update((table, key), field, old, new)
        return self

    def _put(self, row: RowKey, value: str | dict, owner: str | None) -> None:
        self.rows[row] = value
        self._owner[row] = owner
        self._of_patient.setdefault(owner, set()).add(row)

    def _take(self, row: RowKey) -> str | dict | None:
        value = self.rows.pop(row, None)
        self._of_patient.get(self._owner.pop(row, None), set()).discard(row)
        return value

    def _problem(self, row: RowKey, what: str) -> None:
        self.problems.setdefault(row, f"{row[0]} row {row[1]} was {what} without the audit trail")

    def _undo_insert(self, row: RowKey, recorded: str) -> None:
        now = self._take(row)
        if now is None:
            self._problem(row, "removed")
        elif now != recorded and not _as_recorded(recorded, _columns(now)):
            self._problem(row, "changed")

    def _undo_delete(self, row: RowKey, recorded: str, patient: str | None) -> None:
        if row in self.rows:
            self._problem(row, "added")
        self._put(row, recorded, patient)

    def _undo_update(self, row: RowKey, field: str, old: Any, new: Any) -> None:
        table, key = row
        owner = self._owner.get(row)
        now = self._take(row)
        if now is None:
            self._problem(row, "removed")
            return
        columns = _columns(now)
        if columns.get(field, new if field == self._audited[table][0] else None) != new:
            self._problem(row, "changed")
        if field == self._audited[table][0]:
            self._put((table, str(old)), columns, owner)
        else:
            columns[field] = old
            self._put(row, columns, owner)

    def _undo_import(self, table: str, key: str, recorded: str) -> None:
        entry = json.loads(recorded)
        if table == "import":
            self._columns[key] = entry["columns"]
            return
        tables = set(entry["tables"])
        mine = sorted(
            (row for row in self._of_patient.get(key, ()) if row[0] in tables),
            key=lambda row: _ORDER[row[0]],
        )
        columns = self._columns.get(entry["import"], {})
        by_table: dict[str, list[str]] = {}
        for table, row_key in mine:
            text = self._as_imported(table, self.rows[table, row_key], columns.get(table))
            by_table.setdefault(table, []).append(row_text(row_key, text))
        if digest_tables(by_table.items()) != entry["sha256"]:
            counts = {table: len(texts) for table, texts in by_table.items()}
            self.problems.setdefault(("patients", key), _import_changed(entry, counts))
        for row in mine:
            self._take(row)

    def _as_imported(self, table: str, row: str | dict, recorded: list[str] | None) -> str:
        """Returns the row as the import's digest took it: SQLite's json_object of the columns
        the import recorded (a later migration may have added columns, NULL in its rows)."""
        columns = list(self._audited[table][2])
        if isinstance(row, str) and recorded in (None, columns):
            return row
        values = _columns(row)
        names = recorded or columns
        pairs = ", ".join(f"'{name}', ?" for name in names)
        found = self._conn.execute(f"SELECT json_object({pairs})", [values.get(n) for n in names])
        return found.fetchone()[0]

    def left_over(self) -> list[RowKey]:
        """Returns the rows that no entry made, once the trail is undone."""
        return list(self.rows)


def _quiet_imports(trail: list[tuple], audited: Audited) -> dict[str, tuple[int, dict]]:
    """Returns {patient UUID: (id, content) of their newest import entry} for each patient no
    entry touched in the tables it wrote since, and whose tables have the columns it recorded.
    `trail` is newest first."""
    touched: dict[str | None, set[str]] = {}
    columns: dict[str, dict[str, list[str]]] = {}
    quiet: dict[str, tuple[int, dict]] = {}
    seen: set[str] = set()
    for entry_id, table, key, patient, action, _, _, new in trail:
        if action != "import":
            touched.setdefault(patient, set()).add(table)
            continue
        entry = json.loads(new)
        if table == "import":
            columns[key] = entry["columns"]
        elif key not in seen:
            seen.add(key)
            tables = set(entry["tables"])
            recorded = columns.get(entry["import"], {})
            same = all(recorded.get(t) == list(audited[t][2]) for t in tables)
            if same and not tables & touched.get(key, set()):
                quiet[key] = (entry_id, entry)
    return quiet


def _import_changed(entry: dict, counts: dict[str, int]) -> str:
    """Returns how a patient's imported rows no longer match their import's digest, in words:
    the tables whose rows were added or removed, else that rows were changed."""
    counted = "; ".join(
        f"{counts.get(table, 0)} {table} rows where the import wrote {entry['rows'].get(table, 0)}"
        for table in entry["tables"]
        if counts.get(table, 0) != entry["rows"].get(table, 0)
    )
    what = f"imported rows were changed ({counted})" if counted else "imported rows were changed"
    return f"patient {entry['patient_id']}'s {what} without the audit trail"


def _columns(row: str | dict) -> dict[str, Any]:
    return json.loads(row) if isinstance(row, str) else row


def _as_recorded(recorded: str, live: dict[str, Any]) -> bool:
    """True when the live row holds what the trail recorded; a column a later migration added
    is NULL in rows the trail recorded before it (e.g. a surgery's margin on older events)."""
    old = json.loads(recorded)
    return all(old.get(column) == value for column, value in live.items())
