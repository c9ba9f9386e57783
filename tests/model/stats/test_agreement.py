"""Cohen's kappa with the large-sample standard error of Fleiss, Cohen & Everitt (1969)."""

from __future__ import annotations

import pytest

from model.stats.agreement import cohen_kappa

#: Fleiss, Levin & Paik (2003), Statistical Methods for Rates and Proportions, table 18.1:
#: two psychiatrists' diagnoses (psychotic, neurotic, organic) of 100 subjects.
FLEISS_TABLE = ((75, 1, 4), (5, 4, 1), (0, 0, 10))

#: The R lines that computed the expected values by hand from Fleiss, Cohen & Everitt (1969),
#: eq. 18.13 of Fleiss, Levin & Paik (2003) (R 4; no package needed):
#:   p <- m / sum(m); r <- rowSums(p); c <- colSums(p); po <- sum(diag(p)); pe <- sum(r * c)
#:   k <- (po - pe) / (1 - pe); A <- sum(diag(p) * (1 - (r + c) * (1 - k))^2)
#:   B <- (1 - k)^2 * sum(p[i, j] * (c[i] + r[j])^2 for i != j); C <- (k - pe * (1 - k))^2
#:   se <- sqrt((A + B - C) / (sum(m) * (1 - pe)^2)); k + c(-1, 1) * qnorm(0.975) * se
R_FLEISS = (89.0, 0.676470588235, 0.087702953475, 0.504575958086, 0.848365218385)


def _pairs(table):
    names = [str(i) for i in range(len(table))]
    return [
        (names[i], names[j])
        for i, row in enumerate(table)
        for j, n in enumerate(row)
        for _ in range(n)
    ]


def test_kappa_and_its_ci_match_the_worked_example_computed_in_r():
    """Fleiss, Levin & Paik (2003) table 18.1: p_o 0.89, p_e 0.66, kappa 0.676; SE by FCE 1969."""
    found = cohen_kappa(_pairs(FLEISS_TABLE))
    figures = (found.percent_agreement, found.kappa, found.se, found.ci_low, found.ci_high)
    assert figures == pytest.approx(R_FLEISS, abs=1e-9)
    assert found.table == FLEISS_TABLE


def test_perfect_agreement_gives_kappa_one_with_no_spread():
    """Cohen (1960): kappa is 1 when the readers always agree."""
    found = cohen_kappa([("PR", "PR"), ("SD", "SD"), ("PD", "PD")])
    assert (found.kappa, found.se, found.percent_agreement) == (1.0, 0.0, 100.0)


def test_kappa_is_undefined_when_both_readers_use_one_category():
    """Cohen (1960): with chance agreement 1 the coefficient has no value."""
    found = cohen_kappa([("SD", "SD")] * 4)
    assert found.kappa is None and found.ci_low is None
    assert found.percent_agreement == 100.0


def test_kappa_needs_pairs():
    """Cohen (1960): agreement is over at least one subject."""
    with pytest.raises(ValueError):
        cohen_kappa([])
