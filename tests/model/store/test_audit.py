"""The audit trail: every insert, update and delete of study data is recorded, append-only.

Source: issue #8, part 1 (record table, row, field, old and new value, user,
time and app version for imports, edits, overrides and settings; the trail
cannot be edited from the app); model/store/migrations.py, add_audit_trail.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from contextlib import closing
from datetime import date

import pytest

from model.domain import Status
from model.editing.edits import (
    RemovePatient,
    SetObservation,
    SetOverride,
    SetSettings,
    UpdatePatient,
)
from model.importing import source_files
from model.interchange.study_files import read_study, write_study
from model.progress import Cancelled
from model.store.audit import app_version
from model.store.checks import schema_problems, unrecorded_changes
from model.store.study import Store
from tests.model.store.builders import BASELINE, FOLLOW_UP, small_study


@pytest.fixture
def study(tmp_path):
    """A study file holding small_study(), written by the user 'dr_a'."""
    with Store.open(tmp_path / "s.nadir", user="dr_a") as store:
        store.import_study_data(small_study())
        yield store


def rows_of(store: Store) -> int:
    """Returns how many study rows the store holds, arms and readers included."""
    tables = ("arms", "readers", "patients", "scans", "lesions", "measurements", "events")
    tables += ("patient_values", "adverse_events", "variables")
    return sum(store._db[table].count for table in tables)


def test_an_import_records_one_entry_per_patient_not_a_copy_of_each_row(study):
    """Issue 19: an import is audited as what came in; its rows are not copied into the trail."""
    (entry,) = study.history("P1")
    assert (entry.action, entry.table, entry.user, entry.app_version) == (
        "import",
        "patients",
        "dr_a",
        app_version(),
    )
    recorded = json.loads(entry.new_value)
    assert recorded["patient_id"] == "P1"
    data = study.patient_data("P1")
    assert recorded["rows"]["measurements"] == len(data.measurements)
    assert entry.describe().startswith("imported patient P1: ")
    imports = [e for e in study.history(None) if e.action == "import"]
    assert [e.table for e in imports] == ["import"]
    assert json.loads(imports[0].new_value)["patients"] == {"added": 2, "replaced": 0}
    assert study._db["audit"].count < rows_of(study) / 3


def test_an_import_names_the_files_it_read_with_their_sizes_and_hashes(tmp_path):
    folder = tmp_path / "in"
    write_study(small_study(), folder)
    with Store.open(tmp_path / "s.nadir") as store:
        store.import_study_data(read_study(folder), sources=source_files(folder))
        (entry,) = [e for e in store.history(None) if e.action == "import"]
    files = json.loads(entry.new_value)["files"]
    measurements = folder / "measurements.csv"
    assert {
        "name": "measurements.csv",
        "size": measurements.stat().st_size,
        "sha256": hashlib.sha256(measurements.read_bytes()).hexdigest(),
    } in files
    assert "measurements.csv (" in entry.describe()


def test_edits_after_an_import_are_still_recorded_field_by_field_and_the_trail_holds(study):
    study.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, diameter_mm=12.5))
    study.import_study_data(small_study())
    study.apply(RemovePatient("P2"))
    assert unrecorded_changes(study._db.conn) == []
    assert [e.action for e in study.history("P2")][-1] == "delete"


def test_an_edit_records_the_field_its_old_and_new_value(study):
    before = len(study.history("P1"))
    study.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, diameter_mm=11.5))
    (entry,) = study.history("P1")[before:]
    assert (entry.action, entry.table, entry.field) == ("update", "measurements", "diameter_mm")
    assert entry.new_value == 11.5 and entry.old_value != 11.5
    assert entry.user == "dr_a" and entry.time.endswith("Z")
    assert "diameter_mm" in entry.describe()


def test_an_override_and_a_patient_field_are_recorded(study):
    study.apply(SetOverride("P1", FOLLOW_UP, "", "PR", "reader judgement"))
    record = study.patient("P1")
    study.apply(UpdatePatient("P1", dataclasses.replace(record, arm="Control")))
    recent = study.history("P1")[-3:]
    assert [e.table for e in recent].count("overrides") == 1
    assert ("patients", "arm", record.arm, "Control") in [
        (e.table, e.field, e.old_value, e.new_value) for e in recent
    ]


def test_removing_a_patient_records_every_row_deleted_even_by_cascade(study):
    measurements = len(study.patient_data("P1").measurements)
    study.apply(RemovePatient("P1"))
    deleted = [e for e in study.history("P1") if e.action == "delete"]
    assert sum(e.table == "measurements" for e in deleted) == measurements
    assert {e.table for e in deleted} >= {"patients", "lesions", "scans", "measurements"}


def test_a_settings_change_is_in_the_study_history(study):
    settings = study.settings()
    study.apply(SetSettings(dataclasses.replace(settings, confirm=True)))
    study.apply(SetSettings(dataclasses.replace(settings, confirm=False)))
    (entry,) = [e for e in study.history(None) if e.action == "update"]
    assert (entry.table, entry.row_key, entry.old_value, entry.new_value) == (
        "settings",
        "confirm",
        "true",
        "false",
    )
    assert entry.describe() == "settings.confirm: true -> false"


def test_reimporting_a_patient_records_the_replaced_rows_as_deleted(study):
    before = len(study.history("P2"))
    study.import_study_data(small_study())
    actions = {e.action for e in study.history("P2")[before:]}
    assert actions == {"delete", "import"}


def test_a_removed_patients_history_is_found_by_the_id_they_were_imported_with(study):
    study.apply(RemovePatient("P1"))
    assert [e.action for e in study.history("P1")][0] == "import"


class _CancelledAfterFirstRows:
    """A Progress whose user cancels once the first rows are written."""

    cancelled = False

    def report(self, done: int, total: int, message: str) -> None:
        self.cancelled = True


def test_an_import_that_fails_while_writing_leaves_the_audit_triggers(study):
    with pytest.raises(Cancelled):
        study.import_study_data(small_study(), _CancelledAfterFirstRows())
    assert schema_problems(study._db.conn) == []
    assert unrecorded_changes(study._db.conn) == []


def test_audit_rows_cannot_be_changed_or_deleted(study):
    conn = study._db.conn
    with pytest.raises(sqlite3.IntegrityError, match="audit trail cannot be changed"):
        conn.execute("UPDATE audit SET new_value = 'forged'")
    with pytest.raises(sqlite3.IntegrityError, match="audit trail cannot be changed"):
        conn.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.IntegrityError, match="audit trail cannot be changed"):
        conn.execute("DELETE FROM audit_sessions")


def test_a_connection_outside_nadir_cannot_write_unrecorded(study):
    """No write path bypasses the trail: without the Store's session function, writes fail."""
    with closing(sqlite3.connect(study.path)) as conn:
        with pytest.raises(sqlite3.OperationalError, match="nadir_audit_session"):
            conn.execute("UPDATE measurements SET diameter_mm = 1")
    assert 1.0 not in [m.diameter_mm for m in study.study_data().measurements]


def test_history_finds_a_removed_or_renamed_patient_by_any_id_it_had(study):
    record = study.patient("P2")
    study.apply(UpdatePatient("P2", dataclasses.replace(record, patient_id="P2b")))
    assert study.history("P2") == study.history("P2b")
    study.apply(RemovePatient("P2b"))
    assert study.history("P2")[-1].action == "delete"
    assert study.history("nobody") == ()


def test_two_users_are_told_apart(tmp_path):
    path = tmp_path / "s.nadir"
    with Store.open(path, user="dr_a") as store:
        store.import_study_data(small_study())
    with Store.open(path, user="dr_b") as store:
        store.apply(SetObservation("P1", "T1", BASELINE, "", Status.MEASURED, diameter_mm=33.0))
        users = [e.user for e in store.history("P1")]
    assert users[0] == "dr_a" and users[-1] == "dr_b"


def test_last_change_is_the_time_of_the_newest_entry(study):
    study.apply(SetObservation("P1", "T1", FOLLOW_UP, "", Status.MEASURED, diameter_mm=9.0))
    assert study.last_change() == study.history("P1")[-1].time
    assert Store.in_memory().last_change() is None


def test_an_in_memory_study_keeps_a_trail_too():
    store = Store.in_memory()
    store.import_study_data(small_study())
    store.apply(SetObservation("P1", "T2", date(2024, 3, 1), "", Status.MEASURED, diameter_mm=13.0))
    assert store.history("P1")[-1].field == "diameter_mm"


def test_every_table_of_study_data_is_audited():
    """A table added by a later migration without audit triggers would escape the trail; the
    kept responses are derived from audited rows (model/store/responses.py)."""
    db = Store.in_memory()._db
    unaudited = {"_sqlite_migrations", "audit", "audit_sessions", "audit_chain", "audit_older_rows",
                 "study_identity", "response_cache"}  # fmt: skip
    triggers = set(db.triggers_dict)
    for table in set(db.table_names()) - unaudited:
        for action in ("insert", "update", "delete"):
            assert f"audit_{table}_{action}" in triggers, (table, action)
