"""Progression-free and overall survival per patient, derived from the study's data.

The rules (issue #3, "Endpoint derivation"):

- The time origin is the patient's start date, or, where the study sets it for
  the patient's arm, the first event of a chosen kind (and detail), e.g. the
  first dTACE procedure.
- PFS runs from the origin to the first progression (the date of the scan
  judged PD, or of a `progression` event: clinical progression) or death from
  any cause, whichever comes first. Without either it is censored at the last
  adequate assessment: a post-baseline scan whose overall response is not NE.
  A patient with no adequate assessment is censored at day 0.
- OS runs from the origin to death, censored at the last date the patient was
  known alive.

Intervals are whole days; the GUI and reports convert to the user's unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from model.collector import collector_paused
from model.domain import (
    EventRecord,
    MeasurementColumns,
    PatientAssessment,
    PatientRecord,
    StudyData,
)
from model.settings import TimeOrigin

#: Overall responses that mark radiological progression, by criteria.
#: iRECIST dates progression at the iUPD that is later confirmed (Seymour et al.
#: 2017, "Time-point and best overall response"): see `progression_scan`.
PROGRESSION_CODES = frozenset({"PD", "iCPD"})
UNCONFIRMED_PROGRESSION_CODES = frozenset({"iUPD"})
IRECIST_RESETS = frozenset({"iCR", "iPR", "iSD", "NON-iCR/NON-iUPD"})
NOT_EVALUABLE = frozenset({"NE", None})

#: Event kind of a clinical progression recorded outside imaging (interchange spec, events.csv).
PROGRESSION_EVENT = "progression"


@dataclass(frozen=True)
class PatientEndpoints:
    """PFS and OS of one patient in days from their time origin, with the reason for each."""

    patient_id: str
    arm: str
    time_origin: date
    pfs_days: int
    pfs_event: bool
    pfs_reason: str
    os_days: int
    os_event: bool
    os_reason: str


@collector_paused()
def derive_endpoints(
    data: StudyData,
    assessments: Iterable[PatientAssessment],
    origins: Iterable[TimeOrigin] = (),
) -> list[PatientEndpoints]:
    """PFS and OS for every patient in `data.patients`, in their order.

    `assessments` are the patients' time-point responses (overrides already
    applied); a patient without one has no adequate assessment. `origins` give
    some arms an event that starts their clock; other arms start at the start date.
    """
    by_patient = {a.patient_id: a for a in assessments}
    events = _events_by_patient(data.events)
    last_seen = _last_known_dates(data)
    origin_by_arm = {origin.arm: origin for origin in origins}
    return [
        _patient_endpoints(
            patient,
            by_patient.get(patient.patient_id),
            events.get(patient.patient_id, ()),
            origin_by_arm.get(patient.arm),
            last_seen.get(patient.patient_id, patient.start_date),
        )
        for patient in data.patients
    ]


def _patient_endpoints(
    patient: PatientRecord,
    assessment: PatientAssessment | None,
    events: Sequence[EventRecord],
    origin_rule: TimeOrigin | None,
    last_seen: date,
) -> PatientEndpoints:
    origin, origin_note = time_origin(patient, events, origin_rule)
    pfs_days, pfs_event, pfs_reason = _pfs(patient, assessment, events, origin)
    os_days, os_event, os_reason = _os(patient, origin, last_seen)
    return PatientEndpoints(
        patient_id=patient.patient_id,
        arm=patient.arm,
        time_origin=origin,
        pfs_days=pfs_days,
        pfs_event=pfs_event,
        pfs_reason=pfs_reason + origin_note,
        os_days=os_days,
        os_event=os_event,
        os_reason=os_reason + origin_note,
    )


def time_origin(
    patient: PatientRecord, events: Sequence[EventRecord], rule: TimeOrigin | None
) -> tuple[date, str]:
    """The patient's time origin under `rule`, and a note when it fell back to the start date.

    A patient of an arm timed from an event it never had keeps its start date,
    and the note says so, so that the patient is not silently dropped.
    """
    if rule is None:
        return patient.start_date, ""
    matching = [
        e.start_date
        for e in events
        if e.kind.casefold() == rule.kind.casefold()
        and (rule.detail is None or (e.detail or "").casefold() == rule.detail.casefold())
    ]
    if matching:
        return min(matching), ""
    wanted = " ".join(filter(None, (rule.kind, rule.detail)))
    return patient.start_date, f" (no {wanted} event: timed from the start date)"


def _pfs(
    patient: PatientRecord,
    assessment: PatientAssessment | None,
    events: Sequence[EventRecord],
    origin: date,
) -> tuple[int, bool, str]:
    progression = first_progression(assessment, events)
    candidates = [progression] if progression is not None else []
    if patient.death_date is not None:
        candidates.append((patient.death_date, f"death on {patient.death_date.isoformat()}"))
    if candidates:
        when, why = min(candidates, key=lambda c: c[0])
        return _days(origin, when), True, f"event: {why}"
    last = last_adequate_assessment(assessment)
    if last is None:
        return 0, False, "censored at day 0: no adequate post-baseline assessment"
    return _days(origin, last), False, f"censored at the last adequate assessment, {last}"


def first_progression(
    assessment: PatientAssessment | None, events: Sequence[EventRecord]
) -> tuple[date, str] | None:
    """Returns (date, in words) of the first radiological (`progression_scan`) or clinical
    (a `progression` event) progression, the scan first on a tie; None when neither."""
    found = []
    scan = progression_scan(assessment)
    if scan is not None:
        found.append((scan, f"progression on the scan of {scan.isoformat()}"))
    clinical = [e.start_date for e in events if e.kind.casefold() == PROGRESSION_EVENT]
    if clinical:
        first = min(clinical)
        found.append((first, f"clinical progression recorded on {first.isoformat()}"))
    return min(found, key=lambda f: f[0]) if found else None


def _os(patient: PatientRecord, origin: date, last_seen: date) -> tuple[int, bool, str]:
    if patient.death_date is not None:
        return _days(origin, patient.death_date), True, f"death on {patient.death_date}"
    return _days(origin, last_seen), False, f"censored at last contact, {last_seen}"


def progression_scan(assessment: PatientAssessment | None) -> date | None:
    """Date of the first scan showing progression.

    RECIST 1.1 and mRECIST: the first PD. iRECIST: the first iCPD dates
    progression back to the iUPD that it confirmed (the iUPD run it ends,
    unbroken by a reset); an iUPD never confirmed is not a progression event.
    """
    if assessment is None:
        return None
    unconfirmed_since: date | None = None
    for point in assessment.timepoints[1:]:
        if point.overall in PROGRESSION_CODES:
            return unconfirmed_since or point.scan_date
        if point.overall in UNCONFIRMED_PROGRESSION_CODES:
            unconfirmed_since = unconfirmed_since or point.scan_date
        elif point.overall in IRECIST_RESETS:
            unconfirmed_since = None
    return None


def last_adequate_assessment(assessment: PatientAssessment | None) -> date | None:
    """Date of the last post-baseline scan whose overall response is not NE, or None."""
    if assessment is None:
        return None
    adequate = [p.scan_date for p in assessment.timepoints[1:] if p.overall not in NOT_EVALUABLE]
    return max(adequate, default=None)


def _events_by_patient(events: Iterable[EventRecord]) -> dict[str, list[EventRecord]]:
    grouped: dict[str, list[EventRecord]] = {}
    for event in events:
        grouped.setdefault(event.patient_id, []).append(event)
    return grouped


def _last_known_dates(data: StudyData) -> dict[str, date]:
    """Last date each patient was known alive: last contact, or their latest scan or event."""
    latest: dict[str, date] = {}

    def see(patient_id: str, when: date | None) -> None:
        if when is not None and (patient_id not in latest or when > latest[patient_id]):
            latest[patient_id] = when

    for patient in data.patients:
        see(patient.patient_id, patient.last_contact_date)
    # By columns: the store's measurements build no record per row (issue 19).
    columns = MeasurementColumns.of(data.measurements)
    for patient_id, scan_date in zip(columns.patient_id, columns.scan_date, strict=True):
        see(patient_id, scan_date)
    for s in data.scans:
        see(s.patient_id, s.scan_date)
    for e in data.events:
        see(e.patient_id, e.end_date or e.start_date)
    return latest


def _days(origin: date, when: date) -> int:
    """Whole days from the origin; an event dated before the origin counts at day 0."""
    return max((when - origin).days, 0)
