"""One judgement of one patient gives what the GUI shows: the rules' answer and the decided
one from a single engine run, the same as `assess_study` gives (issue 13, items 5 and 6).

Source: interchange spec, "Readers" (the reader whose rows count); model/criteria/assessment.py
(the overrides that count: the study reader's, or everyone's, the latest winning).
"""

from __future__ import annotations

from datetime import date

from model.criteria.assessment import assess_study, counted_overrides, judge_patient
from model.criteria.readings import patient_reader
from model.domain import AssessmentSettings, MeasurementRecord, Role, Status, StudyData
from model.editing.edits import Override

BASELINE, LATER = date(2024, 1, 5), date(2024, 3, 1)


def _rows(reader: str = "") -> tuple[MeasurementRecord, ...]:
    return tuple(
        MeasurementRecord(
            "P1", day, "T1", Role.TARGET, Status.MEASURED, diameter_mm=mm, reader=reader
        )  # fmt: skip
        for day, mm in ((BASELINE, 50.0), (LATER, 30.0))
    )


def _override(reader: str, response: str, time: str) -> Override:
    return Override(f"u-{time}", "P1", LATER, reader, response, "why", time)


def test_the_judgement_matches_assess_study_with_and_without_overrides():
    data, settings = StudyData(measurements=_rows("A")), AssessmentSettings()
    overrides = (_override("A", "SD", "1"), _override("B", "PD", "2"))
    judged = judge_patient(data, settings, reader="A", overrides=overrides)
    assert [judged.computed] == assess_study(data, settings, reader="A")
    assert [judged.decided] == assess_study(data, settings, reader="A", overrides=overrides)
    assert judged.decided.timepoints[1].overall == "SD"
    assert dict(judged.overrides) == {LATER: overrides[0]}


def test_without_a_study_reader_the_latest_override_counts():
    overrides = (_override("B", "PD", "2"), _override("A", "SD", "1"))
    assert counted_overrides(overrides, None)["P1"][LATER].response == "PD"


def test_a_refused_patient_is_judged_with_its_problems_not_raised():
    rows = (*_rows("A"), *_rows("B"))
    judged = judge_patient(StudyData(measurements=rows), AssessmentSettings())
    assert judged.decided is None and "more than one reader" in judged.problems[0]


def test_the_reader_whose_rows_count():
    assert patient_reader(_rows("A"), None) == "A"
    assert patient_reader(_rows("A"), "B") == "B"
    assert patient_reader((*_rows("A"), *_rows("B")), None) == ""
