"""Cox models on any covariates of a table of one row per patient (analysis contract, `cox`).

shared/spec/analysis.md, "`cox`: proportional hazards on any covariates": a categorical
covariate enters as indicators of its levels against the reference, rows missing the
time, the event, a covariate or the strata are left out, and each model reports per term
the coefficient, Wald CI and p (R summary.coxph), per covariate the likelihood-ratio test
of dropping it (R drop1(fit, test = "Chisq")) and the model's likelihood-ratio test
against the null model. The fit is model.stats.cox_fit (R coxph, Efron ties).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from model.errors import InputError, InputProblem
from model.stats.cox_fit import CoxFit, fit_cox
from model.stats.patient_table import PatientTable, survival_values

#: The normal quantile of the Wald 95 % interval (the contract's 1.959964).
Z_95 = 1.959964


@dataclass(frozen=True)
class Design:
    """Model rows and their covariate matrix: `terms` (covariate, level or None) per column,
    `spans` the columns of each covariate."""

    time: np.ndarray
    event: np.ndarray
    strata: np.ndarray | None
    x: np.ndarray
    terms: tuple[tuple[str, str | None], ...]
    spans: dict[str, slice]
    dropped: int


def cox_document(
    table: PatientTable,
    time: str,
    event: str,
    covariates: Sequence[str],
    *,
    strata: str | None = None,
    univariable: bool = False,
) -> dict:
    """The `cox` command's JSON document (analysis contract, `cox`)."""
    times, events = survival_values(table, time, event, allow_missing=True)
    sets = [[c] for c in covariates] if univariable else [list(covariates)]
    models = []
    for names in sets:
        design = design_matrix(table, times, events, names, strata)
        models.append({**model_summary(design), "strata": strata})
    return {"models": [_ordered(m) for m in models]}


def design_matrix(
    table: PatientTable,
    times: Sequence[float | None],
    events: Sequence[int | None],
    covariates: Sequence[str],
    strata: str | None = None,
) -> Design:
    """The rows complete for `covariates` (and time, event, strata) and their indicators.

    InputError if no row is complete or the complete rows have no event.
    """
    columns = [table.columns[c] for c in covariates]
    layer = table.columns[strata].values if strata else None
    # Masks over whole columns: a test of every covariate per row took 0.6 s for the
    # report's models at 20,000 patients (issue 19).
    complete = _present(times) & _present(events)
    for values in [c.values for c in columns] + ([layer] if strata else []):
        complete &= _present(values)
    rows = np.flatnonzero(complete)
    names = ", ".join(covariates)
    if not len(rows):
        raise InputError(InputProblem(f"no row is complete for the model of {names}", table.path))
    event_rows = np.array(events, object)[rows]
    if not any(event_rows):
        raise InputError(InputProblem(f"the rows used for {names} have no event", table.path))
    blocks, terms, spans = [], [], {}
    for column in columns:
        start = len(terms)
        if column.kind == "numeric":
            blocks.append(np.array(column.values, float)[rows][:, None])
            terms.append((column.name, None))
        else:
            values = np.array(column.values, object)[rows]
            for level in column.levels[1:]:
                blocks.append((values == level).astype(float)[:, None])
                terms.append((column.name, level))
        spans[column.name] = slice(start, len(terms))
    x = np.hstack(blocks) if blocks else np.zeros((len(rows), 0))
    codes = None
    if strata:
        codes = np.unique(np.array([str(layer[i]) for i in rows]), return_inverse=True)[1]
    return Design(
        time=np.array(times, float)[rows],
        event=event_rows.astype(float),
        strata=codes,
        x=x,
        terms=tuple(terms),
        spans=spans,
        dropped=len(table) - len(rows),
    )


def _present(values: Sequence) -> np.ndarray:
    """Which of `values` are not None."""
    return np.array([v is not None for v in values], bool)


def fit(design: Design, columns: np.ndarray | None = None) -> CoxFit:
    """The Cox fit of the design's rows on `columns` of its matrix (default: all)."""
    x = design.x if columns is None else design.x[:, columns]
    return fit_cox(design.time, design.event, x, design.strata)


def model_summary(design: Design) -> dict:
    """One model's entry of the `cox` document: terms, covariate LR tests, model LR test."""
    full = fit(design)
    terms, warnings = [], []
    for j, (covariate, level) in enumerate(design.terms):
        terms.append(term_entry(full, j, covariate, level))
        name = covariate if level is None else f"{covariate} = {level}"
        if full.singular[j]:
            warnings.append(
                f"{name}: redundant given the other terms in the rows used "
                "(R gives NA); coefficient not estimated"
            )
        elif full.infinite[j]:
            warnings.append(
                f"{name}: the coefficient grows without bound (monotone likelihood); "
                "hazard ratio, CI and p are null"
            )
    for covariate, span in design.spans.items():
        if span.start == span.stop:
            warnings.append(f"{covariate}: a single level, so no term; its df is 0")
    if not full.converged:
        warnings.append(f"the fit did not converge in {full.iterations} iterations")
    lr, lr_df = 2 * (full.loglik - full.loglik_null), full.df
    return {
        "n": full.n,
        "events": full.events,
        "dropped": design.dropped,
        "loglik": finite(full.loglik),
        "lr_chi2": finite(lr),
        "lr_df": lr_df,
        "lr_p": chi2_p(lr, lr_df),
        "terms": terms,
        "covariates": [drop_test(design, full, c) for c in design.spans],
        "warnings": warnings,
    }


def term_entry(model: CoxFit, j: int, covariate: str, level: str | None) -> dict:
    """A term's coefficient, SE, and (unless it is infinite) hazard ratio, Wald CI and p."""
    coef, se = float(model.coef[j]), float(model.se[j])
    entry = {"covariate": covariate, "level": level, "coef": finite(coef), "se": finite(se)}
    shown = not model.infinite[j] and math.isfinite(coef) and math.isfinite(se)
    return {
        **entry,
        "hazard_ratio": finite(_exp(coef)) if shown else None,
        "hr_ci_low": finite(_exp(coef - Z_95 * se)) if shown else None,
        "hr_ci_high": finite(_exp(coef + Z_95 * se)) if shown else None,
        "p": finite(2 * special.ndtr(-abs(coef / se))) if shown and se > 0 else None,
    }


def drop_test(design: Design, full: CoxFit, covariate: str) -> dict:
    """The LR test of the model without `covariate` against the full one (R drop1, Chisq)."""
    keep = np.ones(design.x.shape[1], bool)
    keep[design.spans[covariate]] = False
    reduced = fit(design, keep)
    # drop1 takes max(0, ...) of the change in deviance.
    chi2 = max(0.0, 2 * (full.loglik - reduced.loglik))
    df = full.df - reduced.df
    return {"covariate": covariate, "df": df, "p": chi2_p(chi2, df)}


def chi2_p(chi2: float, df: int) -> float | None:
    """Upper tail of the chi-square distribution (R pchisq(lower.tail = FALSE)); None at
    df 0 or a non-finite statistic."""
    if df <= 0 or not math.isfinite(chi2):
        return None
    # scipy.stats.chi2.sf is this function (1 at a negative statistic); scipy.stats itself
    # took 0.5-1 s to import for every report (issue 19).
    return finite(float(special.chdtrc(df, max(chi2, 0.0))))


def finite(value: float | None) -> float | None:
    """`value` as a float, or None where it is NaN or infinite (JSON has neither)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _exp(value: float) -> float:
    """exp() that gives inf rather than raising on overflow."""
    return math.inf if value > 709.78 else math.exp(value)


def _ordered(model: dict) -> dict:
    """A model entry with its keys in the contract's order."""
    keys = ("n", "events", "dropped", "strata", "loglik", "lr_chi2", "lr_df", "lr_p")
    rest = ("terms", "covariates", "warnings")
    return {k: model[k] for k in (*keys, *rest)}
