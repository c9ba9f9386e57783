"""Kaplan-Meier curve, log(-log) band, median and landmarks against R's survival package.

Reference values come from R 4.2.2 with survival 3.5-3, printed by
tests/data/survival/reference_values.R on the CSV files beside it (exported from R's own
`lung`, `veteran`, `ovarian` and `aml` data sets by export_datasets.R). R is not needed to
run these tests.

Tolerances: medians and their CI bounds are observed times (or the midpoint of two), so
they must match exactly. Survival and band values come from the same closed-form formulas
as R's survfit (product-limit, Greenwood, log(-log) transform); they agree to rounding, and
rel=1e-9 leaves room for summation order while any formula slip (e.g. the "log" instead
of the "log-log" band, or a Greenwood term off by one subject) shows at 1e-3 or more.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.errors import InputError
from model.stats.survival import kaplan_meier, number_at_risk, survival_at

DATA = Path(__file__).parents[2] / "data" / "survival"
REL = 1e-9


def curve(name, column=None, level=None):
    """The Kaplan-Meier result of one data set, or of one group of it."""
    frame = pd.read_csv(DATA / name)
    if column is not None:
        frame = frame[frame[column] == level]
    return kaplan_meier(frame.time, frame.event)


def medians(result):
    return result.median, result.median_ci_low, result.median_ci_high


@pytest.mark.parametrize(
    ("name", "column", "level", "expected"),
    [
        # survfit(Surv(time, event) ~ sex, lung, conf.type = "log-log"); summary(fit)$table
        ("lung.csv", "sex", 1, (270, 210, 306)),
        ("lung.csv", "sex", 2, (426, 345, 524)),
        # survfit(Surv(time, event) ~ 1, lung, conf.type = "log-log")
        ("lung.csv", None, None, (310, 284, 361)),
        # survfit(Surv(time, event) ~ trt, veteran, conf.type = "log-log"): in arm 2 the
        # curve is exactly 0.5 from day 52 to day 53, so the median is their midpoint
        ("veteran.csv", "trt", 1, (103, 54, 126)),
        ("veteran.csv", "trt", 2, (52.5, 43, 90)),
        # survfit(Surv(time, event) ~ celltype, veteran, conf.type = "log-log")
        ("veteran.csv", "celltype", "squamous", (118, 44, 242)),
        ("veteran.csv", "celltype", "smallcell", (51, 24, 61)),
        ("veteran.csv", "celltype", "adeno", (51, 24, 90)),
        ("veteran.csv", "celltype", "large", (156, 100, 216)),
        # survfit(Surv(time, event) ~ rx, ovarian, conf.type = "log-log"): NA where the
        # curve or its upper band never falls below 0.5
        ("ovarian.csv", "rx", 1, (638, 156, None)),
        ("ovarian.csv", "rx", 2, (None, 464, None)),
        # survfit(Surv(time, event) ~ x, aml, conf.type = "log-log")
        ("aml.csv", "x", "Maintained", (31, 13, None)),
        ("aml.csv", "x", "Nonmaintained", (23, 5, 33)),
    ],
)
def test_median_and_ci_follow_r_survfit(name, column, level, expected):
    """Interchange spec, survival command: median and log(-log) CI as R's survfit reads them."""
    assert medians(curve(name, column, level)) == expected


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        # summary(survfit(Surv(time, event) ~ sex, lung, conf.type = "log-log"),
        #         times = c(180, 365)): n.risk, surv, lower, upper
        (1, [(89, 0.644465001541783, 0.558412473005288, 0.718013598160678),
             (35, 0.336087834639379, 0.252729143327973, 0.421302168222719)]),
        (2, [(71, 0.842401705587783, 0.748380916153333, 0.903504304284832),
             (30, 0.526463030185906, 0.403579823266731, 0.635316232824086)]),
    ],
)  # fmt: skip
def test_landmark_survival_follows_r_summary(level, expected):
    """Landmark survival with its log(-log) CI and number at risk, as R's summary.survfit."""
    estimates = survival_at(curve("lung.csv", "sex", level), [180, 365])
    for estimate, (at_risk, surv, low, high) in zip(estimates, expected, strict=True):
        assert estimate.at_risk == at_risk
        assert estimate.survival == pytest.approx(surv, rel=REL)
        assert estimate.ci_low == pytest.approx(low, rel=REL)
        assert estimate.ci_high == pytest.approx(high, rel=REL)


def test_veteran_landmarks_follow_r_summary():
    """Landmark survival as R's summary.survfit, on the second veteran arm.

    R: summary(survfit(Surv(time, event) ~ trt, veteran, conf.type = "log-log"),
               times = c(90, 180))
    """
    estimates = survival_at(curve("veteran.csv", "trt", 2), [90, 180])
    assert [e.at_risk for e in estimates] == [25, 14]
    assert [e.survival for e in estimates] == pytest.approx(
        [0.380168067226890, 0.232852941176470], rel=REL
    )
    assert [e.ci_low for e in estimates] == pytest.approx(
        [0.265670862446894, 0.138360027685050], rel=REL
    )
    assert [e.ci_high for e in estimates] == pytest.approx(
        [0.493777704344713, 0.341707750803659], rel=REL
    )


def test_flat_stretch_at_one_half_gives_its_midpoint_and_an_undefined_band_gives_null():
    """Interchange spec, median: S = 0.5 on [2, 4) then 0 at 4, so the median is 3.

    R: f <- survfit(Surv(c(1, 2, 3, 4), c(1, 1, 0, 1)) ~ 1, conf.type = "log-log")
    summary(f)$table: median 3, 0.95LCL 1, 0.95UCL NA; f$lower 0.1279469175951459,
    0.0578470829951446 (x2), NA; f$upper 0.960548642285078, 0.844861281190374 (x2), NA.
    The upper band never falls below 0.5 before the curve reaches 0, where it is undefined.
    """
    result = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1])
    assert result.survival == (0.75, 0.5, 0.5, 0.0)
    assert medians(result) == (3.0, 1.0, None)
    assert result.ci_low[:3] == pytest.approx((0.1279469175951459, *[0.0578470829951446] * 2))
    assert result.ci_high[:3] == pytest.approx((0.960548642285078, *[0.844861281190374] * 2))
    assert pd.isna(result.ci_low[3]) and pd.isna(result.ci_high[3])


def test_curve_flat_at_one_half_to_the_end_takes_the_midpoint_to_the_last_time():
    """Interchange spec, median: the stretch at 0.5 runs from 2 to the last time, 4.

    R: quantile(survfit(Surv(c(1, 2, 3, 4), c(1, 1, 0, 0)) ~ 1, conf.type = "log-log"), 0.5)
    gives 3 (lower 1, upper NA). (print.survfit's table says 2 here; see the report.)
    """
    assert medians(kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0])) == (3.0, 1.0, None)


def test_curve_reaching_zero_through_one_half_takes_the_midpoint():
    """R: summary(survfit(Surv(1:4, c(1, 1, 1, 1)) ~ 1, conf.type = "log-log"))$table:
    median 2.5, 0.95LCL 1, 0.95UCL NA."""
    assert medians(kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1])) == (2.5, 1.0, None)


def test_counts_per_time_and_band_before_the_first_event():
    """Kaplan-Meier table: at risk, events and censored at each distinct time; S = 1 and a
    band of 1 before any event (R: survfit's n.risk, n.event, n.censor)."""
    result = kaplan_meier([5, 2, 2, 7, 5, 9], [0, 1, 0, 1, 1, 0])
    assert result.timeline == (2, 5, 7, 9)
    assert result.at_risk == (6, 4, 2, 1)
    assert result.events == (1, 1, 1, 0)
    assert result.censored == (1, 1, 0, 1)
    assert (result.n, result.n_events) == (6, 3)
    assert kaplan_meier([1, 2], [0, 1]).ci_low[0] == 1.0


def test_number_at_risk_from_result_or_durations():
    """Number at risk at t counts subjects with duration >= t (R: summary.survfit n.risk)."""
    durations = [5, 2, 2, 7, 5, 9]
    result = kaplan_meier(durations, [0, 1, 0, 1, 1, 0])
    times = [0, 2, 3, 5, 9, 10]
    assert number_at_risk(result, times) == (6, 6, 4, 4, 1, 0)
    assert number_at_risk(durations, times) == (6, 6, 4, 4, 1, 0)


def test_landmark_before_first_and_after_last_time():
    """Before the first time the curve is 1; past the last observed time it is unknown."""
    before, after = survival_at(kaplan_meier([2, 4], [1, 0]), [1, 5])
    assert (before.survival, before.ci_low, before.ci_high, before.at_risk) == (1.0, 1.0, 1.0, 2)
    assert (after.survival, after.ci_low, after.at_risk) == (None, None, 0)


@pytest.mark.parametrize(
    ("durations", "events", "alpha", "fragment"),
    [
        ([], [], 0.05, "no observations"),
        ([1, -2], [1, 0], 0.05, "negative"),
        ([1, float("nan")], [1, 0], 0.05, "not a finite number"),
        ([1, 2], [1, 2], 0.05, "not 0 or 1"),
        ([1, 2], [1], 0.05, "1 events for 2 durations"),
        (["a", 2], [1, 0], 0.05, "must be numbers"),
        ([1, 2], [1, 0], 1.5, "alpha"),
    ],
)
def test_bad_arguments_raise_input_error(durations, events, alpha, fragment):
    """Arguments are validated up front with a clear InputError (brief, practice 8)."""
    with pytest.raises(InputError, match=fragment):
        kaplan_meier(durations, events, alpha=alpha)


def test_fitting_a_curve_leaves_numpy_warnings_as_they_were():
    """lifelines' fitter switches numpy's divide/invalid warnings off for the whole process;
    kaplan_meier must keep that to itself."""
    before = np.geterr()
    kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1])
    assert np.geterr() == before
