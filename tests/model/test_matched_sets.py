"""Matched sets made from a study (issue 18, item 1): the match of spec/analysis.md on the
study's flat table, stored with its recipe and pairs, and every analysis before and after."""

from __future__ import annotations

from datetime import date

import pytest

from model.analyses.matched import comparison, make_matched_set, new_recipe, recipe_document
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.errors import InputError
from model.settings import StudySettings
from model.store.study import Store

COVARIATES = ("age", "sex", "histology_group", "ecog", "prior_lines", "size_over_10cm")


@pytest.fixture(scope="module")
def analysis():
    return analyse(demo_study(80), StudySettings())


def recipe(analysis, **caliper):
    return new_recipe(analysis.arms[1], COVARIATES, "dr.pi", made_on=date(2026, 12, 7),
                      **caliper)  # fmt: skip


def test_matched_set_holds_each_pair_and_is_stored_with_its_recipe(analysis, tmp_path):
    edit, document = make_matched_set(analysis, "PSM 0.05", recipe(analysis, caliper=0.05))
    members = edit.analysis_set.members
    assert len(members) == 2 * sum(1 for p in document["pairs"] if p["control"])
    assert {m.pair for m in members} == set(range(1, len(members) // 2 + 1))
    with Store.open(tmp_path / "s.nadir") as store:
        store.import_study_data(analysis.data)
        store.apply(edit)
        (saved,) = store.analysis_sets()
    assert saved == edit.analysis_set
    assert saved.recipe.made_by == "dr.pi" and saved.recipe.caliper == 0.05
    assert recipe_document(analysis, saved)["stale"] is False


def test_caliper_in_sds_is_the_contract_width(analysis):
    _, document = make_matched_set(analysis, "PSM", recipe(analysis, caliper_sd=0.2))
    scores = [s["score"] for s in document["scores"]]
    mean = sum(scores) / len(scores)
    sd = (sum((s - mean) ** 2 for s in scores) / (len(scores) - 1)) ** 0.5
    assert document["caliper"] == pytest.approx(0.2 * sd)


def test_comparison_gives_before_and_after_and_the_cox_stratified_on_pairs(analysis):
    edit, _ = make_matched_set(analysis, "PSM", recipe(analysis, caliper=0.05))
    result = comparison(analysis, edit.analysis_set, [edit.analysis_set])
    assert result["before"]["n"] == len(analysis.data.patients)
    assert result["after"]["n"] == len(edit.analysis_set.members)
    assert result["after"]["table1"]["n"]["overall"] == result["after"]["n"]
    model = result["cox_stratified"]["models"][0]
    assert model["strata"] == "pair" and model["terms"][0]["covariate"] == "arm"


def test_unknown_covariate_is_named(analysis):
    with pytest.raises(InputError, match="covariates weight: choose from"):
        make_matched_set(analysis, "PSM", new_recipe(analysis.arms[1], ["weight"], "pi"))


def test_report_writes_the_before_after_comparison_of_each_matched_set(analysis, tmp_path):
    """Issue 18, item 1: `report` writes the comparison when the study has a matched set."""
    import json

    import main

    edit, _ = make_matched_set(analysis, "PSM 0.05", recipe(analysis, caliper=0.05))
    path = tmp_path / "s.nadir"
    with Store.open(path) as store:
        store.import_study_data(analysis.data)
        store.apply(edit)
    out = tmp_path / "report"
    assert main.main(["report", "--db", str(path), "--out", str(out), "--no-figures"]) == 0
    (section,) = json.loads((out / "summary.json").read_text())["matched_sets"]
    assert section["name"] == "PSM 0.05" and section["recipe"]["made_by"] == "dr.pi"
    assert section["match"]["stale"] is False
    assert section["comparison"]["cox_stratified"]["models"][0]["strata"] == "pair"
    assert "## Matched set PSM 0.05" in (out / "summary.md").read_text()
    for name in ("balance", "before_after", "table1_before", "table1_after", "cox_after"):
        assert (out / "tables" / f"matched_psm_0_05_{name}.docx").exists()


def test_a_new_set_never_replaces_one_of_the_same_name(analysis):
    edit, _ = make_matched_set(analysis, "PSM", recipe(analysis, caliper=0.05))
    with pytest.raises(InputError, match="named 'PSM' already"):
        make_matched_set(analysis, "PSM", recipe(analysis), [edit.analysis_set])


def test_a_match_without_pairs_is_refused_with_a_reason(analysis):
    from model.analyses.matched import matched_set

    with pytest.raises(InputError, match="no treated patient found a control"):
        matched_set("PSM", recipe(analysis, caliper=1e-9), {"pairs": []})
