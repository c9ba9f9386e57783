"""Two readers' assessments side by side, their disagreements, and the study's agreement.

Each reader's rows are judged alone (interchange spec, "Readers": with a
reader, only that reader's rows count), so the comparison calls the one
assessment entry point once per reader (model/criteria/assessment.py). Issue #7, part 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from model.criteria.assessment import assess_study
from model.domain import AssessmentSettings, PatientAssessment, Role, StudyData
from model.double_reading.visibility import study_readers
from model.editing.edits import Override
from model.errors import InputError
from model.stats.agreement import Agreement, cohen_kappa
from model.stats.endpoints import progression_scan


@dataclass(frozen=True)
class TimepointComparison:
    """One time point as each reader judged it (None: that reader has no such time point)."""

    scan_date: date
    sums: tuple[float | None, float | None]
    responses: tuple[str | None, str | None]

    @property
    def agree(self) -> bool:
        """True when both readers gave the same overall response."""
        return self.responses[0] == self.responses[1]


@dataclass(frozen=True)
class PatientComparison:
    """One patient's two reads; an assessment is None when that reader has not read the patient."""

    patient_id: str
    readers: tuple[str, str]
    assessments: tuple[PatientAssessment | None, PatientAssessment | None]
    timepoints: tuple[TimepointComparison, ...]
    targets: tuple[tuple[str, ...], tuple[str, ...]]
    disagreements: tuple[str, ...]

    @property
    def read_by_both(self) -> bool:
        """True when both readers assessed the patient."""
        return None not in self.assessments

    @property
    def best(self) -> tuple[str | None, str | None]:
        """Each reader's best overall response."""
        return _pair(a and a.best_overall_response for a in self.assessments)

    @property
    def progression(self) -> tuple[date | None, date | None]:
        """Each reader's date of progression (model/endpoints.progression_scan)."""
        return _pair(progression_scan(a) for a in self.assessments)


@dataclass(frozen=True)
class ReadingComparison:
    """Every patient's two reads, and the agreement on best overall response.

    `agreement` is None when no patient was read by both readers.
    """

    readers: tuple[str, str]
    patients: tuple[PatientComparison, ...]
    agreement: Agreement | None


def _pair(values: Iterable) -> tuple:
    first, second = values
    return first, second


def compare_readers(
    data: StudyData,
    settings: AssessmentSettings,
    readers: Sequence[str] | None = None,
    overrides: Iterable[Override] = (),
) -> ReadingComparison:
    """Returns the two readers' reads of every patient side by side, with agreement on BOR.

    `readers` defaults to the study's first two named readers. Raises
    InputError when there are not two readers, or when a reader's rows break
    a judging rule (interchange spec).
    """
    first, second = _two_readers(data, readers)
    overrides = tuple(overrides)
    by_reader = [
        {a.patient_id: a for a in assess_study(data, settings, reader=r, overrides=overrides)}
        for r in (first, second)
    ]
    targets = _baseline_targets(data)
    order = [p.patient_id for p in data.patients]
    order += [pid for reads in by_reader for pid in reads if pid not in order]
    patients = tuple(
        _compare_patient(
            pid,
            (first, second),
            (by_reader[0].get(pid), by_reader[1].get(pid)),
            (targets.get((pid, first), ()), targets.get((pid, second), ())),
        )
        for pid in dict.fromkeys(order)
        if pid in by_reader[0] or pid in by_reader[1]
    )
    pairs = [p.best for p in patients if p.read_by_both]
    agreement = cohen_kappa(pairs) if pairs else None
    return ReadingComparison((first, second), patients, agreement)


def _two_readers(data: StudyData, readers: Sequence[str] | None) -> tuple[str, str]:
    chosen = tuple(readers) if readers is not None else study_readers(data)[:2]
    if len(chosen) != 2 or chosen[0] == chosen[1]:
        raise InputError(f"comparing reads needs two readers; the study has {len(chosen)}")
    return chosen[0], chosen[1]


def _baseline_targets(data: StudyData) -> dict[tuple[str, str], tuple[str, ...]]:
    """Returns each (patient, reader)'s target lesions at that reader's first scan, sorted."""
    first_scan: dict[tuple[str, str], date] = {}
    for m in data.measurements:
        key = (m.patient_id, m.reader)
        first_scan[key] = min(first_scan.get(key, m.scan_date), m.scan_date)
    chosen: dict[tuple[str, str], set[str]] = {}
    for m in data.measurements:
        key = (m.patient_id, m.reader)
        if m.role is Role.TARGET and m.scan_date == first_scan[key]:
            chosen.setdefault(key, set()).add(m.lesion_id)
    return {key: tuple(sorted(ids)) for key, ids in chosen.items()}


def _compare_patient(
    patient_id: str,
    readers: tuple[str, str],
    assessments: tuple[PatientAssessment | None, PatientAssessment | None],
    targets: tuple[tuple[str, ...], tuple[str, ...]],
) -> PatientComparison:
    points = [{p.scan_date: p for p in a.timepoints} if a else {} for a in assessments]
    timepoints = tuple(
        TimepointComparison(
            day,
            _pair(p[day].sum_mm if day in p else None for p in points),
            _pair(p[day].overall if day in p else None for p in points),
        )
        for day in sorted(set(points[0]) | set(points[1]))
    )
    comparison = PatientComparison(patient_id, readers, assessments, timepoints, targets, ())
    return replace(comparison, disagreements=_disagreements(comparison))


def _disagreements(c: PatientComparison) -> tuple[str, ...]:
    """Returns each way the two reads differ, in words (issue #7: what adjudication settles)."""
    first, second = c.readers
    if not c.read_by_both:
        missing = first if c.assessments[0] is None else second
        return (f"not read by {missing} yet",)
    found = []
    if c.targets[0] != c.targets[1]:
        found.append(
            f"target lesions at baseline: {first} {_listed(c.targets[0])}, "
            f"{second} {_listed(c.targets[1])}"
        )
    for point in c.timepoints:
        if not point.agree:
            found.append(
                f"overall response on {point.scan_date}: {first} {point.responses[0] or '-'}, "
                f"{second} {point.responses[1] or '-'}"
            )
    if c.best[0] != c.best[1]:
        found.append(f"best overall response: {first} {c.best[0]}, {second} {c.best[1]}")
    if c.progression[0] != c.progression[1]:
        found.append(
            f"date of progression: {first} {c.progression[0] or 'none'}, "
            f"{second} {c.progression[1] or 'none'}"
        )
    return tuple(found)


def _listed(ids: Sequence[str]) -> str:
    return ", ".join(ids) or "none"
