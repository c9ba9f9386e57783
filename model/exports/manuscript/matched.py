"""The before/after table of a matched set (issue 18, item 1): for all patients and for the
matched set side by side, per arm n, ORR and DCR, median PFS, the log-rank test and the
hazard ratio of PFS, the Cox model on the arm, and the Cox model stratified on the pairs;
from `model.analyses.matched.comparison`."""

from __future__ import annotations

from model.exports.manuscript import formatting as fmt
from model.exports.manuscript.table import Row, Table

#: The two sides' column headers.
SIDES = (("before", "All patients"), ("after", "Matched set"))


def comparison_table(document: dict, *, title: str | None = None) -> Table:
    """Columns: all patients, the matched set; rows per arm then between arms."""
    arms = list(document["before"]["response"])
    rows = [Row("Patients, n", tuple(str(document[s]["n"]) for s, _ in SIDES))]
    for arm in arms:
        rows.append(Row(arm, ("",) * 2))
        for key, name in (("orr", "ORR, n (%)"), ("dcr", "DCR, n (%)")):
            rows.append(Row(name, tuple(_rate(document[s]["response"].get(arm), key)
                                        for s, _ in SIDES), indent=1))  # fmt: skip
        medians = tuple(_months(document[s]["km_pfs"]["medians"].get(arm)) for s, _ in SIDES)
        rows.append(Row("Median PFS, months", medians, indent=1))
    rows.append(Row("Between arms", ("",) * 2))
    for key, name in (("orr", "ORR, p"), ("dcr", "DCR, p")):
        rows.append(Row(name, tuple(fmt.p_value(document[s]["response_p"][key])
                                    for s, _ in SIDES), indent=1))  # fmt: skip
    rows.append(Row("PFS, log-rank p", tuple(fmt.p_value(document[s]["km_pfs"]["logrank_p"])
                                           for s, _ in SIDES), indent=1))  # fmt: skip
    rows.append(Row("PFS, Cox HR (95% CI)", tuple(_cox(document[s]["cox"]) for s, _ in SIDES),
                    indent=1))  # fmt: skip
    rows.append(Row("PFS, Cox HR stratified on pairs (95% CI)",
                    ("", _cox(document["cox_stratified"])), indent=1))  # fmt: skip
    rows.append(Row("PFS, Cox p", tuple(_cox_p(document[s]["cox"]) for s, _ in SIDES),
                    indent=1))  # fmt: skip
    rows.append(Row("PFS, stratified Cox p", ("", _cox_p(document["cox_stratified"])), indent=1))
    notes = (
        f"Matched set {document['set']!r}: {document['pairs']} propensity-score matched pairs.",
        f"HR of {arms[-1] if arms else ''} against {arms[0] if arms else ''} (Cox, Efron ties); "
        "the stratified model has a baseline hazard per matched pair.",
        "ORR/DCR p: the between-arm test of the response table.",
    )
    title = title or f"Before and after matching ({document['set']})"
    return Table(title, "", tuple(h for _, h in SIDES), tuple(rows), notes)


def _rate(response: dict | None, key: str) -> str:
    if response is None:
        return fmt.MISSING
    rate = response[f"{key}_rate"]
    return fmt.n_pct(response[key], None if rate is None else 100 * rate)


def _months(value: float | None) -> str:
    return "NR" if value is None else f"{value:.1f}"


def _arm_term(document: dict) -> dict | None:
    terms = document["models"][0]["terms"] if document["models"] else []
    return next((t for t in terms if t["covariate"] == "arm"), None)


def _cox(document: dict) -> str:
    term = _arm_term(document)
    if term is None:
        return fmt.MISSING
    return fmt.hr_ci(term["hazard_ratio"], term["hr_ci_low"], term["hr_ci_high"])


def _cox_p(document: dict) -> str:
    term = _arm_term(document)
    return fmt.MISSING if term is None else fmt.p_value(term["p"])
