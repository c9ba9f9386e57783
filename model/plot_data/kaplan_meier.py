"""Kaplan-Meier data: curves per arm, ticks, numbers at risk, log-rank test and hazard ratio."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from model.plot_data.common import in_unit
from model.stats import survival
from model.stats.endpoints import PatientEndpoints
from model.stats.response_endpoints import TimeToEvent

#: The endpoints a Kaplan-Meier plot can show (issue 18, item 4): PatientEndpoints carry
#: PFS and OS; TTP and DoR come as TimeToEvent lists (model/stats/response_endpoints.py).
ENDPOINTS = ("pfs", "os", "ttp", "dor")


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
    return _groups(rows)


def km_groups_of(times: Iterable[TimeToEvent], *, unit: str = "months") -> list[KMGroup]:
    """Return one group per arm, in order of first appearance, from times to an event (TTP,
    DoR; model/stats/response_endpoints.py)."""
    rows: dict[str, list[tuple[float, bool]]] = {}
    for t in times:
        rows.setdefault(t.arm, []).append((in_unit(t.days, unit), t.event))
    return _groups(rows)


def _groups(rows: Mapping[str, Sequence[tuple[float, bool]]]) -> list[KMGroup]:
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
    #: The median's CI (R survfit, log-log band); None where a bound is not reached.
    median_ci: tuple[float | None, float | None] = (None, None)
    #: The confidence level of the band and the median's CI (the study's setting).
    level: float = 0.95

    def median_text(self, unit: str) -> str:
        """Return "median 8.2 mo (95 % CI 6.1–10.4)", NR for what is not reached."""
        short = UNIT_ABBREVIATIONS.get(unit, unit)
        low, high = (_or_nr(v) for v in self.median_ci)
        return f"median {_or_nr(self.median)} {short} ({level_text(self.level)} CI {low}–{high})"


def level_text(level: float) -> str:
    """Return a confidence level as a paper writes it: 0.95 -> "95 %", 0.975 -> "97.5 %"."""
    return f"{100 * level:g} %"


#: Short forms of the time units, for legends.
UNIT_ABBREVIATIONS = {"days": "d", "weeks": "wk", "months": "mo", "years": "y"}


def _or_nr(value: float | None) -> str:
    """A time to one decimal, or NR (not reached)."""
    return "NR" if value is None else f"{value:.1f}"


def km_curve(group: KMGroup, fit: survival.KaplanMeierResult, level: float = 0.95) -> KMCurve:
    """Return the drawable curve of `group` from its `model.stats.survival.KaplanMeierResult`.

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
        median_ci=_median_ci(fit),
        level=level,
    )


def _median_ci(fit) -> tuple[float | None, float | None]:
    bounds = (getattr(fit, "median_ci_low", None), getattr(fit, "median_ci_high", None))
    return tuple(None if v is None else float(v) for v in bounds)  # type: ignore[return-value]


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
    #: The confidence level of every interval shown (the study's setting).
    level: float = 0.95

    def annotation(self) -> str:
        """Words written on the plot: the log-rank p and the hazard ratio with its CI."""
        lines = []
        if self.logrank_p is not None:
            lines.append(f"Log-rank {format_p(self.logrank_p)}")
        if self.hazard_ratio is not None:
            text = f"HR {self.hazard_ratio:.2f}"
            if self.hr_ci is not None:
                ci = f"{self.hr_ci[0]:.2f}\u2013{self.hr_ci[1]:.2f}"
                text += f" ({level_text(self.level)} CI {ci})"
            lines.append(text)
        return "\n".join(lines)

    def caption(self) -> str:
        """Words under the plot: each arm's median with its CI, one line per arm, then
        the log-rank test and the hazard ratio, and which arms the hazard ratio compares.

        The hazard ratio is the second arm's against the first's, as
        `model.stats.survival.cox_two_groups` computes it.
        """
        lines = [f"{c.arm}: {c.median_text(self.unit)}" for c in self.curves]
        tests = self.annotation().replace("\n", "; ")
        lines += [tests] if tests else []
        if self.hazard_ratio is not None and len(self.curves) == 2:
            lines.append(f"HR: {self.curves[1].arm} vs {self.curves[0].arm} (Cox)")
        return "\n".join(lines)


def format_p(p: float) -> str:
    """Return "p = 0.012" style text, "p < 0.001" below a thousandth."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def km_plot_data(
    groups: Sequence[KMGroup], *, endpoint: str, unit: str, alpha: float = 0.05
) -> KMPlotData:
    """Return the Kaplan-Meier figure's data: one curve per non-empty group, and the tests.

    Curves, numbers at risk, the log-rank test (two or more groups) and the
    hazard ratio of the second group against the first (exactly two) all come
    from `model.stats.survival`.
    """
    groups = [g for g in groups if g.durations]
    curves = tuple(
        km_curve(g, survival.kaplan_meier(g.durations, g.events, alpha=alpha), 1 - alpha)
        for g in groups
    )
    t_max = max((max(g.durations) for g in groups), default=0.0)
    ticks = time_ticks(t_max, unit)
    rows = tuple(survival.number_at_risk(g.durations, ticks) for g in groups)
    data = KMPlotData(endpoint, unit, curves, ticks, rows, level=1 - alpha)
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
