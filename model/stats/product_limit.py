"""The counting behind Kaplan-Meier and the log-rank test: risk sets, the product-limit
curve with its log(-log) band, and R survdiff's observed, expected and variance.

Hand-written in numpy rather than taken from lifelines, for two reasons. Speed: importing
lifelines (and the pandas and scipy.stats it loads) costs about 1.5 s, more than all the
counting at 200,000 rows, so `survival` paid it before reading a line; these are a few
vectorised passes over times sorted once. R's terms: the curve is R survfit's product
(lifelines exponentiates a sum of logarithms, which makes 3/4 0.7500000000000001), and
the log-rank statistic is R survdiff's, degrees of freedom included. Every number is
checked against R (tests/model/stats/test_survival_kaplan_meier.py and
test_survival_logrank.py, values from tests/data/survival/reference_values.R) and, on
random data, against lifelines (tests/model/stats/test_product_limit.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RiskTable:
    """Counts at each distinct observed time, ascending: R survfit's n.risk, n.event, n.censor."""

    timeline: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray


def risk_table(time: np.ndarray, event: np.ndarray) -> RiskTable:
    """The risk table of checked durations and 0/1 events (subjects with time >= t at risk)."""
    timeline, index = np.unique(time, return_inverse=True)
    leaving = np.bincount(index, minlength=timeline.size)
    events = np.bincount(index, weights=event, minlength=timeline.size).astype(int)
    at_risk = time.size - np.concatenate(([0], np.cumsum(leaving)[:-1]))
    return RiskTable(timeline, at_risk, events, leaving - events)


def product_limit(table: RiskTable) -> np.ndarray:
    """The Kaplan-Meier curve at each time of `table`: the product of 1 - d/n (R survfit)."""
    return np.cumprod(1.0 - table.events / table.at_risk)


def log_log_band(table: RiskTable, curve: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """The pointwise log(-log) band of `curve` (R survfit, conf.type = "log-log").

    Greenwood's variance of log S divided by (log S)^2 gives the variance of
    log(-log S). The band is 1 where the curve is 1 and NaN where it is 0, where
    R leaves it undefined.
    """
    d, n = table.events, table.at_risk
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(np.where(d > 0, d / (n * (n - d).astype(float)), 0.0))
        log_s = np.log(curve)
        spread = z * np.sqrt(greenwood) / log_s
        low = np.exp(-np.exp(np.log(-log_s) - spread))
        high = np.exp(-np.exp(np.log(-log_s) + spread))
    untouched = curve == 1
    low[untouched], high[untouched] = 1.0, 1.0
    gone = curve == 0
    low[gone], high[gone] = np.nan, np.nan
    return low, high


@dataclass(frozen=True)
class LogRankSums:
    """Observed and expected events per group and the variance of their difference (survdiff)."""

    observed: np.ndarray
    expected: np.ndarray
    variance: np.ndarray


def logrank_sums(time: np.ndarray, event: np.ndarray, codes: np.ndarray, k: int) -> LogRankSums:
    """R survdiff's sums (rho = 0) over every event time, for groups coded 0 .. k-1.

    At each time with d events among n at risk, n_j of them in group j: expected
    d n_j / n, and the hypergeometric variance d (n - d) / (n - 1) (n_j / n)
    (delta_jl - n_l / n).
    """
    timeline, index = np.unique(time, return_inverse=True)
    cells = index * k + codes
    leaving = np.bincount(cells, minlength=timeline.size * k).reshape(-1, k)
    died = np.bincount(cells, weights=event, minlength=timeline.size * k).reshape(-1, k)
    at_risk = leaving.sum(axis=0) - np.vstack((np.zeros(k), np.cumsum(leaving, axis=0)[:-1]))
    deaths = died.sum(axis=1)
    has_events = deaths > 0
    at_risk, died, deaths = at_risk[has_events], died[has_events], deaths[has_events]
    n = at_risk.sum(axis=1)
    share = at_risk / n[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(n > 1, deaths * (n - deaths) / (n - 1), 0.0)
    weighted = share * weight[:, None]
    variance = np.diag(weighted.sum(axis=0)) - weighted.T @ share
    return LogRankSums(died.sum(axis=0), share.T @ deaths, variance)


def logrank_chi2(sums: LogRankSums) -> tuple[float, int]:
    """The log-rank chi-square and its degrees of freedom, as R survdiff computes them.

    A group never at risk at an event time expects no event and drops out, and so
    does the first of the others, since observed minus expected sums to zero. A
    generalised inverse lets a variance without information add nothing, where R's
    solve() would stop.
    """
    kept = np.flatnonzero(sums.expected > 0)
    if kept.size < 2:
        return 0.0, 0
    used = kept[1:]
    difference = (sums.observed - sums.expected)[used]
    inverse = np.linalg.pinv(sums.variance[np.ix_(used, used)])
    return float(difference @ inverse @ difference), int(used.size)
