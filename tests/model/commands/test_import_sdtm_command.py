"""`python main.py import PATH --db STUDY [--format interchange|sdtm]` with a folder of SDTM
datasets (issue 13): export --format sdtm then import gives the same patients and measurements;
bad input is a message naming the file, nothing written, exit status 2 (interchange spec,
"Headless commands")."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path

import pytest

import main
from model.demo.cohort import demo_study
from model.importing import INTERCHANGE, SDTM, detect_format
from model.interchange.study_files import write_study
from model.store.study import Store
from tests.model.commands.test_import_export_commands import run, study_data


@pytest.fixture(scope="module")
def sdtm_folder(tmp_path_factory) -> Path:
    """A folder of SDTM datasets written by `export --format sdtm` from the demo study."""
    root = tmp_path_factory.mktemp("sdtm")
    with Store.open(root / "demo.nadir") as store:
        store.import_study_data(demo_study(12))
    argv = ["export", "--db", str(root / "demo.nadir"), "--out", str(root / "out")]
    with redirect_stdout(io.StringIO()):
        assert main.main([*argv, "--format", "sdtm"]) == 0
    return root / "out"


def _key(m):
    return (m.patient_id, m.reader, m.scan_date, m.lesion_id, m.diameter_mm or 0.0)


def _comparable_measurements(data):
    return sorted((replace(m, source=None, extra={}) for m in data.measurements), key=_key)


def _expected_patients():
    # DM has no place for histology, stage or x_ columns (model/sdtm/datasets.py).
    return [replace(p, histology=None, stage=None, extra={}) for p in demo_study(12).patients]


def _copy(folder: Path, target: Path, suffix: str) -> Path:
    target.mkdir()
    for path in folder.glob(f"*{suffix}"):
        shutil.copy(path, target / path.name)
    return target


def test_an_sdtm_export_imports_back_into_a_new_study(capsys, sdtm_folder, tmp_path):
    """The folder is told to be SDTM by itself; patients and measurements come back."""
    status, out, err = run(capsys, "import", sdtm_folder, "--db", tmp_path / "back.nadir")
    assert (status, err) == (0, "")
    assert "imported 12 patients (12 new, 0 replaced)" in out
    back = study_data(tmp_path / "back.nadir")
    assert list(back.patients) == _expected_patients()
    assert _comparable_measurements(back) == _comparable_measurements(demo_study(12))


@pytest.mark.parametrize("suffix", [".csv", ".xpt"])
def test_format_sdtm_reads_csv_or_transport_files_alone(capsys, sdtm_folder, tmp_path, suffix):
    folder = _copy(sdtm_folder, tmp_path / "in", suffix)
    status, _, err = run(capsys, "import", folder, "--db", tmp_path / "s.nadir", "--format", "sdtm")
    assert (status, err) == (0, "")
    assert _comparable_measurements(study_data(tmp_path / "s.nadir")) == (
        _comparable_measurements(demo_study(12))
    )


def test_a_folder_with_interchange_files_stays_interchange(sdtm_folder, tmp_path):
    """A folder with patients.csv or measurements.csv is read as before, SDTM files or not."""
    folder = _copy(sdtm_folder, tmp_path / "both", ".csv")
    assert detect_format(folder) == SDTM
    for written in write_study(demo_study(2), tmp_path / "interchange"):
        shutil.copyfile(written, folder / written.name)
    assert detect_format(folder) == INTERCHANGE
    assert detect_format(folder / "patients.csv") == INTERCHANGE


def _fails(capsys, tmp_path, folder, *options) -> str:
    """stderr of an import that must fail with status 2, print nothing and write nothing."""
    study = tmp_path / "new.nadir"
    status, out, err = run(capsys, "import", folder, "--db", study, *options)
    assert (status, out) == (2, "")
    assert "Traceback" not in err and "internal error" not in err
    assert not study.exists()
    return err


def test_tu_without_tr_names_the_missing_dataset(capsys, sdtm_folder, tmp_path):
    folder = tmp_path / "tu-only"
    folder.mkdir()
    shutil.copy(sdtm_folder / "tu.csv", folder / "tu.csv")
    err = _fails(capsys, tmp_path, folder)
    assert str(folder) in err and "no tr.csv or tr.xpt" in err


def test_a_folder_of_foreign_csv_files_names_both_formats(capsys, tmp_path):
    folder = tmp_path / "labs"
    folder.mkdir()
    (folder / "labs.csv").write_text("subject,test,value\n001,ALT,31\n")
    err = _fails(capsys, tmp_path, folder)
    assert str(folder) in err
    assert "neither patients.csv nor measurements.csv" in err and "SDTM datasets" in err


def test_foreign_csv_files_named_like_sdtm_name_their_missing_variables(capsys, tmp_path):
    folder = tmp_path / "foreign"
    folder.mkdir()
    (folder / "tu.csv").write_text("subject,lesion\n001,T1\n")
    (folder / "tr.csv").write_text("subject,size\n001,12\n")
    err = _fails(capsys, tmp_path, folder)
    assert "tu.csv, line 1, column USUBJID: a required TU variable is missing" in err
    assert "tu.csv, line 1, column TUORRES or TUSTRESC" in err


def test_an_unreadable_transport_file_is_named(capsys, sdtm_folder, tmp_path):
    folder = _copy(sdtm_folder, tmp_path / "bad", ".xpt")
    (folder / "tr.xpt").write_bytes(b"not a SAS transport file" * 10)
    err = _fails(capsys, tmp_path, folder)
    assert "tr.xpt: cannot be read as a SAS transport (XPORT) file" in err


def test_a_csv_that_is_not_utf8_is_named(capsys, sdtm_folder, tmp_path):
    folder = _copy(sdtm_folder, tmp_path / "latin1", ".csv")
    (folder / "tr.csv").write_bytes((folder / "tr.csv").read_bytes() + "é\n".encode("latin-1"))
    err = _fails(capsys, tmp_path, folder)
    assert "tr.csv: is not UTF-8 text" in err


def test_a_subject_missing_from_dm_is_named_once(capsys, sdtm_folder, tmp_path):
    folder = _copy(sdtm_folder, tmp_path / "short-dm", ".csv")
    dm = (folder / "dm.csv").read_text().splitlines(keepends=True)
    (folder / "dm.csv").write_text("".join(dm[:-1]))
    err = _fails(capsys, tmp_path, folder)
    assert err.count("subject is not in dm.csv") == 1
    assert "tu.csv, line" in err and "column USUBJID" in err


def test_format_sdtm_on_an_interchange_folder_names_what_is_missing(capsys, tmp_path):
    folder = tmp_path / "interchange"
    write_study(demo_study(2), folder)
    err = _fails(capsys, tmp_path, folder, "--format", "sdtm")
    assert "no tu.csv or tu.xpt and no tr.csv or tr.xpt" in err


def test_format_interchange_on_an_sdtm_folder_reads_it_as_interchange(
    capsys, sdtm_folder, tmp_path
):
    err = _fails(capsys, tmp_path, sdtm_folder, "--format", "interchange")
    assert "holds neither patients.csv nor measurements.csv" in err
