"""Tests across groups for Table 1 (analysis.md, `table1`, "`test` and `p`").

Pearson's chi-square without continuity correction (R `chisq.test(correct = FALSE)`),
Fisher's exact test with its Freeman-Halton extension (R `fisher.test`), the Wilcoxon
rank-sum test with the normal approximation (R `wilcox.test(exact = FALSE, correct = TRUE)`)
and the Kruskal-Wallis test (R `kruskal.test`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import special
from scipy.stats import rankdata

from model.response_rates import MIN_EXPECTED_COUNT, RELATIVE_ERROR, _exact_p


def contingency_test(table: np.ndarray) -> tuple[str | None, float | None]:
    """(`chi-square` or `fisher`, p) for a levels x groups table of counts.

    Rows and columns without any count are left out first; null with fewer than two of
    either. Chi-square when every expected count is at least 5, else Fisher.
    """
    table = np.asarray(table, dtype=np.int64)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None, None
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if expected.min() >= MIN_EXPECTED_COUNT:
        statistic = float(((table - expected) ** 2 / expected).sum())
        df = (table.shape[0] - 1) * (table.shape[1] - 1)
        return "chi-square", float(special.chdtrc(df, statistic))
    return "fisher", fisher_p(table)


def fisher_p(table: np.ndarray) -> float:
    """Two-sided p of Fisher's exact test of an r x c table (R `fisher.test`).

    Tables with the observed margins whose probability is at most the observed one's times
    1 + 1e-7 count. A table with two columns (or two rows) goes through the k x 2
    enumeration of model.response_rates; larger ones through `_fisher_rxc`.
    """
    table = np.asarray(table, dtype=np.int64)
    if table.shape[1] != 2 and table.shape[0] == 2:
        table = table.T
    if table.shape[1] == 2:
        # The column with the smaller total keeps the enumeration short.
        successes = table[:, int(np.argmin(table.sum(axis=0)))]
        return _exact_p(successes, table.sum(axis=1))
    return _fisher_rxc(table)


def _fisher_rxc(table: np.ndarray) -> float:
    """Freeman-Halton p by depth-first enumeration of the tables, column by column.

    A table's probability is prod(r_i!) prod(c_j!) / (N! prod(n_ij!)); with q = -sum log n_ij!
    the test counts the tables with q <= q_observed + log(1 + 1e-7). A partial table whose
    completions all count adds their total mass at once (sum over completions of
    exp(q) = N'! / (prod r'_i! prod c'_j!)); one whose completions cannot count is dropped.
    """
    rows = [int(r) for r in table.sum(axis=1)]
    cols = [int(c) for c in table.sum(axis=0)]
    n = sum(rows)
    log_fact = special.gammaln(np.arange(n + 2, dtype=float)).tolist()[1:]  # log k! at k
    constant = sum(log_fact[r] for r in rows) + sum(log_fact[c] for c in cols) - log_fact[n]
    observed = -sum(log_fact[int(x)] for x in table.ravel())
    limit = observed + math.log(RELATIVE_ERROR)
    total = 0.0

    def visit(j: int, remaining: list[int], q: float) -> None:
        nonlocal total
        left = cols[j:]
        row_part = sum(log_fact[r] for r in remaining)
        if q - min(row_part, sum(log_fact[c] for c in left)) > limit:
            return  # even the least likely completion is more likely than the observed table
        if q + _most_likely_bound(remaining, left, log_fact) <= limit:
            mass = log_fact[sum(left)] - row_part - sum(log_fact[c] for c in left)
            total += math.exp(constant + q + mass)
            return
        if j == len(cols) - 1:
            return  # the last column is determined, and fails the test (bounds are exact)
        for column in _columns(remaining, cols[j]):
            nxt = [r - x for r, x in zip(remaining, column, strict=True)]
            visit(j + 1, nxt, q - sum(log_fact[x] for x in column))

    visit(0, rows, 0.0)
    return min(1.0, total)


def _most_likely_bound(rows: list[int], cols: list[int], log_fact: list[float]) -> float:
    """An upper bound on -sum log n_ij! over tables with these margins.

    Spreading each row evenly over the columns (or each column over the rows) maximises the
    sum under one margin alone; the smaller of the two bounds holds under both.
    """

    def even(totals: list[int], k: int) -> float:
        value = 0.0
        for t in totals:
            base, extra = divmod(t, k)
            value -= extra * log_fact[base + 1] + (k - extra) * log_fact[base]
        return value

    return min(even(rows, len(cols)), even(cols, len(rows)))


def _columns(capacity: list[int], total: int):
    """Every vector x with 0 <= x_i <= capacity_i summing to `total`."""
    if len(capacity) == 1:
        if total <= capacity[0]:
            yield (total,)
        return
    rest = sum(capacity[1:])
    for x in range(max(0, total - rest), min(capacity[0], total) + 1):
        for tail in _columns(capacity[1:], total - x):
            yield (x, *tail)


def wilcoxon_p(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Two-sided p of the rank-sum test, normal approximation with tie-corrected variance and
    continuity correction (R `wilcox.test(x, y, exact = FALSE, correct = TRUE)`); None when
    every value ties."""
    n1, n2 = len(x), len(y)
    ranks = rankdata(np.concatenate([np.asarray(x, float), np.asarray(y, float)]))
    z = ranks[:n1].sum() - n1 * (n1 + 1) / 2 - n1 * n2 / 2
    ties = _tie_counts(ranks)
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - (ties**3 - ties).sum() / (n * (n - 1)))
    if variance <= 0:
        return None
    z = (z - math.copysign(0.5, z) * (z != 0)) / math.sqrt(variance)
    return float(2 * min(special.ndtr(z), special.ndtr(-z)))


def kruskal_p(samples: Sequence[Sequence[float]]) -> float | None:
    """p of the Kruskal-Wallis test with the tie correction (R `kruskal.test`); None when
    every value ties."""
    values = np.concatenate([np.asarray(s, float) for s in samples])
    n = len(values)
    ranks = rankdata(values)
    ties = _tie_counts(ranks)
    correction = 1 - (ties**3 - ties).sum() / (n**3 - n)
    if correction <= 0:
        return None
    bounds = np.cumsum([0] + [len(s) for s in samples])
    spans = zip(bounds[:-1], bounds[1:], strict=True)
    sums = sum(ranks[a:b].sum() ** 2 / (b - a) for a, b in spans)
    statistic = (12 * sums / (n * (n + 1)) - 3 * (n + 1)) / correction
    return float(special.chdtrc(len(samples) - 1, statistic))


def _tie_counts(ranks: np.ndarray) -> np.ndarray:
    """The sizes of the groups of tied values, as floats."""
    _, counts = np.unique(ranks, return_counts=True)
    return counts.astype(float)
