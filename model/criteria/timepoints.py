"""A patient's time points judged in sequence, for RECIST 1.1 and mRECIST, and what
iRECIST builds on: the nadir, the state after a CR, the baseline warnings.

Interchange spec, "How a time point is judged" and "Locally treated lesions";
the rules themselves are in model/criteria/recist.py and model/criteria/mrecist.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from model.criteria.best_response import RECIST_CODES, best_response
from model.criteria.recist import (
    CR,
    MEASURABLE_MM,
    MEASURABLE_NODE_MM,
    NE,
    NED,
    PD,
    ZERO,
    NewFinding,
    Rules,
    TargetState,
    Verdict,
    mm,
    new_lesion_findings,
    new_lesion_verdict,
    non_target_response,
    overall_response,
    pct_change,
    round_pct,
)
from model.domain import (
    AssessmentSettings,
    Lesion,
    PatientAssessment,
    PatientReadings,
    Role,
    Status,
    TimepointResponse,
    Words,
    written,
)
from model.errors import InputError

#: Most target lesions in all and per organ (RECIST 1.1, section 3.3.1).
MAX_TARGETS = 5
MAX_TARGETS_PER_SITE = 2


@dataclass(slots=True)
class Judgement:
    """One time point as RECIST 1.1 or mRECIST sees it, with the facts iRECIST builds on."""

    scan_date: date
    target: Verdict | None
    non_target: Verdict | None
    new: tuple[NewFinding, ...]
    overall: str | None
    #: Target sizes in mm by lesion_id; None when not evaluated.
    sizes: Mapping[str, Decimal | None]
    #: Non-target statuses by lesion_id; None when the lesion has no row.
    statuses: Mapping[str, Status | None]
    sum_mm: Decimal | None
    from_baseline: Decimal | None
    from_nadir: Decimal | None
    #: Written when first read (model/domain.py, Words).
    reason: Words


def lesions_in_play(readings: PatientReadings, exclude_irradiated: bool) -> list[Lesion]:
    """The lesions the rules look at: all, or those never irradiated (interchange spec)."""
    return [le for le in readings.lesions if not (exclude_irradiated and le.irradiated)]


class _Disease:
    """A patient's targets and non-targets under a criteria, and their findings by scan."""

    def __init__(self, readings: PatientReadings, rules: Rules, lesions: Sequence[Lesion]):
        self.readings, self.size = readings, rules.size
        self.targets = [le for le in lesions if le.role is Role.TARGET]
        self.non_targets = [le for le in lesions if le.role is Role.NON_TARGET]
        self.nodes = frozenset(le.lesion_id for le in self.targets if le.lymph_node)

    def sizes_at(self, day: date) -> dict[str, Decimal | None]:
        """Target sizes in mm at `day`; None when not evaluated."""
        get = self.readings.observations.get
        return {le.lesion_id: self.size(le, get((le.lesion_id, day))) for le in self.targets}

    def statuses_at(self, day: date) -> dict[str, Status | None]:
        """Non-target statuses at `day`; None without a row."""
        statuses = {}
        for le in self.non_targets:
            observation = self.readings.observations.get((le.lesion_id, day))
            statuses[le.lesion_id] = observation.status if observation else None
        return statuses


def judge(
    readings: PatientReadings, rules: Rules, exclude_irradiated: bool = False
) -> list[Judgement]:
    """Every time point of a patient, baseline first (RECIST 1.1, sections 4.3.1-4.3.5).

    Raises InputError when a target has no size at baseline.
    """
    lesions = lesions_in_play(readings, exclude_irradiated)
    disease = _Disease(readings, rules, lesions)
    had_disease = any(le.role is not Role.NEW for le in readings.lesions)
    no_disease = NE if had_disease else NED
    first = _baseline(disease, rules, had_disease)
    judgements = [first]
    new_found = new_lesion_findings(readings, lesions)
    baseline_sum = nadir = first.sum_mm
    nadir_date, after_cr = first.scan_date, False
    for i, day in enumerate(readings.scan_dates[1:], start=1):
        sizes = disease.sizes_at(day)
        target, total = None, None
        if disease.targets:
            state = TargetState(sizes, disease.nodes, baseline_sum, nadir, nadir_date, after_cr)
            target, total = rules.target(state), state.total
        statuses = disease.statuses_at(day)
        non_target = non_target_response(statuses, after_cr)
        new = new_found[i]
        overall = overall_response(_code(target), _code(non_target), bool(new), no_disease)
        reason = partial(_reason, overall, (target, non_target, new_lesion_verdict(new)))
        judgements.append(
            Judgement(
                day,
                target,
                non_target,
                new,
                overall,
                sizes,
                statuses,
                total,
                pct_change(total, baseline_sum),
                pct_change(total, nadir),
                reason,
            )
        )
        if total is not None and total < nadir:
            nadir, nadir_date = total, day
        if overall != NE:
            after_cr = overall == CR
    return judgements


def _baseline(disease: _Disease, rules: Rules, had_disease: bool) -> Judgement:
    """The baseline time point: sizes and sum, null responses (interchange spec)."""
    readings = disease.readings
    baseline = readings.scan_dates[0]
    sizes = disease.sizes_at(baseline)
    missing = [lid for lid, size in sizes.items() if size is None]
    if missing:
        raise InputError(
            f"patient {readings.patient_id}: target {', '.join(missing)} has no "
            f"{rules.criteria} size at baseline {baseline}"
        )
    total = sum(sizes.values(), ZERO) if disease.targets else None
    counts = (len(disease.targets), len(disease.non_targets))
    return Judgement(
        baseline,
        None,
        None,
        (),
        None,
        sizes,
        {le.lesion_id: Status.PRESENT for le in disease.non_targets},
        total,
        None,
        None,
        partial(_baseline_reason, *counts, total, had_disease),
    )


def _code(verdict: Verdict | None) -> str | None:
    return None if verdict is None else verdict.code


def _reason(overall: str, verdicts: Sequence[Verdict | None]) -> str:
    """The overall answer with the findings that decided it."""
    shown = [v for v in verdicts if v is not None and (overall != PD or v.code == PD)]
    if overall == NED:
        return "NED: no lesion at baseline and no new lesion"
    if not shown:
        return f"{overall}: every baseline lesion was left out"
    return f"{overall}: {'; '.join(v.why for v in shown)}"


def _baseline_reason(
    targets: int, non_targets: int, baseline_sum: Decimal | None, had_disease: bool
) -> str:
    if baseline_sum is not None:
        return f"Baseline: sum {mm(baseline_sum)} over {targets} target lesion(s)"
    if non_targets:
        return f"Baseline: non-target disease only ({non_targets} lesion(s))"
    return "Baseline: every lesion left out" if had_disease else "Baseline: no lesion found (NED)"


def assess_with(
    rules: Rules, readings: PatientReadings, settings: AssessmentSettings
) -> PatientAssessment:
    """A patient's time points, best overall response and baseline warnings under `rules`."""
    note = left_out_note(readings, settings.exclude_irradiated)
    timepoints = tuple(
        timepoint_response(j, note) for j in judge(readings, rules, settings.exclude_irradiated)
    )
    best, best_change = best_response(timepoints, readings.reference_date, RECIST_CODES, settings)
    warnings = baseline_warnings(readings, rules, settings.exclude_irradiated)
    return PatientAssessment(
        readings.patient_id, rules.criteria, timepoints, best, best_change, warnings
    )


def timepoint_response(j: Judgement, note: str = "") -> TimepointResponse:
    """The time point as the commands and the GUI show it: codes, sums, rounded changes."""
    return TimepointResponse(
        scan_date=j.scan_date,
        target=_code(j.target),
        non_target=_code(j.non_target),
        new_lesions=bool(j.new),
        overall=j.overall,
        sum_mm=None if j.sum_mm is None else float(j.sum_mm),
        change_from_baseline_pct=round_pct(j.from_baseline),
        change_from_nadir_pct=round_pct(j.from_nadir),
        reason=noted(j.reason, note),
    )


def noted(words: Words, note: str) -> Words:
    """`words` followed by `note` (which locally treated lesions were left out), deferred."""
    return partial(_noted, words, note) if note else words


def _noted(words: Words, note: str) -> str:
    return written(words) + note


def left_out_note(readings: PatientReadings, exclude_irradiated: bool) -> str:
    """Words saying which locally treated lesions were left out, or "" (interchange spec)."""
    if not exclude_irradiated:
        return ""
    left_out = [le.lesion_id for le in readings.lesions if le.irradiated]
    return f" ({', '.join(left_out)} left out: locally treated)" if left_out else ""


def baseline_warnings(
    readings: PatientReadings, rules: Rules, exclude_irradiated: bool = False
) -> tuple[str, ...]:
    """Baseline target choices that RECIST 1.1 advises against (sections 3.1.1 and 3.3.1).

    More than 5 targets, more than 2 at one site (blank sites are not
    compared), a target below measurable size (10 mm; node short axis 15 mm).
    """
    targets = [le for le in lesions_in_play(readings, exclude_irradiated) if le.role is Role.TARGET]
    warnings = []
    if len(targets) > MAX_TARGETS:
        warnings.append(f"{len(targets)} target lesions; RECIST 1.1 allows at most {MAX_TARGETS}")
    by_site: dict[str, list[str]] = {}
    for le in targets:
        if le.site.strip():
            by_site.setdefault(le.site.strip().casefold(), []).append(le.lesion_id)
    for site, ids in by_site.items():
        if len(ids) > MAX_TARGETS_PER_SITE:
            warnings.append(
                f"{len(ids)} target lesions in {site} ({', '.join(ids)}); "
                f"RECIST 1.1 allows at most {MAX_TARGETS_PER_SITE} per organ"
            )
    baseline = readings.scan_dates[0]
    for le in targets:
        size = rules.size(le, readings.observations.get((le.lesion_id, baseline)))
        smallest = MEASURABLE_NODE_MM if le.lymph_node else MEASURABLE_MM
        if size is not None and size < smallest:
            what = "node short axis" if le.lymph_node else "size"
            warnings.append(
                f"target {le.lesion_id} {what} {mm(size)} at baseline is below "
                f"the measurable {mm(smallest)}"
            )
    return tuple(warnings)
