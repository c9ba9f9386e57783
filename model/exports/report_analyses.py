"""The report's Table 1, Cox models and subgroup hazard ratios (issue 17, item 4).

The same documents as the Analysis page and the `table1`, `cox` and `forest`
commands (model/analyses/results.py, shared/spec/analysis.md), on all patients
and the study's analysis endpoint: Table 1 of every variable by arm, the
univariable screen beside the multivariable model of the study's
`cox_covariates` (default: the arm and every declared variable), and the
hazard ratios of the arms within each level of every categorical baseline
variable, with the interaction tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from model.analyses.results import AnalysisRequest, analyses_of_table, categorical_variables
from model.analyses.sets import ALL
from model.analyses.table import FIXED_FIELDS, analysis_table
from model.analysis import StudyAnalysis
from model.editing.analysis_sets import AnalysisSet


def analysis_section(analysis: StudyAnalysis, saved: Sequence[AnalysisSet] = ()) -> dict[str, Any]:
    """The summary's `analyses`: the documents, the covariates entered, each factor's
    reference level, and why any document is missing."""
    table = analysis_table(analysis, analysis_set=ALL, saved=saved, endpoint=None)
    subgroups = tuple(v for v in categorical_variables(table) if v not in FIXED_FIELDS)
    results = analyses_of_table(analysis, table, AnalysisRequest(subgroups=subgroups))
    return {
        "analyses": {
            "analysis_set": ALL,
            "endpoint": analysis.settings.analysis_endpoint,
            "covariates": list(results.covariates),
            "references": {n: c.reference for n, c in results.table.columns.items() if c.levels},
            "table1": results.table1,
            "cox_univariable": results.univariable,
            "cox_multivariable": results.multivariable,
            "forest": results.forest,
            "problems": list(results.problems),
        }
    }


def analysis_markdown(summary: dict[str, Any]) -> list[str]:
    """The summary.md lines of the analyses: the multivariable model's hazard ratios, and
    where the tables are."""
    section = summary.get("analyses")
    if not section:
        return []
    lines = ["", f"## Cox model of {section['endpoint']} (all patients)", ""]
    model = section["cox_multivariable"]
    for term in model["models"][0]["terms"] if model else []:
        name = term["covariate"] + ("" if term["level"] is None else f" = {term['level']}")
        hr, low, high = term["hazard_ratio"], term["hr_ci_low"], term["hr_ci_high"]
        shown = "not estimable" if hr is None else f"HR {hr:.2f} ({low:.2f}-{high:.2f})"
        lines.append(f"- {name}: {shown}, p {_p(term['p'])}")
    lines += [f"- {problem}" for problem in section["problems"]]
    lines += ["", "Table 1, the Cox screen beside the model and the subgroup hazard ratios:"
              " tables/table1, tables/cox, tables/forest (.docx, .xlsx, .csv)."]  # fmt: skip
    return lines


def _p(p: float | None) -> str:
    return "-" if p is None else ("< 0.001" if p < 0.001 else f"{p:.3f}")
