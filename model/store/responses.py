"""Each patient's best overall response kept with the study, so that opening a large study
lists every answer at once (issue 19, item 5: "responses cached in the study and rebuilt
when stale").

A kept answer names the patient's version (patients.version, which every write to
the patient bumps) and the rules it was judged by (`rules`: the study's assessment
settings, its counting reader and Nadir's version, as text). It is used only while
both still hold, and goes with the patient. It is derived data: not audited, kept
outside any audit session, never exported or merged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from model.settings import StudySettings
from model.store.audit import app_version

#: A kept answer: the best overall response ("?" when the rules refuse the patient's rows,
#: None when not known) and the patient's stale overrides in words.
Answer = tuple[str | None, str]


def rules_of(settings: StudySettings) -> str:
    """Returns what an answer is judged by, as text: the response rules' settings, the
    counting reader and Nadir's version."""
    return f"{settings.assessment!r}; reader {settings.reader!r}; Nadir {app_version()}"


def kept_answers(conn: sqlite3.Connection, rules: str) -> dict[str, Answer]:
    """Returns {patient_id: answer} of each patient whose answer, judged by `rules`, was kept
    and still holds."""
    found = conn.execute(
        "SELECT p.patient_id, c.best, c.stale FROM response_cache c"
        " JOIN patients p ON p.uuid = c.patient_uuid"
        " WHERE c.version = p.version AND c.rules = ?",
        [rules],
    )
    return {patient_id: (best, stale) for patient_id, best, stale in found}


def keep_answers(conn: sqlite3.Connection, rules: str, answers: Mapping[str, Answer]) -> None:
    """Keeps `answers` {patient_id: answer}, judged from the patients' rows as they are now
    (at their current version)."""
    conn.executemany(
        "INSERT INTO response_cache (patient_uuid, version, rules, best, stale)"
        " SELECT uuid, version, ?, ?, ? FROM patients WHERE patient_id = ?"
        " ON CONFLICT(patient_uuid) DO UPDATE SET version = excluded.version,"
        " rules = excluded.rules, best = excluded.best, stale = excluded.stale",
        [(rules, best, stale, patient_id) for patient_id, (best, stale) in answers.items()],
    )
