"""The checks every edit of a patient's own fields, events and sizes runs: the rules an
import obeys (model/rules/records.py, model/rules/clinical.py), worded the same (issue 14).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from model.domain import EventRecord, PatientRecord
from model.errors import InputError
from model.rules.clinical import surgery_problems
from model.rules.records import (
    EVENT_DATE_ORDER,
    PATIENT_DATE_ORDER,
    age_problem,
    date_order_problems,
    diameter_problem,
    name_problem,
    text_problem,
)


def check_patient(record: PatientRecord) -> None:
    """Returns None; raises InputError when a patient's own fields break a rule an import
    obeys (model/rules/records.py), naming each field."""
    problems = [
        _named("patient_id", name_problem(record.patient_id)),
        _named("arm", name_problem(record.arm)),
        _named("age", age_problem(record.age), record.age),
        *(_named(f, text_problem(getattr(record, f))) for f in ("histology", "stage")),
        *_extra_problems(record.extra),
        *(_named(f, why) for f, why in date_order_problems(_dates(record), PATIENT_DATE_ORDER)),
    ]
    if record.sex not in (None, "F", "M"):
        problems.append(f"sex {record.sex!r} is not F, M or blank")
    _raise_any(record.patient_id, problems)


def check_event(record: EventRecord) -> None:
    """Returns None; raises InputError when an event breaks a rule an import obeys."""
    problems = [
        _named("kind", name_problem(record.kind)),
        _named("detail", text_problem(record.detail)),
        *_extra_problems(record.extra),
        *(_named(f, why) for f, why in date_order_problems(_dates(record), EVENT_DATE_ORDER)),
    ]
    values = {"kind": record.kind, "intent": record.intent, "margin": record.margin}
    surgery = surgery_problems(values | {"necrosis_pct": record.necrosis_pct})
    problems += [_named(column, message) for column, message in surgery]
    _raise_any(record.patient_id, problems)


def check_name(column: str, text: str, *, required: bool = True) -> None:
    """Returns None; raises InputError when `text` cannot name a `column` (lesion_id, reader,
    site, modality ...): blank when required, spaces at its ends, a control character."""
    _raise_any(None, [_named(column, name_problem(text, required=required))])


def _named(column: str, problem: str | None, value: object = None) -> str | None:
    if problem is None:
        return None
    return f"{column}{'' if value is None else f' {value}'}: {problem}"


def _extra_problems(extra: Mapping[str, str]) -> list[str | None]:
    return [_named(name, text_problem(value)) for name, value in extra.items()]


def _dates(record: object) -> dict[str, date | None]:
    pairs = (*PATIENT_DATE_ORDER, *EVENT_DATE_ORDER)
    return {name: getattr(record, name, None) for pair in pairs for name in pair}


def _raise_any(patient_id: str | None, problems: list[str | None]) -> None:
    found = [problem for problem in problems if problem]
    if found:
        where = f"{patient_id}: " if patient_id and patient_id.strip() else ""
        raise InputError(where + "; ".join(found))


def check_size(name: str, value: float | None) -> None:
    """Returns None; raises InputError when a size of `name` breaks the rule an import obeys."""
    problem = diameter_problem(value)
    if problem:
        raise InputError(f"{name} {value} mm: {problem}")
