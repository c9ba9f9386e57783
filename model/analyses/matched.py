"""Matched sets made in the app (issue 18, item 1): the propensity score match of
spec/analysis.md (`match`) run on the study's flat table, kept as a named analysis set with
its recipe and pair numbers (model/editing/analysis_sets.py), and the comparison of every
analysis before and after matching, with the Cox model stratified on the pairs.

The match is `model.stats.matching.match_document` on `model.analyses.table` of all the
study's patients, the treatment column being the arm: the treated arm against every other
arm. Matching is deterministic, so the recipe run again on unchanged data gives the stored
pairs; `recipe_document` does so for the love plot and says when the data have changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from model.analyses.sets import analysis_of_set
from model.analyses.table import ARM, EVENT, PAIR, TIME, analysis_table, covariate_names
from model.analysis import StudyAnalysis
from model.editing.analysis_sets import (
    AnalysisSet,
    MatchRecipe,
    SetAnalysisSet,
    SetMember,
    check_set,
)
from model.errors import InputError
from model.plot_data.cohort import survival_plot_data
from model.stats.cox_models import cox_document
from model.stats.matching import match_document
from model.stats.table1 import table1


def match_study(
    analysis: StudyAnalysis,
    treated_arm: str,
    covariates: Sequence[str],
    *,
    caliper: float | None = None,
    caliper_sd: float | None = None,
) -> dict[str, Any]:
    """The `match` document of the study's patients: `treated_arm` against the other arms on
    `covariates` (columns of the flat table: patient fields and variables); InputError for
    an unknown covariate, both calipers, or nothing to match."""
    if caliper is not None and caliper_sd is not None:
        raise InputError("give the caliper as a width or in SDs, not both")
    table = analysis_table(analysis)
    unknown = [c for c in covariates if c not in table.columns or c in (ARM, TIME, EVENT)]
    if unknown or not covariates:
        known = ", ".join(n for n in covariate_names(table) if n != ARM)
        raise InputError(f"covariates {', '.join(unknown) or '(none)'}: choose from {known}")
    return match_document(table, ARM, treated_arm, list(covariates),
                          caliper=caliper, caliper_sd=caliper_sd)  # fmt: skip


def matched_set(name: str, recipe: MatchRecipe, document: dict[str, Any]) -> AnalysisSet:
    """The analysis set of the pairs of `document` (the unmatched left out); InputError when
    it cannot be stored (model.editing.analysis_sets.check_set) or holds no pair."""
    members = tuple(
        SetMember(patient, pair["pair"])
        for pair in document["pairs"]
        if pair["control"]
        for patient in (pair["treated"], pair["control"])
    )
    if not members:
        raise InputError(f"analysis set {name!r}: no treated patient found a control to match")
    result = AnalysisSet(name, recipe, members)
    check_set(result)
    return result


def make_matched_set(
    analysis: StudyAnalysis,
    name: str,
    recipe: MatchRecipe,
    saved: Sequence[AnalysisSet] = (),
) -> tuple[SetAnalysisSet, dict[str, Any]]:
    """The edit that stores the matched set `name` made by `recipe`, and its `match`
    document (balance, scores, pairs) to show; InputError when one of the study's `saved`
    sets has the name already (a new set never replaces one silently)."""
    if name in {s.name for s in saved}:
        raise InputError(f"the study has an analysis set named {name!r} already")
    document = match_study(analysis, recipe.treated_arm, recipe.covariates,
                           caliper=recipe.caliper, caliper_sd=recipe.caliper_sd)  # fmt: skip
    return SetAnalysisSet(name, matched_set(name, recipe, document)), document


def new_recipe(
    treated_arm: str,
    covariates: Sequence[str],
    made_by: str,
    *,
    caliper: float | None = None,
    caliper_sd: float | None = None,
    made_on: date | None = None,
) -> MatchRecipe:
    """A recipe made today (or `made_on`) by `made_by`."""
    return MatchRecipe(treated_arm, tuple(covariates), made_on or date.today(), made_by,
                       caliper, caliper_sd)  # fmt: skip


def recipe_document(analysis: StudyAnalysis, saved: AnalysisSet) -> dict[str, Any]:
    """The `match` document of the saved set's recipe run again, with `stale` True when its
    pairs are no longer the stored ones (the data changed since the set was made)."""
    recipe = saved.recipe
    if not isinstance(recipe, MatchRecipe):
        raise InputError(f"analysis set {saved.name!r} is not a matched set")
    document = match_study(analysis, recipe.treated_arm, recipe.covariates,
                           caliper=recipe.caliper, caliper_sd=recipe.caliper_sd)  # fmt: skip
    stored = {(m.patient_id, m.pair) for m in saved.members}
    rerun = {(p, pair["pair"]) for pair in document["pairs"] if pair["control"]
             for p in (pair["treated"], pair["control"])}  # fmt: skip
    return document | {"stale": stored != rerun}


def matched_sets(saved: Sequence[AnalysisSet]) -> list[AnalysisSet]:
    """The saved sets that are matched sets, in their order."""
    return [s for s in saved if isinstance(s.recipe, MatchRecipe)]


def comparison(
    analysis: StudyAnalysis, matched: AnalysisSet, saved: Sequence[AnalysisSet]
) -> dict[str, Any]:
    """Every analysis for all patients (`before`) and for the matched set (`after`): Table 1
    of the flat table's baseline columns, ORR/DCR, Kaplan-Meier PFS with the log-rank test
    and hazard ratio, the Cox model of PFS on the arm, and on the arm with the study's Cox
    covariates (setting `cox_covariates`; none: the matching covariates) as `cox_adjusted`
    (None when it cannot be fitted); plus the Cox model on the arm
    stratified on the pairs (spec/analysis.md, `cox --strata`)."""
    sides = {}
    adjusted = [ARM, *(analysis.settings.cox_covariates or matched.recipe.covariates)]
    for side, name in (("before", "all"), ("after", matched.name)):
        table = analysis_table(analysis, analysis_set=name, saved=saved, endpoint="PFS")
        sides[side] = _side(analysis_of_set(analysis, name, saved), table)
        sides[side]["cox_adjusted"] = _adjusted_cox(table, adjusted)
    after = analysis_table(analysis, analysis_set=matched.name, saved=saved, endpoint="PFS")
    stratified = cox_document(after, TIME, EVENT, [ARM], strata=PAIR)
    return {"set": matched.name, "pairs": len(matched.members) // 2, **sides,
            "cox_stratified": stratified}  # fmt: skip


def _adjusted_cox(table, covariates: Sequence[str]) -> dict[str, Any] | None:
    """The `cox` document on the covariates the table has; None when it cannot be fitted."""
    present = [c for c in dict.fromkeys(covariates) if c in table.columns]
    try:
        return cox_document(table, TIME, EVENT, present)
    except InputError:
        return None


def _side(chosen: StudyAnalysis, table) -> dict[str, Any]:
    from model.stats.response_rates import response_rates

    variables = [n for n in covariate_names(table) if n != ARM]
    level = chosen.settings.confidence_level
    rates = response_rates(chosen.best_responses_by_arm(), alpha=1 - level,
                           one_sided=chosen.settings.one_sided)  # fmt: skip
    km = survival_plot_data(chosen, endpoint="pfs")
    return {
        "n": len(chosen.data.patients),
        "table1": table1(table, variables),
        "response": {a.arm: {"n": a.n, "orr": a.orr.k, "orr_rate": a.orr.rate,
                             "dcr": a.dcr.k, "dcr_rate": a.dcr.rate} for a in rates.arms},
        "response_p": {"orr": rates.orr_comparison and rates.orr_comparison.p,
                       "dcr": rates.dcr_comparison and rates.dcr_comparison.p},
        "km_pfs": {"logrank_p": km.logrank_p, "hazard_ratio": km.hazard_ratio,
                   "hr_ci": list(km.hr_ci) if km.hr_ci else None,
                   "medians": {c.arm: c.median for c in km.curves}},
        "cox": cox_document(table, TIME, EVENT, [ARM]),
    }  # fmt: skip


def matched_set_views(
    analysis: StudyAnalysis, matched: AnalysisSet, saved: Sequence[AnalysisSet]
) -> dict[str, Any]:
    """Everything the app shows of a matched set, computed at once (off the GUI thread):
    its recipe's `match` document, the `comparison`, and the Kaplan-Meier PFS data of all
    patients and of the set (`km`, model.plot_data.KMPlotData)."""
    return {
        "match": recipe_document(analysis, matched),
        "comparison": comparison(analysis, matched, saved),
        "km": tuple(survival_plot_data(analysis_of_set(analysis, name, saved))
                    for name in ("all", matched.name)),
    }  # fmt: skip
