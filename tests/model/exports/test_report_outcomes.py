"""The report's sections of issue 18: AE by arm, surgery, DoR, TTP, the landmark proportion,
ORR/DCR at the study's confidence level, and the manuscript tables in the report folder."""

from __future__ import annotations

import json

import pytest

from model.analysis import analyse
from model.demo.cohort import demo_study
from model.exports.report import study_summary, summary_markdown
from model.exports.report_outcomes import write_report_tables
from model.settings import StudySettings
from model.stats.response_rates import confidence_bounds


@pytest.fixture(scope="module")
def summary():
    settings = StudySettings(confidence_level=0.9, one_sided=True, landmark_months=6)
    return study_summary(analyse(demo_study(60), settings))


def test_orr_bounds_follow_the_confidence_setting(summary):
    """Issue 18, item 4: 90 % and one-sided bounds for phase 2 reports."""
    orr = summary["arms"][0]["orr"]
    assert (orr["ci_low"], orr["ci_high"]) == confidence_bounds(
        orr["k"], orr["n"], 0.9, one_sided=True
    )
    assert summary["study"]["confidence_level"] == 0.9


def test_landmark_per_arm_counts_the_evaluable(summary):
    mark = summary["landmark_non_progression"]
    assert mark["landmark_days"] == 183 and mark["one_sided"]
    for row in mark["arms"]:
        assert 0 <= row["successes"] <= row["evaluable"]
        assert row["ci_high"] == 1.0


def test_sections_are_json_and_markdown(summary):
    json.dumps(summary, allow_nan=False)
    text = summary_markdown(summary)
    for heading in ("## Adverse events by arm", "## Surgery", "## Duration of response",
                    "## Non-progression at 6 months", "90% one-sided lower bound"):  # fmt: skip
        assert heading in text
    ae = summary["adverse_events_by_arm"]
    assert set(ae) == {"all", "related", "by_cause"}
    assert {r["arm"] for r in summary["duration_of_response"]["arms"]} == set(
        summary["study"]["arms"]
    )


def test_tables_are_written_as_word_excel_and_csv(summary, tmp_path):
    written = write_report_tables(summary, tmp_path / "tables")
    names = {p.name for p in written}
    assert {"adverse_events.docx", "surgery_listing.csv", "response.xlsx"} <= names
    # 8 outcome tables, and Table 1, the Cox models and the subgroups (issue 17), 3 formats.
    assert {"table1.docx", "cox.xlsx", "forest.csv"} <= names
    assert len(written) == 33 and all(p.stat().st_size > 0 for p in written)
