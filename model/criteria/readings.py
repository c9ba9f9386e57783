"""Per-patient readings built from a study's measurement and scan rows.

The interchange parser has already checked every column, value and role; this
module applies the rules that need a patient's rows together: one reader per
patient, fragments, the baseline rules (interchange spec, "How a time point is
judged", "Readers").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from model.domain import (
    Lesion,
    MeasurementRecord,
    Observation,
    PatientReadings,
    Role,
    Status,
    StudyData,
)
from model.errors import InputError, InputProblem

#: File named in errors when a row does not say where it came from.
MEASUREMENTS_FILE = "measurements.csv"

_ROLE_ORDER = {Role.TARGET: 0, Role.NON_TARGET: 1, Role.NEW: 2}

#: Status a lesion must have at baseline (interchange spec, "How a time point is judged").
_BASELINE_STATUS = {Role.TARGET: Status.MEASURED, Role.NON_TARGET: Status.PRESENT}


def readings_by_patient(
    data: StudyData,
    *,
    reader: str | None = None,
    require_viable: bool = False,
    exclude_irradiated: bool = False,
) -> list[PatientReadings]:
    """The readings of every listed patient, in the order the interchange spec fixes.

    Without `reader` all rows of a patient must come from one reader; with it,
    only that reader's rows count and a patient without one is not listed
    (scans.csv dates still count for a listed patient). `require_viable` makes a
    baseline target without viable_mm an error (mRECIST), except for a lesion
    left out by `exclude_irradiated`. Raises InputError
    naming every problem found (interchange spec, "Readers").
    """
    rows_by_patient = _rows_by_patient(data.measurements, reader)
    scans_by_patient: dict[str, set[date]] = {}
    for scan in data.scans:
        scans_by_patient.setdefault(scan.patient_id, set()).add(scan.scan_date)
    patient_ids = list(rows_by_patient)
    if reader is None:
        patient_ids += [p for p in scans_by_patient if p not in rows_by_patient]
    start_dates = {p.patient_id: p.start_date for p in data.patients}
    problems: list[InputProblem] = []
    readings = []
    for patient_id in patient_ids:
        rows = rows_by_patient.get(patient_id, [])
        dates = sorted({r.scan_date for r in rows} | scans_by_patient.get(patient_id, set()))
        first = _first_rows(rows)
        left_out = {r.lesion_id for r in rows if r.irradiated} if exclude_irradiated else set()
        problems += _baseline_problems(rows, first, dates[0], require_viable, left_out)
        observations, fragment_problems = _observations(rows)
        problems += fragment_problems
        readings.append(
            PatientReadings(
                patient_id=patient_id,
                scan_dates=tuple(dates),
                lesions=_lesions(rows, first),
                observations=observations,
                reference_date=start_dates.get(patient_id, dates[0]),
            )
        )
    _raise_if_any(problems)
    return readings


def patient_reader(rows: Iterable[MeasurementRecord], reader: str | None) -> str:
    """Returns the reader whose rows of one patient count and are edited.

    That is `reader`, the study's, when it names one; otherwise the patient's
    one reader (interchange spec, "Readers": without a reader all rows of a
    patient come from one), '' for the study's single unnamed reader.
    """
    if reader is not None:
        return reader
    readers = {m.reader for m in rows}
    return readers.pop() if len(readers) == 1 else ""


def exact_sum(values: Iterable[float]) -> float:
    """The sum of decimal-typed values without binary rounding error (12.3 + 4.1 == 16.4)."""
    return float(sum((Decimal(repr(v)) for v in values), Decimal(0)))


def _rows_by_patient(
    rows: Sequence[MeasurementRecord], reader: str | None
) -> dict[str, list[MeasurementRecord]]:
    """The rows that count, grouped by patient in order of first appearance."""
    by_patient: dict[str, list[MeasurementRecord]] = {}
    for row in rows:
        if reader is None or row.reader == reader:
            by_patient.setdefault(row.patient_id, []).append(row)
    if reader is None:
        _raise_if_any([p for rows in by_patient.values() for p in _mixed_readers(rows)])
    return by_patient


def _mixed_readers(rows: list[MeasurementRecord]) -> list[InputProblem]:
    """A problem at the first row of a second reader of one patient (interchange spec, Readers)."""
    first = rows[0].reader
    for row in rows:
        if row.reader != first:
            return [
                _problem(
                    row,
                    f"patient {row.patient_id} is read by more than one reader "
                    f"({first or 'blank'} and {row.reader or 'blank'}); "
                    "choose one with --reader",
                    "reader",
                    row.reader,
                )
            ]
    return []


def _first_rows(rows: list[MeasurementRecord]) -> dict[str, MeasurementRecord]:
    """Each lesion's earliest row (the first in the file among rows of that date)."""
    first: dict[str, MeasurementRecord] = {}
    for row in rows:
        seen = first.get(row.lesion_id)
        if seen is None or row.scan_date < seen.scan_date:
            first[row.lesion_id] = row
    return first


def _baseline_problems(
    rows: list[MeasurementRecord],
    first: dict[str, MeasurementRecord],
    baseline: date,
    require_viable: bool,
    left_out: set[str],
) -> list[InputProblem]:
    """Baseline rule violations (interchange spec, "How a time point is judged")."""
    problems = []
    for row in first.values():
        if row.role is not Role.NEW and row.scan_date != baseline:
            message = f"{row.role} lesion {row.lesion_id} is first seen after baseline {baseline}"
            problems.append(_problem(row, message, "scan_date", row.scan_date.isoformat()))
    for row in rows:
        if row.scan_date != baseline:
            continue
        if row.role is Role.NEW:
            problems.append(_problem(row, "a new lesion at baseline", "role", row.role))
        elif row.status is not _BASELINE_STATUS[row.role]:
            message = f"a {row.role} lesion must be {_BASELINE_STATUS[row.role]} at baseline"
            problems.append(_problem(row, message, "status", row.status))
        elif require_viable and row.role is Role.TARGET and not row.lymph_node:
            if row.viable_mm is None and row.lesion_id not in left_out:
                message = "mRECIST needs viable_mm for a target at baseline"
                problems.append(_problem(row, message, "viable_mm", ""))
    return problems


def _observations(
    rows: list[MeasurementRecord],
) -> tuple[dict[tuple[str, date], Observation], list[InputProblem]]:
    """Observations by (lesion_id, scan_date), fragments added up, and repeated-row problems."""
    observations: dict[tuple[str, date], Observation] = {}
    first: dict[tuple[str, date], MeasurementRecord] = {}
    repeated: dict[tuple[str, date], list[MeasurementRecord]] = {}
    shared: dict[tuple, Observation] = {}
    for row in rows:
        key = (row.lesion_id, row.scan_date)
        if key in first:
            repeated.setdefault(key, [first[key]]).append(row)
        else:
            first[key] = row
            # Most observations repeat (non-targets `present`): share one object per value.
            value = (row.status, row.diameter_mm, row.viable_mm)
            observation = shared.get(value)
            if observation is None:
                observation = shared[value] = Observation(*value)
            observations[key] = observation
    problems = []
    for key, group in repeated.items():
        if any(r.role is not Role.TARGET or r.status is not Status.MEASURED for r in group):
            message = "repeated row: only measured target fragments may repeat"
            problems.append(_problem(group[1], message, "lesion_id", group[1].lesion_id))
            continue
        viable = [r.viable_mm for r in group]
        observations[key] = Observation(
            Status.MEASURED,
            exact_sum(r.diameter_mm or 0.0 for r in group),
            None if None in viable else exact_sum(v for v in viable if v is not None),
        )
    return observations, problems


def _lesions(
    rows: list[MeasurementRecord], first: dict[str, MeasurementRecord]
) -> tuple[Lesion, ...]:
    """Lesions by the scan they are first seen at, role, lesion_id; irradiated if any row says so.

    A fixed order keeps the reasons independent of the order of rows.
    """
    irradiated = {row.lesion_id for row in rows if row.irradiated}
    order = sorted(first.values(), key=lambda r: (r.scan_date, _ROLE_ORDER[r.role], r.lesion_id))
    return tuple(
        Lesion(r.lesion_id, r.role, r.site, r.lymph_node, r.lesion_id in irradiated) for r in order
    )


def _problem(row: MeasurementRecord, message: str, column: str, value: str) -> InputProblem:
    """An InputProblem pointing at `row`'s file and line."""
    file, line = row.source or (MEASUREMENTS_FILE, None)
    return InputProblem(message, file, line, column, str(value))


def _raise_if_any(problems: list[InputProblem]) -> None:
    """Raise InputError with `problems` in file and line order, when there are any."""
    if problems:
        problems.sort(key=lambda p: (p.file or "", p.line or 0))
        raise InputError(problems)
