"""Saved analysis sets as values: a subgroup's recipe, a matched set's recipe and pairs, and
the edit that stores, renames or removes one (issue 17; shared/design.md, "analysis sets").

A subgroup is only its recipe (arms and filter words), its patients found afresh from the
study each time; a matched set keeps the patients matched and their pair numbers with the
recipe that made them (spec/analysis.md, `match`: "The app keeps a match as a named
analysis set"). Like model/editing/clinical.py, `Store.apply` writes a `SetAnalysisSet` in
one transaction and returns its exact inverse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from model.errors import InputError

#: The sets every study has, computed from its data (model/analyses/sets.py); no saved set
#: may take these names.
BUILT_IN_SETS = ("all", "evaluable", "safety")


class SetKind(StrEnum):
    """What a saved analysis set is."""

    SUBGROUP = "subgroup"
    MATCHED = "matched"


@dataclass(frozen=True)
class SubgroupRecipe:
    """Patients of `arms` (none: every arm) whom every word of `filters` matches
    (model/rules/filter_words.py: `ecog:1`, `histology:ASPS`, `pdl1:>=50`)."""

    arms: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchRecipe:
    """How a matched set was made: the treated arm against the others, on `covariates`,
    with a caliper (`caliper` an absolute width on the score, or `caliper_sd` times its SD;
    spec/analysis.md, `match`), on `made_on` by `made_by`."""

    treated_arm: str
    covariates: tuple[str, ...]
    made_on: date
    made_by: str
    caliper: float | None = None
    caliper_sd: float | None = None


@dataclass(frozen=True)
class SetMember:
    """A patient of a matched set and the number of their pair (1, 2, ...)."""

    patient_id: str
    pair: int


@dataclass(frozen=True)
class AnalysisSet:
    """A saved analysis set: its name, its recipe and, for a matched set, its members."""

    name: str
    recipe: SubgroupRecipe | MatchRecipe
    members: tuple[SetMember, ...] = ()

    @property
    def kind(self) -> SetKind:
        """Subgroup or matched, by the recipe."""
        return SetKind.MATCHED if isinstance(self.recipe, MatchRecipe) else SetKind.SUBGROUP


@dataclass(frozen=True)
class SetAnalysisSet:
    """Save, change, rename or remove the study's analysis set `name`.

    `analysis_set` None removes it; an `analysis_set.name` other than `name` renames it.
    `position` None keeps its place (a new one goes last); `uuid` None lets the store
    choose one. The inverse carries the previous set, place and UUID back.
    """

    name: str
    analysis_set: AnalysisSet | None
    position: int | None = None
    uuid: str | None = None


def set_problems(analysis_set: AnalysisSet) -> list[str]:
    """Returns what keeps `analysis_set` from being stored, in words (empty: nothing)."""
    problems = []
    name = analysis_set.name
    if not name.strip() or name != name.strip():
        problems.append(f"an analysis set needs a name without surrounding blanks: {name!r}")
    if name.strip().lower() in BUILT_IN_SETS:
        problems.append(f"{name!r} is a built-in analysis set ({', '.join(BUILT_IN_SETS)})")
    recipe = analysis_set.recipe
    if isinstance(recipe, SubgroupRecipe):
        bad = [word for word in recipe.filters if not word or word.split() != [word]]
        if bad:
            problems.append(f"a filter word is one word without blanks: {bad[0]!r}")
    if isinstance(recipe, MatchRecipe):
        problems += _match_problems(recipe, analysis_set.members)
    elif analysis_set.members:
        problems.append("a subgroup keeps no members: its recipe finds them")
    return problems


def check_set(analysis_set: AnalysisSet) -> None:
    """Returns None; raises InputError naming the set when it cannot be stored."""
    problems = set_problems(analysis_set)
    if problems:
        raise InputError(f"analysis set {analysis_set.name!r}: {'; '.join(problems)}")


def _match_problems(recipe: MatchRecipe, members: tuple[SetMember, ...]) -> list[str]:
    problems = []
    if not recipe.treated_arm:
        problems.append("a matched set needs its treated arm")
    if recipe.caliper is not None and recipe.caliper_sd is not None:
        problems.append("give the caliper as a width or in SDs, not both")
    for caliper in (recipe.caliper, recipe.caliper_sd):
        if caliper is not None and not caliper > 0:
            problems.append(f"caliper {caliper} is not positive")
    ids = [m.patient_id for m in members]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        problems.append(f"patients matched twice: {', '.join(repeated)}")
    if any(m.pair < 1 for m in members):
        problems.append("pair numbers start at 1")
    return problems


def recipe_json(analysis_set: AnalysisSet) -> str:
    """The set's recipe as the store keeps it (JSON, keys sorted)."""
    recipe = analysis_set.recipe
    if isinstance(recipe, MatchRecipe):
        fields = {
            "treated_arm": recipe.treated_arm,
            "covariates": list(recipe.covariates),
            "made_on": recipe.made_on.isoformat(),
            "made_by": recipe.made_by,
            "caliper": recipe.caliper,
            "caliper_sd": recipe.caliper_sd,
        }
    else:
        fields = {"arms": list(recipe.arms), "filters": list(recipe.filters)}
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def read_recipe(kind: str, text: str) -> SubgroupRecipe | MatchRecipe:
    """The recipe stored as `text` (recipe_json) for a set of `kind`."""
    fields = json.loads(text)
    if kind == SetKind.MATCHED:
        return MatchRecipe(
            fields["treated_arm"],
            tuple(fields["covariates"]),
            date.fromisoformat(fields["made_on"]),
            fields["made_by"],
            fields.get("caliper"),
            fields.get("caliper_sd"),
        )
    return SubgroupRecipe(tuple(fields["arms"]), tuple(fields["filters"]))
