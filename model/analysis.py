"""One study analysed: its responses and endpoints, computed once from its data and settings.

The report, the plots and the cohort page all start from a `StudyAnalysis`, so
that they show the same numbers (shared/design.md, "Layers").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cached_property
from itertools import compress

from model.criteria.assessment import assess_study, best_response_before
from model.domain import MeasurementColumns, PatientAssessment, PatientRecord, StudyData
from model.double_reading.adjudication import ReadUsed, adjudicated_assessments
from model.double_reading.visibility import ViewerRole, study_readers
from model.editing.edits import Adjudication, Override
from model.errors import InputError
from model.settings import StudySettings
from model.stats.endpoints import PatientEndpoints, derive_endpoints

#: What a table shows as the best response of a patient the rules refuse (`not_evaluable`).
NOT_EVALUABLE = "not evaluable"

#: Days in a month, for showing intervals in months (shared/design.md, "Dates").
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class StudyAnalysis:
    """A study's data with every patient's assessment and endpoints, in patient order."""

    data: StudyData
    settings: StudySettings
    assessments: tuple[PatientAssessment, ...]
    endpoints: tuple[PatientEndpoints, ...]
    #: In a double-read study, whose read counts for each patient and why (issue #7).
    reads: tuple[ReadUsed, ...] = ()
    #: Patients whose rows the rules refuse (a baseline being typed, mixed readers), with
    #: why. They stay among the patients, without an assessment: the app, `report` and the
    #: exports list them alike, never dropping them silently nor failing the study.
    not_evaluable: Mapping[str, str] = field(default_factory=dict)

    @property
    def arms(self) -> tuple[str, ...]:
        """Arms in order of first appearance among the patients."""
        return tuple(dict.fromkeys(p.arm for p in self.data.patients))

    def best_responses_by_arm(self) -> dict[str, list[str | None]]:
        """Each arm's best overall responses, one per patient (None: never assessed)."""
        best = {a.patient_id: a.best_overall_response for a in self.assessments}
        by_arm: dict[str, list[str | None]] = {arm: [] for arm in self.arms}
        for patient in self.data.patients:
            by_arm[patient.arm].append(best.get(patient.patient_id))
        return by_arm

    def best_response_before(self, patient_id: str, before: date) -> str | None:
        """The patient's best overall response over their scans dated before `before` (e.g.
        before surgery), by the study's criteria; None without such a scan."""
        assessment = self._assessment_of.get(patient_id)
        patient = self._patient_of.get(patient_id)
        if assessment is None or patient is None:
            return None
        return best_response_before(
            assessment, before, patient.start_date, self.settings.assessment
        )

    @cached_property
    def _assessment_of(self) -> dict[str, PatientAssessment]:
        # Looked up once per surgery: a scan of every patient each time was O(N^2) (issue 19).
        return {a.patient_id: a for a in reversed(self.assessments)}  # the first wins

    @cached_property
    def _patient_of(self) -> dict[str, PatientRecord]:
        return {p.patient_id: p for p in reversed(self.data.patients)}

    def restricted_to(self, patient_ids: Iterable[str]) -> StudyAnalysis:
        """The same analysis over a subset of patients (for the cohort page's filters)."""
        keep = set(patient_ids)
        data = self.data
        return replace(
            self,
            data=StudyData(
                patients=tuple(p for p in data.patients if p.patient_id in keep),
                measurements=_rows_of(MeasurementColumns.of(data.measurements), keep),
                scans=tuple(s for s in data.scans if s.patient_id in keep),
                events=tuple(e for e in data.events if e.patient_id in keep),
                adverse_events=tuple(a for a in data.adverse_events if a.patient_id in keep),
                variables=data.variables,
            ),
            assessments=tuple(a for a in self.assessments if a.patient_id in keep),
            endpoints=tuple(e for e in self.endpoints if e.patient_id in keep),
            reads=tuple(r for r in self.reads if r.patient_id in keep),
            not_evaluable={p: why for p, why in self.not_evaluable.items() if p in keep},
        )


def _rows_of(rows: MeasurementColumns, keep: set[str]) -> MeasurementColumns:
    """The measurement rows of the patients in `keep`, still by columns: the store's rows
    come as columns, and a record built for each of 524,860 rows cost 0.8 s (issue 19)."""
    return rows.take(compress(range(len(rows)), map(keep.__contains__, rows.patient_id)))


def analyse(
    data: StudyData,
    settings: StudySettings,
    overrides: Iterable[Override] = (),
    adjudications: Iterable[Adjudication] = (),
) -> StudyAnalysis:
    """Assess every patient by the study's criteria, with the readers' overrides, and
    derive PFS and OS.

    In a study read twice (`readers_required` 2), each patient's assessment is
    the read that counts (model/double_reading/adjudication.py), and `reads` says whose.
    A patient whose rows break a judging rule (interchange spec) is listed in
    `not_evaluable` with the reason, and the others are analysed as usual.
    """
    overrides, adjudications = tuple(overrides), tuple(adjudications)
    readers = study_readers(data)[:2] if settings.readers_required == 2 else None
    refused: dict[str, str] = {}
    try:
        assessments, reads = _assess(data, settings, overrides, adjudications, readers)
    except InputError:
        assessments, reads, refused = _assess_one_by_one(
            data, settings, overrides, adjudications, readers
        )
    endpoints = tuple(derive_endpoints(data, assessments, settings.origins))
    return StudyAnalysis(data, settings, assessments, endpoints, reads, refused)


def _assess(
    data: StudyData,
    settings: StudySettings,
    overrides: tuple[Override, ...],
    adjudications: tuple[Adjudication, ...],
    readers: tuple[str, ...] | None,
) -> tuple[tuple[PatientAssessment, ...], tuple[ReadUsed, ...]]:
    """Returns the assessments and the reads used; raises InputError on a broken patient."""
    if readers is not None:
        return adjudicated_assessments(data, settings.assessment, overrides, adjudications, readers)
    assessed = assess_study(data, settings.assessment, reader=settings.reader, overrides=overrides)
    return tuple(assessed), ()


def _assess_one_by_one(
    data: StudyData,
    settings: StudySettings,
    overrides: tuple[Override, ...],
    adjudications: tuple[Adjudication, ...],
    readers: tuple[str, ...] | None,
) -> tuple[tuple[PatientAssessment, ...], tuple[ReadUsed, ...], dict[str, str]]:
    """Returns what `_assess` does, each patient assessed alone, and the refused patients'
    reasons: one patient's broken rows must not take the others with them."""
    assessments: list[PatientAssessment] = []
    reads: list[ReadUsed] = []
    refused: dict[str, str] = {}
    by_patient: dict[str, tuple[list, list]] = {}
    for decision in (*overrides, *adjudications):
        mine = by_patient.setdefault(decision.patient_id, ([], []))
        mine[isinstance(decision, Adjudication)].append(decision)
    for patient_id, part in patient_parts(data).items():
        mine, decided = map(tuple, by_patient.get(patient_id, ([], [])))
        try:
            assessed, used = _assess(part, settings, mine, decided, readers)
        except InputError as error:
            refused[patient_id] = "; ".join(p.message for p in error.problems)
            continue
        assessments += assessed
        reads += used
    return tuple(assessments), tuple(reads), refused


def patient_parts(data: StudyData) -> dict[str, StudyData]:
    """Returns each patient's rows as a study of its own, in the order the engine lists
    patients (first measurement, then scans.csv, then the other tables)."""
    parts: dict[str, dict[str, list]] = {}
    tables = ("measurements", "scans", "patients", "events")
    for name in tables:
        for record in getattr(data, name):
            part = parts.setdefault(record.patient_id, {f.name: [] for f in fields(data)})
            part[name].append(record)
    return {pid: StudyData(**{k: tuple(v) for k, v in part.items()}) for pid, part in parts.items()}


def analyse_as(
    viewer: str,
    role: ViewerRole | str,
    data: StudyData,
    settings: StudySettings,
    overrides: Iterable[Override] = (),
    adjudications: Iterable[Adjudication] = (),
) -> StudyAnalysis:
    """Returns the analysis `viewer` in `role` may see (model/double_reading/visibility.py): in
    a study read
    twice, a reader's cohort is of their own read alone, which blinding keeps apart from the
    other read and from the adjudicated one; everyone else gets `analyse`.
    """
    if settings.readers_required == 2 and ViewerRole(role) is ViewerRole.READER:
        own = replace(settings, readers_required=1, reader=viewer)
        return analyse(data, own, overrides)
    return analyse(data, settings, overrides, adjudications)
