"""Plain data behind the cohort plots: waterfall, spider, swimmer and Kaplan-Meier.

Each function takes model objects the cohort page has already filtered (arm,
histology, criteria) and returns frozen dataclasses that `gui/plots` draws on
screen and into files; `cohort_plot_data` makes all four from one
`StudyAnalysis`. Times are in the unit the user chose: days, weeks, months of
30.4375 days or years (shared/design.md, "Layers").
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from model import survival
from model.analysis import StudyAnalysis
from model.domain import PatientAssessment, StudyData
from model.endpoints import PatientEndpoints

#: Length of each time unit (model.edits.TIME_UNITS) in days; a month is 365.25 / 12 days
#: (shared/design.md).
DAYS_PER_UNIT: Mapping[str, float] = {
    "days": 1.0,
    "weeks": 7.0,
    "months": 30.4375,
    "years": 365.25,
}

#: Overall responses that are an objective response (RECIST 1.1 section 4.3; iRECIST).
RESPONSE_CODES = frozenset({"CR", "PR", "iCR", "iPR"})

#: Overall responses drawn as progression (RECIST 1.1 PD; iRECIST confirmed iCPD).
PROGRESSION_CODES = frozenset({"PD", "iCPD"})


def in_unit(days: float, unit: str) -> float:
    """Return `days` expressed in `unit` ("days", "weeks", "months" or "years")."""
    if unit not in DAYS_PER_UNIT:
        raise ValueError(f"unknown time unit {unit!r}; expected one of {sorted(DAYS_PER_UNIT)}")
    return days / DAYS_PER_UNIT[unit]


def arms_of(data: StudyData) -> dict[str, str]:
    """Return each patient's arm by patient id."""
    return {p.patient_id: p.arm for p in data.patients}


def start_dates_of(data: StudyData) -> dict[str, date]:
    """Return each patient's start date by patient id (the default time origin)."""
    return {p.patient_id: p.start_date for p in data.patients}


def arm_order(arms: Iterable[str]) -> list[str]:
    """Return the distinct arms in order of first appearance."""
    return list(dict.fromkeys(arms))


@dataclass(frozen=True)
class WaterfallBar:
    """One patient's bar: best % change of the target sum from baseline."""

    patient_id: str
    arm: str
    response: str
    pct_change: float
    #: The height drawn: `pct_change`, capped at the plot's cap.
    shown_pct: float

    @property
    def capped(self) -> bool:
        """True when the bar is cut at the cap and needs a mark."""
        return self.pct_change > self.shown_pct


@dataclass(frozen=True)
class WaterfallData:
    """Bars in drawing order, and the patients left out for lack of a post-baseline sum."""

    bars: tuple[WaterfallBar, ...]
    left_out: tuple[str, ...]
    cap_pct: float

    def caption(self) -> str:
        """Lines under the plot: how many patients are shown, left out and capped."""
        lines = [shown_caption(len(self.bars), self.left_out)]
        capped = sum(bar.capped for bar in self.bars)
        if capped:
            lines.append(f"{capped} capped at +{self.cap_pct:g} % (\u25b2)")
        return "\n".join(lines)


def shown_caption(shown: int, left_out: Sequence[str]) -> str:
    """Return "n = 34" and, on a second line, how many have no post-baseline measurement."""
    text = f"n = {shown}"
    if left_out:
        text += f"\n{len(left_out)} not shown: no post-baseline measurement"
    return text


def waterfall_data(
    assessments: Iterable[PatientAssessment],
    arms: Mapping[str, str] | None = None,
    *,
    cap_pct: float = 100.0,
    group_by_arm: bool = False,
) -> WaterfallData:
    """Return the waterfall's bars, sorted from worst (highest) to best change.

    The height is `best_pct_change` (interchange spec, "Best overall
    response"); a patient without one has no post-baseline sum and is left
    out. With `group_by_arm` the bars run arm by arm, arms in the order of
    `arms` (the study's patient order), each arm sorted on its own.
    """
    arms = arms or {}
    bars, left_out = [], []
    for a in assessments:
        if a.best_pct_change is None:
            left_out.append(a.patient_id)
            continue
        shown = min(a.best_pct_change, cap_pct)
        arm = arms.get(a.patient_id, "")
        bars.append(
            WaterfallBar(a.patient_id, arm, a.best_overall_response, a.best_pct_change, shown)
        )
    bars.sort(key=lambda b: (-b.pct_change, b.patient_id))
    if group_by_arm:
        order = {
            arm: i for i, arm in enumerate(arm_order([*arms.values(), *(b.arm for b in bars)]))
        }
        bars.sort(key=lambda b: order[b.arm])
    return WaterfallData(tuple(bars), tuple(left_out), cap_pct)


@dataclass(frozen=True)
class SpiderLine:
    """One patient's % change of the target sum from baseline over time."""

    patient_id: str
    arm: str
    response: str
    times: tuple[float, ...]
    pct: tuple[float, ...]


@dataclass(frozen=True)
class SpiderData:
    """Lines of the spider plot, the patients left out, and the time unit."""

    lines: tuple[SpiderLine, ...]
    left_out: tuple[str, ...]
    unit: str

    def caption(self) -> str:
        """Lines under the plot: how many patients are shown and left out."""
        return shown_caption(len(self.lines), self.left_out)


def spider_data(
    assessments: Iterable[PatientAssessment],
    arms: Mapping[str, str] | None = None,
    origins: Mapping[str, date] | None = None,
    *,
    unit: str = "weeks",
) -> SpiderData:
    """Return one line per patient: 0 % at baseline, then each non-null change from baseline.

    Time runs from the patient's time origin (`origins`, e.g. the start dates
    or the endpoints' `time_origin`), or from the baseline scan when it is
    unknown. A patient without a post-baseline change is left out.
    """
    arms, origins = arms or {}, origins or {}
    lines, left_out = [], []
    for a in assessments:
        later = [p for p in a.timepoints[1:] if p.change_from_baseline_pct is not None]
        if not later:
            left_out.append(a.patient_id)
            continue
        baseline = a.timepoints[0].scan_date
        origin = origins.get(a.patient_id, baseline)
        dates = [baseline] + [p.scan_date for p in later]
        times = tuple(in_unit((d - origin).days, unit) for d in dates)
        pct = (0.0,) + tuple(p.change_from_baseline_pct for p in later)
        arm = arms.get(a.patient_id, "")
        lines.append(SpiderLine(a.patient_id, arm, a.best_overall_response, times, pct))
    return SpiderData(tuple(lines), tuple(left_out), unit)


#: Kinds of swimmer-lane markers, in legend order.
MARKER_KINDS = ("response", "progression", "death", "procedure", "surgery")

#: Event kinds (interchange spec, events.csv) drawn as a marker of the same name.
_EVENT_MARKERS = frozenset({"procedure", "surgery"})


@dataclass(frozen=True)
class SwimmerMarker:
    """Something that happened on a lane: its kind (see MARKER_KINDS), time and label."""

    kind: str
    time: float
    label: str


@dataclass(frozen=True)
class SwimmerLane:
    """One patient's lane from the time origin to the last follow-up, with its markers."""

    patient_id: str
    arm: str
    end: float
    #: A treatment without an end date, in a patient alive and not off study.
    ongoing: bool
    markers: tuple[SwimmerMarker, ...]


@dataclass(frozen=True)
class SwimmerData:
    """Lanes sorted from the longest to the shortest, and the time unit."""

    lanes: tuple[SwimmerLane, ...]
    unit: str


def swimmer_data(
    data: StudyData,
    assessments: Iterable[PatientAssessment] = (),
    origins: Mapping[str, date] | None = None,
    *,
    unit: str = "months",
) -> SwimmerData:
    """Return one lane per patient of `data`, sorted by duration, longest first.

    A lane ends at the latest of end of treatment, last contact, death, any
    event and any scan. Markers: the first objective response (CR/PR) and the
    first progression (a PD scan or a `progression` event), death, and every
    procedure and surgery, labelled with the event's detail (e.g. dTACE).
    """
    by_patient = {a.patient_id: a for a in assessments}
    events: dict[str, list] = {}
    for event in data.events:
        events.setdefault(event.patient_id, []).append(event)
    lanes = []
    for patient in data.patients:
        origin = (origins or {}).get(patient.patient_id, patient.start_date)
        mine = events.get(patient.patient_id, [])
        dated = _lane_markers(patient, by_patient.get(patient.patient_id), mine)
        ends = [d for d in (patient.last_contact_date, patient.death_date) if d is not None]
        ends += [e.end_date or e.start_date for e in mine] + [d for _, d, _ in dated]
        assessment = by_patient.get(patient.patient_id)
        ends += [p.scan_date for p in assessment.timepoints] if assessment else []
        days = max([(d - origin).days for d in ends] + [0])
        markers = tuple(SwimmerMarker(k, in_unit((d - origin).days, unit), t) for k, d, t in dated)
        ongoing = patient.death_date is None and _on_treatment(mine)
        lanes.append(
            SwimmerLane(patient.patient_id, patient.arm, in_unit(days, unit), ongoing, markers)
        )
    lanes.sort(key=lambda lane: (-lane.end, lane.patient_id))
    return SwimmerData(tuple(lanes), unit)


def _lane_markers(patient, assessment, events) -> list[tuple[str, date, str]]:
    """(kind, date, label) of each marker of one patient."""
    marks = [(e.kind.casefold(), e.start_date, e.detail or e.kind) for e in events]
    marks = [m for m in marks if m[0] in _EVENT_MARKERS]
    points = assessment.timepoints[1:] if assessment else ()
    response = next((p for p in points if p.overall in RESPONSE_CODES), None)
    if response is not None:
        marks.append(("response", response.scan_date, response.overall))
    progressions = [(p.scan_date, p.overall) for p in points if p.overall in PROGRESSION_CODES]
    progressions += [
        (e.start_date, "clinical") for e in events if e.kind.casefold() == "progression"
    ]
    if progressions:
        when, label = min(progressions)
        marks.append(("progression", when, label))
    if patient.death_date is not None:
        marks.append(("death", patient.death_date, "death"))
    return marks


def _on_treatment(events) -> bool:
    """True when a treatment has no end date and no off-study event was recorded."""
    kinds = {e.kind.casefold() for e in events}
    open_treatment = any(e.kind.casefold() == "treatment" and e.end_date is None for e in events)
    return open_treatment and "off-study" not in kinds


@dataclass(frozen=True)
class KMGroup:
    """One arm's survival times in the plot's unit, and event flags (False: censored)."""

    arm: str
    durations: tuple[float, ...]
    events: tuple[bool, ...]


def km_groups(
    endpoints: Iterable[PatientEndpoints], *, endpoint: str = "pfs", unit: str = "months"
) -> list[KMGroup]:
    """Return one group per arm, in order of first appearance, from the patients' endpoints.

    `endpoint` is "pfs" or "os"; durations come from the endpoints' days.
    """
    if endpoint not in ("pfs", "os"):
        raise ValueError(f"endpoint must be 'pfs' or 'os', not {endpoint!r}")
    rows: dict[str, list[tuple[float, bool]]] = {}
    for e in endpoints:
        days, event = getattr(e, f"{endpoint}_days"), getattr(e, f"{endpoint}_event")
        rows.setdefault(e.arm, []).append((in_unit(days, unit), bool(event)))
    return [
        KMGroup(arm, tuple(t for t, _ in pairs), tuple(ev for _, ev in pairs))
        for arm, pairs in rows.items()
    ]


#: Candidate tick spacings per unit, so that ticks fall on whole months, weeks or days.
_TICK_STEPS: Mapping[str, tuple[float, ...]] = {
    "months": (1, 2, 3, 6, 12, 24, 36, 60, 120),
    "weeks": (1, 2, 4, 8, 13, 26, 52, 104, 260),
    "days": (7, 14, 30, 60, 90, 180, 365, 730, 1826),
    "years": (0.25, 0.5, 1, 2, 5, 10),
}


def time_ticks(t_max: float, unit: str, *, most: int = 8) -> tuple[float, ...]:
    """Return evenly spaced ticks from 0 covering `t_max`, at most `most` + 1 of them."""
    steps = _TICK_STEPS[unit]
    step = next((s for s in steps if t_max / s <= most), steps[-1])
    count = int(-(-t_max // step)) if t_max > 0 else 1
    return tuple(float(step * i) for i in range(count + 1))


@dataclass(frozen=True)
class KMCurve:
    """One arm's Kaplan-Meier step curve, its censor ticks and median, ready to draw.

    The curve starts at (0, 1); `censor_survival` is the curve's height at each
    censoring time, where the tick is drawn.
    """

    arm: str
    n: int
    events: int
    timeline: tuple[float, ...]
    survival: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    censor_times: tuple[float, ...]
    censor_survival: tuple[float, ...]
    median: float | None


def km_curve(group: KMGroup, fit: survival.KaplanMeierResult) -> KMCurve:
    """Return the drawable curve of `group` from its `model.survival.KaplanMeierResult`.

    The estimate is the statistics module's; only its shape changes here: the
    curve gets its start at (0, 1), and the band, undefined (NaN) where the
    curve reaches 0, is drawn closed at 0 there.
    """
    timeline, surv = list(fit.timeline), list(fit.survival)
    low = [v if math.isfinite(v) else s for v, s in zip(fit.ci_low, surv, strict=True)]
    high = [v if math.isfinite(v) else s for v, s in zip(fit.ci_high, surv, strict=True)]
    if not timeline or timeline[0] > 0:
        timeline, surv, low, high = [0.0] + timeline, [1.0] + surv, [1.0] + low, [1.0] + high
    censored = sorted(
        t for t, event in zip(group.durations, group.events, strict=True) if not event
    )
    heights = tuple(_step_value(timeline, surv, t) for t in censored)
    return KMCurve(
        arm=group.arm,
        n=len(group.durations),
        events=sum(group.events),
        timeline=tuple(map(float, timeline)),
        survival=tuple(map(float, surv)),
        ci_low=tuple(map(float, low)),
        ci_high=tuple(map(float, high)),
        censor_times=tuple(censored),
        censor_survival=heights,
        median=None if fit.median is None else float(fit.median),
    )


def _step_value(timeline: Sequence[float], values: Sequence[float], t: float) -> float:
    """Value of a right-continuous step function at `t`."""
    index = bisect_right(timeline, t) - 1
    return float(values[max(index, 0)])


@dataclass(frozen=True)
class KMPlotData:
    """Everything a Kaplan-Meier figure shows: curves, ticks, numbers at risk and the test."""

    endpoint: str
    unit: str
    curves: tuple[KMCurve, ...]
    ticks: tuple[float, ...]
    #: Numbers at risk at each tick, one row per curve.
    at_risk: tuple[tuple[int, ...], ...]
    logrank_p: float | None = None
    hazard_ratio: float | None = None
    hr_ci: tuple[float, float] | None = None

    def annotation(self) -> str:
        """Words written on the plot: the log-rank p and the hazard ratio with its 95 % CI."""
        lines = []
        if self.logrank_p is not None:
            lines.append(f"Log-rank {format_p(self.logrank_p)}")
        if self.hazard_ratio is not None:
            text = f"HR {self.hazard_ratio:.2f}"
            if self.hr_ci is not None:
                text += f" (95 % CI {self.hr_ci[0]:.2f}\u2013{self.hr_ci[1]:.2f})"
            lines.append(text)
        return "\n".join(lines)

    def caption(self) -> str:
        """Words under the plot: each arm's median and which arm the hazard ratio compares.

        The hazard ratio is the second arm's against the first's, as
        `model.survival.cox_two_groups` computes it.
        """
        medians = [
            f"{c.arm} {c.median:.1f} {self.unit}"
            if c.median is not None
            else f"{c.arm} not reached"
            for c in self.curves
        ]
        text = f"Median {self.endpoint}: " + "; ".join(medians) if medians else ""
        if self.hazard_ratio is not None and len(self.curves) == 2:
            text += f"\nHR: {self.curves[1].arm} vs {self.curves[0].arm} (Cox)"
        return text


def format_p(p: float) -> str:
    """Return "p = 0.012" style text, "p < 0.001" below a thousandth."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def km_plot_data(
    groups: Sequence[KMGroup], *, endpoint: str, unit: str, alpha: float = 0.05
) -> KMPlotData:
    """Return the Kaplan-Meier figure's data: one curve per non-empty group, and the tests.

    Curves, numbers at risk, the log-rank test (two or more groups) and the
    hazard ratio of the second group against the first (exactly two) all come
    from `model.survival`.
    """
    groups = [g for g in groups if g.durations]
    curves = tuple(
        km_curve(g, survival.kaplan_meier(g.durations, g.events, alpha=alpha)) for g in groups
    )
    t_max = max((max(g.durations) for g in groups), default=0.0)
    ticks = time_ticks(t_max, unit)
    rows = tuple(survival.number_at_risk(g.durations, ticks) for g in groups)
    data = KMPlotData(endpoint, unit, curves, ticks, rows)
    if len(groups) < 2:
        return data
    durations = [t for g in groups for t in g.durations]
    events = [int(e) for g in groups for e in g.events]
    labels = [g.arm for g in groups for _ in g.durations]
    p = survival.logrank(durations, events, labels).p
    hr = (
        survival.cox_two_groups(durations, events, labels, alpha=alpha)
        if len(groups) == 2
        else None
    )
    ci = (
        (hr.ci_low, hr.ci_high) if hr and hr.ci_low is not None and hr.ci_high is not None else None
    )
    return replace(data, logrank_p=p, hazard_ratio=hr.hazard_ratio if hr else None, hr_ci=ci)


@dataclass(frozen=True)
class CohortPlotData:
    """The data of all four cohort plots for one selection of patients."""

    waterfall: WaterfallData
    spider: SpiderData
    swimmer: SwimmerData
    kaplan_meier: KMPlotData


def cohort_plot_data(
    analysis: StudyAnalysis,
    *,
    endpoint: str = "pfs",
    unit: str | None = None,
    group_by_arm: bool = False,
) -> CohortPlotData:
    """Return the four plots' data of an analysed study, times in `unit` (default: the study's).

    The cohort page filters (arm, histology, ...) with
    `analysis.restricted_to(patient_ids)` and redraws every plot from this one
    result. The endpoints' time origins time the spider and swimmer plots too,
    so that all plots share one clock.
    """
    unit = unit or analysis.settings.time_unit
    data, assessments = analysis.data, analysis.assessments
    arms = arms_of(data)
    origins = start_dates_of(data) | {e.patient_id: e.time_origin for e in analysis.endpoints}
    groups = km_groups(analysis.endpoints, endpoint=endpoint, unit=unit)
    return CohortPlotData(
        waterfall=waterfall_data(assessments, arms, group_by_arm=group_by_arm),
        spider=spider_data(assessments, arms, origins, unit=unit),
        swimmer=swimmer_data(data, assessments, origins, unit=unit),
        kaplan_meier=km_plot_data(groups, endpoint=endpoint.upper(), unit=unit),
    )
