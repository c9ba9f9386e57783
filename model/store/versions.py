"""Refusing an edit built on an old read: each patient row carries a version (issue #8, part 4).

A Store remembers the version of each patient it handed out and the settings it
last read; an edit of a patient (or of the settings) that another Store changed
since is refused. The check runs inside the edit's transaction, which holds
SQLite's write lock, so no write can slip in between the check and the edit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from model.errors import InputError, InputProblem
from model.settings import StudySettings

_RELOAD = "reload the study and make the change again"


class SeenVersions:
    """What one Store last read: each patient's version, and the settings."""

    def __init__(self, study: str) -> None:
        self._study = study
        #: patient uuid -> the version last read.
        self._patients: dict[str, int] = {}
        #: The settings last read, to refuse changes built on older ones.
        self.settings: StudySettings | None = None

    def saw(self, conn: sqlite3.Connection, patient_id: str) -> None:
        """Remembers the version of the patient the caller now builds edits on."""
        found = conn.execute(
            "SELECT uuid, version FROM patients WHERE patient_id = ?", [patient_id]
        )
        for uuid, version in found:
            self._patients[uuid] = version

    def check(self, conn: sqlite3.Connection, patient_uuid: str) -> None:
        """Raises InputError when another Store wrote the patient since it was last read here."""
        seen = self._patients.get(patient_uuid)
        row = conn.execute(
            "SELECT patient_id, version FROM patients WHERE uuid = ?", [patient_uuid]
        ).fetchone()
        if seen is not None and row is not None and row[1] != seen:
            message = f"patient {row[0]} was changed by someone else since you opened it; {_RELOAD}"
            raise InputError(InputProblem(message, file=self._study))

    def check_settings(self, current: StudySettings) -> None:
        """Raises InputError when the settings changed since they were last read here."""
        if self.settings is not None and current != self.settings:
            raise InputError(
                "the study's settings were changed by someone else since you opened them;"
                f" {_RELOAD}"
            )

    def bump(self, conn: sqlite3.Connection, patient_uuids: Iterable[str]) -> None:
        """Counts one more version of each patient, written by this Store."""
        uuids = [(uuid,) for uuid in patient_uuids]
        conn.executemany("UPDATE patients SET version = version + 1 WHERE uuid = ?", uuids)
        for (uuid,) in uuids:
            if uuid in self._patients:
                self._patients[uuid] += 1
