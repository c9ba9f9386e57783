"""Cox proportional-hazards models (Efron ties) fitted by lifelines, checked as R's coxph.

lifelines' CoxPHFitter does the Newton-Raphson fit; with the options below its estimates,
Wald intervals, p-values and log-likelihood agree with R's coxph (survival 3.5-3) to
about 1e-14. It reports neither the score at its estimate nor whether it converged by
R's criterion, which R's test for infinite coefficients and `CoxResult.converged` need,
so `_EfronScore` computes those here. Nothing from lifelines leaves this module; the
public entry points are `model.stats.survival.cox` and `cox_two_groups`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from model.errors import InputError, InputProblem

if TYPE_CHECKING:
    import pandas as pd

#: The fit stops when the log-likelihood changes by less than this, relatively
#: (interchange spec, survival command; coxph.control(eps=1e-9)).
COX_EPSILON = 1e-9
#: Iteration cap for the Cox fit (coxph.control(iter.max = 20)). An infinite coefficient
#: grows by about one per step, so R's test below still sees it move; far more steps
#: drive its information below rounding, and the test with it.
COX_MAX_ITERATIONS = 20
#: A coefficient still moving by more than this fraction of itself at convergence is
#: infinite (coxph.control(toler.inf = sqrt(eps))).
COX_INFINITE_TOLERANCE = math.sqrt(COX_EPSILON)
#: lifelines' Newton-Raphson made R's: a stop on the relative change of the log-likelihood
#: only. Its default stop (a step's norm below 1e-7 on its standardised scale) leaves
#: hazard ratios up to 2e-4 off R's.
_FIT_OPTIONS = {"precision": 0.0, "r_precision": COX_EPSILON, "max_steps": COX_MAX_ITERATIONS}
#: Newton step lengths tried in turn. Full steps, as R takes, reach R's estimate to about
#: 1e-14 (lifelines' damped 0.95 steps stop some 1e-8 short, which R's test below can take
#: for an infinite coefficient). But lifelines, unlike R, does not halve a step that lowers
#: the log-likelihood, so on a few heavily tied data sets full steps overshoot and wander
#: off where R converges in five; damped steps, which lifelines lengthens again as it
#: closes in, then get there.
_STEP_SIZES = (1.0, 0.5)


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
    """A fitted Cox proportional-hazards model (Efron ties).

    `converged` says whether one more Newton-Raphson step would change the log-likelihood
    by less than COX_EPSILON, relatively (the interchange spec's criterion).
    """

    terms: tuple[CoxTerm, ...]
    n: int
    n_events: int
    log_likelihood: float
    converged: bool
    alpha: float

    def term(self, name: str) -> CoxTerm:
        """The term called `name`; KeyError if the model has none."""
        for term in self.terms:
            if term.name == name:
                return term
        raise KeyError(name)


def design_matrix(
    data: pd.DataFrame | Mapping[str, object],
    duration: str,
    event: str,
    covariates: Sequence[str],
    references: Mapping[str, Hashable],
):
    """(covariate matrix, term names, durations, events) of the rows with every covariate.

    Numeric covariates enter as they are; other columns are dummy-coded against their
    reference level. Rows missing a covariate are left out, as R does.
    """
    import pandas as pd

    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(dict(data))
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


def fit_cox(
    time: np.ndarray, status: np.ndarray, x: np.ndarray, names: list[str], alpha: float
) -> CoxResult:
    """The Cox model of checked durations and 0/1 events on the columns of `x` (R coxph)."""
    if not status.any():
        raise InputError("there are no events; the Cox model cannot be fitted")
    efron = _EfronScore(time, status, x - x.mean(axis=0))
    result = None
    for step_size in _STEP_SIZES:
        fit = _lifelines_fit(time, status, x, alpha, step_size)
        if fit is not None:
            result = _checked(efron, names, *fit, alpha)
            if result.converged:
                break
    if result is None:
        raise InputError("the covariates are collinear; the Cox model cannot be fitted")
    return result


def _checked(efron: _EfronScore, names, table, variance, loglik, alpha) -> CoxResult:
    """The fit with its infinite terms made null and its convergence checked, as coxph."""
    beta = table[:, 0]
    # Near an infinite coefficient the information underflows and the step overflows.
    with np.errstate(all="ignore"):
        step = efron.score(beta) @ variance
        change = _relative_change(efron.log_likelihood(beta), efron.log_likelihood(beta + step))
    # A coefficient a further Newton step would still move is infinite; so is one whose
    # numbers rounding has left undefined (NaN fails both comparisons).
    moved = np.abs(step)
    settled = (moved <= COX_EPSILON) | (moved <= COX_INFINITE_TOLERANCE * np.abs(beta))
    infinite = ~settled | ~np.isfinite(table).all(axis=1)
    terms = tuple(
        CoxTerm(name, *[None] * 7) if inf else CoxTerm(name, *map(float, row))
        for name, row, inf in zip(names, table, infinite, strict=True)
    )
    n, n_events = efron.status.size, int(efron.status.sum())
    return CoxResult(terms, n, n_events, loglik, bool(change <= COX_EPSILON), alpha)


def _relative_change(old: float, new: float) -> float:
    """|1 - old/new|, the change coxph tests for convergence."""
    return abs(new - old) if new == 0 else abs(1 - old / new)


def _lifelines_fit(time, status, x, alpha, step_size):
    """(term table, covariance matrix, log partial likelihood) fitted by lifelines.

    The table has a row per column of `x`: coefficient, standard error, hazard ratio, its
    Wald CI bounds, z and two-sided p, as R's summary.coxph. None if lifelines gives up
    (a singular information matrix: collinear covariates, or steps gone astray).
    """
    # lifelines (about 0.5 s to import) is loaded on first use, so that the headless
    # commands build their parser without it.
    import pandas as pd
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning
    from scipy.linalg import LinAlgWarning

    # Plain column names: the duration and event columns must not clash with a term's.
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(x.shape[1])])
    frame["duration"], frame["event"] = time, status
    fitter = CoxPHFitter(alpha=alpha)
    options = {**_FIT_OPTIONS, "step_size": step_size}
    # Steps towards an infinite coefficient overflow, and a singular fit fails; the caller
    # reports those as null terms or an InputError, not as warnings on stderr.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", LinAlgWarning)
        try:
            fitter.fit(frame, "duration", "event", fit_options=options)
        except ConvergenceError:
            return None
        beta = fitter.params_.to_numpy()
        se = fitter.standard_errors_.to_numpy()
        ci = np.exp(fitter.confidence_intervals_.to_numpy())
        # The Wald z and p as in lifelines' summary, which would add a fifth to the time.
        z = beta / se
        table = np.column_stack([beta, se, np.exp(beta), ci, z, 2 * special.ndtr(-np.abs(z))])
    return table, fitter.variance_matrix_.to_numpy(), float(fitter.log_likelihood_)


class _EfronScore:
    """Log partial likelihood with Efron's tie correction and its score vector.

    Kept here because lifelines exposes neither at its estimate (its score residuals
    ignore ties), and R's test for infinite coefficients and the convergence check need
    both.
    """

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

    def _risk_sums(self, values: np.ndarray) -> np.ndarray:
        """Efron-corrected sums of `values` over the risk set, one row per event."""
        risk = np.cumsum(values, axis=0)[self.ends]
        dead = np.cumsum(values * self.status.reshape(-1, *[1] * (values.ndim - 1)), axis=0)
        dead = np.concatenate([np.zeros((1, *values.shape[1:])), dead])
        tied = dead[self.ends + 1] - dead[self.starts]
        f = self.fraction.reshape(-1, *[1] * (values.ndim - 1))
        return risk[self.block] - f * tied[self.block]

    def _weights(self, beta: np.ndarray):
        eta = self.x @ beta
        shift = eta.max()
        return eta - shift, np.exp(eta - shift)

    def log_likelihood(self, beta: np.ndarray) -> float:
        """The log partial likelihood at `beta`."""
        eta, w = self._weights(beta)
        return float(eta[self.dead].sum() - np.log(self._risk_sums(w)).sum())

    def score(self, beta: np.ndarray) -> np.ndarray:
        """The score vector (gradient of the log partial likelihood) at `beta`."""
        _, w = self._weights(beta)
        mean = self._risk_sums(w[:, None] * self.x) / self._risk_sums(w)[:, None]
        return self.x[self.dead].sum(axis=0) - mean.sum(axis=0)
