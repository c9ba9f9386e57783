"""`python main.py import --format dicom-sr PATH --db STUDY` (issue 21): the preview is printed
and nothing written until --yes; --role chooses another role; bad input is a message on
stderr naming what and where, exit status 2, nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from model.domain import PatientRecord, Status, StudyData
from model.importing import DICOM_SR, detect_format
from model.store.study import Store
from tests.model.commands.test_import_export_commands import run, study_data
from tests.model.sources.sr_builders import Lesion, report, save

BASELINE, FOLLOW_UP = date(2024, 1, 5), date(2024, 3, 1)


@pytest.fixture
def study(tmp_path) -> Path:
    path = tmp_path / "study.nadir"
    with Store.open(path) as store:
        store.import_study_data(StudyData(patients=(PatientRecord("P01", date(2024, 1, 2)),)))
    return path


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "sr"
    base = [Lesion("T1", "liver", 23.0), Lesion("T2", "mediastinal node", 25.0, 16.0)]
    save(report("P01", BASELINE, base), folder / "baseline.dcm")
    later = [Lesion("T1", "liver", 18.0), Lesion("", "lung", 12.0)]
    save(report("P01", FOLLOW_UP, later, style="ohif"), folder / "follow-up.dcm")
    return folder


def test_dicom_files_are_detected(reports):
    assert detect_format(reports) == DICOM_SR
    assert detect_format(reports / "baseline.dcm") == DICOM_SR


def test_the_preview_writes_nothing_and_yes_writes_it(capsys, study, reports):
    before = study_data(study)
    status, out, err = run(capsys, "import", reports, "--db", study)
    assert (status, err) == (0, "")
    assert "P01:N1 new: first seen 2024-03-01, after the baseline 2024-01-05" in out
    assert "P01:T2 target: measurable at baseline (node short axis 16 mm)" in out
    assert out.endswith("nothing written: run again with --yes to write these changes\n")
    assert study_data(study) == before
    status, out, err = run(capsys, "import", reports, "--db", study, "--yes")
    assert (status, err) == (0, "")
    assert "wrote 9 change(s) in one step" in out
    rows = {
        (m.scan_date, m.lesion_id, m.role, m.diameter_mm) for m in study_data(study).measurements
    }
    assert (FOLLOW_UP, "T1", "target", 18.0) in rows
    assert (FOLLOW_UP, "N1", "new", 12.0) in rows
    status, out, _ = run(capsys, "import", reports, "--db", study, "--yes")
    assert out.endswith("nothing to write: the study holds every value of the reports already\n")


def test_role_chooses_another_role_for_a_new_lesion(capsys, study, reports):
    argv = ["import", reports, "--db", study, "--format", "dicom-sr", "--yes"]
    status, out, err = run(capsys, *argv, "--role", "P01:N1=non-target")
    assert (status, err) == (0, "")
    assert "P01:NT1 non-target: chosen by the reader" in out
    row = next(m for m in study_data(study).measurements if m.scan_date == FOLLOW_UP and
               m.lesion_id == "NT1")  # fmt: skip
    assert (row.role, row.status) == ("non-target", Status.PRESENT)


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--role", "P01:T9=target"], "--role P01:T9=target: P01 T9 is not listed"),
        (["--role", "P01=target"], "--role P01=target: expected PATIENT:LESION=ROLE"),
        (["--format", "interchange", "--yes"], "--yes go with --format dicom-sr, not interchange"),
    ],
)
def test_bad_options_are_named_and_nothing_is_written(capsys, study, reports, extra, message):
    before = study_data(study)
    status, out, err = run(capsys, "import", reports, "--db", study, *extra)
    assert (status, out) == (2, "")
    assert message in err
    assert study_data(study) == before


def test_an_unknown_patient_and_a_missing_study_are_named(capsys, tmp_path, study):
    path = save(report("X-9", BASELINE, [Lesion("T1", "liver", 20.0)]), tmp_path / "x.dcm")
    status, out, err = run(capsys, "import", path, "--db", study, "--yes")
    assert (status, out) == (2, "")
    assert f"{path}, column Patient ID, value 'X-9': this DICOM Patient ID is not" in err
    status, _, err = run(capsys, "import", path, "--db", tmp_path / "none.nadir")
    assert status == 2 and "no such study file; DICOM SR reports merge into a study" in err
    assert not (tmp_path / "none.nadir").exists()


def test_match_names_the_studys_lesion_an_unlabelled_one_is(capsys, study, reports, tmp_path):
    run(capsys, "import", reports / "baseline.dcm", "--db", study, "--yes")
    unlabelled = save(report("P01", date(2024, 5, 2), [Lesion("", "liver", 15.0)], style="ohif"),
                      tmp_path / "later.dcm")  # fmt: skip
    status, out, err = run(capsys, "import", unlabelled, "--db", study)
    assert "P01:N1 new: first seen 2024-05-02" in out
    status, out, err = run(capsys, "import", unlabelled, "--db", study, "--match", "P01:N1=T1",
                           "--yes")  # fmt: skip
    assert (status, err) == (0, "")
    assert "P01      2024-05-02  T1        target      15 mm    new" in out
    assert {m.lesion_id for m in study_data(study).measurements} == {"T1", "T2"}
