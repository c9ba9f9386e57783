"""Data behind the cohort plots (issue #5): sorting, capping, left-out patients, lanes, KM ticks."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from model.analysis import StudyAnalysis
from model.domain import (
    Criteria,
    EventRecord,
    PatientAssessment,
    PatientRecord,
    StudyData,
    TimepointResponse,
)
from model.plot_data import (
    KMCurve,
    KMGroup,
    KMPlotData,
    cohort_plot_data,
    in_unit,
    km_curve,
    km_groups,
    km_plot_data,
    spider_data,
    swimmer_data,
    time_ticks,
    waterfall_data,
)
from model.settings import StudySettings
from model.stats.endpoints import PatientEndpoints

START = date(2024, 1, 1)


def _assessment(pid: str, best: str, *changes: float | None, every: int = 56) -> PatientAssessment:
    """Baseline on START, then one scan every `every` days with these changes from baseline."""
    points = [TimepointResponse(START, None, None, False, None, 50.0, None, None)]
    for i, change in enumerate(changes, start=1):
        when = START + timedelta(days=i * every)
        overall = best if i == 1 else "SD"
        points.append(TimepointResponse(when, None, None, False, overall, None, change, None))
    non_null = [c for c in changes if c is not None]
    return PatientAssessment(
        pid, Criteria.RECIST11, tuple(points), best, min(non_null) if non_null else None
    )


def test_waterfall_sorted_from_worst_to_best():
    """Waterfall: bars run from the highest best % change to the lowest (issue #5)."""
    data = waterfall_data(
        [_assessment("A", "PR", -40.0), _assessment("B", "PD", 30.0), _assessment("C", "SD", -5.0)]
    )
    assert [b.patient_id for b in data.bars] == ["B", "C", "A"]
    assert [b.response for b in data.bars] == ["PD", "SD", "PR"]


def test_waterfall_caps_bars_above_the_cap_and_marks_them():
    """Waterfall: bars above +100 % are drawn at +100 % and marked as capped (issue #5)."""
    data = waterfall_data([_assessment("A", "PD", 250.0), _assessment("B", "PD", 100.0)])
    assert [(b.shown_pct, b.capped) for b in data.bars] == [(100.0, True), (100.0, False)]
    assert data.bars[0].pct_change == 250.0
    assert data.caption() == "n = 2\n1 capped at +100 % (\u25b2)"


def test_waterfall_leaves_out_patients_without_post_baseline_sum_and_counts_them():
    """Waterfall: best_pct_change null (no post-baseline sum) is left out and counted (issue #5)."""
    data = waterfall_data(
        [_assessment("A", "NE"), _assessment("B", "NE", None), _assessment("C", "SD", 3.0)]
    )
    assert [b.patient_id for b in data.bars] == ["C"]
    assert data.left_out == ("A", "B")
    assert data.caption() == "n = 1\n2 not shown: no post-baseline measurement"


def test_waterfall_grouped_by_arm_keeps_arm_order_and_sorts_within():
    """Waterfall grouped by arm: arms in the study's order, each sorted (issue #5)."""
    arms = {"A": "X", "B": "Y", "C": "X", "D": "Y"}
    cohort = [
        _assessment("A", "PR", -50.0),
        _assessment("B", "PD", 60.0),
        _assessment("C", "PD", 40.0),
        _assessment("D", "PR", -35.0),
    ]
    data = waterfall_data(cohort, arms, group_by_arm=True)
    assert [(b.arm, b.patient_id) for b in data.bars] == [
        ("X", "C"),
        ("X", "A"),
        ("Y", "B"),
        ("Y", "D"),
    ]


def test_spider_starts_at_zero_at_baseline_and_counts_time_from_origin():
    """Spider: 0 % at baseline, then each change, in weeks from the time origin (issue #5)."""
    origins = {"A": START - timedelta(days=7)}
    data = spider_data([_assessment("A", "PR", -40.0, None, -50.0)], {"A": "X"}, origins)
    (line,) = data.lines
    assert line.pct == (0.0, -40.0, -50.0)
    assert line.times == (1.0, 9.0, 25.0)
    assert line.arm == "X"


def test_spider_leaves_out_patients_without_change():
    """Spider: a patient with no post-baseline change has no line and is counted (issue #5)."""
    data = spider_data([_assessment("A", "NE", None), _assessment("B", "SD", 1.0)])
    assert [line.patient_id for line in data.lines] == ["B"] and data.left_out == ("A",)


def _patient(pid: str, arm: str = "X", **kwargs) -> PatientRecord:
    return PatientRecord(patient_id=pid, start_date=START, arm=arm, **kwargs)


def test_swimmer_lanes_sorted_longest_first_with_markers():
    """Swimmer: lanes sorted by duration, with response, progression, death marks (issue #5)."""
    data = StudyData(
        patients=(
            _patient("A", last_contact_date=START + timedelta(days=100)),
            _patient("B", death_date=START + timedelta(days=300)),
        ),
        events=(
            EventRecord("B", "procedure", START + timedelta(days=10), detail="dTACE"),
            EventRecord("B", "surgery", START + timedelta(days=200), detail="R0"),
            EventRecord("B", "progression", START + timedelta(days=250)),
        ),
    )
    assessments = [_assessment("B", "PR", -40.0, 5.0, every=70)]
    lanes = swimmer_data(data, assessments, unit="days").lanes
    assert [(lane.patient_id, lane.end) for lane in lanes] == [("B", 300.0), ("A", 100.0)]
    marks = {(m.kind, m.time, m.label) for m in lanes[0].markers}
    assert marks == {
        ("procedure", 10.0, "dTACE"),
        ("surgery", 200.0, "R0"),
        ("response", 70.0, "PR"),
        ("progression", 250.0, "clinical"),
        ("death", 300.0, "death"),
    }


def test_swimmer_ongoing_treatment_gets_an_arrow_unless_dead_or_off_study():
    """Swimmer: an open-ended treatment is ongoing, not after death or off-study (issue #5)."""
    treat = EventRecord("A", "treatment", START)
    alive = StudyData(patients=(_patient("A"),), events=(treat,))
    dead = StudyData(
        patients=(_patient("A", death_date=START + timedelta(days=9)),), events=(treat,)
    )
    off = StudyData(patients=(_patient("A"),), events=(treat, EventRecord("A", "off-study", START)))
    assert [swimmer_data(d).lanes[0].ongoing for d in (alive, dead, off)] == [True, False, False]


def test_time_units_convert_days():
    """Time units: weeks of 7 days, months of 30.4375 days (shared/design.md)."""
    assert (in_unit(14, "weeks"), in_unit(30.4375, "months"), in_unit(730.5, "years")) == (2, 1, 2)
    with pytest.raises(ValueError, match="unknown time unit"):
        in_unit(1, "fortnights")


def test_km_groups_split_endpoints_by_arm_in_order_of_appearance():
    """KM groups: one per arm, durations in the chosen unit (issue #5)."""
    rows = [
        SimpleNamespace(arm="B", pfs_days=70, pfs_event=True, os_days=140, os_event=False),
        SimpleNamespace(arm="A", pfs_days=14, pfs_event=False, os_days=28, os_event=True),
    ]
    groups = km_groups(rows, endpoint="os", unit="weeks")
    assert groups == [KMGroup("B", (20.0,), (False,)), KMGroup("A", (4.0,), (True,))]


def test_time_ticks_cover_the_longest_time_on_whole_steps():
    """KM ticks: evenly spaced from 0, past the longest time, at most 9 of them (issue #5)."""
    assert time_ticks(17.5, "months") == (0.0, 3.0, 6.0, 9.0, 12.0, 15.0, 18.0)
    assert time_ticks(0.0, "weeks") == (0.0, 1.0)


def _fit(timeline, survival, median=None):
    return SimpleNamespace(
        timeline=timeline, survival=survival, ci_low=survival, ci_high=survival, median=median
    )


def test_km_censor_ticks_sit_on_the_curve():
    """KM censor ticks: at each censored time, at the curve's height there (issue #5)."""
    group = KMGroup("A", (1.0, 2.0, 3.0, 4.0), (True, False, True, False))
    curve = km_curve(group, _fit([1.0, 3.0], [0.75, 0.375], median=3.0))
    assert curve.timeline[:2] == (0.0, 1.0) and curve.survival[0] == 1.0
    assert curve.censor_times == (2.0, 4.0)
    assert curve.censor_survival == (0.75, 0.375)
    assert (curve.n, curve.events, curve.median) == (4, 2, 3.0)


def test_km_plot_data_at_risk_at_each_tick_and_tests_written():
    """KM figure: numbers at risk (time >= tick, as R's n.risk) per arm at every tick (issue #5)."""
    groups = [KMGroup("A", (1.0, 5.0, 7.0), (True,) * 3), KMGroup("B", (2.0, 3.0), (True, False))]
    data = km_plot_data(groups, endpoint="PFS", unit="months")
    assert data.ticks == (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0)
    assert data.at_risk == ((3, 3, 2, 2, 2, 2, 1, 1), (2, 2, 2, 1, 0, 0, 0, 0))
    assert [c.arm for c in data.curves] == ["A", "B"]
    assert 0 < data.logrank_p < 1 and data.hazard_ratio is not None
    assert data.annotation().startswith("Log-rank p = ") and "HR " in data.annotation()


def test_km_band_closed_at_zero_where_the_curve_reaches_zero():
    """KM band: undefined (NaN) where the curve is 0, drawn at the curve there (issue #5)."""
    data = km_plot_data([KMGroup("A", (1.0, 2.0), (True, True))], endpoint="OS", unit="days")
    (curve,) = data.curves
    assert curve.survival[-1] == 0.0 and curve.ci_low[-1] == curve.ci_high[-1] == 0.0
    assert data.logrank_p is None and data.annotation() == ""


def test_annotation_formats_small_p_and_hazard_ratio():
    """KM annotation: p below 0.001 as "p < 0.001", HR with its 95 % CI (issue #5)."""
    curves = km_plot_data(
        [KMGroup("A", (1.0,), (True,)), KMGroup("B", (2.0,), (True,))], endpoint="PFS", unit="days"
    ).curves
    data = KMPlotData("PFS", "months", curves, (0.0,), (), 0.0004, 0.5, (0.25, 1.0))
    assert data.annotation() == "Log-rank p < 0.001\nHR 0.50 (95 % CI 0.25\u20131.00)"
    assert data.caption() == (
        "A: median 1.0 mo (95 % CI NR\u2013NR)\nB: median 2.0 mo (95 % CI NR\u2013NR)\n"
        "Log-rank p < 0.001; HR 0.50 (95 % CI 0.25\u20131.00)\nHR: B vs A (Cox)"
    )


def test_caption_names_each_median_with_its_confidence_interval():
    """KM caption: each arm's median with its 95 % CI, NR where not reached (issue #15)."""
    data = km_plot_data(
        [KMGroup("A", (1.0, 2.0, 3.0, 4.0), (True, True, True, False))],
        endpoint="PFS",
        unit="months",
    )
    (curve,) = data.curves
    low, high = ("NR" if v is None else f"{v:.1f}" for v in curve.median_ci)
    median = f"{curve.median:.1f}"
    assert data.caption() == f"A: median {median} mo (95 % CI {low}\u2013{high})"
    assert "NR" in low + high
    unreached = KMCurve("B", 1, 0, (0.0,), (1.0,), (1.0,), (1.0,), (), (), None)
    assert unreached.median_text("weeks") == "median NR wk (95 % CI NR\u2013NR)"


def test_cohort_plot_data_redraws_all_four_for_the_filtered_patients():
    """Filters: one call gives all four plots for the chosen patients only (issue #5)."""
    data = StudyData(patients=(_patient("A", "X"), _patient("B", "Y"), _patient("C", "X")))
    assessments = tuple(_assessment(pid, "SD", 5.0) for pid in "ABC")
    endpoints = tuple(
        PatientEndpoints(pid, arm, START - timedelta(days=7), 100, True, "", 200, False, "")
        for pid, arm in (("A", "X"), ("B", "Y"), ("C", "X"))
    )
    analysis = StudyAnalysis(data, StudySettings(time_unit="weeks"), assessments, endpoints)
    plots = cohort_plot_data(analysis.restricted_to({"A", "C"}))
    assert {b.patient_id for b in plots.waterfall.bars} == {"A", "C"}
    assert {line.patient_id for line in plots.spider.lines} == {"A", "C"}
    assert plots.spider.lines[0].times[0] == 1.0
    assert {lane.patient_id for lane in plots.swimmer.lanes} == {"A", "C"}
    assert [(c.arm, c.n) for c in plots.kaplan_meier.curves] == [("X", 2)]
    assert plots.kaplan_meier.unit == "weeks"
