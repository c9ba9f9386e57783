"""`report` gains Table 1, the Cox screen and model, and the subgroup hazard ratios (issue 17,
item 4), the same documents as the `table1`, `cox` and `forest` commands."""

from __future__ import annotations

from docx import Document

from model.analysis import analyse
from model.demo.cohort import demo_study
from model.exports.report import study_summary, summary_markdown
from model.exports.report_outcomes import write_report_tables
from model.settings import StudySettings


def test_the_summary_holds_table1_the_cox_models_and_the_forest_on_the_demo(tmp_path):
    summary = study_summary(analyse(demo_study(213), StudySettings()))
    section = summary["analyses"]
    names = [v["name"] for v in section["table1"]["variables"]]
    assert "histology_group" in names and "ecog" in names
    (model,) = section["cox_multivariable"]["models"]
    multivariable = {t["covariate"] for t in model["terms"]}
    assert {"arm", "histology_group", "ecog"} <= multivariable
    screen = [m["terms"][0]["covariate"] for m in section["cox_univariable"]["models"]]
    assert screen[0] == "arm" and "histology_group" in screen
    subgroups = {i["subgroup"] for i in section["forest"]["interactions"]}
    assert {"histology_group", "ecog"} <= subgroups
    levels = [r["level"] for r in section["forest"]["rows"] if r["subgroup"] == "histology_group"]
    assert len(levels) == 3  # ICI-sensitive, intermediate, ICI-resistant
    assert "## Cox model of PFS (all patients)" in summary_markdown(summary)
    written = {p.name for p in write_report_tables(summary, tmp_path)}
    assert {"table1.docx", "cox.docx", "forest.docx", "cox.csv", "forest.xlsx"} <= written
    (table,) = Document(str(tmp_path / "cox.docx")).tables
    assert "arm" in "".join(cell.text for cell in table.columns[0].cells)
