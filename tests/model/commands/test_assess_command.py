"""`python main.py assess` through the real command (interchange spec, "Headless commands"):
each option, the JSON document, and exit status 2 with nothing on stdout on bad input.

Most tests call main.main(argv) in this process, the very code `python main.py` runs,
because every `main.py` process loads all commands' modules (scipy among them, seconds);
the document and a bad input also go through a real `python main.py` process.
"""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[3]
HEADER = "patient_id,scan_date,lesion_id,role,site,lymph_node,diameter_mm,status,viable_mm,"
HEADER += "irradiated,reader"

#: The spec's example patient P01, plus P02 whose SD comes 20 days after baseline.
MEASUREMENTS = """
P01,2024-01-05,T1,target,liver,,30,,,,
P01,2024-01-05,T2,target,lung,,32,,,,
P01,2024-01-05,NT1,non-target,bone,,,,,,
P01,2024-03-01,T1,target,liver,,20,,,,
P01,2024-03-01,T2,target,lung,,20,,,,
P01,2024-03-01,NT1,non-target,bone,,,,,,
P02,2024-01-10,T1,target,liver,,40,,,,
P02,2024-01-30,T1,target,liver,,38,,,,
"""


def run_assess(
    tmp_path: Path,
    *options: str,
    measurements: str = MEASUREMENTS,
    process: bool = False,
    **files: str,
):
    """Runs `main.py assess` on CSV files written to tmp_path, in a new `python main.py`
    process or in this one; returns (exit status, stdout, stderr)."""
    path = tmp_path / "measurements.csv"
    path.write_text(HEADER + measurements)
    arguments = ["assess", str(path)]
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text)
        arguments += [f"--{name}", str(tmp_path / f"{name}.csv")]
    arguments += [*options, "--json"]
    if process:
        result = subprocess.run(
            [sys.executable, "main.py", *arguments], cwd=ROOT, capture_output=True, text=True
        )
        return result.returncode, result.stdout, result.stderr
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main.main(arguments)
        except SystemExit as error:  # argparse's way of rejecting an option
            rc = error.code
    return rc, out.getvalue(), err.getvalue()


def patients_of(tmp_path: Path, *options: str, **kwargs) -> dict:
    """The JSON document's patients by patient_id, after checking exit status 0."""
    rc, out, err = run_assess(tmp_path, *options, **kwargs)
    assert (rc, err) == (0, "")
    return {p["patient_id"]: p for p in json.loads(out)["patients"]}


def test_document_has_the_spec_shape(tmp_path):
    """Interchange spec, Headless commands: the example document, field by field."""
    rc, out, err = run_assess(tmp_path, process=True)
    assert (rc, err) == (0, "")
    document = json.loads(out)
    assert document["criteria"] == "recist1.1"
    p01 = document["patients"][0]
    assert [p["patient_id"] for p in document["patients"]] == ["P01", "P02"]
    baseline, follow_up = p01["timepoints"]
    assert {k: v for k, v in baseline.items() if k != "reason"} == {
        "scan_date": "2024-01-05", "target": None, "non_target": None, "new_lesions": False,
        "overall": None, "sum_mm": 62.0, "change_from_baseline_pct": None,
        "change_from_nadir_pct": None,
    }  # fmt: skip
    assert {k: v for k, v in follow_up.items() if k != "reason"} == {
        "scan_date": "2024-03-01", "target": "PR", "non_target": "NON-CR/NON-PD",
        "new_lesions": False, "overall": "PR", "sum_mm": 40.0,
        "change_from_baseline_pct": -35.5, "change_from_nadir_pct": -35.5,
    }  # fmt: skip
    assert follow_up["reason"].startswith("PR: sum 40 mm is -35.5 %")
    assert (p01["best_overall_response"], p01["best_pct_change"]) == ("PR", -35.5)


def test_min_sd_days_counts_from_start_date_of_patients(tmp_path):
    """Interchange spec, Minimum SD duration: from start_date when --patients is given."""
    assert patients_of(tmp_path, "--min-sd-days", "28")["P02"]["best_overall_response"] == "NE"
    patients = "patient_id,start_date\nP01,2024-01-01\nP02,2023-12-20\nP03,2024-01-01\n"
    result = patients_of(tmp_path, "--min-sd-days", "28", patients=patients)
    assert result["P02"]["best_overall_response"] == "SD"
    assert list(result) == ["P01", "P02"]


def test_scans_file_adds_time_points(tmp_path):
    """Interchange spec, scans.csv: a baseline with no rows is NED; a later scan without a
    row for a lesion leaves it not evaluated."""
    scans = "patient_id,scan_date\nP03,2024-01-01\nP03,2024-03-01\nP02,2024-03-01\n"
    result = patients_of(tmp_path, scans=scans)
    assert [t["overall"] for t in result["P03"]["timepoints"]] == [None, "NED"]
    assert [t["overall"] for t in result["P02"]["timepoints"]] == [None, "SD", "NE"]


def test_confirm_requires_a_second_response(tmp_path):
    """Interchange spec, Confirmation: an unconfirmed PR ranks as SD."""
    assert patients_of(tmp_path, "--confirm")["P01"]["best_overall_response"] == "SD"


def test_criteria_mrecist_and_irecist(tmp_path):
    """Interchange spec, mRECIST and iRECIST: the criteria name the codes and sizes."""
    rows = MEASUREMENTS.replace("liver,,30,,,", "liver,,30,,30,").replace(
        "liver,,20,,,", "liver,,20,,5,"
    )
    rows = rows.replace("lung,,32,,,", "lung,,32,,32,").replace("lung,,20,,,", "lung,,20,,20,")
    rows = rows.replace("liver,,40,,,", "liver,,40,,40,").replace("liver,,38,,,", "liver,,38,,0,")
    result = patients_of(tmp_path, "--criteria", "mrecist", measurements=rows)
    assert [t["sum_mm"] for t in result["P01"]["timepoints"]] == [62.0, 25.0]
    assert result["P02"]["best_overall_response"] == "CR"
    rc, out, _ = run_assess(tmp_path, "--criteria", "irecist")
    assert rc == 0 and json.loads(out)["criteria"] == "irecist"
    assert json.loads(out)["patients"][0]["best_overall_response"] == "iPR"


def test_exclude_irradiated(tmp_path):
    """Interchange spec, Locally treated lesions: the lesion is left out everywhere."""
    rows = MEASUREMENTS.replace("P02,2024-01-30,T1,target,liver,,38,,,,", "")
    rows += "P02,2024-01-30,T1,target,liver,,80,,,yes,\n"
    assert patients_of(tmp_path, measurements=rows)["P02"]["best_overall_response"] == "PD"
    result = patients_of(tmp_path, "--exclude-irradiated", measurements=rows)["P02"]
    assert [t["overall"] for t in result["timepoints"]] == [None, "NE"]
    assert "left out" in result["timepoints"][1]["reason"]


def test_reader_selects_one_readers_rows(tmp_path):
    """Interchange spec, Readers: with --reader only that reader's rows count; a patient
    without such a row is not listed."""
    rows = MEASUREMENTS.replace(",,\n", ",,A\n") + "P01,2024-01-05,T1,target,liver,,31,,,,B\n"
    result = patients_of(tmp_path, "--reader", "A", measurements=rows)
    assert result["P01"]["timepoints"][0]["sum_mm"] == 62.0
    assert list(patients_of(tmp_path, "--reader", "B", measurements=rows)) == ["P01"]


@pytest.mark.parametrize(
    ("options", "rows", "expected"),
    [
        ((), MEASUREMENTS + "P02,2024-02-30,T1,target,,,10,,,,\n", "scan_date"),
        ((), MEASUREMENTS + "P02,2024-02-10,T9,target,,,10,,,,\n", "first seen after baseline"),
        ((), MEASUREMENTS + "P02,2024-02-10,T1,target,,,10,,,,B\n", "more than one reader"),
        (("--min-sd-days", "-3"), MEASUREMENTS, "--min-sd-days"),
        (("--criteria", "who"), MEASUREMENTS, "--criteria"),
    ],
)
def test_bad_input_exits_2_with_stderr_and_empty_stdout(tmp_path, options, rows, expected):
    """Interchange spec: on bad input a clear message on stderr, nothing on stdout, status 2."""
    rc, out, err = run_assess(tmp_path, *options, measurements=rows)
    assert (rc, out) == (2, "")
    assert expected in err


def test_bad_input_in_a_real_process_exits_2_with_stderr_only(tmp_path):
    """Interchange spec: the message names file, line, column and value; stdout stays empty."""
    rows = MEASUREMENTS + "P02,2024-02-10,T1,target,,,-4,,,,\n"
    rc, out, err = run_assess(tmp_path, measurements=rows, process=True)
    assert (rc, out) == (2, "")
    assert "measurements.csv" in err and "line 10" in err and "diameter_mm" in err
    assert "'-4'" in err


def test_without_json_prints_one_line_per_time_point(tmp_path):
    """Headless commands: without --json the same assessment is printed for reading."""
    path = tmp_path / "measurements.csv"
    path.write_text(HEADER + MEASUREMENTS)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main.main(["assess", str(path)]) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "RECIST 1.1; CR and PR not confirmed; SD counts from day 0; irradiated lesions counted"
    )
    assert lines[1] == "P01: best PR, best change from baseline -35.5 %"
    assert lines[3].startswith("  2024-03-01  PR: sum 40 mm is -35.5 %")


@pytest.mark.parametrize("criteria", ["recist1.1", "irecist", "mrecist"])
def test_json_is_the_documents_json_dumps_byte_for_byte(tmp_path, criteria):
    """Issue 19: the document is written a patient at a time, with deferred reasons, yet the
    text is exactly json.dumps of the whole document with its reasons written, as before."""
    from model.commands.assess import assessment_document
    from model.criteria.assessment import assess_study
    from model.demo.cohort import demo_study
    from model.domain import AssessmentSettings, Criteria
    from model.interchange.study_files import read_study, write_study

    write_study(demo_study(n_patients=30), tmp_path)
    arguments = ["assess", str(tmp_path / "measurements.csv"), "--criteria", criteria]
    arguments += ["--patients", str(tmp_path / "patients.csv"), "--json"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main.main(arguments) == 0
    settings = AssessmentSettings(criteria=Criteria(criteria))
    expected = assessment_document(settings.criteria, assess_study(read_study(tmp_path), settings))
    assert out.getvalue() == json.dumps(expected) + "\n"
    reasons = [t["reason"] for p in expected["patients"] for t in p["timepoints"]]
    assert all(isinstance(r, str) and r for r in reasons)
