"""Concurrent use: one writer per study, a read-only view for others, no lost update.

Source: issue #8, part 4, and issue 14, attack 9 (an OS-level lock held for the
session, with a record STUDY.nadir.lock of host, pid, user and time for the
message; a dead process never blocks a study; Store.open(read_only=...)
refusing edits with a clear InputError; a patient changed underneath an edit
is detected, not overwritten); model/store/locking.py.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from dataclasses import replace

import pytest

from model.domain import Status
from model.editing.edits import SetObservation, SetSettings, UpdatePatient
from model.errors import InputError
from model.store.locking import StudyInUse, lock_path
from model.store.study import Store
from tests.model.store.builders import (
    FOLLOW_UP,
    ROOT,
    held_elsewhere,
    killed_holder,
    small_study,
)


@pytest.fixture
def path(tmp_path):
    """A study file holding small_study(), closed."""
    study = tmp_path / "s.nadir"
    with Store.open(study) as store:
        store.import_study_data(small_study())
    return study


def test_an_open_study_is_locked_privately_and_unlocked_on_close(path):
    with Store.open(path):
        holder = json.loads(lock_path(path).read_text())
        assert holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
        assert {"user", "time"} <= set(holder)
        assert stat.S_IMODE(lock_path(path).stat().st_mode) == 0o600
    assert not lock_path(path).exists()
    Store.open(path).close()  # and the OS lock was let go


def test_a_study_open_in_another_process_is_refused_with_who_has_it_and_what_to_do(path):
    with held_elsewhere(path):
        with pytest.raises(StudyInUse, match="dr_b on .* open it read-only") as caught:
            Store.open(path)
    assert caught.value.holder.user == "dr_b"
    assert "nothing to delete" in str(caught.value)
    assert isinstance(caught.value, InputError)
    Store.open(path).close()


def test_a_dead_process_never_blocks_a_study_whatever_its_record_says(path):
    """Attack 9: a lock record naming a pid now reused (here: our parent, which runs) used to
    block the study for good; only the OS lock counts, and it dies with its process."""
    killed_holder(path)
    holder = json.loads(lock_path(path).read_text())
    holder["pid"] = os.getppid()
    lock_path(path).write_text(json.dumps(holder))
    with Store.open(path) as store:
        assert store.patient_ids() == ("P1", "P2")
        assert json.loads(lock_path(path).read_text())["pid"] == os.getpid()


#: Opens the study at argv[1] as soon as argv[2] exists, says whether it was let in, and keeps
#: it until its standard input closes.
_RACER = """
import os, sys, time
from model.store.study import Store
from model.store.locking import StudyInUse
print("ready", flush=True)
while not os.path.exists(sys.argv[2]):
    time.sleep(0.001)
try:
    store = Store.open(sys.argv[1])
except StudyInUse:
    print("refused", flush=True)
else:
    print("held", flush=True)
    sys.stdin.read()
    store.close()
"""


def test_two_processes_finding_a_dead_lock_at_once_cannot_both_hold_it(path, tmp_path):
    """Attack 9: both used to take over the dead process's lock file at the same moment."""
    killed_holder(path)
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(path), str(go)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    assert [racer.stdout.readline().strip() for racer in racers] == ["ready"] * 3
    go.touch()
    outcomes = sorted(racer.stdout.readline().strip() for racer in racers)
    for racer in racers:
        racer.communicate("")
    assert outcomes == ["held", "refused", "refused"]


def test_read_only_refuses_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such study file"):
        Store.open(tmp_path / "missing.nadir", read_only=True)
    assert not (tmp_path / "missing.nadir").exists()


def test_stores_of_one_process_share_the_lock(path):
    """A worker thread opens its own Store on the open study (style.md, practice 3)."""
    with Store.open(path) as first:
        with Store.open(path) as second:
            assert second.patient_ids() == first.patient_ids()
        assert lock_path(path).exists()
    assert not lock_path(path).exists()


def test_an_edit_on_an_older_read_is_refused_not_overwriting(path):
    with Store.open(path, user="dr_a") as mine, Store.open(path, user="dr_b") as theirs:
        mine.patient_data("P1")
        theirs.patient_data("P1")
        theirs.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, 15.0))
        with pytest.raises(InputError, match="changed by someone else since you opened it"):
            mine.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, 11.0))
        assert [m.diameter_mm for m in mine.patient_data("P1").measurements if m.lesion_id == "T2"][
            -1
        ] == 15.0
        mine.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, 11.0))
        assert theirs.history("P1")[-1].user == "dr_a"


def test_own_edits_and_other_patients_do_not_trip_the_check(path):
    with Store.open(path) as mine, Store.open(path) as theirs:
        mine.snapshot("P1")
        theirs.apply(UpdatePatient("P2", replace(theirs.patient("P2"), sex="F")))
        for size in (10.0, 11.0, 12.0):
            mine.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, size))


def test_an_import_over_a_patient_trips_the_check_of_an_older_read(path):
    with Store.open(path) as mine, Store.open(path) as theirs:
        mine.patient_data("P2")
        theirs.import_study_data(small_study())
        with pytest.raises(InputError, match="reload"):
            mine.apply(UpdatePatient("P2", replace(mine.patient("P2"), sex="F")))


def test_a_settings_change_on_older_settings_is_refused(path):
    with Store.open(path) as mine, Store.open(path) as theirs:
        settings = mine.settings()
        theirs.apply(SetSettings(replace(theirs.settings(), confirm=True)))
        with pytest.raises(InputError, match="settings were changed by someone else"):
            mine.apply(SetSettings(replace(settings, min_sd_days=42)))
        assert mine.settings().confirm and mine.settings().min_sd_days == 0
        mine.apply(SetSettings(replace(mine.settings(), min_sd_days=42)))
        assert theirs.settings().confirm and theirs.settings().min_sd_days == 42


def test_a_study_from_an_older_nadir_reads_migrated_in_memory_without_writing(
    tmp_path, monkeypatch
):
    """A read-only view must not write the file, not even to update its schema."""
    from tests.model.store.test_crash_safety import old_study

    path = tmp_path / "old.nadir"
    before = old_study(path, monkeypatch)
    content = path.read_bytes()
    with Store.open(path, read_only=True) as store:
        assert store.study_data() == before and store.read_only
        with pytest.raises(InputError, match="open read-only"):
            first = store.patient_ids()[0]
            store.apply(UpdatePatient(first, store.patient(first)))
    assert path.read_bytes() == content
    assert list(tmp_path.glob("*.bak")) == []
