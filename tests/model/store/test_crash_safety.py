"""Crash safety: a Nadir process killed (SIGKILL) in the middle of an edit, an import, a
migration or a restore leaves a study that opens, passes PRAGMA integrity_check and holds all
or none of the operation.

Source: issue #8, part 2; shared/design.md, "Store" (each edit is one transaction;
a crash loses at most the edit in flight). Each test starts a real process
doing the work, kills it at a random moment after it says it started, and
checks the file. `python -m tests.model.store.test_crash_safety KILLS` kills more
often (benchmarks-style) and prints the count.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from model.demo.cohort import demo_study
from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.store.backup_files import list_backups
from model.store.backups import backup_now, restore_backup
from model.store.study import Store

ROOT = Path(__file__).resolve().parents[3]

#: Kills per operation in the test suite (the whole file stays well under 30 s).
KILLS = 3

#: A study written by the Nadir before issue 16 (20 demo patients with x_ fields), checked in.
OLD_STUDY = ROOT / "tests" / "data" / "studies" / "v1-main.nadir"

#: Patients of the import that is killed.
IMPORT_PATIENTS = 300

#: Processes killed (not finished first), per operation.
KILLED: dict[str, int] = {}


def one_patient(size: float) -> StudyData:
    """Returns patient E1 with 10 target lesions at 6 scans, every diameter `size` mm."""
    scans = [date(2024, 1, 1) + timedelta(days=42 * k) for k in range(6)]
    rows = tuple(
        MeasurementRecord("E1", d, f"T{i}", Role.TARGET, Status.MEASURED, diameter_mm=size)
        for d in scans
        for i in range(10)
    )
    return StudyData(patients=(PatientRecord("E1", scans[0]),), measurements=rows)


def work(operation: str, path: str) -> None:
    """The killed process: says 'started', then does `operation` on the study at `path`."""
    print("started", flush=True)
    if operation == "migrate":
        Store.open(path).close()
    elif operation == "import":
        with Store.open(path) as store:
            store.import_study_data(demo_study(IMPORT_PATIENTS))
    elif operation == "restore":
        for k in range(1, 10**6):
            restore_backup(list_backups(path)[-1].path, path)
            print(k, flush=True)
    else:
        with Store.open(path) as store:
            for k in range(1, 10**6):
                store.import_study_data(one_patient(float(k)))
                print(k, flush=True)


def kill_during(operation: str, path: Path, window: float, skip: int = 0) -> list[str]:
    """Returns the lines the process printed, after killing it at random within `window` s
    of its `skip`-th line after 'started' (unless it finished first; KILLED counts kills)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.model.store.test_crash_safety", operation, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "started"
    skipped = [process.stdout.readline().strip() for _ in range(skip)]
    time.sleep(random.uniform(0, window))
    process.send_signal(signal.SIGKILL)
    lines = skipped + process.stdout.read().split()
    process.wait()
    assert process.returncode in (0, -signal.SIGKILL)
    KILLED[operation] = KILLED.get(operation, 0) + (process.returncode != 0)
    return lines


def assert_sound(path: Path) -> None:
    """Fails unless a fresh connection finds the file whole (PRAGMA integrity_check)."""
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_killed_edits_leave_the_last_committed_edit_or_the_one_in_flight(tmp_path):
    path = tmp_path / "edits.nadir"
    with Store.open(path) as store:
        store.import_study_data(one_patient(0.0))
    previous, commits = 0.0, 0
    for attempt in range(KILLS):
        # The first process is killed after its first edit, so that some edit commits.
        committed = kill_during("edit", path, window=0.6, skip=int(attempt == 0))
        assert_sound(path)
        with Store.open(path) as store:
            rows = store.patient_data("E1").measurements
        assert len(rows) == 60
        (size,) = {m.diameter_mm for m in rows}  # all or none of the edit in flight
        # Each process counts its edits from 1; one killed before its first commit leaves
        # the previous process's last edit, or its own first.
        last = int(committed[-1]) if committed else None
        assert size in ({previous, 1.0} if last is None else {float(last), float(last + 1)})
        previous, commits = size, commits + len(committed)
    assert commits > 0  # the processes did commit edits before they were killed


def test_a_killed_import_leaves_all_or_none_of_it(tmp_path):
    reference = Store.in_memory()
    reference.import_study_data(demo_study(IMPORT_PATIENTS))
    expected = reference.study_data()
    outcomes = set()
    for attempt in range(KILLS):
        path = tmp_path / f"import{attempt}.nadir"
        Store.open(path).close()
        kill_during("import", path, window=0.8)
        assert_sound(path)
        with Store.open(path) as store:
            data = store.study_data()
        assert data in (StudyData(), expected)
        outcomes.add(bool(data.patients))
    assert outcomes  # the window is wide enough to see both, but either is right


@contextmanager
def plain_transaction(store: Store) -> Iterator[sqlite3.Connection]:
    """A transaction of the first schema, which has no audit trail and no versions."""
    with store._db.atomic():
        yield store._db.conn


def old_study(path: Path, monkeypatch: pytest.MonkeyPatch) -> StudyData:
    """Puts at `path` a study written by an older Nadir (tests/data/studies/v1-main.nadir, the
    schema before issue 16); returns what it holds once migrated."""
    shutil.copyfile(OLD_STUDY, path)
    with tempfile.TemporaryDirectory() as folder:
        migrated = Path(folder) / "migrated.nadir"
        shutil.copyfile(OLD_STUDY, migrated)
        with Store.open(migrated) as store:
            return store.study_data()


def test_a_killed_migration_leaves_a_study_that_opens_with_its_data(tmp_path, monkeypatch):
    original = tmp_path / "original.nadir"
    before = old_study(original, monkeypatch)
    for attempt in range(KILLS):
        path = tmp_path / f"old{attempt}.nadir"
        shutil.copyfile(original, path)
        kill_during("migrate", path, window=0.3)
        assert_sound(path)
        with Store.open(path) as store:
            assert store.study_data() == before
        for backup in tmp_path.glob(f"old{attempt}.nadir.*.bak"):
            assert_sound(backup)


def test_a_killed_restore_leaves_the_study_before_or_after_it(tmp_path):
    """A restore replaces the study's file: killed anywhere, the study is one or the other."""
    path = tmp_path / "r.nadir"
    with Store.open(path) as store:
        store.import_study_data(one_patient(1.0))
        backup_now(store)  # the oldest backup, which the process restores again and again
        store.import_study_data(one_patient(2.0))
    for attempt in range(KILLS):
        kill_during("restore", path, window=0.6, skip=int(attempt == 0))
        assert_sound(path)
        with Store.open(path) as store:
            sizes = {m.diameter_mm for m in store.patient_data("E1").measurements}
        assert sizes in ({1.0}, {2.0})
        for backup in list_backups(path):
            assert_sound(backup.path)
    assert sizes == {1.0}


def kill_many(kills: int) -> None:
    """Kills `kills` edits, imports, migrations and restores each; prints how many left a
    sound study."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        folder = Path(tmp)
        tests = (
            test_killed_edits_leave_the_last_committed_edit_or_the_one_in_flight,
            test_a_killed_import_leaves_all_or_none_of_it,
        )
        global KILLS
        KILLS = kills
        for number, test in enumerate(tests):
            (folder / str(number)).mkdir()
            test(folder / str(number))
        (folder / "m").mkdir()
        test_a_killed_migration_leaves_a_study_that_opens_with_its_data(folder / "m", patch)
        (folder / "r").mkdir()
        test_a_killed_restore_leaves_the_study_before_or_after_it(folder / "r")
    print(f"killed {KILLED} (of {kills} tries each), every study sound and all-or-none")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        work(sys.argv[1], sys.argv[2])
    else:
        kill_many(int(sys.argv[1]))
