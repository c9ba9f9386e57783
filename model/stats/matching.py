"""Propensity score matching (analysis.md, `match`).

The score is the fitted probability of a logistic regression by iteratively reweighted least
squares exactly as R `glm.fit(family = binomial())` runs it (its starting values, its clamped
logit, its deviance test `|dev - dev_old| / (|dev| + 0.1) < 1e-8`, at most 25 iterations).
Matching is 1:1 nearest neighbour without replacement, treated in descending order of score
(ties: file order), each taking the nearest unused control (ties: earlier in the file) when
within the caliper: R `MatchIt::matchit(method = "nearest", m.order = "largest")`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.errors import InputError, InputProblem
from model.stats.patient_table import PatientTable

#: R's glm.control() defaults.
GLM_EPSILON = 1e-8
GLM_MAXIT = 25
#: R's logit link clamps the linear predictor here (src/library/stats/src/family.c).
ETA_THRESHOLD = 30.0
DBL_EPSILON = float(np.finfo(float).eps)


@dataclass(frozen=True)
class Match:
    """The pairs (treated row, control row) in the order the treated were taken, and the
    treated rows left unmatched, as row indices."""

    pairs: tuple[tuple[int, int], ...]
    unmatched: tuple[int, ...]


def logistic_scores(design: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """Fitted probabilities of the logistic regression of `treated` (0/1) on `design`.

    `design` holds the intercept column. Rows with equal covariates get equal scores (the
    linear predictor is computed once per distinct row).
    """
    y = np.asarray(treated, dtype=float)
    x = np.asarray(design, dtype=float)
    mu = (y + 0.5) / 2
    eta = np.log(mu / (1 - mu))
    deviance = _deviance(y, mu)
    beta = np.zeros(x.shape[1])
    for _ in range(GLM_MAXIT):
        derivative = _mu_eta(eta)
        z = eta + (y - mu) / derivative
        w = np.sqrt(derivative)  # sqrt(mu_eta^2 / variance), variance = mu (1 - mu)
        beta = np.linalg.lstsq(x * w[:, None], z * w, rcond=None)[0]
        eta = x @ beta
        mu = _linkinv(eta)
        previous, deviance = deviance, _deviance(y, mu)
        if abs(deviance - previous) / (abs(deviance) + 0.1) < GLM_EPSILON:
            break
    distinct, inverse = np.unique(x, axis=0, return_inverse=True)
    return _linkinv(distinct @ beta)[inverse.ravel()]


def _linkinv(eta: np.ndarray) -> np.ndarray:
    """R's logit_linkinv: exp(eta) clamped to [eps, 1/eps] outside |eta| <= 30."""
    odds = np.exp(np.clip(eta, -ETA_THRESHOLD, ETA_THRESHOLD))
    odds = np.where(eta < -ETA_THRESHOLD, DBL_EPSILON, odds)
    odds = np.where(eta > ETA_THRESHOLD, 1 / DBL_EPSILON, odds)
    return odds / (1 + odds)


def _mu_eta(eta: np.ndarray) -> np.ndarray:
    """R's logit_mu_eta: exp(eta) / (1 + exp(eta))^2, eps outside |eta| <= 30."""
    odds = np.exp(np.clip(eta, -ETA_THRESHOLD, ETA_THRESHOLD))
    return np.where(np.abs(eta) > ETA_THRESHOLD, DBL_EPSILON, odds / (1 + odds) ** 2)


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """Binomial deviance of 0/1 outcomes."""
    return float(-2 * np.where(y == 1, np.log(mu), np.log(1 - mu)).sum())


def nearest_neighbour(scores: np.ndarray, treated: np.ndarray, caliper: float | None) -> Match:
    """1:1 greedy matching without replacement (analysis.md, `match`, "Matching")."""
    scores = np.asarray(scores, dtype=float)
    treated = np.asarray(treated, dtype=bool)
    treated_rows = np.flatnonzero(treated)
    order = treated_rows[np.lexsort((treated_rows, -scores[treated_rows]))]
    controls = _Controls(scores, np.flatnonzero(~treated))
    pairs, unmatched = [], []
    for row in order:
        found = controls.nearest(scores[row])
        if found is None or (caliper is not None and found[0] > caliper):
            unmatched.append(int(row))
            continue
        controls.take(found[1])
        pairs.append((int(row), int(controls.rows[found[1]])))
    return Match(tuple(pairs), tuple(unmatched))


class _Controls:
    """The controls sorted by (score, file order), with the unused ones found in near-constant
    time by two path-compressed "next unused" links, one each way."""

    def __init__(self, scores: np.ndarray, rows: np.ndarray):
        order = np.lexsort((rows, scores[rows]))
        self.rows = rows[order]
        self.scores = scores[self.rows]
        n = len(self.rows)
        self._right = list(range(n + 1))  # n: none to the right
        self._left = list(range(n + 1))  # position p + 1; 0: none to the left

    def _find(self, links: list[int], i: int) -> int:
        root = i
        while links[root] != root:
            root = links[root]
        while links[i] != root:
            links[i], i = root, links[i]
        return root

    def take(self, position: int) -> None:
        """Mark the control at `position` used."""
        self._right[position] = position + 1
        self._left[position + 1] = position

    def _first_unused_from(self, position: int) -> int | None:
        found = self._find(self._right, position)
        return None if found == len(self.rows) else found

    def nearest(self, score: float) -> tuple[float, int] | None:
        """(distance, position) of the nearest unused control, earliest in file on ties."""
        start = int(np.searchsorted(self.scores, score, side="left"))
        candidates = []
        right = self._first_unused_from(start)
        if right is not None:
            candidates.append((self.scores[right] - score, int(self.rows[right]), right))
        left = self._find(self._left, start) - 1  # the last unused position below `start`
        if left >= 0:
            block = int(np.searchsorted(self.scores, self.scores[left], side="left"))
            left = self._first_unused_from(block)  # the earliest row of equal score
            candidates.append((score - self.scores[left], int(self.rows[left]), left))
        if not candidates:
            return None
        distance, _, position = min(candidates)
        return float(distance), position


def smd(treated: np.ndarray, control: np.ndarray) -> float | None:
    """|mean_t - mean_c| / sqrt((var_t + var_c) / 2), variances n - 1; None if undefined."""
    if len(treated) < 2 or len(control) < 2:
        return None
    denominator = math.sqrt((treated.var(ddof=1) + control.var(ddof=1)) / 2)
    if denominator == 0 or not math.isfinite(denominator):
        return None
    return abs(float(treated.mean() - control.mean())) / denominator


def balance_row(values: np.ndarray, treated: np.ndarray, matched: np.ndarray) -> dict[str, object]:
    """Means per arm before (all rows) and after (matched rows) matching, and the SMDs."""
    before_t, before_c = values[treated], values[~treated]
    after_t, after_c = values[treated & matched], values[~treated & matched]
    return {
        "mean_before": {"treated": _mean(before_t), "control": _mean(before_c)},
        "mean_after": {"treated": _mean(after_t), "control": _mean(after_c)},
        "smd_before": smd(before_t, before_c),
        "smd_after": smd(after_t, after_c),
    }


def _mean(values: np.ndarray) -> float | None:
    return float(values.mean()) if len(values) else None


def design_matrix(
    columns: Sequence[tuple[str, str, Sequence, Sequence[str]]],
) -> tuple[np.ndarray, list[tuple[str, str | None]]]:
    """The intercept and one column per numeric covariate or non-reference level.

    `columns` holds (name, kind, values, levels) with levels[0] the reference; returns the
    matrix and each non-intercept column's (covariate, level or None).
    """
    n = len(columns[0][2]) if columns else 0
    blocks, terms = [np.ones(n)], []
    for name, kind, values, levels in columns:
        if kind == "numeric":
            blocks.append(np.asarray(values, dtype=float))
            terms.append((name, None))
            continue
        for level in levels[1:]:
            blocks.append(np.array([v == level for v in values], dtype=float))
            terms.append((name, level))
    return np.column_stack(blocks), terms


def match_document(
    table: PatientTable,
    treatment: str,
    treated_value: str,
    covariates: Sequence[str],
    *,
    caliper: float | None = None,
    caliper_sd: float | None = None,
) -> dict:
    """The `match` JSON document (analysis.md, `match`, "Output").

    `table` must hold `treatment` read as text (listed in its factors) and `covariates`.
    InputError when no row has the treated value, or no row used is treated or control.
    """
    arm = table.columns[treatment].values
    if treated_value not in arm:
        message = "no row has the --treated value"
        raise InputError(InputProblem(message, table.path, None, treatment, treated_value))
    complete = np.array([v is not None for v in arm])
    for name in covariates:
        complete &= np.array([v is not None for v in table.columns[name].values])
    used = np.flatnonzero(complete).tolist()
    treated = np.array([arm[i] == treated_value for i in used], dtype=bool)
    if treated.all() or not treated.any():
        side = "control" if treated.all() else "treated"
        message = f"no {side} row is left once rows with a missing value are left out"
        raise InputError(InputProblem(message, table.path, None, treatment, treated_value))
    design, terms = design_matrix([_used_column(table, c, used) for c in covariates])
    scores = logistic_scores(design, treated)
    width = caliper if caliper_sd is None else caliper_sd * float(np.std(scores, ddof=1))
    match = nearest_neighbour(scores, treated, width)
    matched = np.zeros(len(used), dtype=bool)
    for t, c in match.pairs:
        matched[[t, c]] = True
    ids = [table.ids[i] for i in used]
    balance = [
        {"covariate": name, "level": level, **balance_row(design[:, k + 1], treated, matched)}
        for k, (name, level) in enumerate(terms)
    ]
    balance.append({"covariate": "score", "level": None,
                    **balance_row(scores, treated, matched)})  # fmt: skip
    return {
        "n_treated": int(treated.sum()),
        "n_control": int((~treated).sum()),
        "dropped": len(table.ids) - len(used),
        "caliper": None if width is None else _finite(width),
        "scores": [
            {"id": ids[k], "treated": bool(treated[k]), "score": _finite(scores[k])}
            for k in range(len(used))
        ],
        "pairs": [
            {"pair": p, "treated": ids[t], "control": ids[c]}
            for p, (t, c) in enumerate(match.pairs, start=1)
        ],
        "unmatched_treated": [ids[t] for t in match.unmatched],
        "balance": balance,
    }


def _used_column(table: PatientTable, name: str, used: list[int]) -> tuple:
    """(name, kind, values, levels) over the rows used; levels absent there are dropped."""
    column = table.columns[name]
    values = [column.values[i] for i in used]
    present = set(values) if column.kind == "categorical" else set()
    levels = [level for level in column.levels if level in present]
    return name, column.kind, values, levels


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None
