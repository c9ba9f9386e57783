"""The one entry point to response assessment: a patient's or a study's time points,
best overall response and warnings, by the criteria the settings name, with the
reader's overrides taken into account.

The GUI, the store, the reports and the `assess` command all call these, so a
rule has one home (shared/design.md, "Layers").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from model.collector import collector_paused
from model.criteria.best_response import RECIST_CODES, best_response
from model.criteria.irecist import assess_irecist, irecist_best_response
from model.criteria.mrecist import MRECIST
from model.criteria.readings import readings_by_patient
from model.criteria.recist import RECIST11
from model.criteria.timepoints import assess_with
from model.domain import (
    AssessmentSettings,
    Criteria,
    PatientAssessment,
    PatientReadings,
    StudyData,
    TimepointResponse,
)
from model.editing.edits import Override
from model.errors import InputError


def assess_patient(
    readings: PatientReadings,
    settings: AssessmentSettings,
    overrides: Mapping[date, Override] | None = None,
) -> PatientAssessment:
    """The assessment of one patient under `settings.criteria` (interchange spec).

    `overrides` maps a scan date to the reader's decision against the rules
    there: it replaces that time point's overall response, and the best
    overall response is taken over the decided answers (design.md: what a
    reader decides against the rules is stored as data).

    Raises InputError when the readings break a rule of the criteria (an
    mRECIST target without viable size at baseline).
    """
    if settings.criteria is Criteria.MRECIST:
        assessment = assess_with(MRECIST, readings, settings)
    elif settings.criteria is Criteria.IRECIST:
        assessment = assess_irecist(readings, settings)
    else:
        assessment = assess_with(RECIST11, readings, settings)
    if not overrides:
        return assessment
    return _with_overrides(assessment, overrides, readings.reference_date, settings)


@dataclass(frozen=True)
class PatientJudgement:
    """One patient judged once: the rules' answer, the answer that counts, and why.

    `decided` is `computed` with the counted `overrides` laid over it (the
    best response re-ranked over the decided answers); both are None for a
    patient without scans, or when the rules refuse the rows (`problems`).
    """

    computed: PatientAssessment | None
    decided: PatientAssessment | None
    #: The overrides that count, by scan date (see `counted_overrides`).
    overrides: Mapping[date, Override] = field(default_factory=dict)
    #: Why the rules refuse the patient's rows (a broken baseline, mixed readers).
    problems: tuple[str, ...] = ()


def judge_patient(
    data: StudyData,
    settings: AssessmentSettings,
    *,
    reader: str | None = None,
    overrides: Iterable[Override] = (),
) -> PatientJudgement:
    """Returns the judgement of the one patient in `data`, the engine run once.

    What the patient page shows after each keystroke: the rules' answer and
    the decided one come from one run of `assess_patient`; the overrides that
    count are those `assess_study` counts. A refusal of the rules is returned
    as `problems`, not raised.
    """
    try:
        with collector_paused():
            readings = _readings(data, settings, reader)
    except InputError as error:
        return PatientJudgement(None, None, problems=tuple(p.message for p in error.problems))
    if not readings:
        return PatientJudgement(None, None)
    (patient,) = readings
    counted = counted_overrides(overrides, reader).get(patient.patient_id, {})
    try:
        computed = assess_patient(patient, settings)
    except InputError as error:
        return PatientJudgement(None, None, counted, tuple(p.message for p in error.problems))
    decided = computed
    if counted:
        decided = _with_overrides(computed, counted, patient.reference_date, settings)
    return PatientJudgement(computed, decided, counted)


def assess_study(
    data: StudyData,
    settings: AssessmentSettings,
    *,
    reader: str | None = None,
    overrides: Iterable[Override] = (),
) -> list[PatientAssessment]:
    """The assessment of every listed patient, in the interchange spec's patient order.

    With `reader`, only that reader's overrides count; without, every
    override counts, the latest decision at a scan winning.

    Raises InputError naming file, line, column and value for a broken
    baseline, reader or repeated-row rule (interchange spec, "Readers").
    """
    with collector_paused():
        readings = _readings(data, settings, reader)
        decided = counted_overrides(overrides, reader)
        return [assess_patient(r, settings, decided.get(r.patient_id)) for r in readings]


def counted_overrides(
    overrides: Iterable[Override], reader: str | None
) -> dict[str, dict[date, Override]]:
    """Returns the overrides that count, by patient and scan date: `reader`'s, or everyone's
    when the study names no reader, the latest decision at a scan winning."""
    by_patient: dict[str, dict[date, Override]] = {}
    for override in sorted(overrides, key=lambda o: o.time):
        if reader is None or override.reader == reader:
            by_patient.setdefault(override.patient_id, {})[override.scan_date] = override
    return by_patient


def _with_overrides(
    assessment: PatientAssessment,
    overrides: Mapping[date, Override],
    reference_date: date,
    settings: AssessmentSettings,
) -> PatientAssessment:
    baseline, *later = assessment.timepoints
    timepoints = (baseline, *(_decided(p, overrides.get(p.scan_date)) for p in later))
    best, change = _best(timepoints, reference_date, settings)
    stale = stale_overrides(later, overrides)
    return replace(
        assessment,
        timepoints=timepoints,
        best_overall_response=best,
        best_pct_change=change,
        stale_overrides=stale,
    )


def stale_overrides(
    computed: Iterable[TimepointResponse], overrides: Mapping[date, Override]
) -> dict[date, str]:
    """Returns, by scan date, the rules' answer now where an override has gone stale.

    An override keeps the answer it replaced (`Override.replaced`); when the
    rules now answer otherwise at that scan, the measurements under the
    override changed since the reader decided, and the override is stale until
    the reader confirms it again or removes it (issue 15, item 1: "never
    flagged as stale"). An override made before Nadir kept that answer is never
    stale.
    """
    stale = {}
    for point in computed:
        override = overrides.get(point.scan_date)
        if override and override.replaced is not None and override.replaced != point.overall:
            stale[point.scan_date] = point.overall or "none"
    return stale


def _best(
    timepoints: Sequence[TimepointResponse], reference_date: date, settings: AssessmentSettings
) -> tuple[str, float | None]:
    """Best overall response and best change of `timepoints` (baseline first) by the criteria."""
    if settings.criteria is Criteria.IRECIST:
        return irecist_best_response(timepoints, reference_date, settings)
    return best_response(timepoints, reference_date, RECIST_CODES, settings)


def best_response_before(
    assessment: PatientAssessment,
    before: date,
    reference_date: date,
    settings: AssessmentSettings,
) -> str | None:
    """Returns the best overall response over the time points dated before `before` (e.g.
    the best response before surgery; interchange spec, "Best overall response", on the
    truncated course), None without a post-baseline time point before it."""
    points = tuple(p for p in assessment.timepoints if p.scan_date < before)
    if len(points) < 2:
        return None
    return _best(points, reference_date, settings)[0]


def _decided(point: TimepointResponse, override: Override | None) -> TimepointResponse:
    """The time point with the reader's decision as its overall response, and why."""
    if override is None or override.response == point.overall:
        return point
    reason = (
        f"{override.response}: override by {override.reader or 'the reader'} "
        f"({override.reason}); the rules said {point.reason}"
    )
    return replace(point, overall=override.response, reason=reason)


def _readings(data: StudyData, settings: AssessmentSettings, reader: str | None):
    """The patients' readings as the criteria in `settings` read them."""
    return readings_by_patient(
        data,
        reader=reader,
        require_viable=settings.criteria is Criteria.MRECIST,
        exclude_irradiated=settings.exclude_irradiated,
    )
