"""Duration of response, time to progression and the landmark non-progression proportion.

Rules: model/stats/response_endpoints.py (RECIST 1.1, section 4.4.3 for DoR; TTP as
PFS with deaths censored; the landmark proportion of a Simon two-stage trial).
Clopper-Pearson bounds checked against R: binom.test(3, 5, conf.level = 0.90)$conf.int
= 0.1892553774 0.9235596086, and the one-sided 95 % lower bound binom.test(3, 5,
alternative = "greater")$conf.int[1] = 0.1892553774 (R 4.2.2).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from model.domain import (
    Criteria,
    EventRecord,
    PatientAssessment,
    PatientRecord,
    StudyData,
    TimepointResponse,
)
from model.stats.endpoints import derive_endpoints
from model.stats.response_endpoints import (
    duration_of_response,
    landmark_non_progression,
    time_to_progression,
)
from model.stats.response_rates import confidence_bounds

START = date(2024, 1, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def assessment(pid: str, best: str, *codes: tuple[int, str]) -> PatientAssessment:
    points = [TimepointResponse(START, None, None, False, None, 50.0, None, None)]
    points += [TimepointResponse(day(d), None, None, False, c, 40.0, None, None) for d, c in codes]
    return PatientAssessment(pid, Criteria.RECIST11, tuple(points), best, None)


def study(*patients: PatientRecord, events: tuple[EventRecord, ...] = ()) -> StudyData:
    return StudyData(patients=patients, events=events)


def patient(pid: str, death: date | None = None) -> PatientRecord:
    return PatientRecord(pid, START, "A", None, death)


def test_dor_runs_from_the_first_response_to_progression():
    """RECIST 1.1, 4.4.3: from the first CR/PR to recurrence or progression."""
    a = assessment("P1", "PR", (60, "SD"), (120, "PR"), (180, "PR"), (240, "PD"))
    (dor,) = duration_of_response(study(patient("P1")), [a])
    assert (dor.days, dor.event) == (120, True)
    assert "response from 2024-04-30" in dor.reason


def test_dor_ends_at_death_and_is_censored_at_the_last_adequate_assessment():
    died = assessment("P1", "CR", (60, "CR"), (120, "CR"))
    alive = assessment("P2", "PR", (60, "PR"), (120, "NE"), (150, "SD"))
    data = study(patient("P1", death=day(100)), patient("P2"))
    first, second = duration_of_response(data, [died, alive])
    assert (first.days, first.event) == (40, True)
    assert (second.days, second.event) == (90, False)


def test_dor_counts_responders_only():
    """A patient whose best response is not CR or PR (e.g. unconfirmed) has no DoR."""
    a = assessment("P1", "SD", (60, "PR"), (120, "SD"))
    assert duration_of_response(study(patient("P1")), [a]) == []


def test_ttp_censors_a_death_without_progression():
    a = assessment("P1", "SD", (60, "SD"), (120, "SD"))
    (ttp,) = time_to_progression(study(patient("P1", death=day(200))), [a])
    assert (ttp.days, ttp.event) == (120, False)
    assert ttp.reason.startswith("death without progression")
    (pfs,) = derive_endpoints(study(patient("P1", death=day(200))), [a])
    assert (pfs.pfs_days, pfs.pfs_event) == (200, True)


def test_ttp_takes_clinical_progression():
    a = assessment("P1", "SD", (60, "SD"), (120, "SD"))
    events = (EventRecord("P1", "progression", day(90)),)
    (ttp,) = time_to_progression(study(patient("P1"), events=events), [a])
    assert (ttp.days, ttp.event) == (90, True)


def test_landmark_counts_deaths_before_it_as_failures_among_evaluable_patients():
    six_months = 183
    patients = [patient(f"P{i}") for i in range(1, 6)] + [patient("P6", death=day(100))]
    assessments = [
        assessment("P1", "SD", (60, "SD"), (200, "SD")),  # success
        assessment("P2", "PR", (60, "PR"), (190, "PR")),  # success
        assessment("P3", "SD", (60, "SD"), (150, "PD")),  # progression: failure
        assessment("P4", "SD", (60, "SD")),  # followed less than the landmark: failure
        assessment("P5", "SD", (60, "NE")),  # not evaluable: left out
        assessment("P6", "SD", (60, "SD")),  # died before the landmark: failure
    ]
    data = study(*patients)
    endpoints = derive_endpoints(data, assessments)
    result = landmark_non_progression(endpoints, assessments, six_months)
    assert (result.successes, result.evaluable) == (2, 5)
    assert result.proportion == pytest.approx(0.4)


def test_confidence_bounds_match_r_binom_test():
    low, high = confidence_bounds(3, 5, 0.90)
    assert (low, high) == pytest.approx((0.1892553774, 0.9235596086), rel=1e-9)
    low, high = confidence_bounds(3, 5, 0.95, one_sided=True)
    assert (low, high) == pytest.approx((0.1892553774, 1.0), rel=1e-9)
