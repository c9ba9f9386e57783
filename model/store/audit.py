"""The audit trail of a study: who changed which value of which row, when, with which Nadir.

The study file records it itself (model/store/migrations.py, add_audit_trail): SQLite
triggers write an audit row for every insert, update and delete, whatever the
write path, and refuse to change or delete audit rows. An insert or a delete
is one entry holding the whole row as JSON (so an import of 20,000 patients
writes one audit row per row, not one per field); an update is one entry per
field that changed. `Store.history(patient_id)` reads a patient's entries.
The trail has no index by patient: one made an import half again as slow,
and reading one patient's history scans the trail instead (well under a
second for a 20,000-patient study).

Issue #8, part 1.
"""

from __future__ import annotations

import getpass
import json
import socket
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any


@dataclass(frozen=True)
class Session:
    """Who writes through one open Store: the user, their machine and Nadir's version."""

    user: str
    host: str
    app_version: str


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change: `action` is insert, update or delete of the row `row_key` of `table`.

    An update names its `field` and holds the values before and after; an
    insert holds the new row (a JSON object of its columns) in `new_value`, a
    delete the old row in `old_value`, and `field` is None.
    """

    time: str
    user: str
    host: str
    app_version: str
    action: str
    table: str
    row_key: str
    field: str | None
    old_value: Any
    new_value: Any

    @property
    def what(self) -> str | None:
        """Returns the field changed, or for a setting its name (its field is always 'value')."""
        return self.row_key if self.table == "settings" else self.field

    def describe(self) -> str:
        """Returns the change in words: 'measurements.diameter_mm: 15.0 -> 18.0'."""
        if self.action == "update":
            return f"{self.table}.{self.what}: {_shown(self.old_value)} -> {_shown(self.new_value)}"
        row = self.new_value if self.action == "insert" else self.old_value
        fields = json.loads(row) if isinstance(row, str) else {}
        shown = ", ".join(f"{k}={_shown(v)}" for k, v in fields.items() if v is not None)
        return f"{self.action} {self.table} row: {shown}"


def _shown(value: Any) -> str:
    return "(empty)" if value is None else str(value)


@cache
def app_version() -> str:
    """Returns the installed Nadir's version ('unknown' when it is not installed)."""
    try:
        return version("nadir")
    except PackageNotFoundError:
        return "unknown"


def current_session(user: str | None = None) -> Session:
    """Returns the session of this process: `user` (default: the login name), host, version."""
    if user is None:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
    return Session(user, socket.gethostname(), app_version())
