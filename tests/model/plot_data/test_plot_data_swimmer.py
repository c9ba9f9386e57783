"""Swimmer lanes: progression dated as PFS dates it, and the responders' subset for a page
(issue #5, layout review)."""

from datetime import date, timedelta

from model.domain import Criteria, PatientAssessment, PatientRecord, StudyData, TimepointResponse
from model.plot_data import swimmer_data
from model.plot_data.swimmer import responders
from model.stats.endpoints import derive_endpoints

START = date(2024, 1, 1)


def _irecist(pid: str, *overalls: str) -> PatientAssessment:
    """Baseline on START, then one scan every 56 days with these iRECIST overall responses."""
    points = [TimepointResponse(START, None, None, False, None, 50.0, None, None)]
    for i, overall in enumerate(overalls, start=1):
        when = START + timedelta(days=56 * i)
        points.append(TimepointResponse(when, None, None, False, overall, 50.0, 0.0, 0.0))
    return PatientAssessment(pid, Criteria.IRECIST, tuple(points), overalls[-1], 0.0)


def _study(*pids: str) -> StudyData:
    last = START + timedelta(days=400)
    return StudyData(patients=tuple(PatientRecord(p, START, "A", last) for p in pids))


def _progressions(data, assessments) -> dict[str, list[tuple[float, str]]]:
    lanes = swimmer_data(data, assessments, unit="days").lanes
    return {
        lane.patient_id: [(m.time, m.label) for m in lane.markers if m.kind == "progression"]
        for lane in lanes
    }


def test_swimmer_progression_is_the_pfs_date_backdated_to_the_confirmed_iupd():
    """iRECIST (Seymour et al. 2017): an iCPD dates progression at the iUPD it confirms; the
    swimmer's marker sits on the day PFS counts, via `model.stats.endpoints.progression_scan`."""
    data = _study("A")
    assessments = [_irecist("A", "iSD", "iUPD", "iCPD")]
    pfs_days = derive_endpoints(data, assessments)[0].pfs_days
    assert _progressions(data, assessments) == {"A": [(112.0, "iCPD")]}
    assert pfs_days == 112


def test_swimmer_draws_no_progression_for_an_iupd_never_confirmed_or_reset():
    """iRECIST: an iUPD followed by iSD resets; unconfirmed, it is not a progression event."""
    data = _study("A", "B")
    assessments = [_irecist("A", "iUPD", "iSD"), _irecist("B", "iSD", "iUPD")]
    assert _progressions(data, assessments) == {"A": [], "B": []}


def test_responders_keep_the_lanes_with_a_response_and_say_of_how_many():
    """Responders (RECIST 1.1 section 4.3: CR or PR at any time point) for a page-high
    swimmer; the caption names the subset and the whole."""
    data = _study("A", "B", "C")
    assessments = [_irecist("A", "iPR"), _irecist("B", "iSD"), _irecist("C", "iCR")]
    lanes = swimmer_data(data, assessments)
    subset = responders(lanes)
    assert [lane.patient_id for lane in subset.lanes] == ["A", "C"]
    assert subset.caption().startswith("Patients with an objective response: 2 of 3")
    assert lanes.caption() == "n = 3; sorted by time on study"


def test_swimmer_draws_nothing_before_time_zero_and_says_what_it_left_off():
    """Swimmer: a lane starts at the time origin; an event before it (a procedure before the
    start of treatment) is not drawn left of 0 but counted in the caption (issue #15)."""
    from model.domain import EventRecord

    data = StudyData(
        patients=(PatientRecord("A", START, "A", START + timedelta(days=100)),),
        events=(
            EventRecord("A", "procedure", START - timedelta(days=10), detail="TACE"),
            EventRecord("A", "procedure", START + timedelta(days=20), detail="TACE"),
        ),
    )
    lanes = swimmer_data(data, unit="days")
    assert [m.time for lane in lanes.lanes for m in lane.markers] == [20.0]
    assert lanes.caption() == "n = 1; sorted by time on study; 1 event(s) before time 0 not shown"


def test_a_page_of_a_swimmer_keeps_the_whole_figures_counts():
    """Swimmer in pages: each page names itself and the whole figure's n (issue #15)."""
    from model.plot_data.swimmer import page_of

    lanes = swimmer_data(_study("A", "B", "C"), unit="days")
    page = page_of(lanes, 2, 2, "page 2 of 2")
    assert [lane.patient_id for lane in page.lanes] == ["C"]
    assert page.caption() == "n = 3; sorted by time on study; page 2 of 2"


def test_adverse_events_of_grade_3_or_more_are_marked_at_their_onset():
    """Issue 16: a lane marks each adverse event of CTCAE grade 3 or higher, not lower ones."""
    from dataclasses import replace

    from model.domain import AdverseEvent

    data = replace(
        _study("P1", "P2"),
        adverse_events=(
            AdverseEvent("P1", "Pneumonitis", 3, START + timedelta(days=30)),
            AdverseEvent("P1", "Fatigue", 2, START + timedelta(days=10)),
            AdverseEvent("P2", "Colitis", 4, START + timedelta(days=60)),
        ),
    )
    lanes = {lane.patient_id: lane for lane in swimmer_data(data, unit="days").lanes}
    marks = {
        pid: [(m.time, m.label) for m in lane.markers if m.kind == "adverse_event"]
        for pid, lane in lanes.items()
    }
    assert marks == {"P1": [(30.0, "Pneumonitis (grade 3)")], "P2": [(60.0, "Colitis (grade 4)")]}
