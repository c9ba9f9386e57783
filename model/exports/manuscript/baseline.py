"""Table 1 and the matched balance table, built from the `table1` and `match` documents
(shared/spec/analysis.md, `table1` and `match`; issue 17, item 5)."""

from __future__ import annotations

from collections.abc import Mapping

from model.exports.manuscript import formatting as fmt
from model.exports.manuscript.table import Row, Span, Table

#: The contract's test keys and their names in a footnote (analysis.md, `table1`).
TEST_NAMES = {
    "chi-square": "Pearson's chi-square test",
    "fisher": "Fisher's exact test",
    "wilcoxon": "Wilcoxon rank-sum test",
    "kruskal-wallis": "Kruskal-Wallis test",
}
#: The default test of each variable type; a footnote names the variables of any other.
USUAL_TEST = {"numeric": ("wilcoxon", "kruskal-wallis"), "categorical": ("chi-square",)}
#: The key of the whole table beside the groups in the `table1` document.
OVERALL = "overall"


def table1_table(
    document: dict,
    *,
    labels: Mapping[str, str] | None = None,
    title: str = "Table 1. Baseline characteristics",
) -> Table:
    """Table 1 from the `table1` document: per group and overall, mean (SD) and median
    [Q1, Q3] of numeric variables, n (%) per level of categorical ones, missing counts,
    p (the test named in a footnote) and, for two groups, the SMD."""
    groups = list(document["groups"])
    keys = [*groups, OVERALL]
    tested, with_smd = len(groups) > 1, len(groups) == 2
    columns = [f"{g} (n = {document['n'][g]})" for g in groups]
    columns += [f"Overall (n = {document['n'][OVERALL]})"]
    columns += ["p"] * tested + ["SMD"] * with_smd
    rows: list[Row] = []
    for variable in document["variables"]:
        name = fmt.label(variable["name"], labels)
        tail = [fmt.p_value(variable["p"])] * tested + [fmt.smd(variable["smd"])] * with_smd
        blank = [""] * len(tail)
        if variable["type"] == "numeric":
            rows += _numeric_rows(name, variable, keys, tail, blank)
        else:
            rows.append(Row(f"{name}, n (%)", tuple([""] * len(keys) + tail)))
            for level in variable["levels"]:
                cells = [fmt.n_pct(level[k]["n"], level[k]["pct"]) for k in keys]
                rows.append(Row(str(level["level"]), tuple(cells + blank), indent=1))
        if variable["missing"][OVERALL]:
            cells = [str(variable["missing"][k]) for k in keys]
            rows.append(Row("Missing, n", tuple(cells + blank), indent=1))
    return Table(title, "Characteristic", tuple(columns), tuple(rows), _table1_notes(document))


def _numeric_rows(name: str, variable: dict, keys: list[str], tail: list, blank: list) -> list:
    """A numeric variable's mean (SD) row, with p and SMD, and its median [Q1, Q3] row."""
    summary = variable["summary"]
    overall = summary[OVERALL]
    # Three significant digits of the larger of |mean| and SD: 50.0 (10.6), 3.52 (0.42).
    decimals = fmt.decimals_for(max(abs(overall["mean"] or 0), overall["sd"] or 0))
    means = [fmt.mean_sd(summary[k]["mean"], summary[k]["sd"], decimals) for k in keys]
    medians = [
        fmt.median_iqr(summary[k]["median"], summary[k]["q1"], summary[k]["q3"], decimals)
        for k in keys
    ]
    return [
        Row(f"{name}, mean (SD)", tuple(means + tail)),
        Row("Median [Q1, Q3]", tuple(medians + blank), indent=1),
    ]


def _table1_notes(document: dict) -> tuple[str, ...]:
    """What the numbers are, the tests used (with the variables of any unusual one) and
    the SMD."""
    notes = [
        "Numeric variables: mean (SD) and median [first quartile, third quartile]; "
        "categorical variables: n (%) of the patients with a value."
    ]
    tests = _test_note(document["variables"])
    if tests:
        notes.append(tests)
    if len(document["groups"]) == 2:
        notes.append(
            "SMD: standardised mean difference, |mean1 \u2212 mean2| / \u221a((SD1\u00b2 + "
            "SD2\u00b2) / 2); for a categorical variable of more than two levels, the "
            "multivariate SMD of Yang and Dalton (2012)."
        )
    return tuple(notes)


def _test_note(variables: list[dict]) -> str:
    """`p: ...` naming each test used: by type where it is the usual test of that type for
    every variable, else with the variables it was used for."""
    used: dict[str, list[str]] = {}
    for variable in variables:
        if variable["test"]:
            used.setdefault(variable["test"], []).append(variable["name"])
    parts = []
    for test, names in used.items():
        kind = "numeric" if test in USUAL_TEST["numeric"] else "categorical"
        others = [v for v in variables if v["type"] == kind and v["test"] and v["test"] != test]
        name = TEST_NAMES.get(test, test)
        if test in USUAL_TEST[kind] and not others:
            parts.append(f"{name} for {kind} variables")
        else:
            parts.append(f"{name} ({', '.join(names)})")
    if any(v["test"] == "fisher" for v in variables):
        parts.append("Fisher's test where an expected count was below 5")
    return f"p: {'; '.join(parts)}." if parts else ""


def balance_table(
    document: dict,
    *,
    labels: Mapping[str, str] | None = None,
    title: str = "Covariate balance before and after propensity score matching",
) -> Table:
    """The balance of the `match` document: per covariate (per level of a categorical one)
    the treated and control means (% for a level) and the SMD, before and after matching."""
    pairs = len(document["pairs"])
    columns = (
        f"Treated (n = {document['n_treated']})",
        f"Control (n = {document['n_control']})",
        "SMD",
        f"Treated (n = {pairs})",
        f"Control (n = {pairs})",
        "SMD",
    )
    rows: list[Row] = []
    shown_header = None
    for entry in document["balance"]:
        covariate = entry["covariate"]
        if entry["level"] is None:
            name = "Propensity score" if covariate == "score" else fmt.label(covariate, labels)
            rows.append(Row(name, _balance_cells(entry, share=False)))
            continue
        if covariate != shown_header:
            rows.append(Row(f"{fmt.label(covariate, labels)}, %", ("",) * 6))
            shown_header = covariate
        rows.append(Row(str(entry["level"]), _balance_cells(entry, share=True), indent=1))
    spans = (Span("Before matching", 3), Span("After matching", 3))
    return Table(title, "Covariate", columns, tuple(rows), _balance_notes(document), spans)


def _balance_cells(entry: dict, *, share: bool) -> tuple[str, ...]:
    """Treated mean, control mean, SMD before and after; a share as % with one decimal."""
    cells = []
    for when in ("before", "after"):
        means = entry[f"mean_{when}"]
        values = [means["treated"], means["control"]]
        if share:
            texts = [fmt.fixed(None if v is None else 100 * v, 1) for v in values]
        else:
            decimals = fmt.decimals_for(max((abs(v) for v in values if v is not None), default=0))
            texts = [fmt.fixed(v, decimals) for v in values]
        cells += [*texts, fmt.smd(entry[f"smd_{when}"])]
    return tuple(cells)


def _balance_notes(document: dict) -> tuple[str, ...]:
    """What the values are, the SMD's formula and how the match was made."""
    caliper = document["caliper"]
    how = "without a caliper" if caliper is None else f"within a caliper of {caliper:.3g}"
    notes = [
        "Values are means; for a level of a categorical covariate, the % of patients at "
        "that level (its reference level is left out).",
        "SMD: standardised mean difference, |mean treated \u2212 mean control| / "
        "\u221a((variance treated + variance control) / 2), variances within the sample "
        "shown.",
        "Propensity score: logistic regression of treatment on the covariates; 1:1 "
        f"nearest-neighbour matching without replacement {how} on the score.",
    ]
    unmatched, dropped = len(document["unmatched_treated"]), document["dropped"]
    if unmatched or dropped:
        notes.append(
            f"{unmatched} treated patient(s) left unmatched; {dropped} patient(s) left out "
            "for a missing value."
        )
    return tuple(notes)
