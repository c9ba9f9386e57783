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
from functools import partial
from itertools import chain, compress, repeat
from math import copysign
from operator import eq, is_not, itemgetter, ne

from model.domain import (
    Lesion,
    MeasurementColumns,
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

    The rows are read by columns, a patient's rows side by side (issue 19).
    """
    rows, spans = _rows_by_patient(MeasurementColumns.of(data.measurements), reader)
    scans_by_patient: dict[str, set[date]] = {}
    for scan in data.scans:
        scans_by_patient.setdefault(scan.patient_id, set()).add(scan.scan_date)
    if reader is None:
        spans.update((p, (0, 0)) for p in scans_by_patient if p not in spans)
    start_dates = {p.patient_id: p.start_date for p in data.patients}
    observation_of = _observation_values(rows, spans.values())
    problems: list[InputProblem] = []
    readings = []
    lesions: dict[tuple, Lesion] = {}
    for patient_id, (start, end) in spans.items():
        patient = _PatientRows(rows, start, end)
        dates = sorted(set(patient.dates).union(scans_by_patient.get(patient_id, ())))
        first = patient.first_rows()
        irradiated = set(compress(patient.lesion_ids, rows.irradiated[start:end]))
        left_out = irradiated if exclude_irradiated else set()
        problems += _baseline_problems(patient, first, dates[0], require_viable, left_out)
        observations, fragment_problems = _observations(patient, observation_of)
        problems += fragment_problems
        readings.append(
            PatientReadings(
                patient_id=patient_id,
                scan_dates=tuple(dates),
                lesions=_lesions(patient, first, irradiated, lesions),
                observations=observations,
                reference_date=start_dates.get(patient_id, dates[0]),
            )
        )
    _raise_if_any(problems)
    return readings


class _PatientRows:
    """One patient's rows: the rows `start` to `end` of a study's columns."""

    def __init__(self, rows: MeasurementColumns, start: int, end: int):
        self.rows, self.start, self.end = rows, start, end
        self.dates = rows.scan_date[start:end]
        self.lesion_ids = rows.lesion_id[start:end]

    def first_rows(self) -> dict[str, int]:
        """Each lesion's earliest row (the first in the file among rows of that date), by
        lesion_id in order of first appearance."""
        by_date = sorted(range(self.start, self.end), key=self.rows.scan_date.__getitem__)
        first = dict.fromkeys(self.lesion_ids, 0)
        first.update(
            zip(
                map(self.rows.lesion_id.__getitem__, by_date[::-1]),
                by_date[::-1],
                strict=True,
            )
        )
        return first


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
    rows: MeasurementColumns, reader: str | None
) -> tuple[MeasurementColumns, dict[str, tuple[int, int]]]:
    """The rows that count, each patient's side by side, and where each patient's are (first
    row, row after the last), patients in order of first appearance."""
    if reader is not None:
        rows = rows.take(compress(range(len(rows)), map(eq, rows.reader, repeat(reader))))
    spans, runs = _runs(rows.patient_id)
    if len(spans) < runs:  # a patient's rows are apart: put them side by side
        ids = rows.patient_id
        rank = {patient_id: index for index, patient_id in enumerate(dict.fromkeys(ids))}
        rows = rows.take(sorted(range(len(ids)), key=list(map(rank.__getitem__, ids)).__getitem__))
        spans, runs = _runs(rows.patient_id)
    if reader is None and len(set(rows.reader)) > 1:
        _raise_if_any([p for a, b in spans.values() for p in _mixed_readers(rows, a, b)])
    return rows, spans


def _runs(ids: Sequence[str]) -> tuple[dict[str, tuple[int, int]], int]:
    """Where each run of equal ids starts and ends, by id (the last run of an id), and how
    many runs there are."""
    if not ids:
        return {}, 0
    starts = [0, *compress(range(1, len(ids)), map(ne, ids[1:], ids[:-1]))]
    ends = [*starts[1:], len(ids)]
    return {ids[a]: (a, b) for a, b in zip(starts, ends, strict=True)}, len(starts)


def _mixed_readers(rows: MeasurementColumns, start: int, end: int) -> list[InputProblem]:
    """A problem at the first row of a second reader of one patient (interchange spec, Readers)."""
    readers = rows.reader
    first = readers[start]
    for row in range(start, end):
        if readers[row] != first:
            return [
                _problem(
                    rows,
                    row,
                    f"patient {rows.patient_id[row]} is read by more than one reader "
                    f"({first or 'blank'} and {readers[row] or 'blank'}); "
                    "choose one with --reader",
                    "reader",
                    readers[row],
                )
            ]
    return []


def _baseline_problems(
    patient: _PatientRows,
    first: dict[str, int],
    baseline: date,
    require_viable: bool,
    left_out: set[str],
) -> list[InputProblem]:
    """Baseline rule violations (interchange spec, "How a time point is judged")."""
    rows = patient.rows
    problems = []
    for row in first.values():
        role = rows.role[row]
        if role is not Role.NEW and rows.scan_date[row] != baseline:
            lesion_id = rows.lesion_id[row]
            message = f"{role} lesion {lesion_id} is first seen after baseline {baseline}"
            day = rows.scan_date[row].isoformat()
            problems.append(_problem(rows, row, message, "scan_date", day))
    at_baseline = map(eq, patient.dates, repeat(baseline))
    for row in compress(range(patient.start, patient.end), at_baseline):
        role, status = rows.role[row], rows.status[row]
        if role is Role.NEW:
            problems.append(_problem(rows, row, "a new lesion at baseline", "role", role))
        elif status is not _BASELINE_STATUS[role]:
            message = f"a {role} lesion must be {_BASELINE_STATUS[role]} at baseline"
            problems.append(_problem(rows, row, message, "status", status))
        elif require_viable and role is Role.TARGET and not rows.lymph_node[row]:
            if rows.viable_mm[row] is None and rows.lesion_id[row] not in left_out:
                message = "mRECIST needs viable_mm for a target at baseline"
                problems.append(_problem(rows, row, message, "viable_mm", ""))
    return problems


def _observation_values(
    rows: MeasurementColumns, spans: Iterable[tuple[int, int]]
) -> list[Observation]:
    """Each row's Observation (status, diameter_mm, viable_mm), one object per value: most
    observations repeat (non-targets `present`)."""
    values = list(zip(rows.status, rows.diameter_mm, rows.viable_mm, strict=True))
    sizes = filter(partial(is_not, None), chain(rows.diameter_mm, rows.viable_mm))
    if min(map(copysign, repeat(1.0), sizes), default=1.0) > 0:
        shared = {value: Observation(*value) for value in set(values)}
        return list(map(shared.__getitem__, values))
    # A size of -0.0 equals 0.0: shared within a patient only, as the rows are read.
    found = []
    for start, end in spans:
        shared = {}
        for value in values[start:end]:
            found.append(shared.setdefault(value, Observation(*value)))
    return found


def _observations(
    patient: _PatientRows, observation_of: Sequence[Observation]
) -> tuple[dict[tuple[str, date], Observation], list[InputProblem]]:
    """Observations by (lesion_id, scan_date), fragments added up, and repeated-row problems."""
    keys = list(zip(patient.lesion_ids, patient.dates, strict=True))
    observations = dict(zip(keys, observation_of[patient.start : patient.end], strict=True))
    if len(observations) == len(keys):
        return observations, []
    rows = patient.rows
    first: dict[tuple[str, date], int] = {}
    repeated: dict[tuple[str, date], list[int]] = {}
    for row, key in enumerate(keys, patient.start):
        if key in first:
            repeated.setdefault(key, [first[key]]).append(row)
        else:
            first[key] = row
            observations[key] = observation_of[row]
    problems = []
    roles, statuses = rows.role, rows.status
    diameters, viables = rows.diameter_mm, rows.viable_mm
    for key, group in repeated.items():
        if any(roles[r] is not Role.TARGET or statuses[r] is not Status.MEASURED for r in group):
            message = "repeated row: only measured target fragments may repeat"
            lesion_id = rows.lesion_id[group[1]]
            problems.append(_problem(rows, group[1], message, "lesion_id", lesion_id))
            continue
        viable = [viables[r] for r in group]
        observations[key] = Observation(
            Status.MEASURED,
            exact_sum(diameters[r] or 0.0 for r in group),
            None if None in viable else exact_sum(v for v in viable if v is not None),
        )
    return observations, problems


def _lesions(
    patient: _PatientRows,
    first: dict[str, int],
    irradiated: set[str],
    shared: dict[tuple, Lesion],
) -> tuple[Lesion, ...]:
    """Lesions by the scan they are first seen at, role, lesion_id; irradiated if any row says so.

    A fixed order keeps the reasons independent of the order of rows. Equal lesions of
    different patients are one object from `shared` (most patients have a T1, target...).
    """
    rows = patient.rows
    found = [
        (rows.scan_date[row], _ROLE_ORDER[rows.role[row]], lesion_id, row)
        for lesion_id, row in first.items()
    ]
    found.sort(key=itemgetter(0, 1, 2))
    lesions = []
    for _, _, lesion_id, row in found:
        key = (lesion_id, rows.role[row], rows.site[row], rows.lymph_node[row])
        key += (lesion_id in irradiated,)
        lesion = shared.get(key)
        if lesion is None:
            lesion = shared[key] = Lesion(*key)
        lesions.append(lesion)
    return tuple(lesions)


def _problem(
    rows: MeasurementColumns, row: int, message: str, column: str, value: object
) -> InputProblem:
    """An InputProblem pointing at the file and line of the study's row `row`."""
    file, line = rows.source[row] or (MEASUREMENTS_FILE, None)
    return InputProblem(message, file, line, column, str(value))


def _raise_if_any(problems: list[InputProblem]) -> None:
    """Raise InputError with `problems` in file and line order, when there are any."""
    if problems:
        problems.sort(key=lambda p: (p.file or "", p.line or 0))
        raise InputError(problems)
