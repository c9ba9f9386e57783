"""A study as the flat table the analyses read: one row per patient of an analysis set
(issue 17; shared/design.md, "the analyses ... over a flat table of one row per patient").

The same `PatientTable` that the `table1`, `cox` and `forest` commands read from a CSV
(model/stats/patient_table.py), so that the app, `report` and the commands run the same
functions: the arm as the group, the study's reference arm first (setting `reference_arm`);
age, sex, histology and stage; every variable with its declared levels, the first the
reference; `time` and `event` of the chosen endpoint in the study's time unit; `pair` the
matched pair of a matched set.
"""

from __future__ import annotations

from collections.abc import Sequence

from model.analyses.sets import ALL, analysis_of_set, pair_numbers
from model.analysis import StudyAnalysis
from model.domain import DAYS_PER_UNIT, Variable, VariableType
from model.editing.analysis_sets import AnalysisSet
from model.errors import InputError
from model.rules.clinical import effective_variables, is_number, variable_values
from model.settings import ANALYSIS_ENDPOINTS
from model.stats.patient_table import Column, PatientTable
from model.stats.response_endpoints import duration_of_response, time_to_progression

#: The group column: each patient's arm.
ARM = "arm"
#: The endpoint's columns: time in the study's unit, event 1 or 0 (None: no such time, e.g.
#: a non-responder's duration of response).
TIME, EVENT = "time", "event"
#: The matched pair of a patient of a matched set (the strata of a Cox model on pairs).
PAIR = "pair"
#: The patients' own fields, numeric or categorical, as every study has them.
FIXED_FIELDS = {"age": "numeric", "sex": "categorical", "histology": "categorical",
                "stage": "categorical"}  # fmt: skip


def analysis_table(
    analysis: StudyAnalysis,
    *,
    analysis_set: str = ALL,
    saved: Sequence[AnalysisSet] = (),
    endpoint: str | None = None,
) -> PatientTable:
    """The flat table of the patients of `analysis_set` with the `endpoint` (default: the
    study's `analysis_endpoint`); InputError for an unknown set or endpoint."""
    endpoint = endpoint or analysis.settings.analysis_endpoint
    if endpoint not in ANALYSIS_ENDPOINTS:
        shown = ", ".join(ANALYSIS_ENDPOINTS)
        raise InputError(f"no endpoint {endpoint!r} (endpoints: {shown})")
    chosen = analysis_of_set(analysis, analysis_set, saved)
    patients = chosen.data.patients
    ids = tuple(p.patient_id for p in patients)
    arms = arm_order(chosen)
    arm_values = tuple(p.arm for p in patients)
    columns = {ARM: Column(ARM, "categorical", arm_values, arms, arm_values)}
    for name, kind in FIXED_FIELDS.items():
        values = tuple(getattr(p, name) for p in patients)
        columns[name] = _column(name, kind, values, ())
    values = [variable_values(p) for p in patients]
    found = ((name, text) for row in values for name, text in row.items())
    for variable in effective_variables(chosen.data.variables, found):
        if variable.name not in columns:
            column = [row.get(variable.name) for row in values]
            columns[variable.name] = _variable_column(variable, column)
    times, events = endpoint_values(chosen, endpoint)
    columns[TIME] = Column(TIME, "numeric", times, (), _texts(times))
    columns[EVENT] = Column(EVENT, "numeric", events, (), _texts(events))
    pairs = pair_numbers(analysis_set, saved)
    if pairs:
        pair = tuple(str(pairs[i]) if i in pairs else None for i in ids)
        levels = tuple(sorted({p for p in pair if p is not None}, key=int))
        columns[PAIR] = Column(PAIR, "categorical", pair, levels, pair)
    where = f"analysis set {analysis_set}"
    return PatientTable(where, ids, tuple(range(1, len(ids) + 1)), columns,
                        tuple(p.arm for p in patients), arms)  # fmt: skip


def arm_order(analysis: StudyAnalysis) -> tuple[str, ...]:
    """The arms in order of first appearance, the study's reference arm first (when it has
    patients here)."""
    arms = analysis.arms
    reference = analysis.settings.reference_arm
    if reference in arms:
        return (reference, *(a for a in arms if a != reference))
    return arms


def covariate_names(table: PatientTable) -> tuple[str, ...]:
    """The columns a model or Table 1 can take: arm, the patients' fields, the variables;
    columns with no value in the table left out."""
    skip = {TIME, EVENT, PAIR}
    return tuple(
        name
        for name, column in table.columns.items()
        if name not in skip and any(v is not None for v in column.values)
    )


def endpoint_values(
    analysis: StudyAnalysis, endpoint: str
) -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
    """Each patient's time (in the study's time unit) and event (1.0 or 0.0) of `endpoint`."""
    unit = DAYS_PER_UNIT[analysis.settings.time_unit]
    if endpoint in ("PFS", "OS"):
        attribute = endpoint.lower()
        found = {
            e.patient_id: (getattr(e, f"{attribute}_days"), getattr(e, f"{attribute}_event"))
            for e in analysis.endpoints
        }
    else:
        data, assessments = analysis.data, analysis.assessments
        if endpoint == "TTP":
            rows = time_to_progression(data, assessments, analysis.settings.origins)
        else:
            rows = duration_of_response(data, assessments)
        found = {r.patient_id: (r.days, r.event) for r in rows}
    pairs = [found.get(p.patient_id) for p in analysis.data.patients]
    times = tuple(None if f is None else f[0] / unit for f in pairs)
    events = tuple(None if f is None else float(f[1]) for f in pairs)
    return times, events


def _variable_column(variable: Variable, texts: list[str | None]) -> Column:
    """A variable's column: numeric, or categorical with its declared levels in order."""
    if variable.type is VariableType.NUMERIC:
        return _column(variable.name, "numeric", texts, ())
    return _column(variable.name, "categorical", texts, variable.levels)


def _column(name: str, kind: str, values: Sequence, levels: Sequence[str]) -> Column:
    """A column of `values` (None or blank: missing); a categorical one's levels are the
    declared ones, then any other value in code-point order (the contract's order)."""
    texts = tuple(_text(v) for v in values)
    if kind == "numeric":
        numbers = tuple(None if t is None or not is_number(t) else float(t) for t in texts)
        return Column(name, "numeric", numbers, (), texts)
    present = {t for t in texts if t is not None}
    ordered = (*(v for v in levels if v in present), *sorted(present - set(levels)))
    return Column(name, "categorical", texts, tuple(ordered), texts)


def _text(value: object) -> str | None:
    """The value as a cell's text, None when missing or blank."""
    if value is None:
        return None
    return str(value).strip() or None


def _texts(numbers: Sequence[float | None]) -> tuple[str | None, ...]:
    """The numbers as the cells of a CSV would hold them (for survival_values' checks)."""
    return tuple(None if n is None else repr(n) for n in numbers)
