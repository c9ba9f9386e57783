"""Survival statistics: Kaplan-Meier, log-rank, Cox (Efron ties) and median follow-up.

Each function validates its arguments first (raising InputError) and returns a frozen
dataclass of plain numbers. The counting is Nadir's own numpy code in R's terms
(model/stats/product_limit.py: R survfit's product and log(-log) band, R survdiff's
statistic and degrees of freedom) and so is the Cox fit (model/stats/cox.py); lifelines,
whose import alone cost the `survival` command more than its work at 200,000 rows, is
left to the tests as a second opinion. R's `survival` package (survfit, survdiff,
coxph) is the reference the tests hold every number to.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from model.errors import InputError, InputProblem
from model.stats.cox import CoxResult, CoxTerm, design_matrix, fit_cox
from model.stats.product_limit import (
    log_log_band,
    logrank_chi2,
    logrank_sums,
    product_limit,
    risk_table,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CoxResult",
    "CoxTerm",
    "FollowUp",
    "HazardRatio",
    "KaplanMeierResult",
    "LogRankResult",
    "SurvivalEstimate",
    "cox",
    "cox_two_groups",
    "kaplan_meier",
    "logrank",
    "median_follow_up",
    "number_at_risk",
    "survival_at",
]

#: R's tolerance for "the curve equals 0.5" (survival's quantile.survfit: sqrt(machine eps)).
MEDIAN_TOLERANCE = math.sqrt(np.finfo(float).eps)


@dataclass(frozen=True)
class KaplanMeierResult:
    """A Kaplan-Meier curve with its pointwise log(-log) band and median.

    Every sequence is indexed by `timeline`, the distinct observed times in ascending order;
    the curve is 1 before the first of them. `ci_low`/`ci_high` are 1 where the curve is 1
    and NaN where it is 0 (the log(-log) band is undefined there).
    """

    timeline: tuple[float, ...]
    survival: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    at_risk: tuple[int, ...]
    events: tuple[int, ...]
    censored: tuple[int, ...]
    median: float | None
    median_ci_low: float | None
    median_ci_high: float | None
    n: int
    n_events: int
    alpha: float


@dataclass(frozen=True)
class SurvivalEstimate:
    """The curve and its band at one landmark `time`; None past the last observed time."""

    time: float
    survival: float | None
    ci_low: float | None
    ci_high: float | None
    at_risk: int


@dataclass(frozen=True)
class LogRankResult:
    """Log-rank chi-square statistic, its degrees of freedom and p-value."""

    chi2: float
    df: int
    p: float


@dataclass(frozen=True)
class HazardRatio:
    """Hazard ratio of `comparison` against `reference`, Wald CI and p; None where no fit."""

    reference: Hashable
    comparison: Hashable
    hazard_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None


@dataclass(frozen=True)
class FollowUp:
    """Median follow-up by the reverse Kaplan-Meier method, with its CI (None if not reached)."""

    median: float | None
    ci_low: float | None
    ci_high: float | None


def kaplan_meier(
    durations: ArrayLike, events: ArrayLike, *, alpha: float = 0.05
) -> KaplanMeierResult:
    """The Kaplan-Meier estimate with its log(-log) band and median (R survfit, "log-log")."""
    _check_alpha(alpha)
    time, event = _survival_arrays(durations, events)
    table = risk_table(time, event)
    survival = product_limit(table)
    low, high = log_log_band(table, survival, float(special.ndtri(1 - alpha / 2)))
    return KaplanMeierResult(
        timeline=tuple(table.timeline.tolist()),
        survival=tuple(survival.tolist()),
        ci_low=tuple(low.tolist()),
        ci_high=tuple(high.tolist()),
        at_risk=tuple(table.at_risk.tolist()),
        events=tuple(table.events.tolist()),
        censored=tuple(table.censored.tolist()),
        median=_median_time(table.timeline, survival),
        median_ci_low=_median_time(table.timeline, low),
        median_ci_high=_median_time(table.timeline, high),
        n=int(time.size),
        n_events=int(event.sum()),
        alpha=alpha,
    )


def _median_time(timeline: np.ndarray, curve: np.ndarray) -> float | None:
    """Time at which `curve` falls below 0.5, None if it never does (interchange spec, median).

    Mirrors R survival's quantile.survfit: the earliest time the curve is at or below 0.5;
    if it is 0.5 exactly there, the midpoint up to where it falls below 0.5, or up to the
    last observed time if it never does. NaN points (an undefined band) are skipped.
    lifelines' median_survival_time_ takes the first time at or below 0.5, which is 2, not
    the spec's 3, for a curve at 0.5 from 2 to 4; the spec wins.
    """
    valid = ~np.isnan(curve)
    times, drop = timeline[valid], 1.0 - curve[valid]
    reached = np.flatnonzero(drop + MEDIAN_TOLERANCE >= 0.5)
    if reached.size == 0 or drop.max() < 0.5:
        return None
    start = times[reached[0]]
    below = np.flatnonzero(drop - MEDIAN_TOLERANCE >= 0.5)
    if below.size:
        return float((start + times[below[0]]) / 2)
    if not np.isnan(curve[-1]) and abs(drop[-1] - 0.5) < MEDIAN_TOLERANCE:
        return float((start + timeline[-1]) / 2)
    return None


def survival_at(result: KaplanMeierResult, times: Iterable[float]) -> tuple[SurvivalEstimate, ...]:
    """The curve, its band and the number at risk at each landmark time (R summary.survfit)."""
    times = list(times)
    timeline = np.asarray(result.timeline)
    at_risk = number_at_risk(result, times)
    estimates = []
    for time, n_risk in zip(times, at_risk, strict=True):
        index = int(np.searchsorted(timeline, time, side="right")) - 1
        if timeline.size and time > timeline[-1]:
            values = (None, None, None)
        elif index < 0:
            values = (1.0, 1.0, 1.0)
        else:
            values = (result.survival[index], result.ci_low[index], result.ci_high[index])
        estimates.append(SurvivalEstimate(float(time), *values, at_risk=n_risk))
    return tuple(estimates)


def number_at_risk(
    result_or_durations: KaplanMeierResult | ArrayLike, times: Iterable[float]
) -> tuple[int, ...]:
    """How many subjects are still followed (duration >= t) at each time t."""
    times = list(times)
    if isinstance(result_or_durations, KaplanMeierResult):
        timeline = np.asarray(result_or_durations.timeline)
        at_risk = result_or_durations.at_risk
        index = np.searchsorted(timeline, times, side="left")
        return tuple(int(at_risk[i]) if i < len(at_risk) else 0 for i in index)
    durations = np.sort(_survival_arrays(result_or_durations, None)[0])
    return tuple((durations.size - np.searchsorted(durations, times, side="left")).tolist())


def median_follow_up(durations: ArrayLike, events: ArrayLike, *, alpha: float = 0.05) -> FollowUp:
    """Median follow-up with CI by reverse Kaplan-Meier: censoring taken as the event."""
    _, event = _survival_arrays(durations, events)
    reverse = kaplan_meier(durations, 1 - event, alpha=alpha)
    return FollowUp(reverse.median, reverse.median_ci_low, reverse.median_ci_high)


def logrank(durations: ArrayLike, events: ArrayLike, groups: Iterable[Hashable]) -> LogRankResult:
    """Log-rank test of equal survival across two or more groups (R survdiff, rho = 0)."""
    time, event = _survival_arrays(durations, events)
    codes, labels = _group_codes(groups, time.size)
    if len(labels) < 2:
        raise InputError("the log-rank test needs at least two groups")
    chi2, df = logrank_chi2(logrank_sums(time, event, codes, len(labels)))
    if df < 1:
        return LogRankResult(chi2=0.0, df=0, p=1.0)
    return LogRankResult(chi2=chi2, df=df, p=float(special.chdtrc(df, chi2)))


def cox_two_groups(
    durations: ArrayLike, events: ArrayLike, groups: Iterable[Hashable], *, alpha: float = 0.05
) -> HazardRatio:
    """Hazard ratio of the second group (in order of first appearance) against the first."""
    _check_alpha(alpha)
    time, event = _survival_arrays(durations, events)
    codes, labels = _group_codes(groups, time.size)
    if len(labels) != 2:
        raise InputError(f"a two-group hazard ratio needs exactly two groups, not {len(labels)}")
    reference, comparison = labels
    if any(event[codes == k].sum() == 0 for k in (0, 1)):
        return HazardRatio(reference, comparison, None, None, None, None)
    term = fit_cox(time, event, (codes == 1).astype(float)[:, None], ["group"], alpha).terms[0]
    return HazardRatio(reference, comparison, term.hazard_ratio, term.ci_low, term.ci_high, term.p)


def cox(
    data: pd.DataFrame | Mapping[str, ArrayLike],
    duration: str,
    event: str,
    covariates: Sequence[str],
    *,
    references: Mapping[str, Hashable] | None = None,
    alpha: float = 0.05,
) -> CoxResult:
    """A Cox model (Efron ties, Wald CIs) of `duration`/`event` on `covariates` (R coxph).

    Numeric covariates enter as they are; other columns (text, categorical, boolean) are
    dummy-coded against `references[column]`, by default the first level (the first category
    of a pandas Categorical, else the first value to appear). Rows missing a covariate are
    left out, as R does; a missing duration or event is an error.
    """
    _check_alpha(alpha)
    x, names, time, status = design_matrix(data, duration, event, covariates, references or {})
    return fit_cox(*_survival_arrays(time, status), x, names, alpha)


def _check_alpha(alpha: float) -> None:
    """Raise InputError unless 0 < alpha < 1."""
    if not 0 < alpha < 1:
        raise InputError(InputProblem("alpha must be between 0 and 1", value=str(alpha)))


def _survival_arrays(durations, events):
    """Durations and 0/1 events as float arrays, after checking them (InputError if bad)."""
    time = _as_floats(durations, "durations")
    problems = [
        InputProblem(f"duration {i + 1} is {why}", column="durations", value=str(time[i]))
        for why, bad in (("not a finite number", ~np.isfinite(time)), ("negative", time < 0))
        for i in np.flatnonzero(bad)[:5]
    ]
    if time.size == 0:
        problems.append(InputProblem("there are no observations", column="durations"))
    event = None
    if events is not None:
        event = _as_floats(events, "events")
        if event.size != time.size:
            problems.append(InputProblem(f"{event.size} events for {time.size} durations"))
        else:
            problems += [
                InputProblem(f"event {i + 1} is not 0 or 1", column="events", value=str(event[i]))
                for i in np.flatnonzero((event != 0) & (event != 1))[:5]
            ]
    if problems:
        raise InputError(problems)
    return time, event


def _as_floats(values, name: str) -> np.ndarray:
    """`values` as a 1-D float array; InputError if they are not numbers."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise InputError(InputProblem(f"{name} must be numbers", column=name)) from error
    if array.ndim != 1:
        raise InputError(InputProblem(f"{name} must be one-dimensional", column=name))
    return array


def _group_codes(groups, n: int):
    """Integer code per row and the group labels, in order of first appearance."""
    values = groups.tolist() if isinstance(groups, np.ndarray) else list(groups)
    labels = {label: code for code, label in enumerate(dict.fromkeys(values))}
    for label in labels:
        if label is None or (isinstance(label, float) and math.isnan(label)):
            row = next(i for i, value in enumerate(values) if value is label)
            raise InputError(InputProblem(f"group {row + 1} is missing", column="groups"))
    if len(values) != n:
        raise InputError(InputProblem(f"{len(values)} group labels for {n} durations"))
    codes = np.fromiter(map(labels.__getitem__, values), dtype=int, count=len(values))
    return codes, list(labels)
