"""A patient whose rows the rules refuse is listed as not evaluable, with the reason, by the
analysis and everything built on it: `report`, the workbook and SDTM exports, the app.

Source: interchange spec, "How a time point is judged" (at baseline a target that is
not `measured` is an error); issue 13, item 5 (refused patients are treated alike
everywhere: never silently dropped in one place and fatal in another).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import date

import pytest

from model.analysis import NOT_EVALUABLE, analyse
from model.commands import report
from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.exports.report import study_summary, summary_markdown
from model.exports.workbook import study_sheets
from model.sdtm.datasets import sdtm_tables
from model.settings import StudySettings
from model.store.study import Store

START, BASELINE, LATER = date(2024, 1, 1), date(2024, 1, 5), date(2024, 3, 1)


def _target(pid: str, when: date, mm: float | None, status=Status.MEASURED) -> MeasurementRecord:
    return MeasurementRecord(pid, when, "T1", Role.TARGET, status, "liver", diameter_mm=mm)


def broken_study() -> StudyData:
    """P1 and P3 read well; P2's baseline target is marked absent (refused by the rules)."""
    return StudyData(
        patients=tuple(PatientRecord(p, START, "A") for p in ("P1", "P2", "P3")),
        measurements=(
            _target("P1", BASELINE, 40.0),
            _target("P1", LATER, 20.0),
            _target("P2", BASELINE, None, Status.ABSENT),
            _target("P2", LATER, 20.0),
            _target("P3", BASELINE, 30.0),
            _target("P3", LATER, 31.0),
        ),
    )


@pytest.fixture
def analysis():
    return analyse(broken_study(), StudySettings())


def test_the_analysis_lists_the_refused_patient_with_why_and_keeps_the_others(analysis):
    assert list(analysis.not_evaluable) == ["P2"]
    assert "must be measured at baseline" in analysis.not_evaluable["P2"]
    assert [a.patient_id for a in analysis.assessments] == ["P1", "P3"]
    assert [p.patient_id for p in analysis.data.patients] == ["P1", "P2", "P3"]
    assert [e.patient_id for e in analysis.endpoints] == ["P1", "P2", "P3"]


def test_a_sound_study_has_nobody_not_evaluable():
    data = broken_study()
    data = replace(data, measurements=tuple(m for m in data.measurements if m.patient_id != "P2"))
    assert analyse(data, StudySettings()).not_evaluable == {}


def test_the_summary_counts_them_in_n_and_names_them(analysis):
    summary = study_summary(analysis)
    assert summary["arms"][0]["n"] == 3
    (listed,) = summary["study"]["not_evaluable"]
    assert listed["patient_id"] == "P2" and "baseline" in listed["reason"]
    assert "- P2: " in summary_markdown(summary)


def test_the_report_command_writes_the_report_instead_of_failing(tmp_path):
    path = tmp_path / "s.nadir"
    with Store.open(path) as store:
        store.import_study_data(broken_study())
    args = argparse.Namespace(db=path, out=tmp_path / "out", no_figures=True, pdf=False)
    assert report.run(args) == 0
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert [p["patient_id"] for p in written["study"]["not_evaluable"]] == ["P2"]


def test_the_workbook_lists_them_among_the_best_responses_with_the_reason(analysis):
    best = next(s for s in study_sheets(analysis) if s.title == "Best responses")
    row = next(r for r in best.rows if r[0] == "P2")
    assert row[3] == NOT_EVALUABLE and "baseline" in row[5]


def test_sdtm_gives_them_a_best_response_of_not_evaluable(analysis):
    rs = sdtm_tables(analysis, "S")["RS"]
    best = rs[(rs.USUBJID == "S-P2") & (rs.RSTESTCD == "BESTRSP")]
    assert list(best.RSORRES) == ["NE"]
