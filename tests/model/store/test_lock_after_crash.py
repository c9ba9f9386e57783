"""Killing the app on a study and opening it again gives a writable study, on every
platform's code path (issue 20, Done when; issue 14's OS lock).

The app runs for real (offscreen) on a study and is killed as the task manager
would kill it (SIGKILL here, TerminateProcess on Windows); the study is then
opened through Store.open and must be writable and whole. The Windows path is
simulated here: Windows cannot ask whether a process still runs (`os.kill(pid,
0)` would end it), so in the reopening process every such probe answers
"alive", as Nadir's Windows branch does, and `sys.platform` says win32. A lock
that depends on telling a dead holder from a live one leaves the study
read-only there until someone deletes the lock file by hand; a lock the OS
lets go of when its process ends does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from model.domain import PatientRecord
from model.editing.edits import AddPatient
from model.store import locking
from model.store.locking import lock_path
from model.store.study import Store
from tests.model.store.builders import small_study

ROOT = Path(__file__).resolve().parents[3]

#: Seconds the app may take to open a study (the slowest CI start seen is ~5 s).
START_TIMEOUT = 60.0

#: The lock of issue 8 tells a dead holder by probing its process, which Windows cannot do;
#: issue 14 (branch `safety`) replaces it by an OS lock. Until then the Windows path fails.
PROBED_LOCK = pytest.mark.xfail(
    hasattr(locking, "_process_runs"),
    reason="the lock decides by probing the holder's process (issue 14 replaces it)",
    strict=True,
)


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A study file holding small_study(), closed."""
    path = tmp_path / "ward.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
    return path


def kill_the_app_on(study: Path, tmp_path: Path) -> None:
    """Starts the app on `study` offscreen, waits until it holds the study, and kills it."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NADIR_LOG_DIR": str(tmp_path / "log"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    app = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(study)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not lock_path(study).exists():
            assert app.poll() is None, app.stderr.read().decode()
            assert time.monotonic() < deadline, "the app did not open the study"
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        app.kill()
        app.wait()
        app.stderr.close()


def simulate_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Makes this process take Windows' way: no probe can tell that a process has ended."""
    monkeypatch.setattr(sys, "platform", "win32")
    real_kill = os.kill

    def kill(pid: int, signal: int) -> None:
        if signal != 0:
            real_kill(pid, signal)
        # Signal 0 asks "does it run?"; Windows has no such question: as if it ran.

    monkeypatch.setattr(os, "kill", kill)
    monkeypatch.setattr(locking, "_process_runs", lambda pid: True, raising=False)


def assert_writable_and_whole(study: Path) -> None:
    with Store.open(study) as store:
        assert not store.read_only
        before = set(store.patient_ids())
        store.apply(AddPatient(PatientRecord("P99", date(2024, 2, 1), "Arm A")))
        assert set(store.patient_ids()) == before | {"P99"}
    assert before == {patient.patient_id for patient in small_study().patients}


def test_a_killed_app_leaves_a_writable_study(study, tmp_path):
    kill_the_app_on(study, tmp_path)
    assert_writable_and_whole(study)


@PROBED_LOCK
def test_a_killed_app_leaves_a_writable_study_on_windows(study, tmp_path, monkeypatch):
    kill_the_app_on(study, tmp_path)
    simulate_windows(monkeypatch)
    assert_writable_and_whole(study)
