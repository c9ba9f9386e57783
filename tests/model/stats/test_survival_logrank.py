"""Log-rank test against R's survdiff (R 4.2.2, survival 3.5-3).

Values printed by tests/data/survival/reference_values.R. The statistic is a closed form
(observed minus expected and the hypergeometric variance summed over event times), so
rel=1e-9 only allows for summation order; a wrong variance term or a missed tie shows at
1e-3 or more. R prints p with 9 significant digits, hence rel=1e-8 for p.
"""

from pathlib import Path

import pandas as pd
import pytest

from model.errors import InputError
from model.stats.survival import logrank

DATA = Path(__file__).parents[2] / "data" / "survival"


@pytest.mark.parametrize(
    ("name", "column", "chi2", "df", "p"),
    [
        # survdiff(Surv(time, event) ~ sex, lung): (O-E)^2/V = 10.326741955, p= 0.00131116452
        ("lung.csv", "sex", 10.326741955, 1, 0.00131116452),
        # survdiff(Surv(time, event) ~ trt, veteran)
        ("veteran.csv", "trt", 0.0082273432024, 1, 0.927727233),
        # survdiff(Surv(time, event) ~ celltype, veteran): four groups; Chisq 25.4 on 3 df
        ("veteran.csv", "celltype", None, 3, 1.27124594e-05),
        # survdiff(Surv(time, event) ~ rx, ovarian)
        ("ovarian.csv", "rx", 1.0627398613, 1, 0.302591117),
        # survdiff(Surv(time, event) ~ x, aml)
        ("aml.csv", "x", 3.396388699, 1, 0.065339322),
    ],
)
def test_logrank_follows_r_survdiff(name, column, chi2, df, p):
    """R survdiff (rho = 0): chi-square, degrees of freedom and p."""
    frame = pd.read_csv(DATA / name)
    result = logrank(frame.time, frame.event, frame[column])
    if chi2 is not None:
        assert result.chi2 == pytest.approx(chi2, rel=1e-9)
    assert result.df == df
    assert result.p == pytest.approx(p, rel=1e-8)


def test_group_order_does_not_change_the_test():
    """The statistic is symmetric in the groups (R survdiff drops one group arbitrarily)."""
    frame = pd.read_csv(DATA / "veteran.csv")
    forward = logrank(frame.time, frame.event, frame.celltype)
    backward = logrank(frame.time[::-1], frame.event[::-1], frame.celltype[::-1])
    assert backward.chi2 == pytest.approx(forward.chi2, rel=1e-12)


def test_logrank_needs_two_groups():
    """One group has nothing to compare: InputError, not a statistic."""
    with pytest.raises(InputError, match="at least two groups"):
        logrank([1, 2, 3], [1, 0, 1], ["A", "A", "A"])


def test_missing_group_label_is_an_input_error():
    """Every row needs a group."""
    with pytest.raises(InputError, match="group 2 is missing"):
        logrank([1, 2, 3], [1, 0, 1], ["A", None, "B"])


def test_group_never_at_risk_at_an_event_time_leaves_the_degrees_of_freedom():
    """R survdiff: a group with no expected events drops out, so df counts the others only.

    R: survdiff(Surv(c(1, 2, 3, 4, 5, 6, 0.5, 0.5), c(1, 0, 1, 1, 1, 0, 0, 0)) ~
                c(0, 0, 0, 1, 1, 1, 2, 2))
    gives Chisq 3.57142857142857 on 1 degree of freedom, p 0.058781721355359; group 2 is
    censored at 0.5, before the first event. (lifelines alone would say 2 df, p 0.168.)
    """
    times, events = [1, 2, 3, 4, 5, 6, 0.5, 0.5], [1, 0, 1, 1, 1, 0, 0, 0]
    result = logrank(times, events, [0, 0, 0, 1, 1, 1, 2, 2])
    assert result.df == 1
    assert result.chi2 == pytest.approx(3.57142857142857, rel=1e-9)
    assert result.p == pytest.approx(0.058781721355359, rel=1e-9)
