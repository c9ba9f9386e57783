"""A study file that is empty, foreign, damaged, from a newer Nadir, or missing its write-ahead
log is told for what it is, and nothing is written into it or beside it.

Source: issue 14, attacks 3, 4, 11 and 13 (a 0-byte file taken for a new
study; a flipped bit in an index page passing the open check; a raised
user_version ignored; a deleted -wal losing committed edits silently; killed
migrations leaving .bak.partial files); the `verify` command.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

import model.store.study
from main import main
from model.demo.cohort import demo_study
from model.domain import Status
from model.editing.edits import SetObservation
from model.errors import InputError
from model.interchange.study_files import write_study
from model.store.backup_files import partial_path
from model.store.backups import backup_now
from model.store.study import Store
from model.store.study_file import WAL_MISSING, DamagedStudy
from tests.model.store.builders import FOLLOW_UP, ROOT, small_study


@pytest.fixture
def path(tmp_path):
    """A study file holding 30 demo patients, with one backup, closed."""
    study = tmp_path / "s.nadir"
    with Store.open(study) as store:
        store.import_study_data(demo_study(30))
        backup_now(store)
    return study


def flip_index_bit(path: Path, index: str = "idx_scans_patient_uuid_scan_date") -> None:
    """Flips one bit in the first page of `index`, as a failing disk or a cosmic ray would."""
    with closing(sqlite3.connect(path)) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [index])
    content = bytearray(path.read_bytes())
    content[root[0] * size - 3] ^= 0x01
    path.write_bytes(bytes(content))


def test_export_of_an_empty_file_is_refused_and_leaves_the_earlier_export(tmp_path, capsys):
    """Attack 3: `export --db empty.nadir --out FOLDER` exited 0 and deleted FOLDER's files."""
    out = tmp_path / "out"
    write_study(small_study(), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    empty = tmp_path / "empty.nadir"
    empty.touch()
    assert main(["export", "--db", str(empty), "--out", str(out)]) == 2
    assert "an empty file" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert empty.read_bytes() == b""


def test_import_into_an_empty_file_is_refused_writing_nothing(tmp_path, capsys):
    """Attack 3: `import` wrote a fresh schema into a 0-byte file."""
    folder = tmp_path / "in"
    write_study(small_study(), folder)
    empty = tmp_path / "empty.nadir"
    empty.touch()
    assert main(["import", str(folder), "--db", str(empty)]) == 2
    assert "an empty file" in capsys.readouterr().err
    assert empty.read_bytes() == b"" and sorted(tmp_path.iterdir()) == [empty, folder]


def test_a_flipped_bit_in_an_index_is_found_on_open_and_the_backup_offered(path):
    """Attack 4: the quick check passed it; the full integrity check finds it."""
    flip_index_bit(path)
    with pytest.raises(DamagedStudy, match="missing from index.*newest backup is .*auto"):
        Store.open(path)


def test_import_into_a_damaged_study_exits_2_naming_the_backup(path, tmp_path, capsys):
    """Attack 4: `import` failed with exit 1 and "internal error", no backup offered."""
    flip_index_bit(path)
    folder = tmp_path / "in"
    write_study(small_study(), folder)
    assert main(["import", str(folder), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "newest backup" in err and "internal error" not in err


def test_a_large_damaged_study_is_checked_in_the_background_and_turns_read_only(path, monkeypatch):
    monkeypatch.setattr(model.store.study, "FULL_CHECK_BYTES", 0)
    flip_index_bit(path)
    with Store.open(path) as store:
        store.wait_for_checks()
        assert store.read_only and "missing from index" in store.problems[0]
        assert "newest backup" in store.problems[0]
        with pytest.raises(InputError, match="cannot be trusted: .*damaged"):
            store.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, 1.0))


def test_verify_says_a_sound_study_is_sound_and_names_a_damaged_ones_problem(path, capsys):
    assert main(["verify", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "sound" in out and "audit entries chained, head " in out
    flip_index_bit(path)
    assert main(["verify", "--db", str(path)]) == 2
    assert "missing from index" in capsys.readouterr().err


def test_a_raised_user_version_is_refused_like_a_newer_study(path):
    """Attack 11: only the migration names were checked."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(InputError, match="newer version of Nadir"):
        Store.open(path)
    with pytest.raises(InputError, match="newer version of Nadir"):
        Store.open(path, read_only=True)


#: Opens the study at argv[1], makes an edit, says so, and waits to be killed.
_EDIT_AND_HANG = """
import sys
from datetime import date
from model.domain import Status
from model.editing.edits import SetObservation
from model.store.study import Store
store = Store.open(sys.argv[1])
store.apply(SetObservation("E1", "T1", date(2024, 1, 1), "", Status.MEASURED, 77.0))
print("edited", flush=True)
sys.stdin.read()
"""


def test_a_write_ahead_log_gone_after_a_crash_is_warned_of(tmp_path):
    """Attack 13: deleting the -wal after a crash silently lost committed edits."""
    from tests.model.store.test_crash_safety import one_patient

    study = tmp_path / "w.nadir"
    with Store.open(study) as store:
        store.import_study_data(one_patient(1.0))
    process = subprocess.Popen(
        [sys.executable, "-c", _EDIT_AND_HANG, str(study)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "edited"
    process.kill()
    process.wait()
    study.with_name("w.nadir-wal").unlink()
    with Store.open(study) as store:
        assert store.warnings == [WAL_MISSING]
    with Store.open(study) as store:  # closed cleanly since: nothing to say
        assert store.warnings == []


def test_a_study_closed_is_whole_in_its_one_file(tmp_path):
    study = tmp_path / "c.nadir"
    with Store.open(study) as store:
        store.import_study_data(small_study())
        with Store.open(study, read_only=True) as reader:  # keeps the log from going away
            pass
    wal = study.with_name("c.nadir-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.nadir"
    copy.write_bytes(study.read_bytes())
    with Store.open(copy, read_only=True) as store:
        assert len(store.patient_ids()) == 2
    del reader


def test_copies_left_unfinished_by_a_killed_backup_are_removed_on_open(path):
    """Attack 13: a killed migration left .bak.partial files."""
    partial = partial_path(path.with_name(f"{path.name}.v3-20240101T000000000000Z.bak"))
    partial.write_bytes(b"half")
    other = partial_path(path.with_name("other.nadir.auto-20240101T000000000000Z.bak"))
    other.write_bytes(b"not ours")
    Store.open(path, read_only=True).close()
    assert partial.exists()  # a reader does not hold the lock: a backup may be being written
    Store.open(path).close()
    assert not partial.exists() and other.exists()
