"""One study analysed: its responses and endpoints, computed once from its data and settings.

The report, the plots and the cohort page all start from a `StudyAnalysis`, so
that they show the same numbers (shared/design.md, "Layers").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from model.criteria.assessment import assess_study
from model.domain import PatientAssessment, StudyData
from model.double_reading.adjudication import ReadUsed, adjudicated_assessments
from model.double_reading.visibility import ViewerRole
from model.edits import Adjudication, Override
from model.settings import StudySettings
from model.stats.endpoints import PatientEndpoints, derive_endpoints

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

    def restricted_to(self, patient_ids: Iterable[str]) -> StudyAnalysis:
        """The same analysis over a subset of patients (for the cohort page's filters)."""
        keep = set(patient_ids)
        data = self.data
        return replace(
            self,
            data=StudyData(
                patients=tuple(p for p in data.patients if p.patient_id in keep),
                measurements=tuple(m for m in data.measurements if m.patient_id in keep),
                scans=tuple(s for s in data.scans if s.patient_id in keep),
                events=tuple(e for e in data.events if e.patient_id in keep),
            ),
            assessments=tuple(a for a in self.assessments if a.patient_id in keep),
            endpoints=tuple(e for e in self.endpoints if e.patient_id in keep),
            reads=tuple(r for r in self.reads if r.patient_id in keep),
        )


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
    Raises InputError when the data break a judging rule (interchange spec).
    """
    reads: tuple[ReadUsed, ...] = ()
    if settings.readers_required == 2:
        assessments, reads = adjudicated_assessments(
            data, settings.assessment, overrides, adjudications
        )
    else:
        assessments = tuple(
            assess_study(data, settings.assessment, reader=settings.reader, overrides=overrides)
        )
    endpoints = tuple(derive_endpoints(data, assessments, settings.origins))
    return StudyAnalysis(data, settings, assessments, endpoints, reads)


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

    Raises InputError when the data break a judging rule (interchange spec).
    """
    if settings.readers_required == 2 and ViewerRole(role) is ViewerRole.READER:
        own = replace(settings, readers_required=1, reader=viewer)
        return analyse(data, own, overrides)
    return analyse(data, settings, overrides, adjudications)
