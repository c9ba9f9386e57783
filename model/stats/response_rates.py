"""Objective response and disease control rates per arm, exact CIs and a between-arm test.

ORR counts CR and PR; DCR adds SD and NON-CR/NON-PD (RECIST 1.1, section 4.4; the iRECIST
codes iCR, iPR, iSD and NON-iCR/NON-iUPD count alike, Seymour et al. 2017). The
denominator is every patient given for the arm: a patient without a best overall response
(None) or with NE, NED or progression counts as neither responding nor controlled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from model.errors import InputError, InputProblem
from model.stats.group_tests import MIN_EXPECTED_COUNT, fisher_p

#: Best overall responses that are objective responses (RECIST 1.1 and iRECIST).
RESPONSE_CODES = frozenset({"CR", "PR", "iCR", "iPR"})
#: Best overall responses that are disease control: the responses plus stable disease.
CONTROL_CODES = RESPONSE_CODES | {"SD", "NON-CR/NON-PD", "iSD", "NON-iCR/NON-iUPD"}
#: Every code a best overall response may take (interchange spec, Response codes, iRECIST).
KNOWN_CODES = CONTROL_CODES | {"PD", "NE", "NED", "iUPD", "iCPD"}


@dataclass(frozen=True)
class Proportion:
    """k of n with its exact (Clopper-Pearson) CI; `rate` and the CI are None when n is 0."""

    k: int
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class ArmResponse:
    """One arm's objective response rate (ORR) and disease control rate (DCR)."""

    arm: str
    n: int
    orr: Proportion
    dcr: Proportion


@dataclass(frozen=True)
class Comparison:
    """Test of equal proportions across arms; `statistic` and `df` are None for exact tests."""

    test: str
    p: float
    statistic: float | None
    df: int | None
    min_expected: float


@dataclass(frozen=True)
class ResponseRates:
    """ORR and DCR per arm (in the order given) and their between-arm comparisons."""

    arms: tuple[ArmResponse, ...]
    orr_comparison: Comparison | None
    dcr_comparison: Comparison | None
    alpha: float


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Exact two-sided (1 - alpha) CI of a binomial proportion k/n (Clopper & Pearson 1934)."""
    if not (isinstance(k, int | np.integer) and isinstance(n, int | np.integer)) or not (
        0 <= k <= n and n > 0
    ):
        raise InputError(InputProblem("need whole numbers 0 <= k <= n and n > 0", value=f"{k}/{n}"))
    if not 0 < alpha < 1:
        raise InputError(InputProblem("alpha must be between 0 and 1", value=str(alpha)))
    low = 0.0 if k == 0 else float(special.betaincinv(k, n - k + 1, alpha / 2))
    high = 1.0 if k == n else float(special.betaincinv(k + 1, n - k, 1 - alpha / 2))
    return low, high


def confidence_bounds(
    k: int, n: int, level: float = 0.95, *, one_sided: bool = False
) -> tuple[float, float]:
    """Exact (Clopper-Pearson) bounds of k/n at confidence `level`.

    Two-sided by default; with `one_sided`, the lower bound at `level` (the lower
    end of the two-sided interval at 2 level - 1) and 1 as the upper, as phase 2
    reports give it.
    """
    if not 0.5 < level < 1:
        raise InputError(
            InputProblem("the confidence level must be between 0.5 and 1", value=str(level))
        )
    if not one_sided:
        return clopper_pearson(k, n, 1 - level)
    return clopper_pearson(k, n, 2 * (1 - level))[0], 1.0


def response_rates(
    best_responses: Mapping[str, Sequence[str | None]], *, alpha: float = 0.05
) -> ResponseRates:
    """ORR and DCR with exact CIs per arm, and tests across arms, from best overall responses."""
    _check_codes(best_responses)
    arms = tuple(
        ArmResponse(
            arm=arm,
            n=len(codes),
            orr=_proportion(sum(c in RESPONSE_CODES for c in codes), len(codes), alpha),
            dcr=_proportion(sum(c in CONTROL_CODES for c in codes), len(codes), alpha),
        )
        for arm, codes in best_responses.items()
    )
    return ResponseRates(
        arms=arms,
        orr_comparison=compare_proportions([(a.orr.k, a.n) for a in arms]),
        dcr_comparison=compare_proportions([(a.dcr.k, a.n) for a in arms]),
        alpha=alpha,
    )


def _check_codes(best_responses: Mapping[str, Sequence[str | None]]) -> None:
    """Raise InputError naming every unknown best-overall-response code."""
    problems = [
        InputProblem(f"unknown best overall response in arm {arm!r}", value=str(code))
        for arm, codes in best_responses.items()
        for code in dict.fromkeys(codes)
        if code is not None and code not in KNOWN_CODES
    ]
    if problems:
        raise InputError(problems)


def _proportion(k: int, n: int, alpha: float) -> Proportion:
    """k/n with its Clopper-Pearson CI (None for an empty arm)."""
    if n == 0:
        return Proportion(k, n, None, None, None)
    return Proportion(k, n, k / n, *clopper_pearson(k, n, alpha))


def compare_proportions(counts: Sequence[tuple[int, int]]) -> Comparison | None:
    """Test of equal proportions for (k, n) per arm; None with fewer than two non-empty arms.

    Pearson's chi-square (no continuity correction) when every expected count is at least
    MIN_EXPECTED_COUNT; otherwise the exact conditional test: Fisher's for two arms and its
    Freeman-Halton extension for more, which stays valid at any size where the chi-square
    approximation does not, and is cheap for a table of two columns.
    """
    table = np.array([(k, n - k) for k, n in counts if n > 0], dtype=float)
    if len(table) < 2:
        return None
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    min_expected = float(expected.min())
    if min_expected >= MIN_EXPECTED_COUNT:
        statistic = float(((table - expected) ** 2 / expected).sum())
        df = len(table) - 1
        p = float(special.chdtrc(df, statistic))
        return Comparison("Pearson chi-square test", p, statistic, df, min_expected)
    name = "Fisher's exact test" if len(table) == 2 else "Fisher-Freeman-Halton exact test"
    p = fisher_p(table.astype(np.int64))
    return Comparison(name, p, None, None, min_expected)
