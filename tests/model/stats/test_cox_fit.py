"""model.stats.cox_fit: the Efron Cox fitter itself, against R's coxph (survival 3.5-3).

Reference values: tests/data/analysis/cox_reference.R; see r_reference.py for the
tolerance. The commands' tests cover the designs; these check the fitter's own
contract: coefficients, SEs and both log-likelihoods, strata, the null model, redundant
columns (R's NA), infinite coefficients, and speed.
"""

import csv
import time

import numpy as np
import pytest

from model.stats.cox_fit import fit_cox
from tests.model.stats.r_reference import DATA, REL, reference


def load(table, columns):
    """The rows of DATA/table complete for `columns`, as a float array per column."""
    with open(DATA / table, newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if all(r[c] != "" for c in columns)]
    return {c: np.array([r[c] for r in rows]) for c in columns}


def indicators(values, levels):
    return np.column_stack([values == level for level in levels]).astype(float)


def check(fit, ref, names):
    np.testing.assert_allclose(fit.coef, [ref[("coef", n)] for n in names], rtol=REL)
    np.testing.assert_allclose(fit.se, [ref[("se", n)] for n in names], rtol=REL)
    assert fit.loglik == pytest.approx(ref[("loglik", "")], rel=1e-10)
    assert fit.loglik_null == pytest.approx(ref[("loglik_null", "")], rel=1e-12)
    assert (fit.n, fit.events) == (ref[("n", "")], ref[("events", "")])
    assert fit.converged and not fit.infinite.any() and not fit.singular.any()


def test_factor_and_numeric_covariates_follow_r():
    """coxph(Surv(time, event) ~ celltype + karno + trt, veteran), squamous the reference."""
    d = load("veteran.csv", ["time", "event", "celltype", "karno", "trt"])
    x = np.column_stack([indicators(d["celltype"], ["adeno", "large", "smallcell"]),
                         d["karno"].astype(float), d["trt"].astype(float)])  # fmt: skip
    fit = fit_cox(d["time"].astype(float), d["event"].astype(float), x)
    names = ["celltypeadeno", "celltypelarge", "celltypesmallcell", "karno", "trt"]
    check(fit, reference("veteran_celltype"), names)
    assert fit.df == 5


def test_strata_have_their_own_baseline_hazard():
    """coxph(Surv(time, event) ~ rx + age + nodes + strata(extent), colon deaths)."""
    d = load("colon.csv", ["time", "event", "rx", "age", "nodes", "extent"])
    x = np.column_stack([indicators(d["rx"], ["Lev+5FU", "Obs"]), d["age"].astype(float),
                         d["nodes"].astype(float)])  # fmt: skip
    strata = np.unique(d["extent"], return_inverse=True)[1]
    fit = fit_cox(d["time"].astype(float), d["event"].astype(float), x, strata)
    check(fit, reference("colon_strata"), ["rxLev+5FU", "rxObs", "age", "nodes"])
    unstratified = fit_cox(d["time"].astype(float), d["event"].astype(float), x)
    assert abs(unstratified.coef[0] - fit.coef[0]) > 1e-4


def test_null_model_gives_the_log_likelihood_at_zero():
    """No columns: loglik is R's loglik[1] of the model on the same rows."""
    d = load("lung.csv", ["time", "event", "age", "sex", "ph_ecog", "wt_loss"])
    fit = fit_cox(d["time"].astype(float), d["event"].astype(float), np.zeros((d["age"].size, 0)))
    ref = reference("lung_multi")
    assert fit.loglik == fit.loglik_null == pytest.approx(ref[("loglik_null", "")], rel=1e-12)
    assert fit.df == 0 and fit.coef.size == 0


def test_redundant_column_is_singular_as_r_na():
    """A column equal to another is not estimated (R: NA); the rest fit as without it."""
    d = load("lung.csv", ["time", "event", "age", "sex"])
    t, e = d["time"].astype(float), d["event"].astype(float)
    x = np.column_stack([d["age"], d["sex"], d["sex"]]).astype(float)
    fit = fit_cox(t, e, x)
    alone = fit_cox(t, e, x[:, :2])
    assert fit.singular.tolist() == [False, False, True] and fit.df == 2
    assert np.isnan(fit.coef[2]) and np.isnan(fit.se[2])
    np.testing.assert_allclose(fit.coef[:2], alone.coef, rtol=1e-10)
    assert fit.loglik == pytest.approx(alone.loglik, rel=1e-12)


def test_monotone_likelihood_is_flagged_infinite():
    """A level without events: R's coef and se at its stop, flagged as infinite."""
    d = load("monotone.csv", ["time", "event", "cohort", "karno"])
    x = np.column_stack([indicators(d["cohort"], ["B", "C"]), d["karno"].astype(float)])
    fit = fit_cox(d["time"].astype(float), d["event"].astype(float), x)
    ref = reference("monotone")
    assert fit.infinite.tolist() == [False, True, False]
    expected = [ref[("coef", n)] for n in ("cohortB", "cohortC", "karno")]
    np.testing.assert_allclose(fit.coef, expected, rtol=REL)
    assert fit.loglik == pytest.approx(ref[("loglik", "")], rel=1e-10)


def test_row_order_does_not_matter():
    d = load("veteran.csv", ["time", "event", "karno", "trt"])
    t, e = d["time"].astype(float), d["event"].astype(float)
    x = np.column_stack([d["karno"], d["trt"]]).astype(float)
    order = np.random.default_rng(3).permutation(t.size)
    np.testing.assert_allclose(fit_cox(t[order], e[order], x[order]).coef,
                               fit_cox(t, e, x).coef, rtol=1e-10)  # fmt: skip


def test_two_hundred_thousand_tied_rows_fit_fast():
    """The brief: 200,000 rows with many tied times well under 0.5 s (here a loose 1.5 s,
    as the machine is shared; benchmarks/cox_fit.py measures it)."""
    rng = np.random.default_rng(1)
    n = 200_000
    x = np.column_stack([rng.integers(0, 2, n), rng.normal(60, 10, n), rng.integers(0, 3, n)])
    t = np.ceil(rng.exponential(300 * np.exp(-0.3 * x[:, 0]), n) / 30)
    e = (rng.random(n) < 0.7).astype(float)
    assert np.unique(t).size < 200
    start = time.perf_counter()
    fit = fit_cox(t, e, x.astype(float))
    assert time.perf_counter() - start < 1.5
    assert fit.converged and fit.coef[0] == pytest.approx(0.3, abs=0.02)


def test_a_log_likelihood_of_zero_converges_instead_of_dividing_by_it():
    """Every event alone in its risk set: the log partial likelihood is 0 at any coefficient
    (R's coxph converges; the relative change would divide by zero)."""
    fit = fit_cox([1.0, 2.0], [0, 1], [[0.0], [1.0]])
    assert fit.loglik == 0.0 and fit.converged
