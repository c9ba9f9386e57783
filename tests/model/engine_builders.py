"""Small builders for the engine tests: rows by day offset, one patient assessed."""

from __future__ import annotations

from datetime import date, timedelta

from model.criteria.assessment import assess_study
from model.domain import (
    DEFAULT_STATUS,
    AssessmentSettings,
    Criteria,
    MeasurementRecord,
    PatientAssessment,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    StudyData,
)

BASE = date(2024, 1, 1)


def day(n: int) -> date:
    """The date `n` days after BASE."""
    return BASE + timedelta(days=n)


def role_of(lesion_id: str) -> Role:
    """Role by the lesion_id's prefix: T target, NT non-target, N new."""
    if lesion_id.startswith("NT"):
        return Role.NON_TARGET
    return Role.NEW if lesion_id.startswith("N") else Role.TARGET


def row(
    n: int,
    lesion_id: str,
    value: float | str | None = None,
    *,
    patient: str = "P1",
    site: str = "",
    node: bool = False,
    viable: float | None = None,
    irradiated: bool = False,
    reader: str = "",
    line: int | None = None,
    mm: float | None = None,
) -> MeasurementRecord:
    """A measurements.csv row at day `n`: a number is a diameter with the role's default
    status (`measured`, `present`), text a status; `mm` a diameter beside a status."""
    role = role_of(lesion_id)
    if isinstance(value, (int, float)):
        status, diameter = DEFAULT_STATUS[role], float(value)
    else:
        status = Status(value) if value else DEFAULT_STATUS[role]
        diameter = None if mm is None else float(mm)
    return MeasurementRecord(
        patient_id=patient,
        scan_date=day(n),
        lesion_id=lesion_id,
        role=role,
        status=status,
        site=site,
        lymph_node=node,
        diameter_mm=diameter,
        viable_mm=None if viable is None else float(viable),
        irradiated=irradiated,
        reader=reader,
        source=("measurements.csv", line) if line is not None else None,
    )


def study(*rows: MeasurementRecord, scans=(), starts=None) -> StudyData:
    """A StudyData of `rows`, scans.csv days `scans` of P1, and {patient: start day}."""
    patients = tuple(PatientRecord(p, day(n)) for p, n in (starts or {}).items())
    scan_records = tuple(ScanRecord("P1", day(n)) for n in scans)
    return StudyData(patients=patients, measurements=rows, scans=scan_records)


def assess(
    *rows: MeasurementRecord,
    criteria: Criteria = Criteria.RECIST11,
    scans=(),
    starts=None,
    **settings,
) -> PatientAssessment:
    """The assessment of the single patient in `rows`."""
    data = study(*rows, scans=scans, starts=starts)
    (result,) = assess_study(data, AssessmentSettings(criteria=criteria, **settings))
    return result


def overall(*rows: MeasurementRecord, **options) -> list[str | None]:
    """The overall responses of the post-baseline time points."""
    return [t.overall for t in assess(*rows, **options).timepoints[1:]]
