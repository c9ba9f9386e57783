"""Numbers as journals print them (model/exports/manuscript/formatting.py: the AMA/NEJM p rule,
n (%), mean (SD), HR (95% CI))."""

import pytest

from model.exports.manuscript import formatting as fmt


@pytest.mark.parametrize(
    ("p", "shown"),
    [
        (1.4538453512344895e-16, "<0.001"),
        (0.000999, "<0.001"),
        (0.001, "0.001"),
        (0.0056544648487198527, "0.006"),
        (0.0099, "0.010"),
        (0.0196544760738694, "0.02"),
        (0.046, "0.046"),
        (0.0496, "0.050"),
        (0.054, "0.054"),
        (0.056, "0.06"),
        (0.326339505986556, "0.33"),
        (0.99, "0.99"),
        (0.995, ">0.99"),
        (1.0, ">0.99"),
        (None, "\u2014"),
    ],
)
def test_p_values_follow_the_journal_rule(p, shown):
    """<0.001; three decimals below 0.01 and near 0.05; two otherwise; >0.99 at the top."""
    assert fmt.p_value(p) == shown


@pytest.mark.parametrize(
    ("spread", "decimals"),
    [(50.02, 1), (3.52, 2), (0.267, 3), (0.0001, 3), (370.0, 0), (12345.0, 0), (None, 1)],
)
def test_summaries_get_three_significant_digits(spread, decimals):
    assert fmt.decimals_for(spread) == decimals


def test_summary_cells():
    assert fmt.mean_sd(51.4191077725504, 11.007165819723, 1) == "51.4 (11.0)"
    assert fmt.mean_sd(5.0, None, 1) == "5.0 (\u2014)"
    assert fmt.median_iqr(1.35, 0.8, 3.425, 2) == "1.35 [0.80, 3.42]"
    assert fmt.n_pct(137, 86.7088607594937) == "137 (86.7)"
    assert fmt.n_pct(0, 0.0) == "0"
    assert fmt.n_pct(3, None) == "3"
    assert fmt.fixed(-0.0001, 2) == "0.00"


def test_hazard_ratios_two_decimals_two_significant_digits_below_a_tenth():
    """pbc, stage 1 against 4 (R coxph): HR 0.106 (0.0143-0.786)."""
    assert fmt.hr_ci(0.10607, 0.014324, 0.78598) == "0.11 (0.014\u20130.79)"
    assert fmt.hr_ci(10.87, 6.51, 18.16) == "10.87 (6.51\u201318.16)"
    assert fmt.hr_ci(None, None, None) == "NE"
    assert fmt.interval(0.008403759, 0.905700676, 100) == "0.8\u201390.6"
