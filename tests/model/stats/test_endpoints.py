"""Endpoint derivation rules of issue #3 ("Endpoint derivation from the study's data")."""

from datetime import date, timedelta

from model.domain import (
    Criteria,
    EventRecord,
    PatientAssessment,
    PatientRecord,
    ScanRecord,
    StudyData,
    TimepointResponse,
)
from model.settings import TimeOrigin
from model.stats.endpoints import derive_endpoints

START = date(2024, 1, 1)


def _patient(pid="P1", arm="A", **kwargs) -> PatientRecord:
    return PatientRecord(patient_id=pid, arm=arm, start_date=START, **kwargs)


def _assessment(pid: str, *overalls: str | None, every_days: int = 42) -> PatientAssessment:
    """Baseline on the start date, then one scan every `every_days` with these overall answers."""
    points = [TimepointResponse(START, None, None, False, None, 50.0, None, None)]
    for i, overall in enumerate(overalls, start=1):
        when = START + timedelta(days=i * every_days)
        points.append(TimepointResponse(when, None, None, False, overall, None, None, None))
    return PatientAssessment(pid, Criteria.RECIST11, tuple(points), "NE", None)


def _one(data: StudyData, assessments, origins=()):
    (result,) = derive_endpoints(data, assessments, origins)
    return result


def test_pfs_event_at_the_date_of_the_first_pd_scan():
    """PFS: origin to the first PD, dated by that scan (issue #3)."""
    data = StudyData(patients=(_patient(),))
    result = _one(data, [_assessment("P1", "SD", "PD", "PD")])
    assert (result.pfs_days, result.pfs_event) == (84, True)
    assert "2024-03-25" in result.pfs_reason


def test_pfs_death_without_progression_is_an_event():
    """PFS: death from any cause before any progression is an event (issue #3)."""
    data = StudyData(patients=(_patient(death_date=date(2024, 3, 1)),))
    result = _one(data, [_assessment("P1", "SD")])
    assert (result.pfs_days, result.pfs_event) == (60, True)
    assert "death" in result.pfs_reason


def test_pfs_progression_before_death_wins():
    """PFS: whichever comes first of progression and death (issue #3)."""
    data = StudyData(patients=(_patient(death_date=date(2024, 12, 1)),))
    result = _one(data, [_assessment("P1", "PR", "PD")])
    assert result.pfs_days == 84 and result.pfs_event


def test_pfs_censored_at_last_adequate_assessment():
    """PFS without an event: censored at the last post-baseline scan that is not NE (issue #3)."""
    data = StudyData(patients=(_patient(),))
    result = _one(data, [_assessment("P1", "SD", "PR", "NE")])
    assert (result.pfs_days, result.pfs_event) == (84, False)
    assert "last adequate assessment" in result.pfs_reason


def test_pfs_without_adequate_assessment_is_censored_at_day_zero():
    """PFS: a patient with no adequate assessment is censored at day 0 (issue #3)."""
    data = StudyData(patients=(_patient(), _patient("P2")))
    results = derive_endpoints(data, [_assessment("P1", "NE", "NE")])
    assert [(r.pfs_days, r.pfs_event) for r in results] == [(0, False), (0, False)]


def test_pfs_clinical_progression_event_counts():
    """PFS: a `progression` event (clinical progression, events.csv) ends PFS (interchange spec)."""
    event = EventRecord("P1", "progression", date(2024, 2, 1))
    data = StudyData(patients=(_patient(),), events=(event,))
    result = _one(data, [_assessment("P1", "SD", "SD")])
    assert (result.pfs_days, result.pfs_event) == (31, True)


def test_irecist_progression_dates_back_to_the_confirmed_iupd():
    """iRECIST: PFS progression is the iUPD that a later iCPD confirms (Seymour et al. 2017)."""
    data = StudyData(patients=(_patient(),))
    result = _one(data, [_assessment("P1", "iSD", "iUPD", "iCPD")])
    assert (result.pfs_days, result.pfs_event) == (84, True)


def test_irecist_unconfirmed_iupd_after_reset_is_not_progression():
    """iRECIST: an iUPD followed by a reset (iSD) and never confirmed is no event (Seymour 2017)."""
    data = StudyData(patients=(_patient(),))
    result = _one(data, [_assessment("P1", "iUPD", "iSD", "iUPD")])
    assert not result.pfs_event and result.pfs_days == 126


def test_os_death_is_an_event_and_otherwise_censored_at_last_contact():
    """OS: origin to death; censored at last contact (issue #3)."""
    data = StudyData(
        patients=(
            _patient("P1", death_date=date(2024, 7, 1)),
            _patient("P2", last_contact_date=date(2024, 5, 1)),
        )
    )
    dead, alive = derive_endpoints(data, [])
    assert (dead.os_days, dead.os_event) == (182, True)
    assert (alive.os_days, alive.os_event) == (121, False)
    assert "last contact" in alive.os_reason


def test_os_censoring_uses_a_later_scan_when_last_contact_is_older():
    """OS: a scan after the recorded last contact shows the patient alive then (issue #3)."""
    patient = _patient(last_contact_date=date(2024, 1, 10))
    alone = StudyData(patients=(patient,))
    assert derive_endpoints(alone, [])[0].os_days == 9
    with_scan = StudyData(patients=(patient,), scans=(ScanRecord("P1", date(2024, 4, 1)),))
    assert derive_endpoints(with_scan, [])[0].os_days == 91


def test_time_origin_per_arm_is_the_first_event_of_its_kind():
    """Time origin per arm: the first event of a chosen kind/detail (issue #3)."""
    events = (
        EventRecord("P1", "procedure", date(2024, 1, 15), detail="dTACE"),
        EventRecord("P1", "procedure", date(2024, 1, 11), detail="biopsy"),
        EventRecord("P1", "procedure", date(2024, 2, 20), detail="dTACE"),
    )
    data = StudyData(patients=(_patient(arm="B", death_date=date(2024, 3, 15)),), events=events)
    result = _one(data, [], [TimeOrigin("B", "procedure", "dTACE")])
    assert result.time_origin == date(2024, 1, 15)
    assert result.os_days == 60


def test_time_origin_falls_back_to_start_date_and_says_so():
    """A patient without the arm's origin event keeps the start date, with a note (issue #3)."""
    data = StudyData(patients=(_patient(arm="B", death_date=date(2024, 1, 31)),))
    result = _one(data, [], [TimeOrigin("B", "procedure", "dTACE")])
    assert result.time_origin == START and result.os_days == 30
    assert "no procedure dTACE event" in result.os_reason


def test_other_arms_keep_the_start_date():
    """Time origin: the default is the patient's start date (issue #3)."""
    events = (EventRecord("P1", "procedure", date(2024, 1, 15), detail="dTACE"),)
    data = StudyData(patients=(_patient(arm="A"),), events=events)
    result = _one(data, [], [TimeOrigin("B", "procedure", "dTACE")])
    assert result.time_origin == START
