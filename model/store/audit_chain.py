"""The audit trail made tamper-evident: each entry chained to the one before by a hash.

Every audit row gets a row of `audit_chain` (same id) holding SHA-256 of the
previous entry's hash and of everything the entry says: its id, its session
(user, host, Nadir version, opened at), time, action, table, row, patient,
field, old and new value. The first entry chains to the study's identity
(model/store/identity.py), so that one study's trail cannot be grafted onto
another. The hash is computed by the function `nadir_audit_hash`, which only
Nadir's own connection has (the Store registers it, see `register`), called
from a trigger on `audit` (migrations.py, chain_the_audit_trail): the sqlite3
shell, lacking it, cannot add an entry at all, and a trigger refuses any
insert into the audit tables unless `nadir_audit_writer()` says Nadir is
writing. An entry removed, changed, inserted or reordered breaks the chain
from there on; `first_break` names the first such entry.

Limit: the hash has no secret (a study copied to another machine must still
verify), so someone who rewrites the whole chain with their own program can
forge it; `verify` prints the chain's head so that it can be written down
elsewhere (a lab book, an e-mail) and compared later.

Issue 14, attack 2.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from typing import Any

#: How an audit entry's hash is computed on insert (the SQL of the trigger's arguments).
HASH_ARGUMENTS = (
    "coalesce((SELECT hash FROM audit_chain WHERE id < NEW.id ORDER BY id DESC LIMIT 1),"
    " (SELECT id FROM study_identity)), NEW.id, NEW.session, s.user, s.host, s.app_version,"
    " s.opened_at, NEW.time, NEW.action, NEW.table_name, NEW.row_key, NEW.patient_uuid,"
    " NEW.field, NEW.old_value, NEW.new_value"
)

#: The same fields read back for verification, in the same order after the previous hash.
_ENTRIES = (
    "SELECT a.id, a.session, s.user, s.host, s.app_version, s.opened_at, a.time, a.action,"
    " a.table_name, a.row_key, a.patient_uuid, a.field, a.old_value, a.new_value, c.hash"
    " FROM audit a LEFT JOIN audit_sessions s ON s.id = a.session"
    " LEFT JOIN audit_chain c ON c.id = a.id"
)


#: Each SQLite value as JSON: NULL, integers, reals (exactly, as the shortest repr) and text
#: each written so that no value of another type gives the same text.
_ENCODE = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False, default=bytes.hex
).encode


def entry_hash(previous: str, *fields: Any) -> str:
    """Returns the hash (hex SHA-256) of an audit entry's `fields` chained to `previous`."""
    text = _ENCODE([previous, *fields])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def register(conn: sqlite3.Connection, writing: Callable[[], bool]) -> None:
    """Gives `conn` the functions the audit triggers call: the hash, and the flag saying
    Nadir itself is writing (`writing()`), without which the audit tables refuse inserts."""
    conn.create_function("nadir_audit_hash", 15, entry_hash, deterministic=True)
    conn.create_function("nadir_audit_writer", 0, lambda: 1 if writing() else 0)


def chain_existing(conn: sqlite3.Connection) -> None:
    """Chains every audit entry not chained yet (a study from before the chain), in order."""
    last = conn.execute("SELECT max(id) FROM audit_chain").fetchone()[0] or 0
    previous = _hash_before(conn, last + 1)
    rows = []
    for *fields, _ in conn.execute(f"{_ENTRIES} WHERE a.id > ? ORDER BY a.id", [last]):
        previous = entry_hash(previous, *fields)
        rows.append((fields[0], previous))
    conn.executemany("INSERT INTO audit_chain (id, hash) VALUES (?, ?)", rows)


def _hash_before(conn: sqlite3.Connection, entry_id: int) -> str:
    found = conn.execute(
        "SELECT hash FROM audit_chain WHERE id < ? ORDER BY id DESC LIMIT 1", [entry_id]
    ).fetchone()
    if found is not None:
        return found[0]
    return conn.execute("SELECT id FROM study_identity").fetchone()[0]


def first_break(conn: sqlite3.Connection) -> str | None:
    """Returns the first audit entry whose hash does not follow from the entries before it,
    in words, or None when the whole chain holds."""
    identity = conn.execute("SELECT id FROM study_identity").fetchone()
    previous = identity[0] if identity else ""
    count = 0
    for *fields, stored in conn.execute(f"{_ENTRIES} ORDER BY a.id"):
        count += 1
        previous = entry_hash(previous, *fields)
        if stored != previous:
            return _describe(fields, stored is None)
    chained = conn.execute("SELECT count(*) FROM audit_chain").fetchone()[0]
    if chained != count:
        return f"the chain holds {chained} hashes for {count} audit entries: entries were removed"
    return None


def _describe(fields: list, unchained: bool) -> str:
    entry_id, time, action, table, key, field = (fields[i] for i in (0, 6, 7, 8, 9, 11))
    user = fields[2] if fields[2] is not None else "an unknown session"
    what = f"{action} of {table} row {key}" + (f" field {field}" if field else "")
    why = "has no hash: Nadir did not write it" if unchained else "does not follow the chain"
    return f"audit entry {entry_id} ({what} by {user} at {time}) {why}"


def head(conn: sqlite3.Connection) -> str | None:
    """Returns the hash of the newest audit entry, None when the trail is empty."""
    found = conn.execute("SELECT hash FROM audit_chain ORDER BY id DESC LIMIT 1").fetchone()
    return found[0] if found else None
