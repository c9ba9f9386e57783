"""Properties every survival estimate must have, whatever the data (hypothesis).

Kaplan-Meier (1958): a non-increasing step function in [0, 1] whose pointwise band holds
it. The log-rank test and the Cox partial likelihood (Cox 1972) depend on the order of
the times only, not on their scale, the order of rows or the labels of groups; the hazard
ratio of A against B is the inverse of that of B against A.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.stats.survival import cox_two_groups, kaplan_meier, logrank

SETTINGS = settings(max_examples=60, deadline=None)

rows = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 1), st.sampled_from("AB")), min_size=4, max_size=40
)


def columns(data):
    time, event, group = zip(*data, strict=True)
    return list(time), list(event), list(group)


@SETTINGS
@given(rows)
def test_kaplan_meier_is_a_non_increasing_curve_inside_its_band(data):
    """S(t) is non-increasing in [0, 1], ci_low <= S <= ci_high where the band exists, and
    the counts add up to n."""
    time, event, _ = columns(data)
    result = kaplan_meier(time, event)
    surv = np.array(result.survival)
    assert np.all(np.diff(surv) <= 0) and surv.min() >= 0 and surv.max() <= 1
    low, high = np.array(result.ci_low), np.array(result.ci_high)
    defined = ~np.isnan(low)
    assert np.all(low[defined] <= surv[defined] + 1e-12)
    assert np.all(surv[defined] <= high[defined] + 1e-12)
    assert sum(result.events) + sum(result.censored) == result.n == len(time)
    assert result.at_risk[0] == len(time)
    if result.median is not None:
        assert result.timeline[0] <= result.median <= result.timeline[-1]
        assert result.median_ci_low is None or result.median_ci_low <= result.median


@SETTINGS
@given(rows, st.randoms(use_true_random=False), st.floats(0.1, 10))
def test_logrank_ignores_row_order_group_labels_and_time_scale(data, rng, scale):
    """The log-rank statistic depends on the ranks of the times and the group split only."""
    time, event, group = columns(data)
    if len(set(group)) < 2:
        return
    base = logrank(time, event, group)
    shuffled = list(zip(time, event, group, strict=True))
    rng.shuffle(shuffled)
    t2, e2, g2 = columns(shuffled)
    relabelled = [{"A": "second", "B": "first"}[g] for g in g2]
    other = logrank([t * scale for t in t2], e2, relabelled)
    assert other.df == base.df
    assert other.chi2 == pytest.approx(base.chi2, rel=1e-9, abs=1e-12)
    assert 0 <= base.p <= 1


@SETTINGS
@given(rows)
def test_hazard_ratio_inverts_when_the_group_order_is_reversed(data):
    """HR(B vs A) = 1 / HR(A vs B), the CI bounds swapped and inverted, p unchanged."""
    time, event, group = columns(data)
    if len(set(group)) < 2:
        return
    forward = cox_two_groups(time, event, group)
    backward = cox_two_groups(time[::-1], event[::-1], group[::-1])
    if forward.reference == backward.reference:
        return
    if forward.hazard_ratio is None:
        assert backward.hazard_ratio is None
        return
    assert math.isclose(forward.hazard_ratio * backward.hazard_ratio, 1, rel_tol=1e-6)
    assert math.isclose(forward.ci_low * backward.ci_high, 1, rel_tol=1e-6)
    assert math.isclose(forward.p, backward.p, rel_tol=1e-6)
