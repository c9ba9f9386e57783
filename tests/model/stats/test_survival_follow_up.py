"""Median follow-up by the reverse Kaplan-Meier method, against R (survival 3.5-3).

R: summary(survfit(Surv(time, 1 - event) ~ 1, lung, conf.type = "log-log"))$table
gives median 588, 0.95LCL 511, 0.95UCL 821 (tests/data/survival/reference_values.R).
These are observed times, so they must match exactly.
"""

from pathlib import Path

import pandas as pd

from model.stats.survival import median_follow_up

DATA = Path(__file__).parents[2] / "data" / "survival"


def test_reverse_kaplan_meier_median_follow_up_follows_r():
    """Schemper & Smith 1996: censoring is the event, deaths are censored."""
    lung = pd.read_csv(DATA / "lung.csv")
    follow_up = median_follow_up(lung.time, lung.event)
    assert (follow_up.median, follow_up.ci_low, follow_up.ci_high) == (588, 511, 821)


def test_follow_up_is_not_reached_when_nobody_is_censored_before_the_median():
    """With every patient dead there is no censoring, so the reverse curve never falls."""
    follow_up = median_follow_up([1, 2, 3], [1, 1, 1])
    assert (follow_up.median, follow_up.ci_low, follow_up.ci_high) == (None, None, None)
