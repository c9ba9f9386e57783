"""Cox proportional-hazards fit with Efron ties, as R's coxph (survival's coxph.fit/coxfit6).

Hand-written rather than lifelines' CoxPHFitter for two reasons: every number it gives is
checked against R (tests/data/analysis/cox_reference.R), including R's Newton-Raphson path
(step halving, the stop on the relative change of the log partial likelihood, the
singular-column and infinite-coefficient tests), and it is far faster: lifelines' Efron
loop walks the distinct tied times in Python, while this fit sorts once and gets every
risk-set sum from reverse cumulative sums per stratum, as R's C code accumulates them, in
a few vectorised numpy passes per iteration.

Analysis contract (shared/spec/analysis.md, `cox`): Efron ties, iterated until the log
partial likelihood changes by less than 1e-9 relatively; strata get separate baseline
hazards; a coefficient that grows without bound is flagged as infinite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

#: Stop when |1 - loglik_old / loglik_new| <= EPS (coxph.control(eps = 1e-9)).
EPS = 1e-9
#: At most this many Newton-Raphson iterations (coxph.control(iter.max = 20)).
ITER_MAX = 20
#: A coefficient that one more Newton step would still move by more than this fraction of
#: itself is infinite (coxph.control(toler.inf = sqrt(eps))).
TOLER_INF = math.sqrt(EPS)
#: A pivot of the information below this fraction of its largest diagonal marks a column
#: as redundant (coxph.control(toler.chol = .Machine$double.eps ^ 0.75)).
TOLER_CHOL = float(np.finfo(float).eps) ** 0.75


@dataclass(frozen=True)
class CoxFit:
    """A fitted Cox model, on the original scale of the covariates.

    `coef`, `se` and `var` are NaN for `singular` columns (R's NA: a column redundant
    given the others); `infinite` marks coefficients that grow without bound (monotone
    likelihood; R's "coefficient may be infinite" warning), whose `coef` and `se` are
    those of the last iteration and `loglik` the limit of the likelihood.
    `loglik_null` is the log partial likelihood at coef 0 (R's fit$loglik[1]).
    """

    coef: np.ndarray
    se: np.ndarray
    var: np.ndarray
    loglik_null: float
    loglik: float
    iterations: int
    converged: bool
    infinite: np.ndarray
    singular: np.ndarray
    n: int
    events: int

    @property
    def df(self) -> int:
        """Number of estimated (not redundant) coefficients, R's sum(!is.na(coef))."""
        return int((~self.singular).sum())


class EfronLikelihood:
    """Log partial likelihood (Efron ties), its score and information for one data set.

    The rows are sorted once by stratum and time; each evaluation sums the risk weights
    per block of tied times, then over the risk sets by reverse cumulative sums that
    restart in each stratum.
    """

    def __init__(self, time: np.ndarray, event: np.ndarray, x: np.ndarray, strata: np.ndarray):
        order = np.lexsort((time, strata))
        time, strata = time[order], strata[order]
        self.x = x[order]
        self.dead = event[order] == 1
        self.p = x.shape[1]
        # Blocks: runs of equal (stratum, time); strata: runs of equal stratum.
        new_stratum = np.r_[True, strata[1:] != strata[:-1]]
        self.block_start = np.flatnonzero(new_stratum | np.r_[True, time[1:] != time[:-1]])
        self.stratum_start = np.flatnonzero(new_stratum)
        self.stratum_of_row = np.cumsum(new_stratum) - 1
        block_stratum = self.stratum_of_row[self.block_start]
        first_block = np.searchsorted(self.block_start, self.stratum_start)
        # For each block, the first block of the next stratum (the end of its risk sums).
        self.next_block = np.r_[first_block[1:], self.block_start.size][block_stratum]
        deaths = np.add.reduceat(self.dead.astype(np.int64), self.block_start)
        self.event_blocks = np.flatnonzero(deaths > 0)
        d = deaths[self.event_blocks]
        # One entry per event: the k-th of d tied deaths takes k/d of them out of the risk set.
        self.event_block = np.repeat(np.arange(d.size), d)
        first = np.repeat(np.cumsum(d) - d, d)
        self.fraction = (np.arange(self.event_block.size) - first) / d[self.event_block]
        self.dead_start = np.cumsum(d) - d
        self.tri_i, self.tri_j = np.triu_indices(self.p)
        self.x_dead_sum = self.x[self.dead].sum(axis=0)
        # Per row, one row each: 1, x and the products x_i x_j (i <= j), so that an
        # evaluation only weights them by exp(eta) and sums them per block.
        xt = self.x.T
        self.products = np.vstack([np.ones((1, xt.shape[1])), xt, xt[self.tri_i] * xt[self.tri_j]])
        self.dead_rows = np.flatnonzero(self.dead)
        self.dead_products = np.ascontiguousarray(self.products[:, self.dead_rows])
        self.one_stratum = self.stratum_start.size == 1

    @property
    def events(self) -> int:
        """Number of events."""
        return int(self.dead.sum())

    def evaluate(self, beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """(log partial likelihood, score vector, information matrix) at `beta`."""
        p = self.p
        eta = self.x @ beta if p else np.zeros(self.dead.size)
        # Shifting the linear predictor within a stratum changes no term of the likelihood
        # and keeps exp() from overflowing when a coefficient runs away.
        if self.one_stratum:
            eta = eta - eta.max()
        else:
            eta = eta - np.maximum.reduceat(eta, self.stratum_start)[self.stratum_of_row]
        w = np.exp(eta)
        blocks = np.add.reduceat(self.products * w, self.block_start, axis=1)
        dead_w = self.dead_products * w[self.dead_rows]
        dead = np.add.reduceat(dead_w, self.dead_start, axis=1)
        # Risk sums: everything at or after a block's time within its stratum.
        total = np.cumsum(blocks[:, ::-1], axis=1)[:, ::-1]
        risk = total[:, self.event_blocks]
        if not self.one_stratum:
            total = np.hstack([total, np.zeros((total.shape[0], 1))])
            risk = risk - total[:, self.next_block[self.event_blocks]]
        k, f = self.event_block, self.fraction
        denom = risk[0, k] - f * dead[0, k]
        loglik = float(eta[self.dead].sum() - np.log(denom).sum())
        mean = (risk[1 : p + 1, k] - f * dead[1 : p + 1, k]) / denom
        score = self.x_dead_sum - mean.sum(axis=1)
        s1 = np.bincount(k, 1 / denom, minlength=risk.shape[1])
        s2 = np.bincount(k, f / denom, minlength=risk.shape[1])
        second = risk[p + 1 :] @ s1 - dead[p + 1 :] @ s2
        info = np.zeros((p, p))
        info[self.tri_i, self.tri_j] = second
        info[self.tri_j, self.tri_i] = second
        return loglik, score, info - mean @ mean.T


def fit_cox(
    time: ArrayLike,
    event: ArrayLike,
    x: ArrayLike,
    strata: ArrayLike | None = None,
    *,
    eps: float = EPS,
    iter_max: int = ITER_MAX,
) -> CoxFit:
    """Fit the Cox model of `time`, 0/1 `event` on the columns of `x` (R coxph, Efron).

    `strata`, if given, holds one integer code per row (R's strata()). `x` may have no
    columns: the null model, whose `loglik` equals `loglik_null`.
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=float)
    x = np.asarray(x, dtype=float).reshape(time.size, -1)
    if time.size == 0:
        raise ValueError("a Cox model needs at least one row")
    codes = np.zeros(time.size, np.int64) if strata is None else np.asarray(strata)
    means, scale = _centre_and_scale(x)
    likelihood = EfronLikelihood(time, event, (x - means) / scale, codes)
    fit = _newton_raphson(likelihood, eps, iter_max)
    return _on_original_scale(fit, scale, likelihood, eps)


def _centre_and_scale(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Means and scales as coxfit6: columns not all in {-1, 0, 1} are centred and divided
    by their mean absolute deviation (coxph's nocenter = c(-1, 0, 1))."""
    if x.shape[0] == 0:
        return np.zeros(x.shape[1]), np.ones(x.shape[1])
    zero_one = np.isin(x, (-1.0, 0.0, 1.0)).all(axis=0)
    means = np.where(zero_one, 0.0, x.mean(axis=0))
    spread = np.abs(x - means).mean(axis=0)
    scale = np.where(zero_one | (spread == 0), 1.0, spread)
    return means, scale


@dataclass
class _State:
    beta: np.ndarray
    loglik: float
    score: np.ndarray
    info: np.ndarray
    loglik_null: float
    iterations: int
    converged: bool


def _newton_raphson(likelihood: EfronLikelihood, eps: float, iter_max: int) -> _State:
    """Newton-Raphson with step halving, step by step as survival's coxfit6."""
    beta = np.zeros(likelihood.p)
    loglik, score, info = likelihood.evaluate(beta)
    null = loglik
    if likelihood.p == 0 or not math.isfinite(loglik):
        return _State(beta, loglik, score, info, null, 0, True)
    new_beta = beta + _solve(info, score)
    halving = 0
    for iteration in range(1, iter_max + 1):
        new_loglik, score, info = likelihood.evaluate(new_beta)
        finite = math.isfinite(new_loglik) and np.isfinite(score).all() and np.isfinite(info).all()
        if finite and _relative_change(loglik, new_loglik) <= eps:
            return _State(new_beta, new_loglik, score, info, null, iteration, True)
        if not finite or new_loglik < loglik:
            # Not improving: go back part of the way, further each time.
            halving += 1
            new_beta = (new_beta + halving * beta) / (halving + 1)
        else:
            halving = 0
            loglik, beta = new_loglik, new_beta
            new_beta = new_beta + _solve(info, score)
    # Out of iterations: R reports the last accepted point.
    loglik, score, info = likelihood.evaluate(beta)
    return _State(beta, loglik, score, info, null, iter_max, False)


def _nonsingular(info: np.ndarray) -> np.ndarray:
    """Columns kept by an LDL' factorisation with R's pivot test (survival's cholesky2)."""
    p = info.shape[0]
    a = info.copy()
    largest = max(float(np.max(np.diag(a), initial=0.0)), 0.0)
    keep = np.zeros(p, bool)
    if largest == 0:
        return keep
    tolerance = largest * TOLER_CHOL
    for i in range(p):
        pivot = a[i, i]
        if not math.isfinite(pivot) or pivot < tolerance:
            continue
        keep[i] = True
        ratio = a[i + 1 :, i] / pivot
        a[i + 1 :, i + 1 :] -= np.outer(ratio, a[i, i + 1 :])
    return keep


def _solve(info: np.ndarray, score: np.ndarray) -> np.ndarray:
    """The Newton step info^-1 score, zero on redundant columns (R's chsolve2)."""
    keep = _nonsingular(info)
    step = np.zeros_like(score)
    if keep.any():
        step[keep] = np.linalg.solve(info[np.ix_(keep, keep)], score[keep])
    return step


def _inverse(info: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(inverse information with NaN on redundant columns, redundant columns) (chinv2)."""
    keep = _nonsingular(info)
    var = np.full_like(info, np.nan)
    if keep.any():
        var[np.ix_(keep, keep)] = np.linalg.inv(info[np.ix_(keep, keep)])
    return var, ~keep


def _on_original_scale(
    state: _State, scale: np.ndarray, likelihood: EfronLikelihood, eps: float
) -> CoxFit:
    """The fit in the covariates' own units, with R's test for infinite coefficients."""
    var, singular = _inverse(state.info)
    var = var / np.outer(scale, scale)
    coef = np.where(singular, np.nan, state.beta / scale)
    score = state.score * scale
    with np.errstate(all="ignore"):
        step = np.abs(np.nan_to_num(var) @ score)
        infinite = ~np.isfinite(score) | ((step > eps) & (step > TOLER_INF * np.abs(coef)))
        se = np.sqrt(np.diag(var))
    return CoxFit(
        coef=coef,
        se=se,
        var=var,
        loglik_null=state.loglik_null,
        loglik=state.loglik,
        iterations=state.iterations,
        converged=state.converged,
        infinite=infinite & ~singular,
        singular=singular,
        n=int(likelihood.dead.size),
        events=likelihood.events,
    )


def _relative_change(old: float, new: float) -> float:
    """|1 - old/new|, the change coxph tests for convergence; |new - old| when new is 0 (a
    log partial likelihood of 0: every risk set of an event holds that event alone)."""
    return abs(new - old) if new == 0 else abs(1 - old / new)
