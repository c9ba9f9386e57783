"""Rules across the rows and files of a study: unique patients, known patients, and the
rules of measurement rows together (model/rules/measurements.py, shared with the store).

Source: interchange spec, patients.csv ("unique in the study"), measurements.csv
("must exist in patients.csv when that file is given", "constant for a
lesion", fragments and repeated rows), and version 1.1's adverse_events.csv
(a known patient) and variables.csv (declared names and values).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from model.domain import MeasurementColumns, StudyData
from model.errors import InputProblem
from model.interchange.tables import (
    ADVERSE_EVENTS,
    EVENTS,
    MEASUREMENTS,
    PATIENTS,
    SCANS,
    VARIABLES,
    Table,
)
from model.rules.clinical import value_problem, variable_column, variable_values
from model.rules.measurements import measurement_problems

#: Where the records of a table came from: the file's label and each record's line.
Origin = tuple[str, Sequence[int]]


def check_study(
    data: StudyData,
    *,
    patients_given: bool | None = None,
    origins: Mapping[str, Origin] | None = None,
    patient_columns: Collection[str] = (),
) -> list[InputProblem]:
    """Problems across rows and files of `data`; empty when the study is consistent.

    `patients_given` says whether a patients table was given (default: when
    `data.patients` is not empty); only then must every patient_id exist there,
    and every declared variable be an `x_` column of it (`patient_columns`, the
    header's, beside those holding a value).
    `origins` maps a table name to where its records came from, for messages;
    measurement records carry their own `source`.
    """
    origins = origins or {}
    problems = patient_problems(data.patients, origins.get(PATIENTS.name))
    problems += measurement_problems(data.measurements)
    given = patients_given if patients_given is not None else bool(data.patients)
    if given:
        problems += _unknown_patients(data, origins)
    problems += variable_problems(data, origins, given, patient_columns)
    return problems


def variable_problems(
    data: StudyData, origins: Mapping[str, Origin], patients_given: bool, columns: Collection[str]
) -> list[InputProblem]:
    """Problems of variables.csv against patients.csv (interchange 1.1): a name declared twice
    or naming no `x_` column, a value outside a declared variable's levels, text in a numeric
    variable."""
    if not data.variables:
        return []  # no declaration, nothing to break
    problems = []
    declared: dict[str, Any] = {}
    known = set(columns) | {k for p in data.patients for k in p.extra}
    for index, variable in enumerate(data.variables):
        file, line = _where(VARIABLES, origins.get(VARIABLES.name), index)
        if variable.name in declared:
            problems.append(InputProblem("declared twice", file, line, "name", variable.name))
        elif patients_given and variable_column(variable.name) not in known:
            message = f"{_file(PATIENTS, origins)} has no column {variable_column(variable.name)}"
            problems.append(InputProblem(message, file, line, "name", variable.name))
        declared[variable.name] = variable
    for index, patient in enumerate(data.patients):
        for name, value in variable_values(patient).items():
            problem = name in declared and value_problem(declared[name], value)
            if problem:
                file, line = _where(PATIENTS, origins.get(PATIENTS.name), index)
                problems.append(InputProblem(problem, file, line, variable_column(name), value))
    return problems


def _file(table: Table, origins: Mapping[str, Origin]) -> str:
    return origins.get(table.name, (table.file_name, ()))[0]


def patient_problems(patients: Sequence[Any], origin: Origin | None) -> list[InputProblem]:
    """Problems of patients.csv across rows: a patient_id that appears twice."""
    problems = []
    first_index: dict[str, int] = {}
    for index, patient in enumerate(patients):
        first = first_index.setdefault(patient.patient_id, index)
        if first != index:
            file, line = _where(PATIENTS, origin, index)
            message = (
                f"patient_id appears twice (first {_on_line(_where(PATIENTS, origin, first))})"
            )
            problems.append(InputProblem(message, file, line, "patient_id", patient.patient_id))
    return problems


def _unknown_patients(data: StudyData, origins: Mapping[str, Origin]) -> list[InputProblem]:
    """One problem per table and patient_id missing from patients.csv."""
    known = {patient.patient_id for patient in data.patients}
    patients_file = origins.get(PATIENTS.name, (PATIENTS.file_name, ()))[0]
    problems = []
    for table, records in (
        (MEASUREMENTS, data.measurements),
        (SCANS, data.scans),
        (EVENTS, data.events),
        (ADVERSE_EVENTS, data.adverse_events),
    ):
        ids = _patient_ids(records)
        if known.issuperset(ids):
            continue
        unknown: dict[str, list[int]] = {}
        for index, patient_id in enumerate(ids):
            if patient_id not in known:
                unknown.setdefault(patient_id, []).append(index)
        for patient_id, indexes in unknown.items():
            file, line = _where(table, origins.get(table.name), indexes[0], records[indexes[0]])
            more = f" (this row and {len(indexes) - 1} more)" if len(indexes) > 1 else ""
            message = f"patient_id is not in {patients_file}{more}"
            problems.append(InputProblem(message, file, line, "patient_id", patient_id))
    return problems


def _patient_ids(records: Sequence[Any]) -> Sequence[str]:
    """The patient_id of each record, read from the column when the records are columns."""
    if isinstance(records, MeasurementColumns):
        return records.column("patient_id")
    return [record.patient_id for record in records]


def _where(
    table: Table, origin: Origin | None, index: int, record: Any = None
) -> tuple[str, int | None]:
    source = getattr(record, "source", None)
    if source is not None:
        return source
    label, lines = origin or (table.file_name, ())
    return label, lines[index] if index < len(lines) else None


def _on_line(source: tuple[str, int | None] | None) -> str:
    return f"on line {source[1]}" if source and source[1] is not None else "in an earlier row"
