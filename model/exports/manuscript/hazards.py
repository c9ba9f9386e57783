"""The Cox table (univariable screen beside the multivariable model) and the subgroup table,
built from the `cox` and `forest` documents (shared/spec/analysis.md, `cox` and `forest`;
issue 17, item 5)."""

from __future__ import annotations

from collections.abc import Mapping

from model.exports.manuscript import formatting as fmt
from model.exports.manuscript.table import Row, Span, Table

#: The hazard-ratio cell of a factor's reference level.
REFERENCE = "1 (reference)"
_NOT_ESTIMABLE_NOTE = "NE: not estimable (the coefficient grows without bound)."


def cox_table(
    document: dict | None = None,
    *,
    univariable: dict | None = None,
    references: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "Cox proportional-hazards models",
) -> Table:
    """HR (95% CI) and p per covariate: the multivariable model of `document` (a `cox`
    document of one model), beside the univariable screen of `univariable` (a `cox
    --univariable` document) when both are given. `references` names each factor's
    reference level, shown as a row of HR 1; ValueError when neither document is given."""
    models = []
    if univariable is not None:
        by_covariate = {m["covariates"][0]["covariate"]: m for m in univariable["models"]}
        models.append(("Univariable", by_covariate))
    if document is not None:
        (model,) = document["models"]
        models.append(("Multivariable", {c["covariate"]: model for c in model["covariates"]}))
    if not models:
        raise ValueError("cox_table needs a multivariable or a univariable document")
    covariates = list(dict.fromkeys(c for _, by in models for c in by))
    rows: list[Row] = []
    for covariate in covariates:
        rows += _covariate_rows(covariate, [by.get(covariate) for _, by in models],
                                references or {}, labels)  # fmt: skip
    columns = ("HR (95% CI)", "p") * len(models)
    spans = tuple(Span(name, 2) for name, _ in models) if len(models) > 1 else ()
    notes = _cox_notes(models, rows)
    return Table(title, "Covariate", columns, tuple(rows), notes, spans)


def _covariate_rows(
    covariate: str,
    models: list[dict | None],
    references: Mapping[str, str],
    labels: Mapping[str, str] | None,
) -> list[Row]:
    """One row for a numeric covariate; a factor's name (with its likelihood-ratio p when
    it has several indicators), its reference level and one row per other level."""
    terms = [[] if m is None else [t for t in m["terms"] if t["covariate"] == covariate]
             for m in models]  # fmt: skip
    name = fmt.label(covariate, labels)
    if any(t["level"] is None for ts in terms for t in ts):
        cells = [_term_cells(ts[0] if ts else None) for ts in terms]
        return [Row(name, tuple(c for pair in cells for c in pair))]
    header = []
    for model in models:
        test = None if model is None else _drop_test(model, covariate)
        several = test is not None and test["df"] > 1
        header += ["", fmt.p_value(test["p"]) if several else ""]
    rows = [Row(name, tuple(header))]
    if covariate in references:
        cells = [c for m in models for c in ((REFERENCE, "") if m is not None else ("", ""))]
        rows.append(Row(str(references[covariate]), tuple(cells), indent=1))
    levels = list(dict.fromkeys(t["level"] for ts in terms for t in ts))
    for level in levels:
        found = [next((t for t in ts if t["level"] == level), None) for ts in terms]
        cells = [c for t in found for c in _term_cells(t)]
        rows.append(Row(str(level), tuple(cells), indent=1))
    return rows


def _drop_test(model: dict, covariate: str) -> dict | None:
    return next((c for c in model["covariates"] if c["covariate"] == covariate), None)


def _term_cells(term: dict | None) -> tuple[str, str]:
    """HR (95% CI) and Wald p of a term; blanks when the model has no such term."""
    if term is None:
        return "", ""
    ci = fmt.hr_ci(term["hazard_ratio"], term["hr_ci_low"], term["hr_ci_high"])
    return ci, fmt.p_value(term["p"]) if term["hazard_ratio"] is not None else ""


def _cox_notes(models: list[tuple[str, dict]], rows: list[Row]) -> tuple[str, ...]:
    """Method, the patients and events of each model, NE, and the models' warnings."""
    notes = [
        "HR: hazard ratio; CI: confidence interval. Cox proportional-hazards models (Efron "
        "ties); 95% CI and p by the Wald test; for a factor of more than two levels, the p on "
        "its own row is the likelihood-ratio test of leaving it out. The HR of a numeric "
        "covariate is per unit."
    ]
    warnings = []
    for name, by_covariate in models:
        fitted = list({id(m): m for m in by_covariate.values()}.values())
        notes.append(f"{name}: {_sizes(fitted)}.")
        warnings += [f"{name}: {w}." for m in fitted for w in m["warnings"]]
    if any(fmt.NOT_ESTIMABLE in cell for row in rows for cell in row.cells):
        notes.append(_NOT_ESTIMABLE_NOTE)
    return tuple(notes + warnings)


def _sizes(models: list[dict]) -> str:
    """`n = 227 patients, 164 events[, 1 left out for a missing value][; stratified by X]`
    (ranges over the models of a univariable screen)."""

    def spread(key: str) -> str:
        values = sorted({m[key] for m in models})
        return f"{values[0]}" if len(values) == 1 else f"{values[0]} to {values[-1]}"

    text = f"n = {spread('n')} patients, {spread('events')} events"
    if any(m["dropped"] for m in models):
        text += f", {spread('dropped')} left out for a missing value"
    strata = {m["strata"] for m in models if m["strata"]}
    if strata:
        text += f"; stratified by {', '.join(sorted(strata))}"
    return text


def forest_table(
    document: dict,
    *,
    labels: Mapping[str, str] | None = None,
    title: str = "Hazard ratios within subgroups",
) -> Table:
    """The `forest` document as a table: per subgroup level the events/n of each group and
    the HR (95% CI) of the second group against the first with its p; per subgroup
    variable the p for interaction."""
    first, second = document["groups"]
    columns = (f"{first}, events/n", f"{second}, events/n", "HR (95% CI)", "p",
               "p for interaction")  # fmt: skip
    interaction = {t["subgroup"]: t["interaction_p"] for t in document["interactions"]}
    rows: list[Row] = []
    current = None
    for entry in document["rows"]:
        subgroup = entry["subgroup"]
        if subgroup is None:
            rows.append(Row("All patients", _forest_cells(entry, first, second)))
            continue
        if subgroup != current:
            cells = ("",) * 4 + (fmt.p_value(interaction.get(subgroup)),)
            rows.append(Row(fmt.label(subgroup, labels), cells))
            current = subgroup
        rows.append(Row(str(entry["level"]), _forest_cells(entry, first, second), indent=1))
    notes = (
        f"HR: hazard ratio of {second} against {first} (Cox model, Efron ties); CI: "
        "confidence interval; 95% CI and p by the Wald test.",
        "p for interaction: likelihood-ratio test of group \u00d7 subgroup (group + subgroup "
        "+ group:subgroup against group + subgroup) over the levels with a hazard ratio.",
        "NE: not estimable (a group absent from the level, or without an event there).",
    )
    return Table(title, "Subgroup", columns, tuple(rows), notes)


def _forest_cells(entry: dict, first: str, second: str) -> tuple[str, ...]:
    ratio = fmt.hr_ci(entry["hazard_ratio"], entry["hr_ci_low"], entry["hr_ci_high"])
    p = fmt.p_value(entry["p"]) if entry["hazard_ratio"] is not None else ""
    counts = [f"{entry['events'][g]}/{entry['n'][g]}" for g in (first, second)]
    return (*counts, ratio, p, "")
