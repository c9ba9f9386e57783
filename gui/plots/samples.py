"""A made-up two-arm cohort for the plot demos, tests and timings; not clinical data.

Responses here are drawn at random with a plausible shape; they are not judged
by the RECIST rules (model/criteria/recist.py does that for real studies).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from model.domain import (
    Criteria,
    EventRecord,
    PatientAssessment,
    PatientRecord,
    StudyData,
    TimepointResponse,
)

_FIRST_START = date(2022, 1, 3)
_RANK = ("CR", "PR", "SD", "PD", "NE")


def _overall(pct: float) -> str:
    return "CR" if pct <= -100 else "PR" if pct <= -30 else "PD" if pct >= 20 else "SD"


def _patient(rng: random.Random, i: int) -> tuple[PatientRecord, PatientAssessment, list]:
    pid, arm = f"P{i + 1:04d}", "Arm A" if i % 2 == 0 else "Arm B"
    start = _FIRST_START + timedelta(days=rng.randrange(0, 400))
    drift = rng.gauss(-12 if arm == "Arm A" else 0, 25)
    baseline_sum = rng.uniform(30, 120)
    points = [TimepointResponse(start, None, None, False, None, baseline_sum, None, None)]
    scans = 0 if rng.random() < 0.05 else rng.randint(1, 8)
    pct = 0.0
    for k in range(1, scans + 1):
        pct = max(-100.0, min(400.0, pct + drift / k + rng.gauss(0, 8)))
        overall = _overall(pct)
        when = start + timedelta(days=56 * k)
        points.append(TimepointResponse(when, None, None, False, overall, None, pct, None))
        if overall == "PD":
            break
    later = points[1:]
    best = min((p.overall for p in later), key=_RANK.index, default="NE")
    best_pct = min((p.change_from_baseline_pct for p in later), default=None)
    last = points[-1].scan_date
    death = last + timedelta(days=rng.randrange(30, 300)) if rng.random() < 0.5 else None
    contact = death or last + timedelta(days=rng.randrange(0, 120))
    patient = PatientRecord(pid, start, arm, last_contact_date=contact, death_date=death)
    ongoing = death is None and rng.random() < 0.3
    events = [EventRecord(pid, "treatment", start, None if ongoing else last, detail="drug X")]
    if rng.random() < 0.3:
        events.append(EventRecord(pid, "procedure", start + timedelta(days=21), detail="dTACE"))
    if rng.random() < 0.1:
        events.append(EventRecord(pid, "surgery", last + timedelta(days=14), detail="R0"))
    assessment = PatientAssessment(pid, Criteria.RECIST11, tuple(points), best, best_pct)
    return patient, assessment, events


def sample_cohort(n: int = 40, seed: int = 5) -> tuple[StudyData, list[PatientAssessment]]:
    """Return a reproducible two-arm study of `n` patients and their assessments."""
    rng = random.Random(seed)
    rows = [_patient(rng, i) for i in range(n)]
    patients = tuple(p for p, _, _ in rows)
    events = tuple(e for _, _, es in rows for e in es)
    return StudyData(patients=patients, events=events), [a for _, a, _ in rows]
