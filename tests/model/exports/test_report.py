"""The study summary of `report` (issue #3): per-arm figures computed from the study's data."""

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from model.analysis import analyse
from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.exports.report import study_summary, summary_markdown, write_summary
from model.settings import StudySettings

START = date(2024, 1, 1)


def _target_course(pid: str, sizes: list[float]) -> list[MeasurementRecord]:
    """One target lesion measured every 6 weeks from the start date."""
    return [
        MeasurementRecord(
            pid,
            START + timedelta(weeks=6 * i),
            "T1",
            Role.TARGET,
            Status.MEASURED,
            site="liver",
            diameter_mm=size,
        )  # fmt: skip
        for i, size in enumerate(sizes)
    ]


@pytest.fixture
def summary():
    """Arm A: PR, SD, PD; arm B: CR, PR. One death in each arm."""
    courses = {
        "A1": ("A", [50, 30, 30]),  # PR (-40 %)
        "A2": ("A", [50, 45, 48]),  # SD
        "A3": ("A", [50, 62]),  # PD (+24 %, +12 mm)
        "B1": ("B", [40, 0, 0]),  # CR
        "B2": ("B", [40, 20]),  # PR
    }
    deaths = {"A3": date(2024, 6, 1), "B2": date(2024, 9, 1)}
    patients = tuple(
        PatientRecord(
            pid, START, arm=arm, death_date=deaths.get(pid), last_contact_date=date(2024, 12, 1)
        )  # fmt: skip
        for pid, (arm, _) in courses.items()
    )
    measurements = tuple(
        m for pid, (_, sizes) in courses.items() for m in _target_course(pid, sizes)
    )
    return study_summary(analyse(StudyData(patients, measurements), StudySettings()))


def test_orr_and_dcr_count_best_responses_per_arm(summary):
    """ORR = CR + PR, DCR = CR + PR + SD over every patient of the arm (RECIST 1.1, 4.4)."""
    arm_a, arm_b = summary["arms"]
    assert (arm_a["arm"], arm_a["n"], arm_a["orr"]["k"], arm_a["dcr"]["k"]) == ("A", 3, 1, 2)
    assert (arm_b["arm"], arm_b["n"], arm_b["orr"]["k"], arm_b["dcr"]["k"]) == ("B", 2, 2, 2)
    assert arm_a["best_response_counts"] == {"PR": 1, "SD": 1, "PD": 1}


def test_orr_interval_is_clopper_pearson(summary):
    """1 of 3: exact 95 % CI 0.0084-0.9057 (R 4.2: binom.test(1, 3)$conf.int)."""
    orr = summary["arms"][0]["orr"]
    assert orr["ci_low"] == pytest.approx(0.008403759, abs=1e-8)
    assert orr["ci_high"] == pytest.approx(0.905700676, abs=1e-8)


def test_pfs_counts_progression_and_death_as_events(summary):
    """PFS events: A3's PD at week 6; B2's death (issue #3, endpoint derivation)."""
    assert summary["arms"][0]["pfs"]["events"] == 1
    assert summary["arms"][1]["pfs"]["events"] == 1
    assert summary["comparisons"]["pfs"]["logrank"]["df"] == 1


def test_summary_files_are_written_and_readable(summary, tmp_path):
    """`report` writes summary.json (valid JSON, no NaN) and summary.md."""
    paths = write_summary(summary, tmp_path)
    assert [p.name for p in paths] == ["summary.json", "summary.md"]
    assert json.loads(paths[0].read_text())["study"]["patients"] == 5
    assert "| A | 3 | 33.3 % (0.8-90.6)" in summary_markdown(summary)


def test_report_lists_the_variables_it_found_and_counts_adverse_events():
    """Issue 16: `report` names every variable (declared, then inferred) with its count."""
    from model.domain import AdverseEvent, Variable, VariableType

    data = StudyData(
        patients=(
            PatientRecord("P1", START, extra={"x_ecog": "1", "x_tmb": "12"}),
            PatientRecord("P2", START, extra={"x_ecog": "0"}),
        ),
        adverse_events=(
            AdverseEvent("P1", "Pneumonitis", 3, START),
            AdverseEvent("P1", "Rash", 1, START),
        ),
        variables=(Variable("ecog", VariableType.CATEGORICAL, ("0", "1"), "ECOG"),),
    )
    summary = study_summary(analyse(data, StudySettings()))
    assert summary["study"]["variables"] == [
        {"name": "ecog", "type": "categorical", "levels": ["0", "1"], "label": "ECOG",
         "unit": None, "declared": True, "patients_with_value": 2},
        {"name": "tmb", "type": "numeric", "levels": [], "label": None, "unit": None,
         "declared": False, "patients_with_value": 1},
    ]  # fmt: skip
    assert summary["study"]["adverse_events"] == {
        "events": 2, "patients": 1, "patients_grade_3_plus": 1}  # fmt: skip
    markdown = summary_markdown(summary)
    assert "| ecog (ECOG) | categorical | 0 < 1 | 2 |" in markdown
    assert "| tmb | numeric | inferred | 1 |" in markdown


def test_the_summary_is_made_without_pandas():
    """Importing pandas cost every `report` 0.35 s (issue 19): the summary reads arrays."""
    code = (
        "import sys\n"
        "from model.analysis import analyse\n"
        "from model.demo.cohort import demo_study\n"
        "from model.exports.report import study_summary\n"
        "from model.settings import StudySettings\n"
        "summary = study_summary(analyse(demo_study(), StudySettings()))\n"
        "assert summary['comparisons']['pfs']['cox_multivariable']['terms']\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
    )
    root = Path(__file__).parents[3]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
