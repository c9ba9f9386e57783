"""Exports are written whole beside their folder and put in place at once: never a mix of two
exports, never a file Nadir did not write deleted, owner-only like the study.

Source: issue 14, attacks 3 and 6 ("A killed export leaves a folder mixing
the new patients.csv with the previous export's other files, world-readable,
and import accepts it"); model/interchange/folders.py.
"""

from __future__ import annotations

import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model.demo.cohort import demo_study
from model.errors import InputError
from model.interchange.folders import MANIFEST, new_folder
from model.interchange.study_files import read_study, write_study
from tests.model.store.builders import ROOT, small_study


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_an_export_is_private_and_lists_its_files(tmp_path):
    out = tmp_path / "out"
    written = write_study(small_study(), out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in out.iterdir())
    assert (out / MANIFEST).read_text().split() == sorted(p.name for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_export_that_fails_half_way_leaves_the_earlier_one_whole(tmp_path):
    out = tmp_path / "out"
    write_study(small_study(), out)
    before = contents(out)
    with pytest.raises(RuntimeError), new_folder(out) as partial:
        (partial / "patients.csv").write_text("patient_id,start_date\nX,2024-01-01\n")
        raise RuntimeError("killed")
    assert contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_holding_files_nadir_did_not_write_is_refused_and_kept(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "events.csv").write_text("my own notes")
    (out / "thesis.docx").write_text("chapter 1")
    with pytest.raises(InputError, match="holds files Nadir did not write.*events.csv"):
        write_study(small_study(), out)
    assert contents(out) == {"events.csv": b"my own notes", "thesis.docx": b"chapter 1"}


def test_a_file_added_to_an_earlier_export_keeps_the_folder_from_being_replaced(tmp_path):
    out = tmp_path / "out"
    write_study(small_study(), out)
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="notes.txt"):
        write_study(small_study(), out)
    assert (out / "notes.txt").read_text() == "keep me"


#: Exports a 400-patient demo study into argv[1] again and again, saying "started" first.
_EXPORTER = """
import sys
from pathlib import Path
from model.demo.cohort import demo_study
from model.interchange.study_files import write_study
data = demo_study(int(sys.argv[2]))
print("started", flush=True)
while True:
    write_study(data, Path(sys.argv[1]))
"""


def kill_exports(out: Path, kills: int, patients: int = 400) -> int:
    """Returns how many exports into `out` were killed half-way; each left `out` either the
    earlier export or the new one, whole, and readable back."""
    write_study(demo_study(3), out)
    old, new = contents(out), None
    killed = 0
    for _ in range(kills):
        process = subprocess.Popen(
            [sys.executable, "-c", _EXPORTER, str(out), str(patients)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "started"
        time.sleep(random.uniform(0, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed += process.returncode == -signal.SIGKILL
        now = contents(out) if out.exists() else None
        if now is None:  # killed between its two renames: the earlier export is aside, whole
            (aside,) = out.parent.glob(f".{out.name}.old-*")
            assert contents(aside) in (old, new)
            write_study(demo_study(3), out)
            old, new = contents(out), None
            continue
        assert now == old or new is None or now == new
        new = new or (now if now != old else None)
        read_study(out)
    return killed


def test_exports_killed_at_random_leave_one_export_whole(tmp_path):
    assert kill_exports(tmp_path / "out", kills=3) == 3
