"""`python main.py import` and `export`: all or nothing; export then import gives the same study.

Source: interchange spec, "Headless commands" (import creates STUDY when
missing and is all or nothing; export writes the same files back; on bad
input a message on stderr, nothing on stdout, nothing written, exit status 2).
Most runs call main.main(argv), the code `python main.py` runs; one goes
through a real process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import main
from model.demo.cohort import demo_study
from model.interchange.study_files import write_study
from model.store.study import Store

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    """Returns a folder holding a 25-patient demo study as CSV files."""
    folder = tmp_path / "in"
    write_study(demo_study(25), folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Returns (exit status, stdout, stderr) of main.py with `argv`."""
    status = main.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def study_data(path: Path):
    """Returns the whole study in the file at `path`."""
    with Store.open(path, create=False) as store:
        return store.study_data()


def test_import_creates_the_study_and_prints_a_summary(capsys, demo_folder, tmp_path):
    status, out, err = run(capsys, "import", demo_folder, "--db", tmp_path / "s.nadir")
    assert (status, err) == (0, "")
    assert "imported 25 patients (25 new, 0 replaced)" in out
    assert study_data(tmp_path / "s.nadir") == demo_study(25)


def test_export_writes_back_the_files_that_were_imported(capsys, demo_folder, tmp_path):
    run(capsys, "import", demo_folder, "--db", tmp_path / "s.nadir")
    status, out, _ = run(capsys, "export", "--db", tmp_path / "s.nadir", "--out", tmp_path / "out")
    assert status == 0 and "exported 25 patients" in out
    for file in demo_folder.iterdir():
        assert (tmp_path / "out" / file.name).read_bytes() == file.read_bytes()


def test_workbook_export_then_import_gives_the_same_study(capsys, demo_folder, tmp_path):
    run(capsys, "import", demo_folder, "--db", tmp_path / "s.nadir")
    run(capsys, "export", "--db", tmp_path / "s.nadir", "--out", tmp_path / "out", "--xlsx")
    status, _, _ = run(capsys, "import", tmp_path / "out" / "s.xlsx", "--db", tmp_path / "t.nadir")
    assert status == 0
    assert study_data(tmp_path / "t.nadir") == study_data(tmp_path / "s.nadir")


def test_bad_file_writes_nothing_and_exits_2(capsys, demo_folder, tmp_path):
    measurements = demo_folder / "measurements.csv"
    lines = measurements.read_text().splitlines()
    lines[3] = lines[3].replace(",measured,", ",huge,")
    measurements.write_text("\n".join(lines) + "\n")
    status, out, err = run(capsys, "import", demo_folder, "--db", tmp_path / "s.nadir")
    assert (status, out) == (2, "")
    assert "measurements.csv" in err and "line 4" in err and "huge" in err
    assert list(tmp_path.glob("s.nadir*")) == []


def test_unknown_patient_leaves_an_existing_study_unchanged(capsys, demo_folder, tmp_path):
    study = tmp_path / "s.nadir"
    run(capsys, "import", demo_folder, "--db", study)
    before = study.read_bytes()
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "measurements.csv").write_text(
        "patient_id,scan_date,lesion_id,role,diameter_mm\nX9,2024-01-01,T1,target,20\n"
    )
    status, out, err = run(capsys, "import", lone, "--db", study)
    assert (status, out) == (2, "")
    assert "X9" in err and "neither in patients.csv nor in the study" in err
    assert study.read_bytes() == before


def test_unknown_patient_into_a_new_study_leaves_no_file(capsys, tmp_path):
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "measurements.csv").write_text(
        "patient_id,scan_date,lesion_id,role,diameter_mm\nX9,2024-01-01,T1,target,20\n"
    )
    status, out, _ = run(capsys, "import", lone, "--db", tmp_path / "new.nadir")
    assert (status, out) == (2, "")
    assert list(tmp_path.glob("new.nadir*")) == []


def test_export_of_a_missing_or_foreign_study_exits_2(capsys, tmp_path):
    (tmp_path / "notes.nadir").write_text("not a study")
    for study in (tmp_path / "missing.nadir", tmp_path / "notes.nadir"):
        status, out, err = run(capsys, "export", "--db", study, "--out", tmp_path / "out")
        assert (status, out) == (2, "")
        assert str(study) in err
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "missing.nadir").exists()


def test_real_process_imports_and_reports_bad_input(demo_folder, tmp_path):
    def nadir(*argv: str | Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "main.py", *map(str, argv)]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)

    done = nadir("import", demo_folder, "--db", tmp_path / "s.nadir")
    assert done.returncode == 0 and "imported 25 patients" in done.stdout
    failed = nadir("import", tmp_path / "nowhere", "--db", tmp_path / "t.nadir")
    assert (failed.returncode, failed.stdout) == (2, "")
    assert "nowhere" in failed.stderr and not (tmp_path / "t.nadir").exists()


def test_a_hand_written_1_1_folder_imports_exports_and_imports_back_the_same(capsys, tmp_path):
    """Issue 16: adverse_events.csv, variables.csv and surgery columns go in and come back
    out; a bad value is refused naming its place, and nothing is written."""
    from model.interchange.study_files import read_study
    from tests.model.interchange.test_version_1_1 import _folder

    folder = _folder(tmp_path / "in")
    study = tmp_path / "s.nadir"
    status, out, _ = run(capsys, "import", folder, "--db", study)
    assert status == 0 and "2 adverse events, 2 variables" in out
    status, out, _ = run(capsys, "export", "--db", study, "--out", tmp_path / "out")
    assert status == 0 and "2 adverse events, 2 declared variables" in out
    assert read_study(tmp_path / "out") == read_study(folder)
    bad = _folder(tmp_path / "bad", adverse_events__csv="patient_id,term,grade,start_date\n"
                  "P1,Fever,7,2024-01-01\n")  # fmt: skip
    status, out, err = run(capsys, "import", bad, "--db", tmp_path / "t.nadir")
    assert (status, out) == (2, "")
    assert "adverse_events.csv, line 2, column grade, value '7'" in err
    if (tmp_path / "t.nadir").exists():
        with Store.open(tmp_path / "t.nadir") as written:
            assert written.patient_ids() == ()
