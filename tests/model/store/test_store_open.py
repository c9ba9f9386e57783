"""Opening a study file: schema migrations, version checks, refusals, backup, file settings.

Source: shared/design.md, "Store" (foreign keys on; WAL; a schema version with
forward migrations and a backup before each); the store helper's brief
(refuse non-Nadir and newer files with an InputError; files readable by the
owner only).
"""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

import model.store.study
from model.errors import InputError
from model.store.migrations import MIGRATIONS, migration_names
from model.store.study import Store
from model.store.study_file import APPLICATION_ID
from tests.model.store.builders import small_study, state, study_store
from tests.platforms import assert_owner_only, posix_only


def pragma(path, name: str):
    """Returns the value of PRAGMA `name` of the file at `path`, read by a fresh connection."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_new_file_gets_every_migration_and_the_nadir_marks(tmp_path):
    path = tmp_path / "new.nadir"
    Store.open(path).close()
    assert pragma(path, "application_id") == APPLICATION_ID
    assert pragma(path, "user_version") == len(migration_names())
    applied = [m.name for m in MIGRATIONS.applied(Database(path))]
    assert applied == list(migration_names())
    assert applied[:3] == ["create_study_tables", "add_audit_trail", "add_version_to_patients"]


def test_an_empty_file_is_refused_not_taken_for_a_new_study(tmp_path):
    """Issue 14, attack 3: a 0-byte file used to get a fresh schema written into it."""
    path = tmp_path / "empty.nadir"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="not a Nadir study.*an empty file"):
        Store.open(path)
    assert path.read_bytes() == b""


def test_an_sqlite_file_of_another_kind_is_refused_even_when_it_has_no_tables(tmp_path):
    path = tmp_path / "other.nadir"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 3")
    content = path.read_bytes()
    with pytest.raises(InputError, match="not a Nadir study"):
        Store.open(path)
    assert path.read_bytes() == content


def test_a_new_study_is_made_beside_and_linked_into_place_whole(tmp_path):
    path = tmp_path / "new.nadir"
    with Store.open(path) as store:
        assert store.patient_ids() == () and store.identity()
    assert pragma(path, "application_id") == APPLICATION_ID
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.nadir"]


def test_reopening_keeps_the_data_and_makes_no_backup(tmp_path):
    path = tmp_path / "s.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
        before = state(store)
    with Store.open(path) as store:
        assert state(store) == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".bak"] == []


@posix_only
def test_file_is_private_to_its_owner(tmp_path):
    path = tmp_path / "s.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        wal = tmp_path / "s.nadir-wal"
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600


def test_connection_has_wal_foreign_keys_and_busy_timeout(tmp_path):
    path = tmp_path / "s.nadir"
    with Store.open(path) as store:
        conn = store._db.conn
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert pragma(path, "journal_mode") == "wal"


def test_in_memory_study_is_built_like_a_file():
    store = Store.in_memory()
    assert store.path is None
    assert store._db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = store._db.table_names()
    assert tables[:10] == [
        "_sqlite_migrations",
        "settings",
        "arms",
        "readers",
        "patients",
        "scans",
        "lesions",
        "measurements",
        "events",
        "overrides",
    ]
    assert {"audit_sessions", "audit"} <= set(tables)


def test_missing_file_without_create_is_refused(tmp_path):
    with pytest.raises(InputError, match="no such study file"):
        Store.open(tmp_path / "missing.nadir", create=False)
    assert not (tmp_path / "missing.nadir").exists()


def test_study_in_a_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot create the study file"):
        Store.open(tmp_path / "no" / "such" / "folder.nadir")


def test_text_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.nadir"
    path.write_text("patient_id,arm\nP1,A\n" * 100)
    before = path.read_bytes()
    with pytest.raises(InputError, match="not a Nadir study"):
        Store.open(path)
    assert path.read_bytes() == before


def test_other_sqlite_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(InputError, match="not a Nadir study"):
        Store.open(path)
    assert path.read_bytes() == before


def test_study_from_a_newer_nadir_is_refused(tmp_path):
    path = tmp_path / "newer.nadir"
    Store.open(path).close()
    Database(path)["_sqlite_migrations"].insert(
        {"migration_set": "nadir", "name": "add_something_from_the_future", "applied_at": "x"}
    )
    with pytest.raises(InputError, match="newer version of Nadir"):
        Store.open(path)


def test_older_study_is_backed_up_then_migrated(tmp_path, monkeypatch):
    path = tmp_path / "old.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
        before = state(store)
    newer = Migrations("nadir")
    for migration in MIGRATIONS._migrations:
        newer(name=migration.name)(migration.fn)
    shipped = len(migration_names())

    @newer()
    def add_colour_to_arms(db: Database) -> None:
        db["arms"].add_column("colour", str)

    monkeypatch.setattr(model.store.study, "MIGRATIONS", newer)
    monkeypatch.setattr(
        model.store.study,
        "migration_names",
        lambda: tuple(m.name for m in newer.pending(Database(memory=True))),
    )
    with Store.open(path) as store:
        assert state(store) == before
    assert "colour" in Database(path)["arms"].columns_dict
    (backup,) = tmp_path.glob(f"old.nadir.v{shipped}-*.bak")
    assert_owner_only(backup)
    assert "colour" not in Database(backup)["arms"].columns_dict
    assert pragma(backup, "user_version") == shipped
    monkeypatch.undo()
    with Store.open(backup, create=False) as old:
        assert state(old)[1] == before[1]


def test_store_is_a_context_manager_that_closes():
    with study_store() as store:
        assert store.patient_ids() == ("P1", "P2")
    with pytest.raises(sqlite3.ProgrammingError):
        store.patient_ids()


def test_overrides_of_every_patient_are_listed_together():
    """The report counts every reader decision: overrides() without a patient lists all."""
    from datetime import date

    from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
    from model.editing.edits import SetOverride

    rows = tuple(
        MeasurementRecord(pid, day, "T1", Role.TARGET, Status.MEASURED, diameter_mm=20.0)
        for pid in ("P1", "P2")
        for day in (date(2024, 1, 1), date(2024, 2, 1))
    )
    patients = tuple(PatientRecord(pid, date(2024, 1, 1)) for pid in ("P1", "P2"))
    store = Store.in_memory()
    store.import_study_data(StudyData(patients=patients, measurements=rows))
    for pid in ("P2", "P1"):
        store.apply(SetOverride(pid, date(2024, 2, 1), "", "PD", "clinical judgement"))
    assert [o.patient_id for o in store.overrides()] == ["P1", "P2"]
    assert [o.patient_id for o in store.overrides("P2")] == ["P2"]


def test_a_large_study_read_once_can_be_opened_without_the_background_checks(tmp_path, monkeypatch):
    """Issue 19: `report` reads a study once and exits; the checks it would never hear of
    are not run, while those made on opening still are."""
    path = tmp_path / "s.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
    monkeypatch.setattr(model.store.study, "FULL_CHECK_BYTES", 0)
    monkeypatch.setattr(model.store.study, "SYNC_CHECK_SIZE", 0)
    with Store.open(path, read_only=True, background_checks=False) as store:
        assert store._checks._thread is None and store.problems == []
    with Store.open(path, read_only=True) as store:
        assert store._checks._thread is not None
