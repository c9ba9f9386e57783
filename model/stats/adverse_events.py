"""Adverse events by arm (analysis.md, `ae`): patients at their highest grade, per arm and term.

The events come from adverse_events.csv (model/interchange/study_files.py) or a study.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from model.domain import AdverseEvent, EventRecord, PatientRecord
from model.rules.clinical import DRUG, PROCEDURE, UNRELATED, attribution_cause


def counts(events: Sequence[AdverseEvent], related: bool) -> list[AdverseEvent]:
    """The events that count: all, or with `related` those attributed to something."""
    if not related:
        return list(events)
    return [e for e in events if e.attribution and e.attribution.lower() != UNRELATED]


def ae_table(
    patients: Sequence[PatientRecord], events: Sequence[AdverseEvent], *, related: bool = False
) -> dict:
    """The `ae` JSON document (analysis.md, `ae`): per arm and per term, patient counts at the
    patient's highest grade."""
    arm_of = {p.patient_id: p.arm for p in patients}
    arms = list(dict.fromkeys(p.arm for p in patients))
    size = Counter(p.arm for p in patients)
    counted = counts(events, related)
    worst: dict[str, int] = {}
    by_term: dict[str, dict[str, int]] = {}
    shown: dict[str, str] = {}
    for event in counted:
        worst[event.patient_id] = max(worst.get(event.patient_id, 0), event.grade)
        key = event.term.casefold()
        shown.setdefault(key, event.term)
        term = by_term.setdefault(key, {})
        term[event.patient_id] = max(term.get(event.patient_id, 0), event.grade)
    return {
        "arms": [
            _arm_row(arm, size[arm], grades) for arm, grades in _by_arm(worst, arms, arm_of).items()
        ],
        "terms": [
            {"term": shown[key], "arms": _term_arms(by_term[key], arms, size, arm_of)}
            for key in sorted(by_term, key=lambda k: (-len(by_term[k]), k))
        ],
    }


def _count(n: int, total: int) -> dict:
    return {"n": n, "pct": 100 * n / total}


def _by_arm(worst: dict[str, int], arms, arm_of) -> dict[str, list[int]]:
    """Patients' highest grades, per arm."""
    grades: dict[str, list[int]] = {arm: [] for arm in arms}
    for patient, grade in worst.items():
        grades[arm_of[patient]].append(grade)
    return grades


def _arm_row(arm: str, n: int, grades: list[int]) -> dict:
    """An arm's patients with any AE, with grade 3 or higher, and with grade 5."""
    return {
        "arm": arm,
        "n": n,
        "any": _count(len(grades), n),
        "grade_3_plus": _count(sum(g >= 3 for g in grades), n),
        "grade_5": _count(sum(g == 5 for g in grades), n),
    }


def _term_arms(worst: dict[str, int], arms, size, arm_of) -> dict:
    """Per arm, the term's patients by their highest grade for it."""
    result = {}
    for arm, grades in _by_arm(worst, arms, arm_of).items():
        n = size[arm]
        result[arm] = {
            "any_grade": _count(len(grades), n),
            "grade_1_2": _count(sum(g <= 2 for g in grades), n),
            "grade_3_4": _count(sum(3 <= g <= 4 for g in grades), n),
            "grade_5": _count(sum(g == 5 for g in grades), n),
        }
    return result


def ae_by_cause(
    patients: Sequence[PatientRecord],
    events: Sequence[AdverseEvent],
    study_events: Sequence[EventRecord],
) -> dict[str, dict]:
    """Returns the `ae` document of the events attributed to a drug and of those attributed
    to a procedure (issue 18: dTACE versus the drug), keyed DRUG and PROCEDURE; the cause is
    the kind of the patient's event the attribution names (model.rules.clinical.attribution_cause).
    Events attributed to nothing the patient had count in neither."""
    own: dict[str, list[EventRecord]] = {}
    for event in study_events:
        own.setdefault(event.patient_id, []).append(event)
    # A patient's events repeat one attribution: each (patient, attribution) looked up once.
    causes: dict[tuple[str, str | None], str | None] = {}
    cause_of = []
    for e in events:
        key = (e.patient_id, e.attribution)
        if key not in causes:
            causes[key] = attribution_cause(e.attribution, own.get(e.patient_id, ()))
        cause_of.append(causes[key])
    return {
        cause: ae_table(patients, [e for e, c in zip(events, cause_of, strict=True) if c == cause])
        for cause in (DRUG, PROCEDURE)
    }
