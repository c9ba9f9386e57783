"""The paper's analyses of a study, run together on one analysis set and endpoint: Table 1,
the univariable Cox screen, the multivariable model and the subgroup hazard ratios (issue 17).

The Analysis page calls `run_analyses`, and `report` its second half, `analyses_of_table`,
on the table it built already; both run the commands' own
functions (model/stats/table1.py, cox_models.py, forest.py) on the study's flat table
(model/analyses/table.py): one copy of every number. A model that cannot be fitted (no
complete row, no event, one arm) is reported in words, and the other analyses still run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from model.analyses.sets import ALL
from model.analyses.table import ARM, EVENT, FIXED_FIELDS, TIME, analysis_table, covariate_names
from model.analysis import StudyAnalysis
from model.editing.analysis_sets import AnalysisSet
from model.errors import InputError
from model.stats.cox_models import cox_document
from model.stats.forest import forest_document
from model.stats.patient_table import PatientTable
from model.stats.table1 import table1


@dataclass(frozen=True)
class AnalysisRequest:
    """What to run: the set and endpoint (None: the study's setting), the Cox covariates
    (empty: the study's `cox_covariates`, else arm and every variable), each factor's
    reference level, the strata, the screen's p threshold for entering the multivariable
    model (None: every covariate enters), and the forest's subgroup variables."""

    analysis_set: str = ALL
    endpoint: str | None = None
    covariates: tuple[str, ...] = ()
    references: Mapping[str, str] = field(default_factory=dict)
    strata: str | None = None
    enter_p: float | None = None
    subgroups: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnalysisResults:
    """The documents of shared/spec/analysis.md for one request, and why any is missing."""

    table: PatientTable
    covariates: tuple[str, ...]
    table1: dict
    univariable: dict | None
    multivariable: dict | None
    forest: dict | None
    problems: tuple[str, ...] = ()


def default_covariates(analysis: StudyAnalysis, table: PatientTable) -> tuple[str, ...]:
    """The study's `cox_covariates` found in the table; if none: arm and every variable."""
    available = covariate_names(table)
    chosen = tuple(c for c in analysis.settings.cox_covariates if c in available)
    if chosen:
        return chosen
    return tuple(c for c in available if c not in FIXED_FIELDS)


def categorical_variables(table: PatientTable) -> tuple[str, ...]:
    """The categorical columns other than the arm: the forest's possible subgroups."""
    return tuple(
        n for n in covariate_names(table) if n != ARM and table.columns[n].kind == "categorical"
    )


def run_analyses(
    analysis: StudyAnalysis, saved: Sequence[AnalysisSet], request: AnalysisRequest
) -> AnalysisResults:
    """Table 1, the Cox screen and model and the forest of `request`; InputError only for an
    unknown set, endpoint or reference level."""
    table = analysis_table(analysis, analysis_set=request.analysis_set, saved=saved,
                           endpoint=request.endpoint)  # fmt: skip
    return analyses_of_table(analysis, table, request)


def analyses_of_table(
    analysis: StudyAnalysis, table: PatientTable, request: AnalysisRequest
) -> AnalysisResults:
    """`run_analyses` on `table`, the flat table of the request's set and endpoint already
    built (`report` reads its subgroups from it first: building it twice cost 0.4 s at
    20,000 patients, issue 19); InputError only for an unknown reference level."""
    table = with_references(table, request.references)
    covariates = request.covariates or default_covariates(analysis, table)
    problems: list[str] = []
    first = table1(table, [c for c in covariate_names(table) if c != ARM])
    screen = _attempt(problems, "univariable", lambda: cox_document(
        table, TIME, EVENT, covariates, strata=request.strata, univariable=True))  # fmt: skip
    entering = _entering(covariates, screen, request.enter_p)
    model = None
    if entering:
        model = _attempt(problems, "multivariable", lambda: cox_document(
            table, TIME, EVENT, entering, strata=request.strata))  # fmt: skip
    elif request.enter_p is not None:
        problems.append(f"no covariate has p < {request.enter_p:g} in the screen")
    forest = None
    if len(table.groups) == 2:
        forest = _attempt(problems, "forest", lambda: forest_document(
            table, TIME, EVENT, ARM, request.subgroups))  # fmt: skip
    else:
        problems.append(f"forest: the set has {len(table.groups)} arms; it needs two")
    return AnalysisResults(table, tuple(entering), first, screen, model, forest, tuple(problems))


def with_references(table: PatientTable, references: Mapping[str, str]) -> PatientTable:
    """The table with each named factor's reference level first; InputError for a level the
    factor does not have here."""
    columns = dict(table.columns)
    for name, level in references.items():
        column = columns.get(name)
        if column is None or level not in column.levels:
            found = ", ".join(column.levels) if column else "no such column"
            raise InputError(f"no level {level!r} of {name} to be its reference ({found})")
        levels = (level, *(v for v in column.levels if v != level))
        columns[name] = replace(column, levels=levels)
    groups = columns[ARM].levels if ARM in references else table.groups
    return replace(table, columns=columns, groups=groups)


def _entering(covariates: Sequence[str], screen: dict | None, enter_p: float | None) -> list:
    """The covariates of the multivariable model: all, or those whose screen p < enter_p."""
    if enter_p is None:
        return list(covariates)
    if screen is None:
        return []
    tests = [model["covariates"][0] for model in screen["models"]]
    return [t["covariate"] for t in tests if t["p"] is not None and t["p"] < enter_p]


def _attempt(problems: list[str], what: str, run):
    """The result of `run()`, or None with the InputError's message noted under `what`."""
    try:
        return run()
    except InputError as error:
        problems.append(f"{what}: {'; '.join(p.message for p in error.problems)}")
        return None
