"""ORR, DCR, Clopper-Pearson CIs and between-arm tests against R's stats package.

Reference values from R 4.2.2 (binom.test, fisher.test, chisq.test(correct = FALSE)),
printed by tests/data/survival/response_reference.R. The exact CI inverts the beta
distribution numerically in both R and scipy, which agree to about 1e-15; rel=1e-9 is
loose enough for that and far tighter than any wrong bound (e.g. a Wilson or a one-sided
interval differs at 1e-2). Exact p-values sum the same hypergeometric probabilities;
rel=1e-9 again only allows for summation order.
"""

import pytest

from model.errors import InputError
from model.stats.response_rates import clopper_pearson, compare_proportions, response_rates

REL = 1e-9


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # binom.test(k, n)$conf.int
        (0, 10, 0.0, 0.308497107818761),
        (1, 10, 0.00252857854446179, 0.445016117028195),
        (5, 20, 0.0865714691014346, 0.491045871707958),
        (10, 10, 0.691502892181239, 1.0),
        (23, 46, 0.349038152423704, 0.650961847576296),
        (7, 33, 0.0898042445427013, 0.389080919674113),
    ],
)
def test_clopper_pearson_follows_r_binom_test(k, n, low, high):
    """Clopper & Pearson (1934) exact interval, as R's binom.test."""
    assert clopper_pearson(k, n) == pytest.approx((low, high), rel=REL)


def test_clopper_pearson_other_level():
    """binom.test(5, 20, conf.level = 0.9)$conf.int."""
    assert clopper_pearson(5, 20, alpha=0.1) == pytest.approx(
        (0.104080835910136, 0.455582404001749), rel=REL
    )


@pytest.mark.parametrize(("k", "n", "alpha"), [(3, 2, 0.05), (-1, 5, 0.05), (1, 0, 0.05),
                                               (1.5, 4, 0.05), (1, 4, 0)])  # fmt: skip
def test_clopper_pearson_rejects_bad_arguments(k, n, alpha):
    """Arguments are validated up front with a clear InputError."""
    with pytest.raises(InputError):
        clopper_pearson(k, n, alpha)


def test_orr_counts_cr_and_pr_and_dcr_adds_stable_disease():
    """RECIST 1.1 section 4.4 / iRECIST: ORR = CR+PR, DCR adds SD and NON-CR/NON-PD; the
    denominator is every patient of the arm, None (not assessed) included."""
    rates = response_rates(
        {
            "A": ["CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "NED", None],
            "B": ["iCR", "iPR", "iSD", "NON-iCR/NON-iUPD", "iUPD", "iCPD"],
        }
    )
    a, b = rates.arms
    assert (a.arm, a.n, a.orr.k, a.dcr.k) == ("A", 8, 2, 4)
    assert (b.arm, b.n, b.orr.k, b.dcr.k) == ("B", 6, 2, 4)
    assert a.orr.rate == 0.25
    assert (a.orr.ci_low, a.orr.ci_high) == clopper_pearson(2, 8)


def test_unknown_code_is_an_input_error():
    """Only the interchange spec's response codes are accepted."""
    with pytest.raises(InputError, match="unknown best overall response"):
        response_rates({"A": ["CR", "partial"]})


def test_small_two_by_two_uses_fisher():
    """Expected count below 5: fisher.test(matrix(c(3, 9, 7, 4), 2, byrow = TRUE))$p.value."""
    comparison = compare_proportions([(3, 12), (7, 11)])
    assert comparison.test == "Fisher's exact test"
    assert comparison.min_expected < 5
    assert comparison.p == pytest.approx(0.0995327192661961, rel=REL)


def test_large_two_by_two_uses_chi_square():
    """chisq.test(matrix(c(20, 30, 35, 15), 2, byrow = TRUE), correct = FALSE):
    X-squared = 9.090909090909, df = 1, p-value = 0.00256883152702."""
    comparison = compare_proportions([(20, 50), (35, 50)])
    assert (comparison.test, comparison.df) == ("Pearson chi-square test", 1)
    assert comparison.statistic == pytest.approx(9.090909090909, rel=REL)
    assert comparison.p == pytest.approx(0.00256883152702, rel=REL)


def test_small_three_arm_table_uses_fisher_freeman_halton():
    """fisher.test(matrix(c(2, 8, 5, 5, 6, 4), 3, byrow = TRUE))$p.value."""
    comparison = compare_proportions([(2, 10), (5, 10), (6, 10)])
    assert comparison.test == "Fisher-Freeman-Halton exact test"
    assert comparison.p == pytest.approx(0.26558825850233, rel=REL)


def test_large_three_arm_table_uses_chi_square():
    """chisq.test(matrix(c(20, 30, 35, 15, 25, 25), 3, byrow = TRUE)): X-squared = 9.375,
    df = 2, p-value = 0.00920968160397."""
    comparison = compare_proportions([(20, 50), (35, 50), (25, 50)])
    assert (comparison.test, comparison.df) == ("Pearson chi-square test", 2)
    assert comparison.statistic == pytest.approx(9.375, rel=REL)
    assert comparison.p == pytest.approx(0.00920968160397, rel=REL)


def test_no_comparison_with_fewer_than_two_non_empty_arms():
    """One arm (or an empty second arm) has nothing to be compared with."""
    rates = response_rates({"A": ["CR", "PD"], "B": []})
    assert rates.orr_comparison is None and rates.dcr_comparison is None
    assert rates.arms[1].orr.rate is None


def test_no_responder_anywhere_gives_p_of_one():
    """With no responder in any arm the tables are all alike: nothing to detect."""
    assert compare_proportions([(0, 10), (0, 12)]).p == pytest.approx(1.0)
