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

#: Below this expected count in any cell the chi-square approximation is not trusted
#: (Cochran's rule) and the exact conditional test is used instead.
MIN_EXPECTED_COUNT = 5

#: Tables this close in probability to the observed one count as "as extreme", as in R's
#: fisher.test, so that rounding does not drop tables of equal probability.
RELATIVE_ERROR = 1 + 1e-7


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
    enumeration of `_exact_k_by_2`; larger ones through `_fisher_rxc`.
    """
    table = np.asarray(table, dtype=np.int64)
    if table.shape[1] != 2 and table.shape[0] == 2:
        table = table.T
    if table.shape[1] == 2:
        # The column with the smaller total keeps the enumeration short.
        successes = table[:, int(np.argmin(table.sum(axis=0)))]
        return _exact_k_by_2(successes, table.sum(axis=1))
    return _fisher_rxc(table)


def _fisher_rxc(table: np.ndarray) -> float:
    """Freeman-Halton p by a network of partial tables, column by column (Mehta and Patel).

    With q = -sum log n_ij!, a table's probability is exp(constant + q), and the test counts
    the tables with q <= q_observed + log(1 + 1e-7). A node is the multiset of row totals
    still to fill; paths into it are merged by their q. For each path: when even the most
    likely completion counts, all completions count at once (their masses sum to
    N'! / (prod r'_i! prod c'_j!)); when even the least likely cannot, none does; else it
    goes on. The last two columns are enumerated in one go per node.
    """
    if table.shape[0] > table.shape[1]:
        table = table.T
    rows = sorted(int(r) for r in table.sum(axis=1))
    cols = sorted(int(c) for c in table.sum(axis=0))
    n = sum(rows)
    lf = special.gammaln(np.arange(n + 1, dtype=float) + 1)  # lf[k] = log k!
    constant = float(lf[rows].sum() + lf[cols].sum() - lf[n])
    limit = float(-lf[table.ravel()].sum()) + math.log(RELATIVE_ERROR)
    nodes: dict[tuple, dict[float, list]] = {tuple(rows): {0.0: [0.0, 1.0]}}
    total = 0.0
    for j in range(len(cols) - 2):
        following: dict[tuple, dict[float, list]] = {}
        for key, paths in nodes.items():
            remaining = np.array(key)
            added, open_paths = _settle(remaining, cols[j:], paths, lf, constant, limit)
            total += added
            if open_paths:
                _extend(remaining, cols[j], open_paths, lf, following)
        nodes = following
    for key, paths in nodes.items():
        total += _last_two(np.array(key), cols[-2], paths.values(), lf, constant, limit)
    return min(1.0, total)


def _settle(remaining, cols, paths, lf, constant, limit) -> tuple[float, list]:
    """The mass of the paths whose completions all count, and the paths still open."""
    row_part, col_part = float(lf[remaining].sum()), float(lf[cols].sum())
    least, most = -min(row_part, col_part), _most_likely_bound(remaining, cols, lf)
    mass = float(lf[sum(cols)]) - row_part - col_part
    added, open_paths = 0.0, []
    for q, multiplicity in paths.values():
        if q + least > limit:
            continue
        if q + most <= limit:
            added += multiplicity * math.exp(constant + q + mass)
        else:
            open_paths.append((q, multiplicity))
    return added, open_paths


def _extend(remaining, column_total, paths, lf, following) -> None:
    """Add every way of filling the next column to each open path, merging equal nodes."""
    fills = _fills(remaining, column_total)
    children = np.sort(remaining - fills, axis=1)
    steps = -lf[fills].sum(axis=1)
    for child, step in zip(map(tuple, children.tolist()), steps.tolist(), strict=True):
        target = following.setdefault(child, {})
        for q, multiplicity in paths:
            value = q + step
            slot = target.setdefault(round(value, 9), [value, 0.0])
            slot[1] += multiplicity


def _last_two(remaining, column_total, paths, lf, constant, limit) -> float:
    """The mass of the counted completions of the last two columns for every path."""
    fills = _fills(remaining, column_total)
    rest = -lf[fills].sum(axis=1) - lf[remaining - fills].sum(axis=1)
    rest.sort()
    top = rest[-1]
    cumulative = np.cumsum(np.exp(rest - top))
    added = 0.0
    for q, multiplicity in paths:
        k = int(np.searchsorted(rest, limit - q, side="right"))
        if k:
            added += multiplicity * math.exp(constant + q + top) * cumulative[k - 1]
    return added


def _most_likely_bound(rows, cols, lf) -> float:
    """An upper bound on -sum log n_ij! over tables with these margins.

    Spreading each row evenly over the columns (or each column over the rows) maximises the
    sum under one margin alone; the smaller of the two bounds holds under both.
    """

    def even(totals, k: int) -> float:
        base, extra = np.divmod(np.asarray(totals), k)
        return float(-(extra * lf[base + 1] + (k - extra) * lf[base]).sum())

    return min(even(rows, len(cols)), even(cols, len(rows)))


def _fills(capacity: np.ndarray, total: int) -> np.ndarray:
    """Every vector x with 0 <= x_i <= capacity_i summing to `total`, one per row."""
    partial = np.zeros((1, 0), dtype=np.int64)
    sums = np.zeros(1, dtype=np.int64)
    for i, cap in enumerate(capacity[:-1]):
        after = int(capacity[i + 1 :].sum())
        low = np.maximum(0, total - sums - after)
        high = np.minimum(cap, total - sums)
        counts = np.maximum(high - low + 1, 0)
        index = np.repeat(np.arange(len(sums)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        x = low[index] + offsets
        partial = np.column_stack([partial[index], x])
        sums = sums[index] + x
    return np.column_stack([partial, total - sums])


def wilcoxon_p(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Two-sided p of the rank-sum test, normal approximation with tie-corrected variance and
    continuity correction (R `wilcox.test(x, y, exact = FALSE, correct = TRUE)`); None when
    every value ties."""
    n1, n2 = len(x), len(y)
    ranks = average_ranks(np.concatenate([np.asarray(x, float), np.asarray(y, float)]))
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
    ranks = average_ranks(values)
    ties = _tie_counts(ranks)
    correction = 1 - (ties**3 - ties).sum() / (n**3 - n)
    if correction <= 0:
        return None
    bounds = np.cumsum([0] + [len(s) for s in samples])
    spans = zip(bounds[:-1], bounds[1:], strict=True)
    sums = sum(ranks[a:b].sum() ** 2 / (b - a) for a, b in spans)
    statistic = (12 * sums / (n * (n + 1)) - 3 * (n + 1)) / correction
    return float(special.chdtrc(len(samples) - 1, statistic))


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties given the mean of their ranks; all NaN when a value is NaN (as
    scipy.stats.rankdata, whose import alone took 0.5-1 s of every report, issue 19)."""
    if np.isnan(values).any():
        return np.full(len(values), np.nan)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(first)
    starts = np.r_[np.flatnonzero(first), len(values)]
    ranks = np.empty(len(values))
    ranks[order] = 0.5 * (starts[group] + starts[group - 1] + 1)
    return ranks


def _tie_counts(ranks: np.ndarray) -> np.ndarray:
    """The sizes of the groups of tied values, as floats."""
    _, counts = np.unique(ranks, return_counts=True)
    return counts.astype(float)


def _exact_k_by_2(successes: np.ndarray, sizes: np.ndarray) -> float:
    """Two-sided p of the exact conditional test of a k x 2 table (R fisher.test's rule).

    Enumerates every table with the observed margins; p sums the probabilities of those no
    more likely than the observed one.
    """
    total = int(successes.sum())
    totals = np.zeros(1, dtype=int)
    log_p = np.zeros(1)
    for size in sizes:
        x = np.arange(min(size, total) + 1)
        totals = (totals[:, None] + x).ravel()
        log_p = (log_p[:, None] + _log_choose(size, x)).ravel()
        kept = totals <= total
        totals, log_p = totals[kept], log_p[kept]
    log_p = log_p[totals == total] - _log_choose(sizes.sum(), total)
    observed = float(_log_choose(sizes, successes).sum() - _log_choose(sizes.sum(), total))
    extreme = log_p <= observed + math.log(RELATIVE_ERROR)
    return float(min(1.0, np.exp(log_p[extreme]).sum()))


def _log_choose(n, k):
    """log of the binomial coefficient n over k (elementwise)."""
    return special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)
