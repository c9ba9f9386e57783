"""The reads of an open study: the Store's methods that hand out domain records.

A part of `Store` (model/store/study.py), kept apart by job: the queries are in
model/store/reads.py; these methods give them the Store's connection and note
the versions the caller builds edits on (model/store/versions.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from model.domain import Lesion, PatientRecord, StudyData, Variable
from model.editing.analysis_sets import AnalysisSet
from model.editing.clinical import StoredAdverseEvent
from model.editing.edits import Adjudication, Override, PatientSnapshot, ReadSignOff, StoredEvent
from model.errors import InputError
from model.rules.clinical import effective_variables
from model.settings import StudySettings
from model.store import audit, reads, responses
from model.store.audit import AuditEntry
from model.store.records import PATIENT_COLUMNS, patient_record

if TYPE_CHECKING:
    from sqlite_utils import Database

    from model.store.versions import SeenVersions


class StudyReads:
    """The reading half of a Store: every method reads through its connection."""

    _db: Database
    _versions: SeenVersions

    def _names(self, table: str) -> tuple[str, ...]:
        return tuple(
            r[0] for r in reads.rows(self._db.conn, f"SELECT name FROM {table} ORDER BY rowid")
        )

    def patient_ids(self) -> tuple[str, ...]:
        """Returns every patient_id, in the study's patient order."""
        found = reads.rows(self._db.conn, "SELECT patient_id FROM patients ORDER BY position")
        return tuple(r[0] for r in found)

    def arms(self) -> tuple[str, ...]:
        """Returns the names of the study's arms, in the order they were first named."""
        return self._names("arms")

    def readers(self) -> tuple[str, ...]:
        """Returns the readers named in the study ('' is the single unnamed reader)."""
        return self._names("readers")

    def patient(self, patient_id: str) -> PatientRecord:
        """Returns the patient's own fields; raises InputError for an unknown patient_id."""
        found = reads.rows(
            self._db.conn,
            f"SELECT {PATIENT_COLUMNS} FROM patients p WHERE patient_id = ?",
            [patient_id],
        )
        if not found:
            raise InputError(f"no patient {patient_id!r} in the study")
        return patient_record(found[0])

    def patients(self) -> tuple[PatientRecord, ...]:
        """Returns every patient's own fields, in the study's patient order (one query)."""
        found = reads.rows(
            self._db.conn, f"SELECT {PATIENT_COLUMNS} FROM patients p ORDER BY p.position"
        )
        return tuple(patient_record(row) for row in found)

    def kept_answers(self, settings: StudySettings) -> dict[str, responses.Answer]:
        """Returns {patient_id: (best overall response, stale overrides in words)} of each
        patient whose answer by `settings` was kept and still holds
        (model/store/responses.py)."""
        return responses.kept_answers(self._db.conn, responses.rules_of(settings))

    def patients_data(self, patient_ids: Sequence[str]) -> StudyData:
        """Returns the rows of the patients named, in interchange form and the study's order:
        one read for many patients (the navigator judges every patient in batches)."""
        marks = ", ".join("?" * len(patient_ids))
        return reads.study_data(
            self._db.conn, f"WHERE p.patient_id IN ({marks})", tuple(patient_ids)
        )

    def study_data(self) -> StudyData:
        """Returns the whole study in interchange form (what export writes)."""
        return reads.study_data(self._db.conn)

    def patient_data(self, patient_id: str) -> StudyData:
        """Returns one patient's rows in interchange form (fast: meant for every keystroke).

        Raises InputError for an unknown patient_id.
        """
        data = reads.study_data(self._db.conn, "WHERE p.patient_id = ?", (patient_id,))
        if not data.patients:
            raise InputError(f"no patient {patient_id!r} in the study")
        self._versions.saw(self._db.conn, patient_id)
        return data

    def lesions(self, patient_id: str) -> tuple[Lesion, ...]:
        """Returns the patient's lesions in their order, those without measurements included."""
        return reads.lesions(self._db.conn, patient_id)

    def events(self, patient_id: str) -> tuple[StoredEvent, ...]:
        """Returns the patient's events with their UUIDs (for UpdateEvent and RemoveEvent)."""
        return reads.events(self._db.conn, patient_id)

    def adverse_events(self, patient_id: str) -> tuple[StoredAdverseEvent, ...]:
        """Returns the patient's adverse events with their UUIDs, in their order."""
        return reads.adverse_events(self._db.conn, patient_id)

    def adverse_event_words(self, column: str) -> tuple[str, ...]:
        """Returns the distinct terms (`column` "term") or organ classes ("category") of the
        study's adverse events, sorted: what typing one completes from."""
        if column not in ("term", "category"):
            raise ValueError(f"no adverse event column {column!r} to complete")
        found = reads.rows(
            self._db.conn,
            f"SELECT DISTINCT {column} FROM adverse_events WHERE {column} IS NOT NULL"
            f" ORDER BY {column} COLLATE NOCASE",
        )
        return tuple(row[0] for row in found)

    def declared_variables(self) -> tuple[Variable, ...]:
        """Returns the study's declared variables, in their order (variables.csv)."""
        return tuple(v for _, _, v in reads.variables(self._db.conn))

    def stored_variables(self) -> list[tuple[str, int, Variable]]:
        """Returns the declared variables as (uuid, position, declaration), for a merge."""
        return reads.variables(self._db.conn)

    def analysis_sets(self) -> tuple[AnalysisSet, ...]:
        """Returns the study's saved analysis sets, in their order (issue 17)."""
        return tuple(s for _, _, s in reads.analysis_sets(self._db.conn))

    def stored_analysis_sets(self) -> list[tuple[dict[str, Any], AnalysisSet]]:
        """Returns each saved analysis set's stored columns with the set, for a merge."""
        conn = self._db.conn
        ids = reads.patient_ids_by_uuid(conn)
        return [(row, reads.decoded_set(row, ids)) for row in reads.analysis_set_rows(conn)]

    def values_of(self, name: str) -> tuple[str, ...]:
        """Returns the distinct values the study holds for variable `name`, sorted."""
        return tuple(sorted({v for _, _, v in reads.variable_values(self._db.conn, name)}))

    def variable_values(self) -> dict[str, dict[str, str]]:
        """Returns every patient's variable values, by patient_id then variable name."""
        values: dict[str, dict[str, str]] = {}
        for pid, name, value in reads.variable_values(self._db.conn):
            values.setdefault(pid, {})[name] = value
        return values

    def variables(self) -> tuple[Variable, ...]:
        """Returns every variable of the study: the declared ones, then those inferred from
        the values without a declaration (model/clinical.effective_variables)."""
        values = reads.variable_values(self._db.conn)
        return effective_variables(self.declared_variables(), [(n, v) for _, n, v in values])

    def overrides(self, patient_id: str | None = None) -> tuple[Override, ...]:
        """Returns the patient's response overrides (every patient's when None)."""
        return reads.overrides(self._db.conn, patient_id)

    def adjudications(self, patient_id: str | None = None) -> tuple[Adjudication, ...]:
        """Returns the patient's adjudications (every patient's when None)."""
        return reads.adjudications(self._db.conn, patient_id)

    def read_signoffs(self, patient_id: str | None = None) -> tuple[ReadSignOff, ...]:
        """Returns the sign-offs of complete reads of the patient (every patient's when None)."""
        return reads.read_signoffs(self._db.conn, patient_id)

    def settings(self) -> StudySettings:
        """Returns the study's settings (defaults for those never set)."""
        self._versions.settings = reads.settings(self._db.conn)
        return self._versions.settings

    def snapshot(self, patient_id: str) -> PatientSnapshot:
        """Returns every row of the patient with UUIDs; raises InputError for an unknown patient."""
        snapshot = reads.snapshot(self._db.conn, patient_id)
        if snapshot is None:
            raise InputError(f"no patient {patient_id!r} in the study")
        self._versions.saw(self._db.conn, patient_id)
        return snapshot

    def value(self, name: str, default: Any = None) -> Any:
        """Returns a study value kept beside the settings (e.g. the backup schedule), or default."""
        found = reads.rows(
            self._db.conn, "SELECT value FROM settings WHERE name = ?", [f"nadir.{name}"]
        )
        return json.loads(found[0][0]) if found else default

    def history(self, patient_id: str | None = None) -> tuple[AuditEntry, ...]:
        """Returns the audit trail of the patient (of the study's settings, arms and readers
        when None), oldest first; a patient removed or renamed is found by any id it had."""
        return audit.history(self._db.conn, patient_id)

    def audit_by_patient(self) -> dict[str | None, list[AuditEntry]]:
        """Returns the whole audit trail by the UUID of the patient each entry concerns."""
        return audit.audit_by_patient(self._db.conn)

    def first_change(self) -> str | None:
        """Returns the UTC time (ISO) of the study's earliest recorded change, None when none."""
        return audit.change_time(self._db.conn, latest=False)

    def last_change(self) -> str | None:
        """Returns the UTC time (ISO) of the study's latest recorded change, None when none."""
        return audit.change_time(self._db.conn, latest=True)
