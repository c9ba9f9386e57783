"""A made-up two-arm sarcoma study, for the first start, the screenshots and the benchmarks.

"Immunotherapy" against "Immunotherapy + dTACE": each patient has 4-12 scans
6-8 weeks apart, 1-5 targets (some lymph nodes, measured by short axis), a
few non-targets, and a course drawn from complete response, partial
response, stable disease, early progression and pseudo-progression (growth
then shrinkage, for iRECIST); the dTACE arm fares better. Progression comes
from the targets, a non-target or a new lesion (sometimes equivocal first).
Every measured non-node target carries viable_mm, so the study is valid
under mRECIST too; dTACE leaves liver lesions largely non-viable.

The study obeys the baseline rules of the interchange spec ("How a time
point is judged"): at the earliest scan every target is measured at 10 mm
or more (nodes 15 mm), every non-target is present, and no lesion is new.
Patient i is drawn from its own seeded generator, so the first patients of a
larger study are those of a smaller one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from model.demo import clinical
from model.demo.course import ARMS, Course, draw_course
from model.domain import (
    AdverseEvent,
    EventRecord,
    MeasurementRecord,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    StudyData,
)

#: Last date of follow-up: later deaths are censored here.
CUTOFF = date(2025, 9, 30)

#: Organs of non-node lesions, and of node lesions (short axis measured).
ORGANS = ("liver", "lung", "peritoneum", "bone", "soft tissue", "pleura", "adrenal")
NODES = ("mediastinal node", "retroperitoneal node", "axillary node", "iliac node")

HISTOLOGIES = (
    "leiomyosarcoma (LMS)",
    "liposarcoma (LPS)",
    "undifferentiated pleomorphic sarcoma (UPS)",
    "synovial sarcoma (SS)",
    "angiosarcoma (AS)",
    "alveolar soft part sarcoma (ASPS)",
)

_FIRST_START = date(2019, 1, 7)
_START_SPAN_DAYS = 1550


@dataclass
class _Lesion:
    lesion_id: str
    role: Role
    site: str
    node: bool
    size: float
    irradiated: bool = False
    fragment_at: int | None = None


@dataclass
class _Patient:
    record: PatientRecord
    measurements: list[MeasurementRecord] = field(default_factory=list)
    scans: list[ScanRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    adverse_events: list[AdverseEvent] = field(default_factory=list)


def demo_study(n_patients: int = 213, seed: int = 7) -> StudyData:
    """Returns a deterministic demo study of `n_patients` patients (interchange form), with its
    baseline variables and adverse events (model/demo/clinical.py)."""
    patients = [_patient(i, random.Random(seed * 1_000_003 + i)) for i in range(n_patients)]
    return StudyData(
        patients=tuple(p.record for p in patients),
        measurements=tuple(m for p in patients for m in p.measurements),
        scans=tuple(s for p in patients for s in p.scans),
        events=tuple(e for p in patients for e in p.events),
        adverse_events=tuple(a for p in patients for a in p.adverse_events),
        variables=clinical.VARIABLES,
    )


def _patient(index: int, rng: random.Random) -> _Patient:
    arm = ARMS[rng.random() < 0.5]
    start = _FIRST_START + timedelta(days=rng.randrange(_START_SPAN_DAYS))
    baseline = start - timedelta(days=rng.randint(3, 21))
    course = draw_course(rng, arm)
    dates = [baseline]
    for _ in range(course.n_scans - 1):
        dates.append(dates[-1] + timedelta(days=rng.randint(42, 56)))
    lesions = _lesions(rng, course)
    record = _record(rng, f"S{index + 1:05d}", arm, start, dates, course)
    patient = _Patient(record)
    patient.scans.append(ScanRecord(record.patient_id, baseline, rng.choice(("CT", "CT", "MRI"))))
    series = [_series(rng, lesion, course, arm) for lesion in lesions]
    pid = record.patient_id
    for k, scan_date in enumerate(dates):
        for lesion, observations in zip(lesions, series, strict=True):
            for status, size, viable in observations[k]:
                patient.measurements.append(
                    MeasurementRecord(
                        pid,
                        scan_date,
                        lesion.lesion_id,
                        lesion.role,
                        status,
                        lesion.site,
                        lesion.node,
                        size,
                        viable,
                        lesion.irradiated,
                    )
                )
    patient.events += _events(rng, record, dates, course, lesions)
    # Drawn last, so that the lesions and events of a patient stay as they were before.
    patient.record = replace(record, extra=clinical.baseline_values(rng, record))
    patient.adverse_events = clinical.adverse_events(rng, record, patient.events)
    return patient


def _record(
    rng: random.Random, pid: str, arm: str, start: date, dates: list[date], course: Course
) -> PatientRecord:
    last_scan = dates[-1]
    death = None
    if rng.random() < (0.55 if course.progression is not None else 0.08):
        death = last_scan + timedelta(days=rng.randint(20, 540))
        if death > CUTOFF:
            death = None
    last_contact = death or min(CUTOFF, last_scan + timedelta(days=rng.randint(0, 150)))
    return PatientRecord(
        patient_id=pid,
        start_date=start,
        arm=arm,
        last_contact_date=last_contact,
        death_date=death,
        sex=rng.choice("FM"),
        age=float(min(85, max(18, round(rng.gauss(54, 14))))),
        histology=rng.choice(HISTOLOGIES),
        stage=rng.choice(("III", "IV", "IV", "IV")),
    )


def _lesions(rng: random.Random, course: Course) -> list[_Lesion]:
    lesions: list[_Lesion] = []
    for t in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 5))):
        node = rng.random() < 0.2
        site = rng.choice(NODES) if node else rng.choice(ORGANS + ("liver", "lung"))
        if sum(x.site == site for x in lesions) == 2:
            # RECIST 1.1 section 3.3.1: at most two targets per organ.
            site = next(o for o in ORGANS if all(x.site != o for x in lesions))
            node = False
        size = rng.uniform(15, 32) if node else rng.uniform(10, 75)
        lesions.append(_Lesion(f"T{t + 1}", Role.TARGET, site, node, round(size)))
    n_non_targets = rng.choice((0, 0, 1, 1, 2, 3))
    if course.trigger == "non-target" and course.progression is not None:
        n_non_targets = max(n_non_targets, 1)
    for n in range(n_non_targets):
        node = rng.random() < 0.3
        site = rng.choice(NODES) if node else rng.choice(ORGANS)
        lesions.append(_Lesion(f"NT{n + 1}", Role.NON_TARGET, site, node, 0.0))
    if rng.random() < 0.06:
        candidates = [x for x in lesions if x.site in ("bone", "lung", "soft tissue")]
        if candidates:
            rng.choice(candidates).irradiated = True
    if course.n_scans > 2 and rng.random() < 0.04:
        lesions[0].fragment_at = rng.randint(1, course.n_scans - 1)
    if course.new_at is not None:
        site = rng.choice(("liver", "lung", "peritoneum", "bone"))
        lesions.append(_Lesion("N1", Role.NEW, site, False, round(rng.uniform(8, 25))))
    return lesions


#: What a reader records for a lesion at one scan: status, diameter_mm, viable_mm.
_Reading = tuple[Status, float | None, float | None]


def _series(rng: random.Random, lesion: _Lesion, course: Course, arm: str) -> list[list[_Reading]]:
    """Returns the rows of `lesion` at each scan: none, one, or two fragments."""
    series = []
    for k in range(course.n_scans):
        status, size, viable = _observe(rng, k, lesion, course, arm)
        if status is None:
            series.append([])
        elif lesion.fragment_at == k and status is Status.MEASURED and size and size >= 12:
            # The lesion has split; fragments add up (interchange spec, measurements.csv).
            first = round(size * 0.6)
            share = None if viable is None else round(viable * 0.6)
            rest = None if viable is None else viable - share
            series.append([(status, first, share), (status, size - first, rest)])
        else:
            series.append([(status, size, viable)])
    return series


def _observe(
    rng: random.Random, k: int, lesion: _Lesion, course: Course, arm: str
) -> tuple[Status | None, float | None, float | None]:
    if lesion.role is Role.NEW:
        return course.new_status(k), None, None
    if lesion.role is Role.NON_TARGET:
        return course.non_target_status(k), None, None
    if k and rng.random() < 0.015:
        return Status.NOT_EVALUATED, None, None
    factor = course.factor(k) * (1 if k == 0 else rng.uniform(0.93, 1.07))
    size = lesion.size * factor
    if lesion.node:
        return Status.MEASURED, float(round(max(size, rng.uniform(6, 9.4)))), None
    if round(size) <= 0:
        return Status.ABSENT, None, None
    if size < 5:
        return Status.TOO_SMALL, None, None
    treated = lesion.site == "liver" and arm == ARMS[1] and k > 0
    viable = size * course.viable_fraction(k) if treated else size
    return Status.MEASURED, float(round(size)), float(min(round(size), round(viable)))


def _events(
    rng: random.Random,
    record: PatientRecord,
    dates: list[date],
    course: Course,
    lesions: list[_Lesion],
) -> list[EventRecord]:
    pid, start = record.patient_id, record.start_date
    stop = None
    if course.progression is not None:
        stop = dates[course.progression] + timedelta(days=rng.randint(7, 28))
    elif record.death_date is not None:
        stop = record.death_date - timedelta(days=rng.randint(10, 40))
    drug = rng.choice(("pembrolizumab", "pembrolizumab", "nivolumab + ipilimumab"))
    events = [EventRecord(pid, "treatment", start, stop and max(stop, start), drug)]
    if record.arm == ARMS[1]:
        for j in range(rng.randint(2, 4)):
            when = start + timedelta(days=j * rng.randint(42, 56))
            if stop is None or when < stop:
                events.append(EventRecord(pid, "procedure", when, None, "dTACE"))
    if any(x.irradiated for x in lesions):
        when = dates[0] + timedelta(days=rng.randint(7, 20))
        events.append(
            EventRecord(pid, "procedure", when, when + timedelta(days=12), "radiotherapy")
        )
    if course.kind in ("complete", "partial") and rng.random() < 0.12:
        when = dates[min(2, len(dates) - 1)] + timedelta(days=rng.randint(14, 40))
        margin = rng.choice(("R0", "R0", "R1"))
        necrosis = float(rng.randint(40, 100) if record.arm == ARMS[1] else rng.randint(5, 70))
        surgery = EventRecord(pid, "surgery", when, None, "resection", {}, "curative", margin)
        events.append(replace(surgery, necrosis_pct=necrosis))
    if stop is not None and course.progression is not None:
        events.append(EventRecord(pid, "off-study", stop, None, "progression"))
    return events
