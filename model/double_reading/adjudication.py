"""The read that counts for each patient of a double-read study (issue #7, part 3).

The adjudicator picks one reader's read per patient, or per time point, with a
reason (Store: SetAdjudication). The cohort statistics and plots then use, per
patient:

1. the reader the adjudicator chose for the patient;
2. else, when both readers agree on best overall response and on the date of
   progression, the first reader's read (nothing to adjudicate);
3. else the first reader's read (or the only read), flagged "not adjudicated"
   in the assessment's warnings. The patient stays in the response statistics,
   so that their denominators do not shrink while adjudication is pending;
   the cohort page counts the patients flagged.

A time-point adjudication then puts the chosen reader's overall response at
that scan into the read used, as a decision against the rules would
(model/criteria/assessment.py), and best overall response is taken again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from model.criteria.assessment import assess_study
from model.domain import AssessmentSettings, PatientAssessment, StudyData
from model.double_reading.comparison import PatientComparison, compare_readers
from model.double_reading.visibility import ViewerRole, study_readers
from model.editing.edits import Adjudication, Override
from model.settings import StudySettings

#: Time given to an adjudication's decision at a scan, so that it wins over the readers'
#: own overrides there (model/criteria/assessment.py takes the latest decision).
_LAST = "9999-12-31T23:59:59"


@dataclass(frozen=True)
class ReadUsed:
    """Whose read counts for a patient, whether that was adjudicated, and why, in words."""

    patient_id: str
    reader: str
    adjudicated: bool
    text: str


def adjudicated_assessments(
    data: StudyData,
    settings: AssessmentSettings,
    overrides: Iterable[Override] = (),
    adjudications: Iterable[Adjudication] = (),
    readers: Sequence[str] | None = None,
) -> tuple[tuple[PatientAssessment, ...], tuple[ReadUsed, ...]]:
    """Returns each patient's assessment from the read that counts, and which read that is.

    Follows the order of the module docstring. Raises InputError when a
    reader's rows break a judging rule (interchange spec).
    """
    overrides = tuple(overrides)
    named = tuple(readers) if readers is not None else study_readers(data)[:2]
    if len(named) < 2:
        return _single_read(data, settings, overrides, named)
    chosen = {(a.patient_id, a.scan_date): a for a in adjudications}
    comparison = compare_readers(data, settings, named, overrides)
    assessments, used = [], []
    for patient in comparison.patients:
        read = _read_used(patient, chosen.get((patient.patient_id, None)))
        assessment = patient.assessments[patient.readers.index(read.reader)]
        assert assessment is not None
        decided = [a for (pid, day), a in chosen.items() if pid == patient.patient_id and day]
        if decided:
            assessment = _with_time_points(data, settings, overrides, patient, read, decided)
        if not read.adjudicated:
            assessment = replace(assessment, warnings=(*assessment.warnings, read.text))
        assessments.append(assessment)
        used.append(read)
    return tuple(assessments), tuple(used)


def _single_read(
    data: StudyData,
    settings: AssessmentSettings,
    overrides: tuple[Override, ...],
    named: Sequence[str],
) -> tuple[tuple[PatientAssessment, ...], tuple[ReadUsed, ...]]:
    """Returns the assessments of a study read by one reader so far, each flagged as such."""
    reader = named[0] if named else None
    found = assess_study(data, settings, reader=reader, overrides=overrides)
    text = f"read by {reader or 'one reader'} only; not adjudicated"
    return (
        tuple(replace(a, warnings=(*a.warnings, text)) for a in found),
        tuple(ReadUsed(a.patient_id, reader or "", False, text) for a in found),
    )


def _read_used(patient: PatientComparison, adjudication: Adjudication | None) -> ReadUsed:
    """Returns whose read counts for the patient (module docstring, rules 1 to 3)."""
    pid, (first, second) = patient.patient_id, patient.readers
    if adjudication is not None and adjudication.reader in patient.readers:
        by = f" by {adjudication.adjudicator}" if adjudication.adjudicator else ""
        text = f"{adjudication.reader}'s read, adjudicated{by}: {adjudication.reason}"
        return ReadUsed(pid, adjudication.reader, True, text)
    if not patient.read_by_both:
        only = first if patient.assessments[0] is not None else second
        return ReadUsed(pid, only, False, f"read by {only} only; not adjudicated")
    if patient.best[0] == patient.best[1] and patient.progression[0] == patient.progression[1]:
        return ReadUsed(pid, first, True, f"{first}'s read: the readers agree")
    text = (
        f"not adjudicated: {first} and {second} disagree (best overall response "
        f"{patient.best[0]} and {patient.best[1]}); {first}'s read is used until adjudicated"
    )
    return ReadUsed(pid, first, False, text)


def _with_time_points(
    data: StudyData,
    settings: AssessmentSettings,
    overrides: tuple[Override, ...],
    patient: PatientComparison,
    read: ReadUsed,
    decided: list[Adjudication],
) -> PatientAssessment:
    """Returns the read used, with each adjudicated time point's overall response taken
    from the reader chosen there."""
    pid = patient.patient_id
    answers = {
        reader: {p.scan_date: p.overall for p in a.timepoints}
        for reader, a in zip(patient.readers, patient.assessments, strict=True)
        if a is not None
    }
    extra = [
        Override(a.uuid, pid, a.scan_date, read.reader, answer, _reason(a), _LAST)
        for a in decided
        if a.scan_date is not None
        and (answer := answers.get(a.reader, {}).get(a.scan_date)) is not None
    ]
    own = StudyData(
        patients=tuple(p for p in data.patients if p.patient_id == pid),
        measurements=tuple(m for m in data.measurements if m.patient_id == pid),
        scans=tuple(s for s in data.scans if s.patient_id == pid),
    )
    (assessment,) = assess_study(own, settings, reader=read.reader, overrides=(*overrides, *extra))
    return assessment


def _reason(adjudication: Adjudication) -> str:
    by = f" by {adjudication.adjudicator}" if adjudication.adjudicator else ""
    return f"adjudicated{by} to {adjudication.reader}'s read: {adjudication.reason}"


def shown_reader(
    viewer: str,
    role: ViewerRole | str,
    data: StudyData,
    settings: StudySettings,
    overrides: Iterable[Override] = (),
    adjudications: Iterable[Adjudication] = (),
) -> str | None:
    """Returns the reader whose read of the one patient in `data` the patient page shows:
    the study's reader in a single-read study; in a double-read study the viewer when reading
    blind, else the read that counts (module docstring); None when nobody has read it.

    Raises InputError when a reader's rows break a judging rule (interchange spec).
    """
    if settings.readers_required != 2:
        return settings.reader
    if ViewerRole(role) is ViewerRole.READER:
        return viewer
    _, used = adjudicated_assessments(data, settings.assessment, overrides, adjudications)
    return used[0].reader if used else None
