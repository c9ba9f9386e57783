"""Small double-read studies: two readers, A and B, one target lesion per patient."""

from __future__ import annotations

from datetime import date

from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData

BASELINE, FOLLOW_UP = date(2024, 1, 10), date(2024, 3, 1)

#: Follow-up diameter of a 50 mm baseline target giving each RECIST 1.1 response.
FOLLOW_UP_MM = {"CR": 0.0, "PR": 30.0, "SD": 45.0, "PD": 70.0}


def target(pid: str, reader: str, scan_date: date, mm: float, lesion: str = "T1"):
    """Returns a measured (or, at 0 mm, absent) target row of `reader`."""
    status = Status.ABSENT if mm == 0 else Status.MEASURED
    return MeasurementRecord(
        pid, scan_date, lesion, Role.TARGET, status, diameter_mm=mm or None, reader=reader
    )


def read(pid: str, reader: str, response: str) -> list[MeasurementRecord]:
    """Returns a reader's baseline (50 mm) and follow-up rows that give `response`."""
    return [
        target(pid, reader, BASELINE, 50.0),
        target(pid, reader, FOLLOW_UP, FOLLOW_UP_MM[response]),
    ]


def double_read(responses: dict[str, tuple[str, str]], arm: str = "All") -> StudyData:
    """Returns a study whose patient P has the responses (A's, B's) of `responses[P]`."""
    rows = [
        row for pid, (a, b) in responses.items() for row in (*read(pid, "A", a), *read(pid, "B", b))
    ]
    patients = tuple(PatientRecord(pid, date(2024, 1, 3), arm) for pid in responses)
    return StudyData(patients=patients, measurements=tuple(rows))
