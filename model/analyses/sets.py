"""The analysis sets every analysis can run on (issue 17; shared/design.md, "analysis sets").

Built in, computed from the study each time:

- `all`: every patient;
- `evaluable`: patients with at least one adequate post-baseline assessment (a scan after
  baseline whose overall response is not NE: model/stats/endpoints.last_adequate_assessment);
- `safety`: patients who received any treatment, that is with at least one event of kind
  `treatment` or `procedure` (model/domain.TREATMENT_KINDS).

Saved in the study (model/editing/analysis_sets.py): a subgroup, whose recipe finds its
patients afresh (arms and the navigator's filter words, model/rules/filter_words.py), and a
matched set, whose members were fixed when it was made.
"""

from __future__ import annotations

from collections.abc import Sequence

from model.analysis import StudyAnalysis
from model.domain import TREATMENT_KINDS
from model.editing.analysis_sets import BUILT_IN_SETS, AnalysisSet, MatchRecipe, SubgroupRecipe
from model.errors import InputError
from model.rules.filter_words import filter_words, record_matches
from model.stats.endpoints import last_adequate_assessment

#: The built-in set of every patient, the default of every analysis.
ALL = BUILT_IN_SETS[0]


def set_names(saved: Sequence[AnalysisSet]) -> tuple[str, ...]:
    """Returns the names of the sets an analysis may run on: the built-in ones, then the
    saved ones in their order."""
    return (*BUILT_IN_SETS, *(s.name for s in saved))


def evaluable_ids(analysis: StudyAnalysis) -> set[str]:
    """Returns the patients with at least one adequate post-baseline assessment."""
    return {a.patient_id for a in analysis.assessments if last_adequate_assessment(a) is not None}


def safety_ids(analysis: StudyAnalysis) -> set[str]:
    """Returns the patients with at least one treatment or procedure event."""
    kinds = {kind.value for kind in TREATMENT_KINDS}
    return {e.patient_id for e in analysis.data.events if e.kind.strip().casefold() in kinds}


def subgroup_ids(analysis: StudyAnalysis, recipe: SubgroupRecipe) -> set[str]:
    """Returns the patients of the recipe's arms (all arms when none) whom every filter word
    matches."""
    best = {a.patient_id: a.best_overall_response for a in analysis.assessments}
    words = filter_words(" ".join(recipe.filters))
    return {
        p.patient_id
        for p in analysis.data.patients
        if (not recipe.arms or p.arm in recipe.arms)
        and record_matches(words, p, best.get(p.patient_id))
    }


def set_ids(analysis: StudyAnalysis, name: str, saved: Sequence[AnalysisSet]) -> set[str]:
    """Returns the patients of the set `name`; InputError naming the sets when unknown."""
    if name == ALL:
        return {p.patient_id for p in analysis.data.patients}
    if name == "evaluable":
        return evaluable_ids(analysis)
    if name == "safety":
        return safety_ids(analysis)
    found = {s.name: s for s in saved}.get(name)
    if found is None:
        known = ", ".join(set_names(saved))
        raise InputError(f"no analysis set {name!r} in the study (sets: {known})")
    if isinstance(found.recipe, MatchRecipe):
        present = {p.patient_id for p in analysis.data.patients}
        return {m.patient_id for m in found.members if m.patient_id in present}
    return subgroup_ids(analysis, found.recipe)


def analysis_of_set(
    analysis: StudyAnalysis, name: str, saved: Sequence[AnalysisSet]
) -> StudyAnalysis:
    """Returns the analysis restricted to the patients of the set `name`."""
    if name == ALL:
        return analysis
    return analysis.restricted_to(set_ids(analysis, name, saved))


def pair_numbers(name: str, saved: Sequence[AnalysisSet]) -> dict[str, int]:
    """Returns each member's pair number when `name` is a matched set (empty otherwise), the
    strata of a Cox model on matched pairs."""
    found = {s.name: s for s in saved}.get(name)
    if found is None or not isinstance(found.recipe, MatchRecipe):
        return {}
    return {m.patient_id: m.pair for m in found.members}
