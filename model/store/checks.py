"""What opening a study checks beyond its file being whole: that its audit machinery is the one
Nadir made, its audit chain holds, and its data is what the audit trail says it is.

- The triggers and the audit tables must be exactly those the migrations
  create (sqlite_master against a study built afresh): a trigger dropped
  with the sqlite3 shell, even one put back afterwards, would have let
  writes through unrecorded meanwhile, which the next checks catch.
- The chain (model/store/audit_chain.py) must hold from the first entry on.
- Replaying the audit trail must give the study's rows as they are: a row
  changed, added or removed while the triggers were away is found.

A study that fails opens read-only, with the first problem named (issue 14,
attack 2). The trigger check is quick; the chain and the replay read the
whole trail, so the store runs them in the background on a large study.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache

from sqlite_utils import Database

from model.store.audit_chain import first_break
from model.store.audit_replay import Replay

#: Tables whose definition is checked besides every trigger: the audit trail's own.
_AUDIT_TABLES = ("audit", "audit_sessions", "audit_chain", "audit_older_rows", "study_identity")

#: Of the problems the replay finds, at most this many are named.
_MAX_NAMED = 5

_INSERT_TRIGGER = re.compile(r"audit_(\w+)_insert")
_AUDITED_ROW = re.compile(
    r"'insert', '\w+', NEW\.(\w+), (.*?), NULL, NULL, json_object\((.*)\); END$"
)


@cache
def expected_schema() -> dict[str, str]:
    """Returns {name: SQL} of every trigger and audit table a study of this Nadir has."""
    from model.store.migrations import MIGRATIONS

    db = Database(memory=True)
    # Migrations that move data fire the audit triggers, which name the writing session.
    db.conn.create_function("nadir_audit_session", 0, lambda: None)
    MIGRATIONS.apply(db)
    return _schema(db.conn)


def _schema(conn: sqlite3.Connection) -> dict[str, str]:
    marks = ", ".join("?" * len(_AUDIT_TABLES))
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        f" OR (type = 'table' AND name IN ({marks}))",
        _AUDIT_TABLES,
    )
    return dict(found.fetchall())


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """Returns each trigger or audit table that is missing, changed or foreign, in words."""
    expected, found = expected_schema(), _schema(conn)
    problems = [f"the trigger or table {name} is missing" for name in expected if name not in found]
    problems += [
        f"the trigger or table {name} is not the one Nadir made"
        for name, sql in found.items()
        if name in expected and sql != expected[name]
    ]
    problems += [f"a trigger {name} Nadir did not make" for name in found if name not in expected]
    return problems


def audited_tables(conn: sqlite3.Connection) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Returns {table: (key column, the SQL naming a row's patient, audited columns)}, read
    from the study's audit triggers (checked against Nadir's own by `schema_problems` first);
    the patient's SQL names the row `ROW`."""
    tables = {}
    for name, sql in _schema(conn).items():
        table = _INSERT_TRIGGER.fullmatch(name)
        audited = _AUDITED_ROW.search(sql or "")
        if table and audited:
            key, patient, columns = audited.groups()
            names = tuple(re.findall(r"'(\w+)', NEW\.\w+", columns))
            tables[table[1]] = (key, patient.replace("NEW.", "ROW."), names)
    return tables


def rows_before_the_trail(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Returns (table, key) of each row the audit trail has no entry making: in a study from
    before the trail, its older rows (recorded once, so that no row can join them later)."""
    return Replay(conn, audited_tables(conn)).run().left_over()


def unrecorded_changes(conn: sqlite3.Connection) -> list[str]:
    """Returns the rows that differ from what replaying the audit trail gives, in words."""
    replay = Replay(conn, audited_tables(conn)).run()
    older = set(conn.execute("SELECT table_name, row_key FROM audit_older_rows").fetchall())
    problems = list(replay.problems.values())
    problems += [
        f"{table} row {key} was added without the audit trail"
        for table, key in replay.left_over()
        if (table, key) not in older
    ]
    return problems[:_MAX_NAMED] + (
        [f"and {len(problems) - _MAX_NAMED} more rows"] if len(problems) > _MAX_NAMED else []
    )


def audit_problems(conn: sqlite3.Connection) -> list[str]:
    """Returns why the audit trail cannot be trusted (empty when it can): the chain's first
    break, then rows the trail does not explain."""
    broken = first_break(conn)
    return ([broken] if broken else []) + unrecorded_changes(conn)


def audit_size(conn: sqlite3.Connection) -> int:
    """Returns about how many audit entries the study holds (the newest entry's id)."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]


def check_size(conn: sqlite3.Connection) -> int:
    """Returns about how many audit entries and audited rows checking the trail reads (the
    largest row id of each: no table is counted)."""
    tables = ["audit", *audited_tables(conn)]
    return sum(
        conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0] for t in tables
    )
