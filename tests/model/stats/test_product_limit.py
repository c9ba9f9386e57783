"""The hand-written counting of model/stats/product_limit.py against lifelines on random data.

R is the reference (test_survival_kaplan_meier.py, test_survival_logrank.py); lifelines is a
second, independent implementation of the same formulas, so on any data the two must agree
to rounding: the curve (R's product against lifelines' exponentiated sum of logarithms),
the exponential Greenwood band where it is defined, and the log-rank statistic whenever
every group is at risk at an event time (where lifelines and R survdiff count the same
degrees of freedom).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.stats.survival import kaplan_meier, logrank

SETTINGS = settings(max_examples=60, deadline=None)

rows = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 1), st.sampled_from("ABC")),
    min_size=3,
    max_size=60,
)


def columns(data):
    time, event, group = (np.array(c) for c in zip(*data, strict=True))
    return time.astype(float), event.astype(float), group


@SETTINGS
@given(rows)
def test_kaplan_meier_agrees_with_lifelines(data):
    """Curve, band and counts equal lifelines' KaplanMeierFitter to rounding (1e-12)."""
    from lifelines import KaplanMeierFitter

    time, event, _ = columns(data)
    ours = kaplan_meier(time, event)
    with np.errstate(divide="ignore", invalid="ignore"):
        fitter = KaplanMeierFitter().fit(time, event, timeline=np.unique(time))
    table = fitter.event_table.reindex(np.unique(time))
    assert ours.at_risk == tuple(table["at_risk"].astype(int))
    assert ours.events == tuple(table["observed"].astype(int))
    assert ours.censored == tuple(table["censored"].astype(int))
    theirs = fitter.survival_function_.to_numpy()[:, 0]
    assert np.allclose(ours.survival, theirs, rtol=1e-12, atol=1e-15)
    band = fitter.confidence_interval_.to_numpy()
    defined = np.array(ours.survival) > 0
    assert np.allclose(np.array(ours.ci_low)[defined], band[defined, 0], rtol=1e-10, atol=0)
    assert np.allclose(np.array(ours.ci_high)[defined], band[defined, 1], rtol=1e-10, atol=0)


@SETTINGS
@given(rows)
def test_logrank_agrees_with_lifelines_when_every_group_is_at_risk(data):
    """The log-rank chi-square equals lifelines' multivariate test (1e-9) when every group is
    at risk at the first event, so that both count every group."""
    from lifelines.statistics import multivariate_logrank_test

    time, event, group = columns(data)
    labels = np.unique(group)
    if labels.size < 2 or not event.any():
        return
    first_event = time[event == 1].min()
    if any(time[group == g].max() < first_event for g in labels):
        return
    ours = logrank(time, event, group)
    theirs = multivariate_logrank_test(time, group, event)
    assert ours.df == labels.size - 1
    assert ours.chi2 == pytest.approx(theirs.test_statistic, rel=1e-9, abs=1e-12)
