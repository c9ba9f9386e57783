"""Backups: consistent private copies on a schedule, kept in rotation, listed and restored;
a damaged study is reported with its newest backup, never half read.

Source: issue #8, part 3; model/store/backups.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from model.demo.cohort import demo_study
from model.domain import Status
from model.editing.edits import SetObservation
from model.errors import InputError
from model.store.backup_files import list_backups
from model.store.backups import (
    KEEP,
    backup_if_due,
    backup_now,
    every_hours,
    restore_backup,
    set_every_hours,
)
from model.store.study import Store
from model.store.study_file import DamagedStudy
from tests.model.store.builders import FOLLOW_UP, small_study, state
from tests.platforms import assert_owner_only


@pytest.fixture
def path(tmp_path):
    """A study file holding small_study(), closed."""
    study = tmp_path / "s.nadir"
    with Store.open(study) as store:
        store.import_study_data(small_study())
    return study


def change(store: Store, size: float) -> None:
    """Sets P1's T2 at the follow-up to `size` mm."""
    store.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, size))


def test_a_backup_is_a_private_consistent_copy(path):
    with Store.open(path) as store:
        change(store, 7.0)  # still in the write-ahead log
        backup = backup_now(store)
        before = state(store)
    assert_owner_only(backup)
    with Store.open(backup, read_only=True) as copy:
        assert state(copy) == before
    assert list_backups(path)[0].path == backup and list_backups(path)[0].kind == "auto"


def test_only_the_newest_scheduled_backups_are_kept(path):
    with Store.open(path) as store:
        made = [backup_now(store) for _ in range(KEEP + 3)]
    kept = [b.path for b in list_backups(path)]
    assert kept == made[::-1][:KEEP]


def test_a_backup_is_due_after_the_interval_when_the_study_changed(path):
    with Store.open(path) as store:
        assert every_hours(store) == 4.0
        assert backup_if_due(store) is None  # changed, but minutes ago, never backed up
        soon = datetime.now(UTC) + timedelta(hours=4, minutes=1)
        assert backup_if_due(store, now=soon) is not None  # 4 hours since the first change
        assert backup_if_due(store, now=soon) is None  # nothing changed since
        change(store, 8.0)
        assert backup_if_due(store) is None  # changed, but the backup is recent
        later = datetime.now(UTC) + timedelta(hours=4, seconds=30)
        assert backup_if_due(store, now=later) is not None
        set_every_hours(store, 0)
        change(store, 9.0)
        assert backup_if_due(store, now=later + timedelta(hours=9)) is None
        with pytest.raises(InputError, match="0 or more hours"):
            set_every_hours(store, -1)


def test_restoring_brings_the_backup_back_and_keeps_the_current_file(path):
    with Store.open(path) as store:
        backup = backup_now(store)
        before = state(store)
        change(store, 3.0)
        changed = state(store)
    kept = restore_backup(backup, path)
    assert kept.name.startswith("s.nadir.before-restore-")
    assert_owner_only(path)
    with Store.open(path) as store:
        assert state(store) == before
    with Store.open(kept, read_only=True) as store:
        assert state(store) == changed


def test_restoring_over_an_open_study_is_refused(path):
    with Store.open(path) as store:
        backup = backup_now(store)
        with pytest.raises(InputError, match="close the study first"):
            restore_backup(backup, path)


def test_a_backup_that_is_not_a_study_is_refused_and_nothing_changes(path, tmp_path):
    bogus = tmp_path / "bogus.bak"
    bogus.write_text("not a study\n" * 50)
    before = path.read_bytes()
    with pytest.raises(InputError, match="not a Nadir study"):
        restore_backup(bogus, path)
    assert path.read_bytes() == before
    assert list_backups(path) == ()


def damage(path) -> None:
    """Overwrites pages in the middle of the file, as a failing disk would."""
    with open(path, "r+b") as file:
        file.seek(path.stat().st_size // 2)
        file.write(b"\x5a" * 40_000)


def test_a_damaged_study_is_reported_with_its_newest_backup_then_restored(tmp_path):
    path = tmp_path / "big.nadir"
    with Store.open(path) as store:
        store.import_study_data(demo_study(60))
        backup = backup_now(store)
        before = state(store)
    damage(path)
    with pytest.raises(DamagedStudy, match="damaged") as caught:
        Store.open(path)
    assert str(path) in str(caught.value) and str(backup) in str(caught.value)
    kept = restore_backup(list_backups(path)[0].path, path)
    assert ".damaged-" in kept.name
    with Store.open(path) as store:
        assert state(store) == before


def test_a_file_that_is_no_database_offers_the_backup_too(path):
    with Store.open(path) as store:
        backup = backup_now(store)
    path.write_bytes(b"\0" * 8192)
    with pytest.raises(InputError, match=f"not a Nadir study.*{backup.name}"):
        Store.open(path)


def test_backups_of_a_study_named_with_glob_characters_are_listed(tmp_path):
    path = tmp_path / "trial [phase 2]*.nadir"
    with Store.open(path) as store:
        backup = backup_now(store)
    assert [b.path for b in list_backups(path)] == [backup]
