"""Agreement of two readers on a categorical answer: percent agreement and Cohen's kappa.

Kappa is Cohen's (1960) unweighted coefficient; its 95 % confidence interval
uses the large-sample standard error of Fleiss, Cohen & Everitt (1969),
"Large sample standard errors of kappa and weighted kappa", Psychological
Bulletin 72(5):323-327, as given in Fleiss, Levin & Paik, Statistical Methods
for Rates and Proportions, 3rd ed. (2003), eq. 18.13.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import sqrt
from statistics import NormalDist


@dataclass(frozen=True)
class Agreement:
    """Two readers' agreement over `n` subjects.

    `table[i][j]` counts the subjects the first reader put in `categories[i]`
    and the second in `categories[j]`. `kappa` and its interval are None when
    chance agreement is total (both readers used one and the same category).
    """

    n: int
    categories: tuple[str, ...]
    table: tuple[tuple[int, ...], ...]
    percent_agreement: float
    kappa: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None


def cohen_kappa(
    pairs: Sequence[tuple[str, str]],
    categories: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> Agreement:
    """Returns percent agreement and Cohen's unweighted kappa with its (1 - alpha) CI.

    `pairs` holds each subject's (first reader's, second reader's) category;
    `categories` fixes the order of the table (default: order of first
    appearance). Raises ValueError for no pairs or alpha outside (0, 1).
    Source: Fleiss, Cohen & Everitt (1969); Fleiss, Levin & Paik (2003), eq. 18.13.
    """
    if not pairs:
        raise ValueError("kappa needs at least one pair of answers")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha {alpha} is not between 0 and 1")
    order = tuple(dict.fromkeys([*(categories or ()), *(c for pair in pairs for c in pair)]))
    index = {c: i for i, c in enumerate(order)}
    counts = [[0] * len(order) for _ in order]
    for first, second in pairs:
        counts[index[first]][index[second]] += 1
    n = len(pairs)
    observed = sum(counts[i][i] for i in range(len(order))) / n
    kappa, se = _kappa_and_se([[c / n for c in row] for row in counts], n)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    return Agreement(
        n=n,
        categories=order,
        table=tuple(tuple(row) for row in counts),
        percent_agreement=100 * observed,
        kappa=kappa,
        se=se,
        ci_low=None if kappa is None or se is None else kappa - z * se,
        ci_high=None if kappa is None or se is None else kappa + z * se,
    )


def _kappa_and_se(p: list[list[float]], n: int) -> tuple[float | None, float | None]:
    """Returns kappa and its large-sample (non-null) standard error from cell proportions."""
    k = len(p)
    rows = [sum(p[i]) for i in range(k)]
    cols = [sum(p[i][j] for i in range(k)) for j in range(k)]
    observed = sum(p[i][i] for i in range(k))
    chance = sum(rows[i] * cols[i] for i in range(k))
    if chance >= 1:
        return None, None
    kappa = (observed - chance) / (1 - chance)
    diagonal = sum(p[i][i] * (1 - (rows[i] + cols[i]) * (1 - kappa)) ** 2 for i in range(k))
    off = (
        sum(p[i][j] * (cols[i] + rows[j]) ** 2 for i in range(k) for j in range(k) if i != j)
        * (1 - kappa) ** 2
    )
    variance = (diagonal + off - (kappa - chance * (1 - kappa)) ** 2) / (n * (1 - chance) ** 2)
    return kappa, sqrt(max(variance, 0.0))
