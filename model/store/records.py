"""Rows of the study file turned into the domain's records (model/domain.py,
model/editing/edits.py).

The SELECTs that produce these rows live in model/store/reads.py; each
function here takes one row in the column order its SELECT names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from model.domain import (
    AdverseEvent,
    EventRecord,
    MeasurementColumns,
    PatientRecord,
    Role,
    Status,
    Variable,
    VariableType,
)

ROLES = {role.value: role for role in Role}
STATUSES = {status.value: status for status in Status}

#: Columns of patients that make a PatientRecord, in its field order; the `x_` fields are
#: the patient's variable values (patient_values, issue 16), in the order they were written.
PATIENT_COLUMNS = (
    "p.patient_id, p.start_date, p.arm, p.last_contact_date, p.death_date,"
    " p.sex, p.age, p.histology, p.stage,"
    " (SELECT json_group_object('x_' || v.name, v.value) FROM patient_values v"
    " WHERE v.patient_uuid = p.uuid)"
)

#: Columns of events that make an EventRecord, with the patient's id first (alias e, p).
EVENT_COLUMNS = (
    "p.patient_id, e.kind, e.start_date, e.end_date, e.detail, e.extra,"
    " e.intent, e.margin, e.necrosis_pct"
)

#: Columns of adverse_events that make an AdverseEvent (alias a, p).
ADVERSE_EVENT_COLUMNS = (
    "p.patient_id, a.term, a.grade, a.start_date, a.end_date, a.attribution, a.serious,"
    " a.category, a.extra"
)


@lru_cache(maxsize=4096)
def iso_date(text: str) -> date:
    """Returns the date written as ISO `text`; the same object for the same recent text."""
    return date.fromisoformat(text)


def optional_date(text: str | None) -> date | None:
    """Returns the date written as ISO `text`, None for None."""
    return None if text is None else date.fromisoformat(text)


def extra(text: str | None) -> dict[str, str]:
    """Returns the extra columns kept as JSON `text` (none when NULL)."""
    return json.loads(text) if text else {}


def patient_record(row: Iterable[Any]) -> PatientRecord:
    """Returns the PatientRecord of a row of PATIENT_COLUMNS."""
    pid, start, arm, last_contact, death, sex, age, histology, stage, x = row
    return PatientRecord(
        pid,
        date.fromisoformat(start),
        arm,
        optional_date(last_contact),
        optional_date(death),
        sex,
        age,
        histology,
        stage,
        extra(x),
    )


#: A lesion's fields in a MeasurementRecord: patient_id, lesion_id, role, site, lymph_node.
LesionFields = tuple[str, str, Role, str, bool]


def lesion_fields(row: Iterable[Any]) -> LesionFields:
    """Returns the LesionFields of a row (patient_id, lesion_id, role, site, lymph_node)."""
    pid, lesion_id, role, site, node = row
    return pid, lesion_id, ROLES[role], site, bool(node)


def measurement_columns(
    lesions: dict[int, LesionFields], scan_dates: dict[int, date], found: list[tuple]
) -> MeasurementColumns:
    """Returns the MeasurementColumns of rows (lesion key, scan key, status, diameter_mm,
    viable_mm, irradiated, reader, extra), the lesion's fields and scan's date looked up in
    `lesions` and `scan_dates` by their keys.

    Built a column at a time, without an object per row: 524,860 records cost 1.1 s to
    build at 20,000 patients and the readings turned them back into columns (issue 19).
    """
    if not found:
        return MeasurementColumns([() for _ in MeasurementColumns.FIELDS])
    lesion, scan, status, diameter, viable, irradiated, reader, x = zip(*found, strict=True)
    pid, lesion_id, role, site, node = zip(*map(lesions.__getitem__, lesion), strict=True)
    return MeasurementColumns(
        [
            pid,
            list(map(scan_dates.__getitem__, scan)),
            lesion_id,
            role,
            list(map(STATUSES.__getitem__, status)),
            site,
            node,
            diameter,
            viable,
            list(map(bool, irradiated)),
            reader,
            [json.loads(text) if text else {} for text in x],
            (None,) * len(found),  # rows of the study file come from no file line
        ]
    )


def event_record(row: Iterable[Any]) -> EventRecord:
    """Returns the EventRecord of a row of EVENT_COLUMNS."""
    pid, kind, start, end, detail, x, intent, margin, necrosis = row
    return EventRecord(
        pid,
        kind,
        date.fromisoformat(start),
        optional_date(end),
        detail,
        extra(x),
        intent,
        margin,
        necrosis,
    )


def adverse_event_record(row: Iterable[Any]) -> AdverseEvent:
    """Returns the AdverseEvent of a row of ADVERSE_EVENT_COLUMNS."""
    pid, term, grade, start, end, attribution, serious, category, x = row
    return AdverseEvent(
        pid,
        term,
        grade,
        iso_date(start),
        optional_date(end),
        attribution,
        bool(serious),
        category,
        extra(x),
    )


def variable_record(row: Iterable[Any]) -> Variable:
    """Returns the Variable of a row (name, type, levels JSON, label, unit, extra)."""
    name, kind, levels, label, unit, x = row
    return Variable(name, VariableType(kind), tuple(json.loads(levels)), label, unit, extra(x))
