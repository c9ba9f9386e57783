"""A study's identity: made once when the study is made, kept by every copy of its file.

`merge` takes only a copy of the same study (issue 14, attack 1): a file
whose identity differs is another study, however alike its patient ids.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from datetime import UTC, datetime


def first_identity(conn: sqlite3.Connection) -> tuple[str, str]:
    """Returns (identity, when made) for a study that has none yet.

    A new study gets a random one. A study from before identities takes one
    derived from the first entry of its audit trail (session and entry),
    which every copy of it shares, so that copies migrated apart still match.
    """
    first = conn.execute(
        "SELECT s.user, s.host, s.opened_at, a.time, a.action, a.table_name, a.row_key"
        " FROM audit a LEFT JOIN audit_sessions s ON s.id = a.session ORDER BY a.id LIMIT 1"
    ).fetchone()
    if first is None:
        return str(uuid.uuid4()), datetime.now(UTC).isoformat(timespec="seconds")
    digest = hashlib.sha256("\x1f".join(map(str, first)).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4)), str(first[3])


def study_identity(conn: sqlite3.Connection) -> str | None:
    """Returns the study's identity, None for a file without one."""
    try:
        found = conn.execute("SELECT id FROM study_identity").fetchone()
    except sqlite3.OperationalError:
        return None
    return found[0] if found else None
