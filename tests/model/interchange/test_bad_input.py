"""Bad input everywhere gets a clear message naming the problem, writes nothing, and shows
no traceback: import files, study files and command-line arguments.

Source: issue #8, part 5; interchange spec, "Headless commands" (on bad input a
message on stderr, nothing on stdout, nothing written, exit status 2). The cases
here fill the gaps left by test_interchange_files.py, test_interchange_values.py,
test_interchange_rules.py and test_store_open.py. The mutation fuzz prints how
many inputs it tried (pytest -s).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from model.demo.cohort import demo_study
from model.errors import InputError
from model.interchange.study_files import read_study, write_study
from model.store.locking import StudyLock
from model.store.study import Store
from tests.model.store.builders import small_study, state

ROOT = Path(__file__).resolve().parents[3]
PATIENTS = "patient_id,start_date,histology\n"

#: Import folders that must be refused: name -> ({file: content}, words of the message).
BAD_FOLDERS = {
    "cell beyond the CSV field limit": (
        {"patients.csv": PATIENTS + "P1,2024-01-01," + "x" * 200_000 + "\n"},
        "field larger than field limit",
    ),
    "quote never closed": ({"patients.csv": PATIENTS + '"P1,2024-01-01,\n'}, "not valid CSV"),
    "day that February lacks, day first": (
        {"patients.csv": PATIENTS + "P1,31/02/2024,\n"},
        "YYYY-MM-DD",
    ),
    "NUL byte": ({"patients.csv": PATIENTS + "P\x001,2024-01-01,\n"}, "control character"),
    "scan listed twice": (
        {
            "patients.csv": PATIENTS + "P1,2024-01-01,\n",
            "scans.csv": "patient_id,scan_date\nP1,2024-01-05\nP1,2024-01-05\n",
        },
        "scan listed twice",
    ),
    "patient listed twice": (
        {"patients.csv": PATIENTS + "P1,2024-01-01,\nP1,2024-01-02,\n"},
        "appears twice",
    ),
    "absurd diameter": (
        {
            "measurements.csv": "patient_id,scan_date,lesion_id,role,diameter_mm\n"
            "P1,2024-01-05,T1,target,25000\n"
        },
        "over 1000 mm",
    ),
    "negative diameter": (
        {
            "measurements.csv": "patient_id,scan_date,lesion_id,role,diameter_mm\n"
            "P1,2024-01-05,T1,target,-4\n"
        },
        "cannot be negative",
    ),
    "semicolons (a European Excel export)": (
        {"patients.csv": "patient_id;start_date\nP1;2024-01-01\n"},
        "semicolon",
    ),
    "only blank lines": ({"patients.csv": "\n\n\n"}, "is empty"),
}


def make_folder(root: Path, files: dict[str, str]) -> Path:
    """Returns a new folder under `root` holding `files`."""
    folder = root / "in"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content.encode())
    return folder


@pytest.mark.parametrize("case", BAD_FOLDERS)
def test_a_bad_import_is_named_and_leaves_the_study_unchanged(tmp_path, case):
    files, words = BAD_FOLDERS[case]
    with Store.open(tmp_path / "s.nadir") as store:
        store.import_study_data(small_study())
        before = state(store)
        with pytest.raises(InputError, match=words):
            store.import_study_data(read_study(make_folder(tmp_path, files)))
        assert state(store) == before


def test_a_study_file_or_a_folder_named_like_a_table_is_no_import(tmp_path):
    study = tmp_path / "s.nadir"
    Store.open(study).close()
    with pytest.raises(InputError, match="expected a folder of CSV files or an .xlsx"):
        read_study(study)
    (tmp_path / "in" / "patients.csv").mkdir(parents=True)
    with pytest.raises(InputError, match="holds neither patients.csv nor measurements.csv"):
        read_study(tmp_path / "in")


def newer_study(path: Path) -> Path:
    """Returns a study at `path` that a newer Nadir wrote (a migration this one lacks)."""
    Store.open(path).close()
    Database(path)["_sqlite_migrations"].insert(
        {"migration_set": "nadir", "name": "from_the_future", "applied_at": "x"}
    )
    return path


def cli_cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """Returns bad command lines: name -> (arguments of main.py, words stderr must hold)."""
    study = tmp / "s.nadir"
    with Store.open(study) as store:
        store.import_study_data(demo_study(3))
    locked = tmp / "locked.nadir"
    Store.open(locked).close()
    # Held by this process for the rest of the test: the commands run in others.
    StudyLock.acquire(locked, user="dr_b")
    text = tmp / "notes.nadir"
    text.write_text("patient_id\nP1\n")
    latin = tmp / "latin"
    latin.mkdir()
    (latin / "patients.csv").write_bytes(
        "patient_id,start_date,histology\nP1,2024-01-01,é\n".encode("latin-1")
    )
    good = tmp / "good"
    write_study(demo_study(2), good)
    out = str(tmp / "out")
    return {
        "unknown command": (["frobnicate"], "invalid choice"),
        "missing --db": (["import", str(good)], "required: --db"),
        "unknown option": (
            ["export", "--db", str(study), "--out", out, "--colour"],
            "unrecognized",
        ),
        "bad choice": (["export", "--db", str(study), "--out", out, "--format", "pdf"], "choice"),
        "missing import folder": (["import", str(tmp / "nope"), "--db", str(study)], "nope"),
        "Latin-1 file": (["import", str(latin), "--db", str(tmp / "new.nadir")], "not UTF-8"),
        "missing study": (["export", "--db", str(tmp / "gone.nadir"), "--out", out], "no such"),
        "text file as study": (["export", "--db", str(text), "--out", out], "not a Nadir study"),
        "study from a newer Nadir": (
            ["export", "--db", str(newer_study(tmp / "newer.nadir")), "--out", out],
            "newer version of Nadir",
        ),
        "study open elsewhere": (["import", str(good), "--db", str(locked)], "open in dr_b"),
        "pseudonymise without a key": (
            ["export", "--db", str(study), "--out", out, "--pseudonymise"],
            "--key-file",
        ),
    }


def test_bad_command_lines_exit_2_with_a_message_and_write_nothing(tmp_path):
    cases = cli_cases(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    runs = {
        name: subprocess.Popen(
            [sys.executable, "main.py", *argv],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, (argv, _) in cases.items()
    }
    for name, process in runs.items():
        out, err = process.communicate(timeout=60)
        assert (name, process.returncode, out) == (name, 2, "")
        assert cases[name][1] in err and "Traceback" not in err, (name, err)
    # No study and no export folder appeared (a read-only reader may add its -wal and -shm).
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix[-4:] not in ("-wal", "-shm")) == [
        name for name in before if name[-4:] not in ("-wal", "-shm")
    ]


TRIED = {"mutated imports": 0}


@pytest.fixture(scope="module", autouse=True)
def report_tries():
    """Prints how many inputs the fuzz tried, after the module's tests (pytest -s)."""
    yield
    print(f"\nmutation fuzz of valid import files: {TRIED['mutated imports']} inputs tried")


@pytest.fixture(scope="module")
def valid_folder(tmp_path_factory) -> dict[str, bytes]:
    """Returns the files of a valid 3-patient import, by name."""
    folder = tmp_path_factory.mktemp("valid")
    write_study(demo_study(3), folder)
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def mutated(content: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Returns `content` with each (position, length, replacement) applied in turn."""
    for position, length, replacement in edits:
        at = position % (len(content) + 1)
        content = content[:at] + replacement + content[at + length :]
    return content


_EDIT = st.tuples(
    st.integers(0, 10**6),
    st.integers(0, 6),
    st.sampled_from([b"", b",", b";", b"\n", b'"', b"-", b"9", b"\xff", b"\x00", b"=1+1", b"31"])
    | st.binary(max_size=4),
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_valid_files_give_a_study_or_a_named_problem_and_write_all_or_nothing(
    valid_folder, tmp_path_factory, data
):
    """Every mutation of a valid import is imported whole or refused with InputError, never
    a traceback, and a refused import leaves the study as it was."""
    TRIED["mutated imports"] += 1
    folder = tmp_path_factory.mktemp("mutated")
    for name, content in valid_folder.items():
        edits = data.draw(st.lists(_EDIT, max_size=3), label=name)
        (folder / name).write_bytes(mutated(content, edits))
    store = Store.in_memory()
    store.import_study_data(small_study())
    before = state(store)
    try:
        store.import_study_data(read_study(folder))
    except InputError as error:
        assert error.problems and all(p.message for p in error.problems)
        assert state(store) == before
