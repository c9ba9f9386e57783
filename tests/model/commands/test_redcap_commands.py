"""`import --format redcap` and `export --format redcap` (issue 21): a REDCap export with
repeating measurement and AE instruments imports through a saved mapping, all or nothing;
the study goes back as a REDCap import-ready CSV that reads back to the same study."""

from __future__ import annotations

import shutil
from pathlib import Path

from model.interchange.study_files import read_adverse_events
from model.sources.redcap import read_export, read_redcap
from tests.model.commands.test_import_export_commands import run, study_data

DATA = Path(__file__).resolve().parents[2] / "data" / "redcap"
EXPORT, MAPPING = DATA / "export.csv", DATA / "mapping.json"


def test_an_export_imports_through_its_saved_mapping(capsys, tmp_path):
    study = tmp_path / "study.nadir"
    kept = tmp_path / "interchange"
    argv = ["import", EXPORT, "--mapping", MAPPING, "--db", study, "--interchange-out", kept]
    status, out, err = run(capsys, *argv)
    assert (status, err) == (0, "")
    assert "imported 3 patients (3 new, 0 replaced), 4 scans, 6 lesions, 11 measurements" in out
    assert "3 adverse events" in out
    data = study_data(study)
    assert [p.patient_id for p in data.patients] == ["HCC-01", "HCC-02", "HCC-03"]
    assert len(data.events) == 3
    # The interchange files kept: adverse events for the ae command.
    assert len(read_adverse_events(kept / "adverse_events.csv")) == 3
    status, out, err = run(capsys, "assess", kept / "measurements.csv", "--json")
    assert status == 0 and '"patient_id": "HCC-01"' in out


def test_a_bad_export_writes_nothing_and_names_the_line(capsys, tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_text(
        EXPORT.read_text().replace("2024-03-04,T1,1,1,0,0,30,1", "2024-03-04,T1,4,1,0,0,30,1")
    )
    shutil.copy(MAPPING, tmp_path / "mapping.json")
    shutil.copy(DATA / "dictionary.csv", tmp_path / "dictionary.csv")
    study = tmp_path / "study.nadir"
    status, out, err = run(
        capsys, "import", bad, "--mapping", tmp_path / "mapping.json", "--db", study
    )
    assert (status, out) == (2, "")
    assert (
        "export.csv, line 7, column lesion_role, value '4': record 1001, event follow_up_arm_1"
        in err
    )
    assert "is not a choice of lesion_role (1, Target | 2, Non-target | 3, New)" in err
    assert not study.exists()


def test_redcap_options_go_with_their_format(capsys, tmp_path):
    status, out, err = run(capsys, "import", EXPORT, "--format", "redcap", "--db", tmp_path / "s")
    assert status == 2 and "--format redcap needs --mapping FILE" in err
    argv = ["import", EXPORT, "--format", "interchange", "--dictionary", EXPORT, "--db", tmp_path]
    status, out, err = run(capsys, *argv)
    assert status == 2 and "--dictionary go with --format redcap, not interchange" in err


def test_export_writes_an_import_ready_csv_that_reads_back(capsys, tmp_path):
    study = tmp_path / "study.nadir"
    run(capsys, "import", EXPORT, "--mapping", MAPPING, "--db", study)
    argv = ["export", "--db", study, "--out", tmp_path / "out", "--format", "redcap"]
    status, out, err = run(capsys, *argv, "--mapping", MAPPING)
    written = tmp_path / "out" / "study-redcap.csv"
    assert (status, err, out) == (0, "", f"{written}\n")
    header, rows = read_export(written)
    assert header[:4] == ["record_id", "redcap_event_name", "redcap_repeat_instrument",
                          "redcap_repeat_instance"]  # fmt: skip
    assert "risk_factors___3" in header and "lesion_flags___1" in header
    lesions = [r for r in rows if r.instrument == "lesion_measurements"]
    assert [(r.record, r.instance) for r in lesions][:2] == [("1001", "1"), ("1001", "2")]
    assert lesions[1].values["lesion_role"] == "1" and lesions[1].values["lesion_flags___1"] == "1"
    again = read_redcap(written, MAPPING).data
    original = read_redcap(EXPORT, MAPPING).data
    assert (again.patients, again.measurements, again.events) == (
        original.patients, original.measurements, original.events)  # fmt: skip
    status, _, err = run(capsys, *argv)
    assert status == 2 and "--format redcap and --mapping FILE go together" in err
