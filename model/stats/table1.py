"""Table 1: baseline characteristics by group (analysis.md, `table1`).

Numeric variables: per group and overall n, mean, sd (n - 1), median, q1, q3 (R `quantile`
type 7), min and max; categorical ones: n and pct per level. Each variable gets its missing
counts, a test across groups (model.stats.group_tests) and, for exactly two groups, the
standardised mean difference (tableone's, Yang and Dalton 2012).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from model.stats.group_tests import contingency_test, kruskal_p, wilcoxon_p
from model.stats.patient_table import Column, PatientTable

#: The key of the whole table beside the groups' names (analysis.md, `table1`).
OVERALL = "overall"


def table1(table: PatientTable, variables: Sequence[str]) -> dict:
    """The `table1` JSON document for `variables` of `table`, grouped by its groups."""
    groups = list(table.groups)
    members = {g: np.array([v == g for v in table.group]) for g in groups}
    members[OVERALL] = np.ones(len(table.ids), dtype=bool)
    document = {
        "groups": groups,
        "n": {key: int(mask.sum()) for key, mask in members.items()},
        "variables": [],
    }
    for name in variables:
        column = table.columns[name]
        summarise = _numeric if column.kind == "numeric" else _categorical
        entry = {"name": name, "type": column.kind}
        entry.update(summarise(column, groups, members))
        document["variables"].append(entry)
    return document


def _missing(column: Column, members: dict[str, np.ndarray]) -> tuple[np.ndarray, dict]:
    """The mask of present values and the missing count per group and overall."""
    present = np.array([v is not None for v in column.values])
    return present, {key: int((mask & ~present).sum()) for key, mask in members.items()}


def _numeric(column: Column, groups: list[str], members: dict[str, np.ndarray]) -> dict:
    """Missing counts, summaries, test, p and SMD of a numeric variable."""
    present, missing = _missing(column, members)
    values = np.array([math.nan if v is None else v for v in column.values], dtype=float)
    samples = {key: values[mask & present] for key, mask in members.items()}
    summary = {key: numeric_summary(sample) for key, sample in samples.items()}
    test, p = numeric_test([samples[g] for g in groups if len(samples[g])])
    smd = None
    if len(groups) == 2:
        smd = numeric_smd(samples[groups[0]], samples[groups[1]])
    return {"missing": missing, "summary": summary, "test": test, "p": p, "smd": smd}


def numeric_summary(values: np.ndarray) -> dict:
    """n, mean, sd (n - 1), median, q1, q3 (type 7), min, max; null where undefined."""
    n = len(values)
    if n == 0:
        return dict.fromkeys(("mean", "sd", "median", "q1", "q3", "min", "max"), None) | {"n": 0}
    q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75], method="linear")
    return {
        "n": n,
        "mean": float(values.mean()),
        "sd": float(values.std(ddof=1)) if n > 1 else None,
        "median": float(median),
        "q1": float(q1),
        "q3": float(q3),
        "min": float(values.min()),
        "max": float(values.max()),
    }


def numeric_test(samples: list[np.ndarray]) -> tuple[str | None, float | None]:
    """Wilcoxon for two groups with values, Kruskal-Wallis for more; nulls otherwise."""
    if len(samples) < 2:
        return None, None
    if len(samples) == 2:
        p = wilcoxon_p(samples[0], samples[1])
        return ("wilcoxon", p) if p is not None else (None, None)
    p = kruskal_p(samples)
    return ("kruskal-wallis", p) if p is not None else (None, None)


def numeric_smd(first: np.ndarray, second: np.ndarray) -> float | None:
    """|mean1 - mean2| / sqrt((sd1^2 + sd2^2) / 2); None where undefined or 0 below."""
    if len(first) < 2 or len(second) < 2:
        return None
    denominator = math.sqrt((first.var(ddof=1) + second.var(ddof=1)) / 2)
    if denominator == 0:
        return None
    return abs(float(first.mean() - second.mean())) / denominator


def _categorical(column: Column, groups: list[str], members: dict[str, np.ndarray]) -> dict:
    """Missing counts, per-level n and pct, test, p and SMD of a categorical variable."""
    present, missing = _missing(column, members)
    levels = list(column.levels)
    code = {level: i for i, level in enumerate(levels)}
    codes = np.array([-1 if v is None else code[v] for v in column.values])
    counts = {
        key: np.bincount(codes[mask & present], minlength=len(levels))
        for key, mask in members.items()
    }
    rows = []
    for i, level in enumerate(levels):
        row: dict = {"level": level}
        for key, count in counts.items():
            total = int(count.sum())
            row[key] = {"n": int(count[i]), "pct": 100 * int(count[i]) / total if total else None}
        rows.append(row)
    entry = {"missing": missing, "levels": rows, "test": None, "p": None, "smd": None}
    if len(levels) > 1:
        table = np.array([counts[g] for g in groups]).T
        entry["test"], entry["p"] = contingency_test(table)
        if len(groups) == 2:
            entry["smd"] = categorical_smd(counts[groups[0]], counts[groups[1]])
    return entry


def categorical_smd(first: np.ndarray, second: np.ndarray) -> float | None:
    """SMD of level shares: sqrt(d' S^-1 d) over levels 2..k (Yang and Dalton 2012, R tableone).

    With two levels this is |p1 - p2| / sqrt((p1 (1 - p1) + p2 (1 - p2)) / 2). None when a
    group has no value, or S is singular.
    """
    if first.sum() == 0 or second.sum() == 0:
        return None
    p1 = first[1:] / first.sum()
    p2 = second[1:] / second.sum()
    covariance = (np.diag(p1) - np.outer(p1, p1) + np.diag(p2) - np.outer(p2, p2)) / 2
    difference = p1 - p2
    if np.linalg.matrix_rank(covariance) < len(difference):
        return None
    value = float(difference @ np.linalg.solve(covariance, difference))
    return math.sqrt(max(value, 0.0))
