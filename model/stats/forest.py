"""Hazard ratios within subgroups, with interaction tests (analysis contract, `forest`).

shared/spec/analysis.md, "`forest`: hazard ratios within subgroups": the Cox hazard ratio
(Efron ties, Wald CI and p as in `cox`) of the second group against the first over the
whole table, then within each level of each subgroup variable; and per variable the
likelihood-ratio test of `group + A + group:A` against `group + A` over the rows of the
levels that have a hazard ratio (R anova of the two coxph fits).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from model.errors import InputError, InputProblem
from model.stats.cox_fit import fit_cox
from model.stats.cox_models import chi2_p, term_entry
from model.stats.patient_table import PatientTable, survival_values


def forest_document(
    table: PatientTable, time: str, event: str, group: str, subgroups: Sequence[str]
) -> dict:
    """The `forest` command's JSON document; InputError unless there are exactly two groups
    and every subgroup variable is categorical."""
    _check(table, group, subgroups)
    times, events = survival_values(table, time, event)
    t, e = np.array(times, float), np.array(events, float)
    second = np.array([label == table.groups[1] for label in table.group], float)
    everyone = np.ones(len(table), bool)
    rows = [_row(table.groups, None, None, t, e, second, everyone)]
    interactions = []
    for name in subgroups:
        column = table.columns[name]
        values = np.array(column.values, object)
        with_hr = []
        for level in column.levels:
            row = _row(table.groups, name, level, t, e, second, values == level)
            rows.append(row)
            if row["hazard_ratio"] is not None:
                with_hr.append(level)
        interactions.append(_interaction(name, with_hr, values, t, e, second))
    return {"groups": list(table.groups), "rows": rows, "interactions": interactions}


def _check(table: PatientTable, group: str, subgroups: Sequence[str]) -> None:
    """InputError unless the group column has two groups and the subgroups are categorical."""
    problems = []
    if len(table.groups) != 2:
        found = ", ".join(table.groups)
        message = f"forest needs exactly two groups; the column has {len(table.groups)}: {found}"
        problems.append(InputProblem(message, table.path, None, group))
    for name in subgroups:
        if table.columns[name].kind == "numeric":
            message = "a numeric subgroup variable must be listed in --factors"
            problems.append(InputProblem(message, table.path, None, name))
    if problems:
        raise InputError(problems)


def _row(groups, subgroup, level, t, e, second, rows) -> dict:
    """One forest row: per group n and events, and the hazard ratio over `rows` (a mask)."""
    counts = [rows & (second == g) for g in (0, 1)]
    n = [int(c.sum()) for c in counts]
    deaths = [int(e[c].sum()) for c in counts]
    ratio = {"hazard_ratio": None, "hr_ci_low": None, "hr_ci_high": None, "p": None}
    if min(n) > 0 and min(deaths) > 0:
        ratio = _hazard_ratio(t[rows], e[rows], second[rows])
    return {
        "subgroup": subgroup,
        "level": level,
        "n": dict(zip(groups, n, strict=True)),
        "events": dict(zip(groups, deaths, strict=True)),
        **ratio,
    }


def _hazard_ratio(t, e, second) -> dict:
    """HR of the second group against the first with Wald CI and p; all null when the
    coefficient grows without bound (as in `cox`)."""
    term = term_entry(fit_cox(t, e, second[:, None]), 0, "group", None)
    return {key: term[key] for key in ("hazard_ratio", "hr_ci_low", "hr_ci_high", "p")}


def _interaction(name, levels, values, t, e, second) -> dict:
    """LR test of group + A + group:A against group + A over the levels with an HR."""
    if len(levels) < 2:
        return {"subgroup": name, "interaction_p": None, "df": None}
    rows = np.isin(values, levels)
    a = np.column_stack([values[rows] == level for level in levels[1:]]).astype(float)
    g = second[rows][:, None]
    small = fit_cox(t[rows], e[rows], np.hstack([g, a]))
    big = fit_cox(t[rows], e[rows], np.hstack([g, a, g * a]))
    # R's anova.coxphlist: |2 diff(loglik)| on |diff(df)| degrees of freedom.
    chi2, df = abs(2 * (big.loglik - small.loglik)), abs(big.df - small.df)
    return {"subgroup": name, "interaction_p": chi2_p(chi2, df), "df": df}
