"""Survival statistics: Kaplan-Meier, log-rank, Cox (Efron ties) and median follow-up.

Each function validates its arguments first (raising InputError) and returns a frozen
dataclass of plain numbers; no fitter object leaves this module. Conventions follow R's
`survival` package (survfit, survdiff, coxph), which the tests use as the reference.
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

if TYPE_CHECKING:
    import pandas as pd

#: R's tolerance for "the curve equals 0.5" (survival's quantile.survfit: sqrt(machine eps)).
MEDIAN_TOLERANCE = math.sqrt(np.finfo(float).eps)
#: Newton-Raphson stops when the log-likelihood changes by less than this, relatively
#: (interchange spec, survival command; coxph.control(eps=1e-9)).
COX_EPSILON = 1e-9
#: Iteration cap for the Cox fit; a fit that needs more is reported as not converged.
COX_MAX_ITERATIONS = 50
#: A coefficient still moving by more than this fraction of itself at convergence is
#: infinite (coxph.control(toler.inf = sqrt(eps))).
COX_INFINITE_TOLERANCE = math.sqrt(COX_EPSILON)


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
class CoxTerm:
    """One Cox model term: coefficient, hazard ratio with Wald CI, z and p (None if infinite)."""

    name: str
    coefficient: float | None
    standard_error: float | None
    hazard_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p: float | None


@dataclass(frozen=True)
class CoxResult:
    """A fitted Cox proportional-hazards model (Efron ties)."""

    terms: tuple[CoxTerm, ...]
    n: int
    n_events: int
    log_likelihood: float
    iterations: int
    converged: bool
    alpha: float

    def term(self, name: str) -> CoxTerm:
        """The term called `name`; KeyError if the model has none."""
        for term in self.terms:
            if term.name == name:
                return term
        raise KeyError(name)


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
    timeline, index = np.unique(time, return_inverse=True)
    n_events = np.bincount(index, weights=event, minlength=timeline.size).astype(int)
    n_total = np.bincount(index, minlength=timeline.size)
    at_risk = time.size - np.concatenate(([0], np.cumsum(n_total)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1.0 - n_events / at_risk)
        # Greenwood: variance of the cumulative hazard, infinite once the curve reaches 0.
        greenwood = np.cumsum(n_events / (at_risk * (at_risk - n_events)))
    ci_low, ci_high = _log_log_band(survival, np.sqrt(greenwood), alpha)
    return KaplanMeierResult(
        timeline=tuple(timeline.tolist()),
        survival=tuple(survival.tolist()),
        ci_low=tuple(ci_low.tolist()),
        ci_high=tuple(ci_high.tolist()),
        at_risk=tuple(at_risk.tolist()),
        events=tuple(n_events.tolist()),
        censored=tuple((n_total - n_events).tolist()),
        median=_median_time(timeline, survival),
        median_ci_low=_median_time(timeline, ci_low),
        median_ci_high=_median_time(timeline, ci_high),
        n=int(time.size),
        n_events=int(event.sum()),
        alpha=alpha,
    )


def _log_log_band(survival: np.ndarray, std_err: np.ndarray, alpha: float):
    """Pointwise band on the log(-log) scale (R survival's survfit_confint, "log-log")."""
    z = special.ndtri(1 - alpha / 2)
    inside = (survival > 0) & (survival < 1)
    s = np.where(inside, survival, 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        half_width = z * std_err / np.log(s)
        low = np.exp(-np.exp(np.log(-np.log(s)) - half_width))
        high = np.exp(-np.exp(np.log(-np.log(s)) + half_width))
    edge = np.where(survival >= 1, 1.0, np.nan)
    return np.where(inside, low, edge), np.where(inside, high, edge)


def _median_time(timeline: np.ndarray, curve: np.ndarray) -> float | None:
    """Time at which `curve` falls below 0.5, None if it never does (interchange spec, median).

    Mirrors R survival's quantile.survfit: the earliest time the curve is at or below 0.5;
    if it is 0.5 exactly there, the midpoint up to where it falls below 0.5, or up to the
    last observed time if it never does. NaN points (an undefined band) are skipped.
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
    event_times = np.unique(time[event == 1])
    sorted_by_group = [np.sort(time[codes == k]) for k in range(len(labels))]
    at_risk = np.column_stack(
        [g.size - np.searchsorted(g, event_times, side="left") for g in sorted_by_group]
    ).astype(float)
    deaths = np.zeros_like(at_risk)
    np.add.at(deaths, (np.searchsorted(event_times, time[event == 1]), codes[event == 1]), 1)
    n, d = at_risk.sum(axis=1), deaths.sum(axis=1)
    share = at_risk / n[:, None]
    expected = (d[:, None] * share).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(n > 1, d * (n - d) / (n - 1), 0.0)
    variance = np.diag((weight[:, None] * share).sum(axis=0)) - (weight[:, None] * share).T @ share
    # As survdiff: groups never at risk at an event time drop out, and one more is dropped
    # because the observed-minus-expected vector sums to zero.
    kept = np.flatnonzero(expected > 0)
    difference = (deaths.sum(axis=0) - expected)[kept][1:]
    df = kept.size - 1
    if df < 1:
        return LogRankResult(chi2=0.0, df=0, p=1.0)
    # A generalised inverse, so that a variance without information (every subject at risk
    # dies at each event time) gives 0 rather than an error.
    chi2 = float(difference @ np.linalg.pinv(variance[np.ix_(kept, kept)][1:, 1:]) @ difference)
    return LogRankResult(chi2=chi2, df=int(df), p=float(special.chdtrc(df, chi2)))


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
    term = _fit_cox(time, event, (codes == 1).astype(float)[:, None], ["group"], alpha).terms[0]
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
    # pandas is imported here, not at the top, so that the headless commands, which never
    # fit a multivariable model, start without it.
    import pandas as pd

    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(dict(data))
    x, names, time, status = _design_matrix(frame, duration, event, covariates, references or {})
    return _fit_cox(*_survival_arrays(time, status), x, names, alpha)


def _design_matrix(frame: pd.DataFrame, duration, event, covariates, references):
    """Covariate matrix, term names, durations and events of the rows with every covariate."""
    absent = [c for c in (duration, event, *covariates) if c not in frame.columns]
    if absent:
        raise InputError([InputProblem("no such column", column=str(c)) for c in absent])
    if not covariates:
        raise InputError("a Cox model needs at least one covariate")
    used = frame.loc[frame[list(covariates)].notna().all(axis=1)]
    if used.empty:
        raise InputError("no row has a value for every covariate")
    columns, names = [], []
    for covariate in covariates:
        values = used[covariate]
        if values.dtype.kind in "iuf":
            columns.append(values.to_numpy(dtype=float))
            names.append(str(covariate))
            continue
        levels = _levels(values, covariate, references.get(covariate))
        columns.extend((values == level).to_numpy(dtype=float) for level in levels[1:])
        names.extend(f"{covariate}[{level}]" for level in levels[1:])
    x = np.column_stack(columns)
    constant = [name for name, col in zip(names, x.T, strict=True) if col.min() == col.max()]
    if constant:
        raise InputError([InputProblem("covariate does not vary", column=c) for c in constant])
    return x, names, used[duration].to_numpy(), used[event].to_numpy()


def _levels(values: pd.Series, covariate, reference) -> list:
    """Levels of a categorical covariate, the reference first."""
    if values.dtype.name == "category":
        levels = [c for c in values.cat.categories if (values == c).any()]
    else:
        levels = list(values.unique())
    if reference is not None:
        if reference not in levels:
            raise InputError(
                InputProblem(
                    "reference level not found", column=str(covariate), value=str(reference)
                )
            )
        levels.remove(reference)
        levels.insert(0, reference)
    if len(levels) < 2:
        raise InputError(InputProblem("covariate has a single level", column=str(covariate)))
    return levels


def _fit_cox(time, status, x, names, alpha) -> CoxResult:
    """Newton-Raphson fit of the Efron partial likelihood, as R's coxph (step halving too)."""
    efron = _EfronLikelihood(time, status, x - x.mean(axis=0))
    beta = np.zeros(x.shape[1])
    loglik, score, info = efron(beta)
    converged, iteration = False, 0
    while not converged and iteration < COX_MAX_ITERATIONS:
        iteration += 1
        try:
            candidate = beta + np.linalg.solve(info, score)
        except np.linalg.LinAlgError as error:
            raise InputError(
                "the covariates are collinear; the Cox model cannot be fitted"
            ) from error
        new = efron(candidate)
        halved = False
        while not new[0] >= loglik and not np.allclose(candidate, beta, rtol=0, atol=1e-12):
            candidate, halved = (beta + candidate) / 2, True
            new = efron(candidate)
        converged = not halved and _relative_change(loglik, new[0]) <= COX_EPSILON
        beta, (loglik, score, info) = candidate, new
    variance = np.linalg.inv(info)
    # As coxph: a coefficient a further Newton step would still move is infinite.
    moving = np.abs(score @ variance)
    infinite = (moving > COX_EPSILON) & (moving > COX_INFINITE_TOLERANCE * np.abs(beta))
    se = np.sqrt(np.diag(variance))
    terms = tuple(
        _term(name, b, s, alpha) if not inf else CoxTerm(name, *[None] * 7)
        for name, b, s, inf in zip(names, beta, se, infinite, strict=True)
    )
    return CoxResult(
        terms, int(time.size), int(status.sum()), float(loglik), iteration, converged, alpha
    )


def _relative_change(old: float, new: float) -> float:
    """|1 - old/new|, the change coxph tests for convergence."""
    return abs(new - old) if new == 0 else abs(1 - old / new)


def _term(name: str, beta: float, se: float, alpha: float) -> CoxTerm:
    """A term's hazard ratio with Wald CI and two-sided p."""
    z_alpha = special.ndtri(1 - alpha / 2)
    z = beta / se
    return CoxTerm(
        name=name,
        coefficient=float(beta),
        standard_error=float(se),
        hazard_ratio=math.exp(beta),
        ci_low=math.exp(beta - z_alpha * se),
        ci_high=math.exp(beta + z_alpha * se),
        z=float(z),
        p=float(2 * special.ndtr(-abs(z))),
    )


class _EfronLikelihood:
    """Log partial likelihood with Efron's tie correction, its score and information."""

    def __init__(self, time: np.ndarray, status: np.ndarray, x: np.ndarray):
        order = np.argsort(-time, kind="stable")
        time, self.status, self.x = time[order], status[order], x[order]
        starts = np.flatnonzero(np.r_[True, time[1:] != time[:-1]])
        ends = np.r_[starts[1:], time.size] - 1
        deaths = np.add.reduceat(self.status, starts).astype(int)
        keep = deaths > 0
        self.starts, self.ends, deaths = starts[keep], ends[keep], deaths[keep]
        # One term per event: the k-th of d tied deaths removes k/d of the tied risk.
        self.block = np.repeat(np.arange(deaths.size), deaths)
        first = np.repeat(np.cumsum(deaths) - deaths, deaths)
        self.fraction = (np.arange(self.block.size) - first) / deaths[self.block]
        self.dead = self.status == 1

    def __call__(self, beta: np.ndarray):
        """(log-likelihood, score vector, information matrix) at `beta`."""
        eta = self.x @ beta
        shift = eta.max()
        w = np.exp(eta - shift)
        wx = w[:, None] * self.x
        wxx = wx[:, :, None] * self.x[:, None, :]
        sums = []
        for values in (w, wx, wxx):
            risk = np.cumsum(values, axis=0)[self.ends]
            dead = np.concatenate(
                [
                    np.zeros((1, *values.shape[1:])),
                    np.cumsum(values * self.status.reshape(-1, *[1] * (values.ndim - 1)), axis=0),
                ]
            )
            tied = dead[self.ends + 1] - dead[self.starts]
            f = self.fraction.reshape(-1, *[1] * (values.ndim - 1))
            sums.append(risk[self.block] - f * tied[self.block])
        den, a1, a2 = sums
        mean = a1 / den[:, None]
        loglik = (eta[self.dead] - shift).sum() - np.log(den).sum()
        score = self.x[self.dead].sum(axis=0) - mean.sum(axis=0)
        info = (a2 / den[:, None, None]).sum(axis=0) - mean.T @ mean
        return float(loglik), score, info


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
    labels: dict[Hashable, int] = {}
    codes = []
    for row, label in enumerate(groups):
        if label is None or (isinstance(label, float) and math.isnan(label)):
            raise InputError(InputProblem(f"group {row + 1} is missing", column="groups"))
        codes.append(labels.setdefault(label, len(labels)))
    if len(codes) != n:
        raise InputError(InputProblem(f"{len(codes)} group labels for {n} durations"))
    return np.array(codes, dtype=int), list(labels)
