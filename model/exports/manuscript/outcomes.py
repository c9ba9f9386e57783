"""The response table (best overall responses, ORR and DCR with exact CIs and the
between-arm tests) from the report summary, and the adverse-event table from the `ae`
document (issue 17, item 5; issue 18; shared/spec/analysis.md, `ae`)."""

from __future__ import annotations

from model.exports.manuscript import formatting as fmt
from model.exports.manuscript.table import Row, Span, Table

#: Best overall responses in the order a response table lists them (RECIST 1.1, 4.3-4.4;
#: iRECIST, Seymour et al. 2017); codes not listed here follow, sorted.
RESPONSE_ORDER = ("CR", "iCR", "PR", "iPR", "SD", "iSD", "NON-CR/NON-PD", "NON-iCR/NON-iUPD",
                  "PD", "iUPD", "iCPD", "NE", "NED", "not assessed")  # fmt: skip
#: Criteria as a reader of a paper names them.
CRITERIA_NAMES = {"recist1.1": "RECIST 1.1", "irecist": "iRECIST", "mrecist": "mRECIST"}
#: The `ae` document's grade keys and their column headers.
GRADE_COLUMNS = (("any_grade", "Any grade"), ("grade_1_2", "Grade 1\u20132"),
                 ("grade_3_4", "Grade 3\u20134"), ("grade_5", "Grade 5"))  # fmt: skip


def response_table(summary: dict, *, title: str = "Tumour response by arm") -> Table:
    """Per arm the best overall responses as n (%), ORR and DCR as n (%) with their exact
    95% CI, and the between-arm p, from the `report` summary (model.exports.report
    `study_summary`)."""
    arms = summary["arms"]
    tested = len(arms) > 1
    columns = tuple(f"{a['arm']} (n = {a['n']})" for a in arms) + ("p",) * tested
    blank = ("",) * tested
    rows = [Row("Best overall response, n (%)", ("",) * len(columns))]
    for code in _codes(arms):
        cells = [fmt.n_pct(a["best_response_counts"].get(code, 0), _pct(
            a["best_response_counts"].get(code, 0), a["n"])) for a in arms]  # fmt: skip
        rows.append(Row(code, (*cells, *blank), indent=1))
    comparisons = summary["comparisons"]
    for key, name in (("orr", "Objective response"), ("dcr", "Disease control")):
        p = (_comparison_p(comparisons[key]),) * tested
        counts = [fmt.n_pct(a[key]["k"], _pct(a[key]["k"], a["n"])) for a in arms]
        rows.append(Row(f"{name} ({key.upper()}), n (%)", (*counts, *p)))
        cis = [fmt.interval(a[key]["ci_low"], a[key]["ci_high"], 100) for a in arms]
        rows.append(Row("95% CI, %", (*cis, *blank), indent=1))
    return Table(title, "Response", columns, tuple(rows), _response_notes(summary))


def _codes(arms: list[dict]) -> list[str]:
    """The best overall responses any arm has, in RESPONSE_ORDER, unknown ones after."""
    present = {code for a in arms for code in a["best_response_counts"]}
    known = [c for c in RESPONSE_ORDER if c in present]
    return known + sorted(present - set(known))


def _pct(n: int, total: int) -> float | None:
    return 100 * n / total if total else None


def _comparison_p(comparison: dict | None) -> str:
    return fmt.p_value(None if comparison is None else comparison["p"])


def _response_notes(summary: dict) -> tuple[str, ...]:
    """Definitions of ORR and DCR, the CI and the between-arm tests."""
    study = summary["study"]
    criteria = CRITERIA_NAMES.get(study["criteria"], study["criteria"])
    confirmed = ", CR and PR confirmed at least 4 weeks later" if study["confirm"] else ""
    notes = [
        f"Best overall response by {criteria}{confirmed}. ORR: complete or partial response "
        "(CR + PR); DCR: CR, PR or stable disease (SD, or non-CR/non-PD). Percentages are "
        "of all patients of the arm, those without a best overall response (not assessed) "
        "included.",
        "95% CI: exact (Clopper-Pearson) confidence interval.",
    ]
    tests = {key: c["test"] for key in ("orr", "dcr") if (c := summary["comparisons"][key])}
    if tests and len(set(tests.values())) == 1:
        notes.append(f"p: {next(iter(tests.values()))} across arms.")
    elif tests:
        notes.append("p: " + "; ".join(f"{t} ({k.upper()})" for k, t in tests.items()) + ".")
    return tuple(notes)


def ae_table(
    document: dict, *, related: bool = False, title: str = "Adverse events by arm"
) -> Table:
    """The `ae` document as a table: per arm (a spanner) the patients with each term at
    any grade, grade 1-2, 3-4 and 5 as n (%), after a first row of any adverse event.
    `related` says the document counted only treatment-related events (`ae --related`)."""
    arms = document["arms"]
    spans = tuple(Span(f"{a['arm']} (n = {a['n']})", len(GRADE_COLUMNS)) for a in arms)
    columns = tuple(header for _ in arms for _, header in GRADE_COLUMNS)
    rows = [Row("Any adverse event", tuple(c for a in arms for c in _any_cells(a)))]
    for term in document["terms"]:
        cells = []
        for arm in arms:
            counts = term["arms"][arm["arm"]]
            cells += [fmt.n_pct(counts[k]["n"], counts[k]["pct"]) for k, _ in GRADE_COLUMNS]
        rows.append(Row(term["term"], tuple(cells)))
    notes = [
        "Patients are counted once per row, at the highest grade they had; n (%) of the "
        "patients of the arm."
    ]
    if related:
        notes.append(
            "Only events attributed to a treatment or procedure (attribution not blank and "
            "not 'unrelated')."
        )
    return Table(title, "Adverse event", columns, tuple(rows), tuple(notes), spans)


def _any_cells(arm: dict) -> list[str]:
    """The arm's patients with any AE by their highest grade: any, 1-2, 3-4 and 5, from its
    counts of any AE, grade 3 or higher and grade 5 (analysis.md, `ae`)."""
    n, g3, g5 = arm["any"]["n"], arm["grade_3_plus"]["n"], arm["grade_5"]["n"]
    return [fmt.n_pct(k, _pct(k, arm["n"])) for k in (n, n - g3, g3 - g5, g5)]
