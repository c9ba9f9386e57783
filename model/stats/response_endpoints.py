"""Duration of response, time to progression and a landmark non-progression proportion.

Derived from the same time points and events as PFS (model/stats/endpoints.py):

- Duration of response (DoR; RECIST 1.1, section 4.4.3, "Duration of overall
  response"): among responders (best overall response CR or PR, iCR or iPR,
  confirmed when the study asks for confirmation), from the first scan whose
  overall response is a response to progression (the PFS rule: the progression
  scan, clinical progression) or death, censored at the last adequate
  assessment.
- Time to progression (TTP): from the time origin to progression, as PFS, but a
  death without progression is no event: the patient is censored at the last
  adequate assessment.
- Landmark non-progression proportion (e.g. at 6 months, the primary endpoint
  of a Simon two-stage trial): among evaluable patients (at least one adequate
  post-baseline assessment), the share alive and without progression at the
  landmark. A progression or death at or before the landmark is a failure; a
  patient followed for less than the landmark without an event cannot be
  counted as a success and is a failure too (the binomial endpoint's usual,
  conservative rule). Its CI is exact (Clopper-Pearson).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from model.domain import EventRecord, PatientAssessment, StudyData
from model.settings import TimeOrigin
from model.stats.endpoints import (
    PatientEndpoints,
    first_progression,
    last_adequate_assessment,
    time_origin,
)
from model.stats.response_rates import RESPONSE_CODES, confidence_bounds


@dataclass(frozen=True)
class TimeToEvent:
    """One patient's time (days) to an event or censoring, with the reason in words."""

    patient_id: str
    arm: str
    days: int
    event: bool
    reason: str


@dataclass(frozen=True)
class LandmarkProportion:
    """The share of evaluable patients alive and progression-free at the landmark."""

    landmark_days: int
    successes: int
    evaluable: int
    proportion: float | None
    ci_low: float | None
    ci_high: float | None


def _by_patient(data: StudyData, assessments: Iterable[PatientAssessment]):
    assessed = {a.patient_id: a for a in assessments}
    events: dict[str, list[EventRecord]] = {}
    for event in data.events:
        events.setdefault(event.patient_id, []).append(event)
    for patient in data.patients:
        yield patient, assessed.get(patient.patient_id), events.get(patient.patient_id, [])


def _censored(start: date, assessment: PatientAssessment | None, why: str) -> tuple[int, str]:
    last = last_adequate_assessment(assessment)
    if last is None or last < start:
        return 0, f"{why}censored at day 0: no adequate assessment after the start"
    return (last - start).days, f"{why}censored at the last adequate assessment, {last}"


def time_to_progression(
    data: StudyData, assessments: Iterable[PatientAssessment], origins: Iterable[TimeOrigin] = ()
) -> list[TimeToEvent]:
    """TTP of every patient, in the study's order (see the module's docstring)."""
    rules = {origin.arm: origin for origin in origins}
    result = []
    for patient, assessment, events in _by_patient(data, assessments):
        origin, note = time_origin(patient, events, rules.get(patient.arm))
        progressed = first_progression(assessment, events)
        if progressed is not None:
            when, why = progressed
            days, event, reason = max((when - origin).days, 0), True, f"event: {why}"
        else:
            died = "" if patient.death_date is None else "death without progression: "
            (days, reason), event = _censored(origin, assessment, died), False
        result.append(TimeToEvent(patient.patient_id, patient.arm, days, event, reason + note))
    return result


def first_response(assessment: PatientAssessment | None) -> date | None:
    """The date of a responder's first time point judged CR or PR (iCR, iPR); else None."""
    if assessment is None or assessment.best_overall_response not in RESPONSE_CODES:
        return None
    for point in assessment.timepoints[1:]:
        if point.overall in RESPONSE_CODES:
            return point.scan_date
    return None


def duration_of_response(
    data: StudyData, assessments: Iterable[PatientAssessment]
) -> list[TimeToEvent]:
    """DoR of every responder, in the study's order (RECIST 1.1, section 4.4.3)."""
    result = []
    for patient, assessment, events in _by_patient(data, assessments):
        start = first_response(assessment)
        if start is None:
            continue
        ends = [first_progression(assessment, events)]
        if patient.death_date is not None:
            ends.append((patient.death_date, f"death on {patient.death_date.isoformat()}"))
        ends = [end for end in ends if end is not None]
        if ends:
            when, why = min(ends, key=lambda e: e[0])
            days, event, reason = max((when - start).days, 0), True, f"event: {why}"
        else:
            (days, reason), event = _censored(start, assessment, ""), False
        reason += f" (response from {start.isoformat()})"
        result.append(TimeToEvent(patient.patient_id, patient.arm, days, event, reason))
    return result


def landmark_non_progression(
    endpoints: Sequence[PatientEndpoints],
    assessments: Iterable[PatientAssessment],
    landmark_days: int,
    *,
    level: float = 0.95,
    one_sided: bool = False,
) -> LandmarkProportion:
    """The landmark non-progression proportion among evaluable patients (module docstring).

    `endpoints` carry each patient's PFS; with `one_sided`, the CI is the one-sided
    lower bound at `level` (the upper bound is then 1).
    """
    evaluable = {a.patient_id for a in assessments if last_adequate_assessment(a) is not None}
    counted = [e for e in endpoints if e.patient_id in evaluable]
    successes = sum(
        e.pfs_days >= landmark_days and not _failed_by(e, landmark_days) for e in counted
    )
    n = len(counted)
    if n == 0:
        return LandmarkProportion(landmark_days, 0, 0, None, None, None)
    low, high = confidence_bounds(successes, n, level, one_sided=one_sided)
    return LandmarkProportion(landmark_days, successes, n, successes / n, low, high)


def _failed_by(endpoint: PatientEndpoints, landmark_days: int) -> bool:
    return endpoint.pfs_event and endpoint.pfs_days <= landmark_days
