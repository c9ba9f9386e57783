"""Cox proportional hazards (Efron ties) against R's coxph (R 4.2.2, survival 3.5-3).

Values printed by tests/data/survival/reference_values.R (summary(fit)$coefficients and
$conf.int, ties = "efron", R's default). Both fits stop when the log-likelihood changes
by less than 1e-9 relatively; Newton-Raphson converges quadratically, so the
coefficients then agree far closer than that, but the two may stop one iteration apart:
rel=1e-6 covers that while a wrong tie correction (Breslow instead of Efron moves the
lung sex HR by 6e-4) or a wrong variance still fails.
"""

from pathlib import Path

import pandas as pd
import pytest

from model.errors import InputError
from model.stats.survival import cox, cox_two_groups

DATA = Path(__file__).parents[2] / "data" / "survival"
REL = 1e-6


def frame(name):
    return pd.read_csv(DATA / name)


def check(term, hr, low, high, p):
    assert term.hazard_ratio == pytest.approx(hr, rel=REL)
    assert term.ci_low == pytest.approx(low, rel=REL)
    assert term.ci_high == pytest.approx(high, rel=REL)
    assert term.p == pytest.approx(p, rel=REL)


@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        # coxph(Surv(time, event) ~ sex, lung): exp(coef), lower .95, upper .95, Pr(>|z|)
        ("lung.csv", "sex", (0.588002818563588, 0.423717830353915, 0.815984813171387,
                             0.00149122920488076)),
        # coxph(Surv(time, event) ~ trt, veteran)
        ("veteran.csv", "trt", (1.01790090393894, 0.714375526106933, 1.45038878345424,
                                0.921766194684512)),
        # coxph(Surv(time, event) ~ rx, ovarian)
        ("ovarian.csv", "rx", (0.550801907277936, 0.17432073353539, 1.74037095248581,
                               0.309630448806553)),
        # coxph(Surv(time, event) ~ x, aml), x a factor with Maintained first
        ("aml.csv", "x", (2.49810532617214, 0.915907257436408, 6.8134957660633,
                          0.0737148606390457)),
    ],
)  # fmt: skip
def test_two_group_hazard_ratio_follows_r_coxph(name, column, expected):
    """Interchange spec, survival command: HR of the second group against the first."""
    data = frame(name)
    ratio = cox_two_groups(data.time, data.event, data[column])
    assert (ratio.reference, ratio.comparison) == tuple(pd.unique(data[column]))
    check(ratio, *expected)


def test_second_group_is_second_in_order_of_first_appearance():
    """Swapping which group appears first inverts the hazard ratio."""
    data = frame("lung.csv")
    flipped = data.iloc[::-1]
    assert flipped.sex.iloc[0] == 2
    ratio = cox_two_groups(flipped.time, flipped.event, flipped.sex)
    assert (ratio.reference, ratio.comparison) == (2, 1)
    check(ratio, 1 / 0.588002818563588, 1 / 0.815984813171387, 1 / 0.423717830353915,
          0.00149122920488076)  # fmt: skip


def test_multivariable_model_follows_r_coxph():
    """coxph(Surv(time, event) ~ sex + age + ph_ecog, lung, ties = "efron").

    R drops the one row without ph_ecog (n 227, 164 events); loglik -729.230121374862.
    """
    result = cox(frame("lung.csv"), "time", "event", ["sex", "age", "ph_ecog"])
    assert (result.n, result.n_events, result.converged) == (227, 164, True)
    assert result.log_likelihood == pytest.approx(-729.230121374862, rel=1e-12)
    check(
        result.term("sex"),
        0.575444556190492,
        0.414213018549173,
        0.799435127387146,
        9.86051372138450e-04,
    )
    check(
        result.term("age"),
        1.011128227722516,
        0.992928097169850,
        1.029661962242155,
        2.32415680999612e-01,
    )
    check(result.term("ph_ecog"), 1.589991190054284, 1.272675177774297, 1.986423581287590,
          4.44706665185681e-05)  # fmt: skip


def test_categorical_covariate_is_dummy_coded_against_its_reference():
    """coxph(Surv(time, event) ~ celltype + karno, veteran), celltype levels squamous,
    smallcell, adeno, large (squamous the reference)."""
    data = frame("veteran.csv")
    result = cox(data, "time", "event", ["celltype", "karno"], references={"celltype": "squamous"})
    assert [t.name for t in result.terms] == [
        "celltype[smallcell]", "celltype[adeno]", "celltype[large]", "karno"]  # fmt: skip
    check(
        result.term("celltype[smallcell]"),
        2.04487037745627,
        1.246175188199434,
        3.355463100368639,
        4.64139556043817e-03,
    )
    check(
        result.term("celltype[adeno]"),
        3.18271073728448,
        1.792457421179337,
        5.651262628353639,
        7.74490793321756e-05,
    )
    check(
        result.term("celltype[large]"),
        1.38492349754075,
        0.805222131158782,
        2.381967682980007,
        2.39205543830923e-01,
    )
    check(result.term("karno"), 0.96942067155142, 0.959633622119075, 0.979307536511674,
          1.98831597016805e-09)  # fmt: skip


def test_default_reference_is_the_first_level_to_appear():
    """Without `references`, the first value in the data is the reference level."""
    data = frame("veteran.csv")
    assert data.celltype.iloc[0] == "squamous"
    names = [t.name for t in cox(data, "time", "event", ["celltype"]).terms]
    assert "celltype[squamous]" not in names and len(names) == 3


def test_group_without_events_gives_null_hazard_ratio():
    """Interchange spec: where the fit does not exist (a group with no event), fields are null."""
    ratio = cox_two_groups([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 0], ["A", "A", "A", "B", "B", "B"])
    assert (ratio.hazard_ratio, ratio.ci_low, ratio.ci_high, ratio.p) == (None,) * 4


def test_infinite_coefficient_is_reported_as_null():
    """As coxph's "coefficient may be infinite" check: the term's numbers are null."""
    data = {"t": [1, 2, 3, 4, 5, 6], "e": [0, 0, 1, 1, 1, 0], "g": ["a", "a", "b", "b", "b", "a"]}
    term = cox(data, "t", "e", ["g"]).terms[0]
    assert term.name == "g[b]" and term.hazard_ratio is None and term.p is None


@pytest.mark.parametrize(
    ("covariates", "references", "fragment"),
    [
        (["nope"], None, "no such column"),
        ([], None, "at least one covariate"),
        (["same"], None, "does not vary"),
        (["arm"], {"arm": "C"}, "reference level not found"),
    ],
)
def test_bad_model_arguments_raise_input_error(covariates, references, fragment):
    """Arguments are validated up front with a clear InputError (brief, practice 8)."""
    data = {"t": [1, 2, 3, 4], "e": [1, 0, 1, 1], "same": [1, 1, 1, 1], "arm": list("ABAB")}
    with pytest.raises(InputError, match=fragment):
        cox(data, "t", "e", covariates, references=references)


def test_two_group_hazard_ratio_needs_exactly_two_groups():
    """A hazard ratio of one group against another needs two groups."""
    with pytest.raises(InputError, match="exactly two groups"):
        cox_two_groups([1, 2, 3], [1, 1, 1], ["A", "B", "C"])


def test_coefficient_running_off_to_infinity_is_null_and_not_converged():
    """The log-likelihood only approaches its bound: R's coxph "ran out of iterations and
    did not converge" (coefficient -21.2 after 21 iterations, survival 3.5-3).

    R: coxph(Surv(c(0, 1, 2), c(0, 1, 1)) ~ c(0, 0, 1)). Such a hazard ratio does not exist
    (interchange spec, survival command), so its numbers are null.
    """
    result = cox({"t": [0, 1, 2], "e": [0, 1, 1], "x": [0, 0, 1]}, "t", "e", ["x"])
    assert result.converged is False
    assert result.terms[0].hazard_ratio is None and result.terms[0].ci_high is None


def test_fit_that_overshoots_with_full_newton_steps_still_reaches_r_coxph():
    """R halves a Newton step that lowers the log-likelihood; lifelines does not, and with
    full steps wanders off on these heavily tied data, where R converges in 5 iterations.

    R: coxph(Surv(c(0, 0, 0, 0, 0, 0, 0, 1, 1), c(0, 0, 0, 0, 1, 0, 1, 0, 0)) ~
             c(0, 0, 0, 0, 1, 0, 0, 0, 0))
    """
    times, events = [0, 0, 0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 1, 0, 1, 0, 0]
    ratio = cox_two_groups(times, events, list("BBBBABBBB"))
    check(ratio, 10.9544511501033, 0.66208609991713, 181.245309356321, 0.0945350581058617)


@pytest.mark.parametrize(
    ("name", "covariates", "references"),
    [
        ("lung.csv", ["sex", "age", "ph_ecog"], {}),
        ("veteran.csv", ["celltype", "karno"], {"celltype": "squamous"}),
    ],
)
def test_columns_as_numpy_arrays_give_the_data_frame_fit(name, covariates, references):
    """`report` hands cox its columns as numpy arrays, read without pandas: missing values
    (NaN, None) left out and levels in order of appearance, as from the data frame."""
    data = frame(name)
    arrays = {c: data[c].to_numpy() for c in data.columns}
    arrays = {c: a.astype(object) if a.dtype.kind == "O" else a for c, a in arrays.items()}
    expected = cox(data, "time", "event", covariates, references=references)
    found = cox(arrays, "time", "event", covariates, references=references)
    assert found == expected
