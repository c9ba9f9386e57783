"""iRECIST: RECIST 1.1 for immunotherapy, where a first progression (iUPD) must be confirmed
at the next evaluable assessment (iCPD) or is reset by a later response.

Seymour et al., "iRECIST: guidelines for response criteria for use in trials testing
immunotherapeutics", Lancet Oncol 2017; 18: e143-e152, as the interchange spec fixes it
("iRECIST"). Each time point is first judged by RECIST 1.1 (model/criteria/timepoints.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from model.criteria.best_response import (
    ResponseCodes,
    best_overall_response,
    best_pct_change,
    response_window,
)
from model.criteria.recist import (
    NE,
    PD,
    PD_MIN_INCREASE_MM,
    RECIST11,
    ZERO,
    exact,
    mm,
)
from model.criteria.target_choice import is_measurable, pick_within_limits
from model.criteria.timepoints import (
    Judgement,
    baseline_warnings,
    judge,
    left_out_note,
    lesions_in_play,
    timepoint_response,
)
from model.domain import (
    AssessmentSettings,
    Lesion,
    PatientAssessment,
    PatientReadings,
    Role,
    Status,
    TimepointResponse,
)

ICR, IPR, ISD, IUPD, ICPD = "iCR", "iPR", "iSD", "iUPD", "iCPD"
NON_ICR_NON_IUPD = "NON-iCR/NON-iUPD"
#: RECIST 1.1 codes and their iRECIST names (interchange spec, iRECIST).
PREFIXED = {"CR": ICR, "PR": IPR, "SD": ISD, PD: IUPD, "NON-CR/NON-PD": NON_ICR_NON_IUPD}

#: iRECIST's best-response ranking (interchange spec, iRECIST).
IRECIST_CODES = ResponseCodes(
    ICR,
    IPR,
    ISD,
    NON_ICR_NON_IUPD,
    ICPD,
    NE,
    ranking=(ICR, IPR, ISD, NON_ICR_NON_IUPD, "NED", IUPD, ICPD, NE),
)
#: Before this many days after the iUPD only a new lesion confirms it (interchange spec).
CONFIRMATION_MIN_DAYS = 28
#: Confirmation later than 8 weeks after the iUPD is a warning (Seymour et al. 2017).
CONFIRMATION_MAX_DAYS = 56
#: New-lesion targets: at most 5 in all, 2 per site (Seymour et al. 2017, new lesions).
MAX_NEW_TARGETS = 5
MAX_NEW_TARGETS_PER_SITE = 2

TARGETS, NON_TARGETS, NEW_LESIONS = "targets", "non-targets", "new lesions"


def i_code(code: str | None) -> str | None:
    """A RECIST 1.1 code under its iRECIST name (PD is iUPD); NE, NED and None unchanged."""
    return PREFIXED.get(code, code) if code is not None else None


def new_lesion_targets(readings: PatientReadings, lesions: Sequence[Lesion]) -> tuple[str, ...]:
    """The new-lesion targets: the first five measurable new lesions, at most two per site.

    Measurability (10 mm; node short axis 15 mm) is judged where the lesion
    first appears; order is first appearance, then lesion_id as text; sites
    compare case-insensitively, blank sites being one site (interchange spec, iRECIST).
    """
    measurable = []
    for lesion in lesions:
        first = _first_appearance(readings, lesion) if lesion.role is Role.NEW else None
        if first is None:
            continue
        day, diameter = first
        if is_measurable(diameter, lesion.lymph_node):
            measurable.append((day, lesion.lesion_id, lesion.site.strip().casefold()))
    ordered = ((lesion_id, site) for _, lesion_id, site in sorted(measurable))
    return tuple(
        pick_within_limits(ordered, limit=MAX_NEW_TARGETS, per_site=MAX_NEW_TARGETS_PER_SITE)
    )


def _first_appearance(
    readings: PatientReadings, lesion: Lesion
) -> tuple[date, float | None] | None:
    """The first scan where a new lesion has a row other than `absent`, and its diameter."""
    for day in readings.scan_dates:
        observation = readings.observations.get((lesion.lesion_id, day))
        if observation is not None and observation.status is not Status.ABSENT:
            return day, observation.diameter_mm
    return None


@dataclass(frozen=True)
class _Unconfirmed:
    """An iUPD waiting for confirmation: where it was and what it looked like then."""

    at: Judgement
    triggers: frozenset[str]
    new_sizes: Mapping[str, Decimal | None]


@dataclass(frozen=True)
class _Step:
    """The iRECIST answer at one time point, with its reason and any warning."""

    overall: str | None
    reason: str
    warning: str = ""


class _Course:
    """Walks a patient's RECIST 1.1 judgements in date order and names them by iRECIST."""

    def __init__(self, readings: PatientReadings, lesions: Sequence[Lesion]):
        self.readings = readings
        self.new_targets = new_lesion_targets(readings, lesions)
        self.new_lesions = [le for le in lesions if le.role is Role.NEW]
        self.seen: set[str] = set()
        self.unconfirmed: _Unconfirmed | None = None
        self.checked = False
        self.confirmed: Judgement | None = None

    def step(self, j: Judgement) -> _Step:
        """The iRECIST answer at `j`, updating what the course remembers."""
        appeared = [f.lesion_id for f in j.new if f.lesion_id not in self.seen]
        self.seen.update(f.lesion_id for f in j.new)
        if self.confirmed is not None:
            overall = ICPD if j.overall == PD else i_code(j.overall)
            after = f"after the iCPD of {self.confirmed.scan_date}"
            return _Step(overall, f"{_renamed(j, overall)} ({after})")
        if self.unconfirmed is None:
            if j.overall != PD:
                return _Step(i_code(j.overall), _renamed(j, i_code(j.overall)))
            self.unconfirmed = _Unconfirmed(j, _triggers(j), self._new_sizes(j.scan_date))
            self.checked = False
            return _Step(IUPD, f"{_renamed(j, IUPD)}; to be confirmed")
        return self._after_iupd(j, appeared)

    def _after_iupd(self, j: Judgement, appeared: list[str]) -> _Step:
        """Confirmation, continued iUPD or reset (interchange spec, iRECIST)."""
        pending = self.unconfirmed
        since = f"the iUPD of {pending.at.scan_date}"
        days = (j.scan_date - pending.at.scan_date).days
        if days < CONFIRMATION_MIN_DAYS:
            if appeared:
                return self._confirm(j, [f"new lesion {', '.join(appeared)}"], since)
            overall = NE if j.overall == NE else IUPD
            early = "before 28 days only a new lesion confirms it"
            return _Step(overall, f"{overall}: {days} days after {since}; {early}")
        confirming = self._confirming(j, appeared)
        if not confirming and j.overall == NE:
            return _Step(NE, f"NE: neither confirms nor resets {since}")
        warning = self._late_warning(j, days)
        if confirming:
            return replace(self._confirm(j, confirming, since), warning=warning)
        still = self._still_progressing(j)
        if still or j.overall == PD:
            reason = f"iUPD: not confirmed since {since}; {'; '.join(still) or 'still PD'}"
            return _Step(IUPD, reason, warning)
        self.unconfirmed = None
        overall = i_code(j.overall)
        return _Step(overall, f"{_renamed(j, overall)}; resets {since}", warning)

    def _confirm(self, j: Judgement, confirming: list[str], since: str) -> _Step:
        self.unconfirmed, self.confirmed = None, j
        return _Step(ICPD, f"iCPD: {'; '.join(confirming)}, confirming {since}")

    def _late_warning(self, j: Judgement, days: int) -> str:
        """A warning when the confirming assessment is more than 8 weeks after the iUPD."""
        if self.checked:
            return ""
        self.checked = True
        if days <= CONFIRMATION_MAX_DAYS:
            return ""
        return (
            f"the iUPD of {self.unconfirmed.at.scan_date} was next assessed on {j.scan_date}, "
            f"{days} days later (iRECIST confirms within 4-8 weeks)"
        )

    def _confirming(self, j: Judgement, appeared: list[str]) -> list[str]:
        """What confirms the iUPD at `j`, in words; empty when nothing does."""
        at = self.unconfirmed.at
        found = []
        if TARGETS in self.unconfirmed.triggers:
            growth = _growth(at.sizes, j.sizes)
            if growth is not None and growth >= PD_MIN_INCREASE_MM:
                found.append(f"target sum +{mm(growth)} since the iUPD")
        elif j.target is not None and j.target.code == PD:
            found.append(f"targets now PD: {j.target.why}")
        for lesion_id, status in j.statuses.items():
            then = at.statuses.get(lesion_id)
            if status is Status.INCREASED or (
                status is Status.PROGRESSION and then in (Status.PRESENT, Status.ABSENT)
            ):
                found.append(f"non-target {lesion_id} {status} since the iUPD")
        growth = _growth(self.unconfirmed.new_sizes, self._new_sizes(j.scan_date))
        if growth is not None and growth >= PD_MIN_INCREASE_MM:
            found.append(f"new-lesion target sum +{mm(growth)} since the iUPD")
        for lesion in self.new_lesions:
            observation = self.readings.observations.get((lesion.lesion_id, j.scan_date))
            increased = observation is not None and observation.status is Status.INCREASED
            if increased and lesion.lesion_id not in self.new_targets:
                found.append(f"new lesion {lesion.lesion_id} increased")
        if appeared:
            found.append(f"new lesion {', '.join(appeared)} not seen before")
        return found

    def _still_progressing(self, j: Judgement) -> list[str]:
        """Why an unconfirmed iUPD stands at `j`: new lesions present, or a trigger still PD."""
        still = []
        if j.new:
            still.append(f"new lesion {', '.join(f.lesion_id for f in j.new)} still present")
        if TARGETS in self.unconfirmed.triggers and j.target and j.target.code == PD:
            still.append(f"targets still PD: {j.target.why}")
        if NON_TARGETS in self.unconfirmed.triggers:
            progressing = [
                lid
                for lid, status in j.statuses.items()
                if status in (Status.PROGRESSION, Status.INCREASED)
            ]
            if progressing:
                still.append(f"non-target {', '.join(progressing)} still progression")
        return still

    def _new_sizes(self, day: date) -> dict[str, Decimal | None]:
        """New-lesion target diameters in mm at `day`: absent 0, None without a size."""
        sizes: dict[str, Decimal | None] = {}
        for lesion_id in self.new_targets:
            observation = self.readings.observations.get((lesion_id, day))
            if observation is None:
                sizes[lesion_id] = None
            elif observation.status is Status.ABSENT:
                sizes[lesion_id] = ZERO
            else:
                diameter = observation.diameter_mm
                sizes[lesion_id] = None if diameter is None else exact(diameter)
        return sizes


def _growth(
    then: Mapping[str, Decimal | None], now: Mapping[str, Decimal | None]
) -> Decimal | None:
    """Growth in mm of the sum over the lesions sized at both; None when there are none."""
    both = [lid for lid in now if now[lid] is not None and then.get(lid) is not None]
    if not both:
        return None
    return sum((now[lid] for lid in both), ZERO) - sum((then[lid] for lid in both), ZERO)


def _triggers(j: Judgement) -> frozenset[str]:
    """The categories that made a time point PD (interchange spec, iRECIST)."""
    triggers = set()
    if j.target is not None and j.target.code == PD:
        triggers.add(TARGETS)
    if j.non_target is not None and j.non_target.code == PD:
        triggers.add(NON_TARGETS)
    if j.new:
        triggers.add(NEW_LESIONS)
    return frozenset(triggers)


def _renamed(j: Judgement, code: str | None) -> str:
    """The RECIST 1.1 reason of `j` under the iRECIST code."""
    return f"{code}: {j.reason.partition(': ')[2]}"


def assess_irecist(readings: PatientReadings, settings: AssessmentSettings) -> PatientAssessment:
    """A patient's iRECIST time points, best overall response and warnings (Seymour 2017).

    Best overall response: over the time points up to the first iCPD, an iUPD
    followed without a reset by that iCPD counting as iCPD (interchange spec, iRECIST).
    """
    judgements = judge(readings, RECIST11, settings.exclude_irradiated)
    course = _Course(readings, lesions_in_play(readings, settings.exclude_irradiated))
    note = left_out_note(readings, settings.exclude_irradiated)
    timepoints = [timepoint_response(judgements[0], note)]
    warnings = list(baseline_warnings(readings, RECIST11, settings.exclude_irradiated))
    for j in judgements[1:]:
        step = course.step(j)
        point = timepoint_response(j, note)
        timepoints.append(
            replace(
                point,
                target=i_code(point.target),
                non_target=i_code(point.non_target),
                overall=step.overall,
                reason=step.reason + note,
            )
        )
        warnings += [step.warning] if step.warning else []
    best, best_change = irecist_best_response(timepoints, readings.reference_date, settings)
    return PatientAssessment(
        readings.patient_id,
        settings.criteria,
        tuple(timepoints),
        best,
        best_change,
        tuple(warnings),
    )


def irecist_best_response(
    timepoints: Sequence[TimepointResponse], reference_date: date, settings: AssessmentSettings
) -> tuple[str, float | None]:
    """Best overall iRECIST response and best_pct_change, baseline first in `timepoints`.

    Both over the time points up to and including the first iCPD (all of them
    without one); the response ranked with an iUPD that an iCPD confirms
    counting as iCPD (interchange spec, iRECIST; Seymour 2017, Table 3).
    """
    # The window ends at the first real iCPD: taken after confirmed_iupds it would end
    # at the iUPD that iCPD confirms, and miss the iCPD's own change (issue 13).
    window = response_window(timepoints, IRECIST_CODES)
    ranked = confirmed_iupds([t.overall for t in window])
    best = best_overall_response(
        [(t.scan_date, code) for t, code in zip(window, ranked, strict=True)],
        reference_date,
        IRECIST_CODES,
        confirm=settings.confirm,
        min_sd_days=settings.min_sd_days,
    )
    return best, best_pct_change([t.change_from_baseline_pct for t in window])


def confirmed_iupds(codes: Sequence[str | None]) -> list[str | None]:
    """`codes` with each iUPD that an iCPD follows without a reset (NE in between) as iCPD.

    Interchange spec, iRECIST, best overall response; Seymour 2017, Table 3 example 7.
    """
    renamed = list(codes)
    confirmed = False
    for i in range(len(renamed) - 1, -1, -1):
        if renamed[i] == ICPD:
            confirmed = True
        elif renamed[i] == IUPD and confirmed:
            renamed[i] = ICPD
        elif renamed[i] != NE:
            confirmed = False
    return renamed
