"""The report's before/after comparison of each matched set of the study (issue 18, item 1):
its recipe and pairs, the balance of its recipe (`match` document), and every analysis for
all patients and for the set (model/analyses/matched.py), as summary.json data, Markdown and
manuscript tables (balance, before/after, Table 1 before and after)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from model.analyses.matched import comparison, matched_sets, recipe_document
from model.analysis import StudyAnalysis
from model.editing.analysis_sets import AnalysisSet


def matched_sections(analysis: StudyAnalysis, saved: Sequence[AnalysisSet]) -> list[dict]:
    """One entry per matched set of `saved`, in their order (empty when there is none)."""
    sections = []
    for matched in matched_sets(saved):
        recipe = matched.recipe
        sections.append({
            "name": matched.name,
            "recipe": {"treated_arm": recipe.treated_arm, "covariates": list(recipe.covariates),
                       "caliper": recipe.caliper, "caliper_sd": recipe.caliper_sd,
                       "made_on": recipe.made_on.isoformat(), "made_by": recipe.made_by},
            "members": [{"patient_id": m.patient_id, "pair": m.pair} for m in matched.members],
            "match": recipe_document(analysis, matched),
            "comparison": comparison(analysis, matched, saved),
        })  # fmt: skip
    return sections


def matched_tables(sections: Sequence[dict]) -> dict[str, Any]:
    """Each set's manuscript tables (model.exports.manuscript.Table) by file name."""
    from model.exports.manuscript import (
        balance_table,
        comparison_table,
        cox_table,
        table1_table,
    )

    tables = {}
    for section in sections:
        slug = re.sub(r"[^A-Za-z0-9]+", "_", section["name"]).strip("_").lower() or "matched"
        result = section["comparison"]
        tables[f"matched_{slug}_balance"] = balance_table(section["match"])
        tables[f"matched_{slug}_before_after"] = comparison_table(result)
        for side, title in (
            ("before", "all patients"),
            ("after", f"matched set {section['name']}"),
        ):
            tables[f"matched_{slug}_table1_{side}"] = table1_table(
                result[side]["table1"], title=f"Table 1. Baseline characteristics, {title}"
            )
            if result[side]["cox_adjusted"] is not None:
                tables[f"matched_{slug}_cox_{side}"] = cox_table(
                    result[side]["cox_adjusted"], title=f"Cox model of PFS, {title}"
                )
    return tables


def matched_markdown(sections: Sequence[dict]) -> list[str]:
    """Each set's recipe, balance of the score and before/after table as Markdown lines."""
    from model.exports.manuscript import comparison_table

    lines = []
    for section in sections:
        recipe, document = section["recipe"], section["match"]
        caliper = document["caliper"]
        score = next(b for b in document["balance"] if b["covariate"] == "score")
        lines += ["", f"## Matched set {section['name']}", "",
                  f"{len(section['members']) // 2} pairs: {recipe['treated_arm']} against the "
                  f"other arms on {', '.join(recipe['covariates'])}; caliper "
                  f"{'none' if caliper is None else f'{caliper:.3g}'}; made {recipe['made_on']} "
                  f"by {recipe['made_by']}. SMD of the score {_number(score['smd_before'])} "
                  f"before, {_number(score['smd_after'])} after matching.", ""]  # fmt: skip
        if document["stale"]:
            lines += ["The data changed since the set was made: its recipe now gives other "
                      "pairs; the comparison is of the stored pairs.", ""]  # fmt: skip
        lines += table_markdown(comparison_table(section["comparison"]))
    return lines


def table_markdown(table) -> list[str]:
    """A manuscript table as Markdown lines (one header row, indents as spaces)."""
    lines = ["| " + " | ".join((table.stub, *table.columns)) + " |",
             "| --- |" + " --- |" * len(table.columns)]  # fmt: skip
    for row in table.rows:
        label = "\u2003" * row.indent + row.label
        lines.append("| " + " | ".join((label, *row.cells)) + " |")
    return lines


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
