"""`cox` (analysis contract): Cox models on any covariates, against R's coxph.

Reference values: tests/data/analysis/cox_reference.R (coxph(ties = "efron"), summary,
drop1(fit, test = "Chisq")); see r_reference.py for the tolerance. Each case runs the
command in-process and compares every number R gives for it.
"""

import pytest

from tests.model.stats.r_reference import REL, data_rows, reference, run_json

T = ["--time", "time", "--event", "event"]

#: case -> (table, options); R names a factor's term covariate + level (`ph_ecog0`).
CASES = {
    "lung_multi": ("lung.csv", ["--covariates", "age,sex,ph_ecog,wt_loss"]),
    "lung_factor_ref": (
        "lung.csv",
        ["--covariates", "age,ph_ecog", "--factors", "ph_ecog", "--ref", "ph_ecog=1"],
    ),
    "veteran_celltype": (
        "veteran.csv",
        ["--covariates", "celltype,karno,trt", "--ref", "celltype=squamous"],
    ),
    "colon_strata": ("colon.csv", ["--covariates", "rx,age,nodes", "--strata", "extent"]),
    "pbc_multi": (
        "pbc.csv",
        ["--covariates", "age,bili,albumin,edema,sex,stage", "--factors", "edema,stage"]
        + ["--ref", "stage=4"],
    ),
    "lung_strata_inst": ("lung.csv", ["--covariates", "age,sex", "--strata", "inst"]),
    "monotone": ("monotone.csv", ["--covariates", "cohort,karno"]),
}


def check_model(model, ref, rows, infinite=()):
    """Every number of one model entry against R's."""
    assert model["n"] == ref[("n", "")]
    assert model["events"] == ref[("events", "")]
    assert model["dropped"] == rows - ref[("n", "")]
    assert model["loglik"] == pytest.approx(ref[("loglik", "")], rel=1e-10)
    assert model["lr_chi2"] == pytest.approx(ref[("lr_chi2", "")], rel=REL)
    assert model["lr_df"] == ref[("lr_df", "")]
    assert model["lr_p"] == pytest.approx(ref[("lr_p", "")], rel=REL)
    for term in model["terms"]:
        name = term["covariate"] + (term["level"] or "")
        assert term["coef"] == pytest.approx(ref[("coef", name)], rel=REL), name
        assert term["se"] == pytest.approx(ref[("se", name)], rel=REL), name
        if name in infinite:
            assert [term[k] for k in ("hazard_ratio", "hr_ci_low", "hr_ci_high", "p")] == [None] * 4
            continue
        assert term["p"] == pytest.approx(ref[("p", name)], rel=REL), name
        assert term["hazard_ratio"] == pytest.approx(2.718281828459045 ** term["coef"], rel=1e-12)
        z = 1.959964 * term["se"]
        assert term["hr_ci_low"] == pytest.approx(term["hazard_ratio"] / 2.718281828459045**z)
    assert len(model["terms"]) == sum(1 for q, _ in ref if q == "coef")
    for covariate in model["covariates"]:
        name = covariate["covariate"]
        assert covariate["df"] == ref[("drop1_df", name)], name
        assert covariate["p"] == pytest.approx(ref[("drop1_p", name)], rel=REL), name


@pytest.mark.parametrize("case", [c for c in CASES if c != "monotone"])
def test_model_follows_r_coxph(capsys, case):
    """Terms, drop1 LR tests and the model's LR test as R's, with no warning."""
    table, options = CASES[case]
    document = run_json(capsys, "cox", table, *T, *options)
    (model,) = document["models"]
    check_model(model, reference(case), data_rows(table))
    assert model["warnings"] == []
    assert model["strata"] == (options[options.index("--strata") + 1] if "--strata" in options
                               else None)  # fmt: skip


def test_terms_follow_covariates_then_level_order(capsys):
    """Level order is by code point (`Lev` < `Lev+5FU` < `Obs`), the first the reference;
    numeric --factors levels sort numerically; --ref moves a level first."""
    table, options = CASES["colon_strata"]
    (model,) = run_json(capsys, "cox", table, *T, *options)["models"]
    assert [(t["covariate"], t["level"]) for t in model["terms"]] == [
        ("rx", "Lev+5FU"), ("rx", "Obs"), ("age", None), ("nodes", None)]  # fmt: skip
    table, options = CASES["pbc_multi"]
    (model,) = run_json(capsys, "cox", table, *T, *options)["models"]
    assert [t["level"] for t in model["terms"] if t["covariate"] in ("edema", "stage")] == [
        "0.5", "1", "1", "2", "3"]  # fmt: skip


def test_monotone_likelihood_nulls_the_diverging_term_only(capsys):
    """Cohort C has no event: its coefficient runs off (R: "coefficient may be infinite").
    Its HR, CI and p are null with a warning naming it; the other terms, the drop1 tests
    and the model's LR test use the limit of the likelihood, as R's."""
    table, options = CASES["monotone"]
    (model,) = run_json(capsys, "cox", table, *T, *options)["models"]
    check_model(model, reference("monotone"), data_rows(table), infinite={"cohortC"})
    assert len(model["warnings"]) == 1
    assert "cohort = C" in model["warnings"][0]
    assert model["lr_df"] == 3


def test_univariable_screen_fits_each_covariate_alone(capsys):
    """--univariable: one model per covariate, in order, on the rows complete for it."""
    covariates = ["age", "sex", "ph_ecog", "ph_karno", "wt_loss"]
    document = run_json(capsys, "cox", "lung.csv", *T, "--covariates", ",".join(covariates),
                        "--univariable")  # fmt: skip
    assert [m["terms"][0]["covariate"] for m in document["models"]] == covariates
    for name, model in zip(covariates, document["models"], strict=True):
        check_model(model, reference(f"lung_univariable_{name}"), data_rows("lung.csv"))
        assert model["covariates"][0]["p"] == pytest.approx(model["lr_p"], rel=1e-9)
