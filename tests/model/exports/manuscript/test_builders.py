"""Manuscript tables built from the analysis documents (issue 17, item 5; issue 18).

Table 1 is built from R's own documents (tests/data/analysis/tables_reference.json), so each
cell is R's number as a journal prints it; the Cox, forest and balance tables from the
commands' documents, which tests/model/stats/ hold to R (cox_reference.csv,
tables_reference.json), and the cells below are R's values rounded by hand.
"""

import json

import pytest

import main
from model.exports.manuscript import (
    Row,
    Span,
    Table,
    ae_table,
    balance_table,
    cox_table,
    forest_table,
    response_table,
    table1_table,
)
from tests.model.stats.reference import DATA, REFERENCE

PBC_COX = ["--time", "time", "--event", "event", "--covariates", "age,bili,albumin,edema,sex,stage",
           "--factors", "edema,stage", "--ref", "stage=4"]  # fmt: skip


def document(capsys, *argv):
    assert main.main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def row(table, label, nth=0):
    found = [r for r in table.rows if r.label == label]
    return found[nth]


def test_table1_from_rs_pbc_document():
    """pbc by trt (R: mean, sd, quantile type 7, wilcox.test, chisq.test, tableone SMD)."""
    table = table1_table(REFERENCE["table1"]["pbc"])
    assert table.columns == ("1 (n = 158)", "2 (n = 154)", "Overall (n = 312)", "p", "SMD")
    age = row(table, "age, mean (SD)")
    assert age.cells == ("51.4 (11.0)", "48.6 (10.0)", "50.0 (10.6)", "0.02", "0.27")
    assert row(table, "Median [Q1, Q3]").cells[:3] == (
        "51.9 [43.0, 58.9]", "48.1 [41.4, 55.8]", "49.8 [42.2, 56.7]")  # fmt: skip
    assert row(table, "sex, n (%)").cells == ("", "", "", "0.33", "0.11")
    female = row(table, "f")
    assert (female.indent, female.cells[:3]) == (1, ("137 (86.7)", "139 (90.3)", "276 (88.5)"))
    assert row(table, "albumin, mean (SD)").cells[:3] == ("3.52 (0.44)", "3.52 (0.40)",
                                                         "3.52 (0.42)")  # fmt: skip
    assert row(table, "chol, mean (SD)").cells[2] == "370 (232)"
    assert row(table, "Missing, n").cells == ("18", "10", "28", "", "")
    assert table.footnotes[1] == (
        "p: Wilcoxon rank-sum test for numeric variables; Pearson's chi-square test for "
        "categorical variables."
    )


def test_table1_names_fishers_variables_and_drops_the_smd_beyond_two_groups():
    """lung (R fisher.test for ph_ecog); colon (three groups: Kruskal-Wallis, no SMD)."""
    lung = table1_table(REFERENCE["table1"]["lung"], labels={"wt_loss": "Weight loss, kg"})
    assert row(lung, "Weight loss, kg, mean (SD)").cells[3] == "0.03"
    note = lung.footnotes[1]
    assert "Fisher's exact test (ph_ecog)" in note and "expected count was below 5" in note
    colon = table1_table(REFERENCE["table1"]["colon"])
    assert colon.columns[-2:] == ("Overall (n = 929)", "p")
    assert row(colon, "sex, mean (SD)").cells[-1] == "0.03"
    assert "Kruskal-Wallis test for numeric variables" in colon.footnotes[1]
    assert not any("SMD" in note for note in colon.footnotes)


def test_cox_table_puts_the_univariable_screen_beside_the_multivariable_model(capsys):
    """pbc (R coxph, Efron; drop1): age HR exp(0.02660) = 1.03 (1.01-1.05), Wald p 0.00565;
    edema's LR p 0.00282; stage 1 against 4: 0.11 (0.014-0.79), p 0.028."""
    multi = document(capsys, "cox", str(DATA / "pbc.csv"), *PBC_COX)
    uni = document(capsys, "cox", str(DATA / "pbc.csv"), *PBC_COX, "--univariable")
    table = cox_table(multi, univariable=uni, references={"edema": "0", "stage": "4"})
    assert table.spans == (Span("Univariable", 2), Span("Multivariable", 2))
    assert row(table, "age").cells[2:] == ("1.03 (1.01\u20131.05)", "0.006")
    assert row(table, "bili").cells[3] == "<0.001"
    assert row(table, "edema").cells == ("", "<0.001", "", "0.003")
    assert row(table, "0").cells == ("1 (reference)", "", "1 (reference)", "")
    assert row(table, "1", nth=1).cells[2:] == ("0.11 (0.014\u20130.79)", "0.03")
    assert row(table, "sex").cells == ("", "", "", "")  # two levels: the Wald p on the level
    assert row(table, "m").cells[3] == "0.04"
    assert "Multivariable: n = 312 patients, 125 events." in table.footnotes


def test_cox_table_marks_a_diverging_coefficient_not_estimable(capsys):
    """monotone.csv: cohort C has no event, so its HR grows without bound (analysis.md)."""
    doc = document(capsys, "cox", str(DATA / "monotone.csv"), "--time", "time", "--event",
                   "event", "--covariates", "cohort,karno")  # fmt: skip
    table = cox_table(doc)
    assert row(table, "C").cells == ("NE", "")
    assert any(note.startswith("NE: not estimable") for note in table.footnotes)
    assert any("grows without bound" in note for note in table.footnotes[2:])
    with pytest.raises(ValueError):
        cox_table()


def test_forest_table_from_pbc(capsys):
    """R coxph within levels: all 0.944 (0.665-1.342) p 0.749; sex interaction p 0.323;
    stage 1 has no event in trt 2, so no hazard ratio."""
    doc = document(capsys, "forest", str(DATA / "pbc.csv"), "--time", "time", "--event",
                   "event", "--group", "trt", "--subgroups", "sex,edema,stage",
                   "--factors", "edema,stage")  # fmt: skip
    table = forest_table(doc, labels={"sex": "Sex"})
    assert table.columns[:2] == ("1, events/n", "2, events/n")
    assert row(table, "All patients").cells == ("65/158", "60/154", "0.94 (0.66\u20131.34)",
                                                "0.75", "")  # fmt: skip
    assert row(table, "Sex").cells[-1] == "0.32"
    assert row(table, "m").cells[:4] == ("14/21", "8/15", "0.66 (0.28\u20131.60)", "0.36")
    assert row(table, "1", nth=1).cells[2:4] == ("NE", "")
    assert table.footnotes[0].startswith("HR: hazard ratio of 2 against 1")


def test_balance_table_from_lalonde(capsys):
    """MatchIt's lalonde, caliper 0.01 (tables_reference.json, caliper_abs)."""
    doc = document(capsys, "match", str(DATA / "match_lalonde.csv"), "--treatment", "treat",
                   "--treated", "1", "--covariates",
                   "age,educ,race,married,nodegree,re74,re75", "--caliper", "0.01")  # fmt: skip
    ref = {b["term"]: b for b in REFERENCE["match"]["caliper_abs"]["balance"]}
    table = balance_table(doc)
    pairs = len(REFERENCE["match"]["caliper_abs"]["pairs"])
    assert table.columns[3:5] == (f"Treated (n = {pairs})", f"Control (n = {pairs})")
    assert table.spans == (Span("Before matching", 3), Span("After matching", 3))
    age = ref["age"]
    assert row(table, "age").cells == (
        f"{age['mean_before']['treated']:.1f}", f"{age['mean_before']['control']:.1f}",
        f"{age['smd_before']:.2f}", f"{age['mean_after']['treated']:.1f}",
        f"{age['mean_after']['control']:.1f}", f"{age['smd_after']:.2f}")  # fmt: skip
    assert row(table, "age").cells[:3] == ("25.8", "28.0", "0.24")
    white = ref["racewhite"]
    assert row(table, "race, %").cells == ("",) * 6
    assert row(table, "white").cells[:2] == ("9.7", "65.5")
    assert row(table, "white").cells[4] == f"{100 * white['mean_after']['control']:.1f}"
    assert row(table, "Propensity score").cells[2] == f"{ref['score']['smd_before']:.2f}"
    assert "within a caliper of 0.01" in table.footnotes[2]


def test_ae_table_spans_each_arm_over_its_grades():
    """Patients at their highest grade (analysis.md, `ae`); the first row splits any AE into
    grades 1-2, 3-4 and 5 from the arm's counts."""
    count = lambda n, total: {"n": n, "pct": 100 * n / total}  # noqa: E731
    doc = {
        "arms": [
            {"arm": "ICI", "n": 3, "any": count(2, 3), "grade_3_plus": count(1, 3),
             "grade_5": count(0, 3)},
            {"arm": "Combo", "n": 2, "any": count(2, 2), "grade_3_plus": count(2, 2),
             "grade_5": count(1, 2)},
        ],
        "terms": [{"term": "Fever", "arms": {
            "ICI": {"any_grade": count(2, 3), "grade_1_2": count(1, 3),
                    "grade_3_4": count(1, 3), "grade_5": count(0, 3)},
            "Combo": {"any_grade": count(0, 2), "grade_1_2": count(0, 2),
                      "grade_3_4": count(0, 2), "grade_5": count(0, 2)}}}],
    }  # fmt: skip
    table = ae_table(doc, related=True)
    assert table.spans == (Span("ICI (n = 3)", 4), Span("Combo (n = 2)", 4))
    assert table.columns[:4] == ("Any grade", "Grade 1\u20132", "Grade 3\u20134", "Grade 5")
    assert row(table, "Any adverse event").cells == (
        "2 (66.7)",
        "1 (33.3)",
        "1 (33.3)",
        "0",
        "2 (100.0)",
        "0",
        "1 (50.0)",
        "1 (50.0)",
    )
    assert row(table, "Fever").cells[:4] == ("2 (66.7)", "1 (33.3)", "1 (33.3)", "0")
    assert "not 'unrelated'" in table.footnotes[1]


def test_response_table_from_the_report_summary(summary):
    """Arm A: PR, SD, PD; arm B: CR, PR (tests/model/exports/test_report.py). ORR 1/3 with
    R's binom.test(1, 3) interval 0.84-90.57 %; Fisher's exact test across arms."""
    table = response_table(summary)
    assert table.columns == ("A (n = 3)", "B (n = 2)", "p")
    assert [r.label for r in table.rows[1:5]] == ["CR", "PR", "SD", "PD"]
    assert row(table, "CR").cells == ("0", "1 (50.0)", "")
    orr = row(table, "Objective response (ORR), n (%)")
    assert orr.cells[:2] == ("1 (33.3)", "2 (100.0)")
    assert orr.cells[2] == f"{summary['comparisons']['orr']['p']:.2f}"
    assert row(table, "95% CI, %").cells[0] == "0.8\u201390.6"
    assert "p: Fisher's exact test across arms." in table.footnotes
    assert table.footnotes[0].startswith("Best overall response by RECIST 1.1.")


def test_a_row_that_does_not_fit_its_columns_is_refused():
    with pytest.raises(ValueError, match="has 1 cells for 2 columns"):
        Table("T", "", ("a", "b"), (Row("x", ("1",)),))
    with pytest.raises(ValueError, match="spanners"):
        Table("T", "", ("a", "b"), (), spans=(Span("s", 3),))
