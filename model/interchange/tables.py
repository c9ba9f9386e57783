"""The tables of the interchange format: their columns, parsers and row rules.

Source: interchange spec, sections patients.csv, measurements.csv, scans.csv
and events.csv, and "Version 1.1 additions" (adverse_events.csv, the surgery
columns of events.csv, variables.csv).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from model.domain import (
    DEFAULT_STATUS,
    STATUSES_BY_ROLE,
    AdverseEvent,
    EventRecord,
    MeasurementColumns,
    MeasurementRecord,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    Variable,
    VariableType,
)
from model.interchange import values as v
from model.rules.clinical import VARIABLE_PREFIX, ae_problems, surgery_problems
from model.rules.records import EVENT_DATE_ORDER, PATIENT_DATE_ORDER, date_order_problems

#: Prefix of the free extra columns, kept in each record's `extra` (in patients.csv, the
#: study's variables).
EXTRA_PREFIX = VARIABLE_PREFIX

#: A problem found by a row rule: (column, message).
RowProblem = tuple[str, str]


@dataclass(frozen=True)
class Column:
    """One column: its name (also the record field), its parser, whether the header needs it."""

    name: str
    parse: Callable[[str], Any]
    required: bool = False
    #: Written on export even when every record has the default value.
    always_written: bool = False


@dataclass(frozen=True)
class Table:
    """One table: file name, record type, columns, and the rules across a row's values."""

    name: str
    record: type
    columns: tuple[Column, ...]
    check_row: Callable[[dict[str, Any]], list[RowProblem]]
    #: The columns `check_row` reads or fills in; its outcome depends on them alone.
    check_columns: tuple[str, ...] = ()
    #: The record has a `source` field (file, line).
    has_source: bool = False
    #: Builds the table's rows held by columns (a Sequence of its records), for readers that
    #: ask for columns; None when the table is read as records only.
    columnar: Callable[[list[list[Any]]], Sequence[Any]] | None = None

    @property
    def file_name(self) -> str:
        """The CSV file name of the table, e.g. `patients.csv`."""
        return f"{self.name}.csv"

    def column(self, name: str) -> Column | None:
        """The column called `name` (already normalised), or None."""
        return _COLUMN_INDEX[self.name].get(name)


def _check_patient(values: dict[str, Any]) -> list[RowProblem]:
    """Problems of a patient row: dates out of order (a patient cannot die before start)."""
    return date_order_problems(values, PATIENT_DATE_ORDER)


def _check_measurement(values: dict[str, Any]) -> list[RowProblem]:
    """Problems of a measurement row: status by role, a measured target needs diameter_mm.

    Fills in the role's default status when the status is blank (interchange
    spec, measurements.csv, `status` by role).
    """
    lesion_role = values.get("role")
    if lesion_role is None or "status" not in values:
        return []
    lesion_status = values["status"]
    if lesion_status is None:
        lesion_status = values["status"] = DEFAULT_STATUS[lesion_role]
    allowed = STATUSES_BY_ROLE[lesion_role]
    if lesion_status not in allowed:
        choices = ", ".join(allowed)
        return [("status", f"not allowed for a {lesion_role} lesion; expected one of {choices}")]
    size = values.get("diameter_mm", 0.0)
    if lesion_role is Role.TARGET and lesion_status is Status.MEASURED and size is None:
        return [("diameter_mm", "a measured target needs diameter_mm")]
    if lesion_status is Status.ABSENT and size:
        return [("diameter_mm", "an absent lesion has no size: leave diameter_mm blank or 0")]
    return []


def _check_event(values: dict[str, Any]) -> list[RowProblem]:
    """Problems of an event row: a span cannot end before it starts; only a surgery event has
    surgery outcomes (interchange 1.1)."""
    return date_order_problems(values, EVENT_DATE_ORDER) + surgery_problems(values)


def _check_adverse_event(values: dict[str, Any]) -> list[RowProblem]:
    """Problems of an adverse event row: resolution before onset (interchange 1.1)."""
    return ae_problems(values)


def _check_variable(values: dict[str, Any]) -> list[RowProblem]:
    """Problems of a declaration: levels or a unit only where its type has them."""
    problems = []
    if values.get("type") is VariableType.NUMERIC and values.get("levels"):
        problems.append(("levels", "a numeric variable has no levels"))
    if values.get("type") is VariableType.CATEGORICAL and values.get("unit"):
        problems.append(("unit", "a categorical variable has no unit"))
    return problems


PATIENTS = Table(
    "patients",
    PatientRecord,
    (
        Column("patient_id", v.required_text, required=True),
        Column("arm", v.arm),
        Column("start_date", v.required_date, required=True),
        Column("last_contact_date", v.optional_date),
        Column("death_date", v.optional_date),
        Column("sex", v.sex),
        Column("age", v.age),
        Column("histology", v.optional_text),
        Column("stage", v.optional_text),
    ),
    _check_patient,
    check_columns=("start_date", "last_contact_date", "death_date"),
)

MEASUREMENTS = Table(
    "measurements",
    MeasurementRecord,
    (
        Column("patient_id", v.required_text, required=True),
        Column("scan_date", v.required_date, required=True),
        Column("lesion_id", v.required_text, required=True),
        Column("role", v.role, required=True),
        Column("site", v.text_or_blank),
        Column("lymph_node", v.yes_no),
        Column("diameter_mm", v.diameter),
        Column("status", v.status, always_written=True),
        Column("viable_mm", v.diameter),
        Column("irradiated", v.yes_no),
        Column("reader", v.text_or_blank),
    ),
    _check_measurement,
    check_columns=("role", "status", "diameter_mm"),
    has_source=True,
    columnar=MeasurementColumns,
)

SCANS = Table(
    "scans",
    ScanRecord,
    (
        Column("patient_id", v.required_text, required=True),
        Column("scan_date", v.required_date, required=True),
        Column("modality", v.optional_text),
    ),
    lambda values: [],
)

EVENTS = Table(
    "events",
    EventRecord,
    (
        Column("patient_id", v.required_text, required=True),
        Column("kind", v.required_text, required=True),
        Column("start_date", v.required_date, required=True),
        Column("end_date", v.optional_date),
        Column("detail", v.optional_text),
        Column("intent", v.intent),
        Column("margin", v.margin),
        Column("necrosis_pct", v.percent),
    ),
    _check_event,
    check_columns=("start_date", "end_date", "kind", "intent", "margin", "necrosis_pct"),
)

ADVERSE_EVENTS = Table(
    "adverse_events",
    AdverseEvent,
    (
        Column("patient_id", v.required_text, required=True),
        Column("term", v.required_text, required=True),
        Column("grade", v.grade, required=True),
        Column("start_date", v.required_date, required=True),
        Column("end_date", v.optional_date),
        Column("attribution", v.optional_text),
        Column("serious", v.yes_no),
        Column("category", v.optional_text),
    ),
    _check_adverse_event,
    check_columns=("start_date", "end_date"),
)

VARIABLES = Table(
    "variables",
    Variable,
    (
        Column("name", v.variable_name, required=True),
        Column("type", v.variable_type, required=True),
        Column("levels", v.levels),
        Column("label", v.optional_text),
        Column("unit", v.optional_text),
    ),
    _check_variable,
    check_columns=("type", "levels", "unit"),
)

#: The tables in the order they are read and written (version 1, then the 1.1 additions).
TABLES: tuple[Table, ...] = (PATIENTS, MEASUREMENTS, SCANS, EVENTS, ADVERSE_EVENTS, VARIABLES)

_COLUMN_INDEX: Mapping[str, Mapping[str, Column]] = {
    table.name: {column.name: column for column in table.columns} for table in TABLES
}
