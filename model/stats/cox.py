"""Cox proportional-hazards models (Efron ties) of survival tables, as R's coxph.

The fit itself is model/stats/cox_fit.py (hand-written, checked against R, and
faster than lifelines); this module builds the design matrix from a table and
reports each term with its hazard ratio, Wald interval and p. The public entry
points are `model.stats.survival.cox` and `cox_two_groups`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from model.errors import InputError, InputProblem
from model.stats.cox_fit import fit_cox as fit_efron

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class CoxTerm:
    """One Cox model term: coefficient, hazard ratio with Wald CI, z and p (None if infinite)."""

    name: str
    coefficient: float | None
    standard_error: float | None
    hazard_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p: float | None


@dataclass(frozen=True)
class CoxResult:
    """A fitted Cox proportional-hazards model (Efron ties).

    `converged` says whether one more Newton-Raphson step would change the log-likelihood
    by less than COX_EPSILON, relatively (the interchange spec's criterion).
    """

    terms: tuple[CoxTerm, ...]
    n: int
    n_events: int
    log_likelihood: float
    converged: bool
    alpha: float

    def term(self, name: str) -> CoxTerm:
        """The term called `name`; KeyError if the model has none."""
        for term in self.terms:
            if term.name == name:
                return term
        raise KeyError(name)


def design_matrix(
    data: pd.DataFrame | Mapping[str, object],
    duration: str,
    event: str,
    covariates: Sequence[str],
    references: Mapping[str, Hashable],
):
    """(covariate matrix, term names, durations, events) of the rows with every covariate.

    Numeric covariates enter as they are; other columns are dummy-coded against their
    reference level. Rows missing a covariate are left out, as R does.
    """
    if isinstance(data, Mapping) and all(isinstance(v, np.ndarray) for v in data.values()):
        return _array_design(data, duration, event, covariates, references)
    import pandas as pd

    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(dict(data))
    absent = [c for c in (duration, event, *covariates) if c not in frame.columns]
    if absent:
        raise InputError([InputProblem("no such column", column=str(c)) for c in absent])
    if not covariates:
        raise InputError("a Cox model needs at least one covariate")
    used = frame.loc[frame[list(covariates)].notna().all(axis=1)]
    if used.empty:
        raise InputError("no row has a value for every covariate")
    columns, names = [], []
    for covariate in covariates:
        values = used[covariate]
        if values.dtype.kind in "iuf":
            columns.append(values.to_numpy(dtype=float))
            names.append(str(covariate))
            continue
        levels = _levels(values, covariate, references.get(covariate))
        columns.extend((values == level).to_numpy(dtype=float) for level in levels[1:])
        names.extend(f"{covariate}[{level}]" for level in levels[1:])
    x = np.column_stack(columns)
    constant = [name for name, col in zip(names, x.T, strict=True) if col.min() == col.max()]
    if constant:
        raise InputError([InputProblem("covariate does not vary", column=c) for c in constant])
    return x, names, used[duration].to_numpy(), used[event].to_numpy()


def _array_design(
    data: Mapping[str, np.ndarray],
    duration: str,
    event: str,
    covariates: Sequence[str],
    references: Mapping[str, Hashable],
):
    """`design_matrix` of columns that are numpy arrays already, as pandas makes them of the
    same arrays, without importing pandas (0.35 s of every `report`, issue 19): a column of
    kind i, u or f is numeric, any other categorical with its levels in order of appearance;
    None and NaN are missing."""
    absent = [c for c in (duration, event, *covariates) if c not in data]
    if absent:
        raise InputError([InputProblem("no such column", column=str(c)) for c in absent])
    if not covariates:
        raise InputError("a Cox model needs at least one covariate")
    used = np.ones(len(data[duration]), bool)
    for covariate in covariates:
        used &= present(data[covariate])
    if not used.any():
        raise InputError("no row has a value for every covariate")
    columns, names = [], []
    for covariate in covariates:
        values = data[covariate][used]
        if values.dtype.kind in "iuf":
            columns.append(values.astype(float))
            names.append(str(covariate))
            continue
        levels = _ordered_levels(list(dict.fromkeys(values.tolist())), covariate,
                                 references.get(covariate))  # fmt: skip
        columns.extend((values == level).astype(float) for level in levels[1:])
        names.extend(f"{covariate}[{level}]" for level in levels[1:])
    x = np.column_stack(columns)
    constant = [name for name, col in zip(names, x.T, strict=True) if col.min() == col.max()]
    if constant:
        raise InputError([InputProblem("covariate does not vary", column=c) for c in constant])
    return x, names, data[duration][used], data[event][used]


def present(values: np.ndarray) -> np.ndarray:
    """Which values are not missing (pandas' notna of None and NaN)."""
    if values.dtype.kind == "f":
        return ~np.isnan(values)
    if values.dtype.kind != "O":
        return np.ones(values.shape, bool)
    return np.array([not (v is None or (isinstance(v, float) and math.isnan(v))) for v in values],
                    bool)  # fmt: skip


def _levels(values: pd.Series, covariate, reference) -> list:
    """Levels of a categorical covariate, the reference first."""
    if values.dtype.name == "category":
        levels = [c for c in values.cat.categories if (values == c).any()]
    else:
        levels = list(values.unique())
    return _ordered_levels(levels, covariate, reference)


def _ordered_levels(levels: list, covariate, reference) -> list:
    """The levels with the reference first; InputError if it is absent or only one level."""
    if reference is not None:
        if reference not in levels:
            raise InputError(
                InputProblem(
                    "reference level not found", column=str(covariate), value=str(reference)
                )
            )
        levels.remove(reference)
        levels.insert(0, reference)
    if len(levels) < 2:
        raise InputError(InputProblem("covariate has a single level", column=str(covariate)))
    return levels


def fit_cox(
    time: np.ndarray, status: np.ndarray, x: np.ndarray, names: list[str], alpha: float
) -> CoxResult:
    """The Cox model of checked durations and 0/1 events on the columns of `x` (R coxph).

    A coefficient that grows without bound (R: "coefficient may be infinite") is
    reported with every number None.
    """
    if not status.any():
        raise InputError("there are no events; the Cox model cannot be fitted")
    fit = fit_efron(time, status, x)
    if fit.singular.any():
        raise InputError("the covariates are collinear; the Cox model cannot be fitted")
    z_crit = float(special.ndtri(1 - alpha / 2))
    terms = []
    for name, coef, se, infinite in zip(names, fit.coef, fit.se, fit.infinite, strict=True):
        if infinite or not (np.isfinite(coef) and np.isfinite(se)):
            terms.append(CoxTerm(name, *[None] * 7))
            continue
        z = coef / se
        terms.append(
            CoxTerm(
                name,
                float(coef),
                float(se),
                float(np.exp(coef)),
                float(np.exp(coef - z_crit * se)),
                float(np.exp(coef + z_crit * se)),
                float(z),
                float(2 * special.ndtr(-abs(z))),
            )
        )
    return CoxResult(tuple(terms), fit.n, fit.events, fit.loglik, fit.converged, alpha)
