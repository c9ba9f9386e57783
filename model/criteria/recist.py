"""RECIST 1.1 time-point response, and the parts of it that mRECIST and iRECIST share.

Eisenhauer et al., "New response evaluation criteria in solid tumours: revised
RECIST guideline (version 1.1)", Eur J Cancer 2009; 45: 228-247, as the
interchange spec fixes it ("How a time point is judged"). Sums and ratios are
exact decimals: the rules compare exact values, only the output is rounded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from functools import partial as deferred

from model.domain import (
    TOO_SMALL_MM,
    Criteria,
    Lesion,
    Observation,
    PatientReadings,
    Role,
    Status,
    Words,
    written,
)

CR, PR, SD, PD, NE = "CR", "PR", "SD", "PD", "NE"
NON_CR_NON_PD = "NON-CR/NON-PD"
NED = "NED"

#: PD when the sum reaches 1.2 x the nadir (RECIST 1.1, section 4.3.1).
PD_RATIO = Decimal("1.2")
#: ... and is at least 5 mm above it (RECIST 1.1, section 4.3.1).
PD_MIN_INCREASE_MM = Decimal(5)
#: PR when the sum is at most 0.7 x the baseline sum, a 30 % decrease (section 4.3.1).
PR_RATIO = Decimal("0.7")
#: A lymph node below this short axis is normal (RECIST 1.1, section 4.3.1).
NODE_NORMAL_MM = Decimal(10)
#: Smallest measurable lesion, and node short axis (RECIST 1.1, section 3.1.1).
MEASURABLE_MM = Decimal(10)
MEASURABLE_NODE_MM = Decimal(15)
_TOO_SMALL = Decimal(repr(TOO_SMALL_MM))
ZERO = Decimal(0)
_TENTH = Decimal("0.1")
_SIZE_BY_STATUS = {Status.ABSENT: ZERO, Status.TOO_SMALL: _TOO_SMALL}


@lru_cache(maxsize=1 << 16)
def exact(value: float) -> Decimal:
    """The decimal a reader typed for `value` (its shortest round-trip repr)."""
    return Decimal(repr(value))


def round_pct(value: Decimal | None) -> float | None:
    """`value` rounded half away from zero to one decimal (interchange spec)."""
    # + 0.0 turns a -0.0 (a change of -0.04 %) into 0.0.
    return None if value is None else float(value.quantize(_TENTH, ROUND_HALF_UP)) + 0.0


def pct_change(value: Decimal | None, reference: Decimal | None) -> Decimal | None:
    """100 * (value - reference) / reference; None without a value or with a zero reference."""
    if value is None or reference is None or reference == 0:
        return None
    return 100 * (value - reference) / reference


def mm(value: Decimal) -> str:
    """`value` in mm as a reader writes it: 58 mm, 47.5 mm."""
    return f"{value.normalize():f} mm"


def signed_pct(value: Decimal) -> str:
    """A change as "+23.4 %" or "-35.5 %"."""
    return f"{value.quantize(_TENTH, ROUND_HALF_UP) + 0:+.1f} %"


@dataclass(slots=True)
class Verdict:
    """A response category and the words that explain it.

    The rules hand in the words as a function where writing them costs (sums and
    changes in mm and %): they are written when `why` is first read (issue 19).
    """

    code: str
    words: Words

    @property
    def why(self) -> str:
        """The words that explain the category."""
        if not isinstance(self.words, str):
            self.words = written(self.words)
        return self.words


@dataclass(slots=True)
class TargetState:
    """The target lesions at one time point, with what the rules compare them against."""

    #: Size in mm by lesion_id, in target order; None when not evaluated.
    sizes: Mapping[str, Decimal | None]
    nodes: frozenset[str]
    baseline_sum: Decimal
    nadir: Decimal
    nadir_date: date
    #: The last earlier time point that was not NE had an overall CR.
    after_cr: bool

    #: Targets not evaluated at this time point.
    missing: tuple[str, ...] = field(init=False)
    #: Sum in mm over the targets that were evaluated.
    evaluated_sum: Decimal = field(init=False)

    def __post_init__(self) -> None:
        self.missing = tuple(lid for lid, size in self.sizes.items() if size is None)
        self.evaluated_sum = sum((s for s in self.sizes.values() if s is not None), ZERO)

    @property
    def total(self) -> Decimal | None:
        """Sum in mm over all targets; None when one is not evaluated."""
        return None if self.missing else self.evaluated_sum


#: Size in mm of a target at one scan for a criteria; None when not evaluated.
SizeRule = Callable[[Lesion, Observation | None], Decimal | None]
#: Target response of a criteria at one time point.
TargetRule = Callable[[TargetState], Verdict]


@dataclass(frozen=True)
class Rules:
    """What differs between RECIST 1.1 and mRECIST: target sizes and target response."""

    criteria: Criteria
    size: SizeRule
    target: TargetRule


def size_by_status(observation: Observation, measured: float | None) -> Decimal | None:
    """Target size in mm: absent 0, too-small 5, measured `measured` (RECIST 1.1, appendix I)."""
    if observation.status is Status.MEASURED:
        return None if measured is None else exact(measured)
    return _SIZE_BY_STATUS.get(observation.status)


def recist_size(lesion: Lesion, observation: Observation | None) -> Decimal | None:
    """Target size in mm by diameter_mm, None when not evaluated (RECIST 1.1, section 4.3.1)."""
    return None if observation is None else size_by_status(observation, observation.diameter_mm)


def growth_pd(
    t: TargetState, min_increase: Decimal | None = PD_MIN_INCREASE_MM, positive_nadir=False
) -> Verdict | None:
    """PD when the evaluated targets alone reach 1.2 x the nadir (and + `min_increase`).

    RECIST 1.1, section 4.3.1; the evaluated-targets-alone reading is the
    interchange spec's ("How a time point is judged"), and mRECIST passes no
    5 mm minimum and a nadir above 0.
    """
    total, nadir = t.evaluated_sum, t.nadir
    if positive_nadir and nadir <= 0:
        return None
    if total < PD_RATIO * nadir or (min_increase is not None and total - nadir < min_increase):
        return None
    return Verdict(PD, deferred(_growth_why, total, nadir, t.nadir_date, t.missing))


def _growth_why(total: Decimal, nadir: Decimal, nadir_date: date, missing: tuple[str, ...]) -> str:
    subject = "evaluated targets alone sum" if missing else "sum"
    pct = pct_change(total, nadir)
    over = f"{signed_pct(pct)} and +{mm(total - nadir)}" if pct is not None else f"+{mm(total)}"
    not_evaluated = f", {', '.join(missing)} not evaluated" if missing else ""
    why = f"{subject} {mm(total)} is {over} over the nadir of {mm(nadir)} ({nadir_date})"
    return why + not_evaluated


def reappearance_pd(t: TargetState) -> Verdict | None:
    """PD when a target reappears after an overall CR (interchange spec; RECIST 1.1, 4.3.1)."""
    if not t.after_cr:
        return None
    back = [
        f"{lid} ({mm(size)})"
        for lid, size in t.sizes.items()
        if size is not None and (size >= NODE_NORMAL_MM if lid in t.nodes else size > 0)
    ]
    return Verdict(PD, f"target {', '.join(back)} back after CR") if back else None


def not_evaluated(t: TargetState) -> Verdict | None:
    """NE when a target is not evaluated (RECIST 1.1, section 4.3.1)."""
    return Verdict(NE, f"target {', '.join(t.missing)} not evaluated") if t.missing else None


def complete(t: TargetState) -> Verdict | None:
    """CR when every non-node target is gone and every node is below 10 mm (RECIST 1.1, 4.3.1)."""
    if t.missing:
        return None
    for lid, size in t.sizes.items():
        if size >= NODE_NORMAL_MM if lid in t.nodes else size > 0:
            return None
    nodes = ", nodes below 10 mm" if t.nodes else ""
    return Verdict(CR, f"all targets gone{nodes}")


def partial(t: TargetState) -> Verdict | None:
    """PR when the sum is at most 0.7 x the baseline sum (RECIST 1.1, section 4.3.1)."""
    total, baseline_sum = t.total, t.baseline_sum
    if total is None or total > PR_RATIO * baseline_sum:
        return None
    return Verdict(PR, deferred(_partial_why, total, baseline_sum))


def _partial_why(total: Decimal, baseline_sum: Decimal) -> str:
    return f"sum {mm(total)} is {_from_baseline(total, baseline_sum)}"


def stable(t: TargetState) -> Verdict:
    """SD: neither enough shrinkage for PR nor enough growth for PD (RECIST 1.1, 4.3.1)."""
    return Verdict(SD, deferred(_stable_why, t.total, t.baseline_sum, t.nadir, t.nadir_date))


def _stable_why(
    total: Decimal | None, baseline_sum: Decimal, nadir: Decimal, nadir_date: date
) -> str:
    shown = total or ZERO
    from_nadir = pct_change(shown, nadir)
    over_nadir = ""
    if from_nadir is not None and nadir != baseline_sum:
        over_nadir = f", {signed_pct(from_nadir)} over the nadir of {mm(nadir)} ({nadir_date})"
    return f"sum {mm(shown)} is {_from_baseline(total, baseline_sum)}{over_nadir}"


def _from_baseline(total: Decimal | None, baseline_sum: Decimal) -> str:
    change = pct_change(total, baseline_sum)
    shown = signed_pct(change) if change is not None else "unchanged"
    return f"{shown} from the baseline of {mm(baseline_sum)}"


def recist_target(t: TargetState) -> Verdict:
    """Target response, first match wins: PD, NE, CR, PR, SD (RECIST 1.1, section 4.3.1)."""
    return (
        growth_pd(t)
        or reappearance_pd(t)
        or not_evaluated(t)
        or complete(t)
        or partial(t)
        or stable(t)
    )


def non_target_response(statuses: Mapping[str, Status | None], after_cr: bool) -> Verdict | None:
    """Non-target response, None without non-targets (RECIST 1.1, section 4.3.2)."""
    if not statuses:
        return None
    progressed, present, missing = [], [], []
    for lid, status in statuses.items():
        if status is Status.PROGRESSION or status is Status.INCREASED:
            progressed.append(lid)
        elif status is Status.PRESENT:
            present.append(lid)
        elif status is None or status is Status.NOT_EVALUATED:
            missing.append(lid)
    if progressed:
        return Verdict(PD, f"non-target {', '.join(progressed)} unequivocal progression")
    if after_cr and present:
        return Verdict(PD, f"non-target {', '.join(present)} back after CR")
    if missing:
        return Verdict(NE, f"non-target {', '.join(missing)} not evaluated")
    if not present:
        return Verdict(CR, "all non-targets gone")
    return Verdict(NON_CR_NON_PD, f"non-target {', '.join(present)} present")


@dataclass(slots=True)
class NewFinding:
    """A new lesion that counts at a scan; `confirmed_on` when equivocal there and dated back."""

    lesion_id: str
    confirmed_on: date | None = None

    def __str__(self) -> str:
        if self.confirmed_on is None:
            return self.lesion_id
        return f"{self.lesion_id} (equivocal here, confirmed {self.confirmed_on})"


def new_lesion_findings(
    readings: PatientReadings, lesions: Sequence[Lesion]
) -> list[tuple[NewFinding, ...]]:
    """The new lesions that count at each scan, equivocal runs dated back (RECIST 1.1, 4.3.5)."""
    found: list[list[NewFinding]] = [[] for _ in readings.scan_dates]
    for lesion in lesions:
        if lesion.role is not Role.NEW:
            continue
        run: list[int] = []
        for i, day in enumerate(readings.scan_dates):
            observation = readings.observations.get((lesion.lesion_id, day))
            status = observation.status if observation else None
            if status in (Status.PRESENT, Status.INCREASED):
                found[i].append(NewFinding(lesion.lesion_id))
                for j in run:
                    found[j].append(NewFinding(lesion.lesion_id, day))
                run = []
            elif status is Status.EQUIVOCAL:
                run.append(i)
            else:
                run = []
    return [tuple(f) for f in found]


def new_lesion_verdict(findings: Sequence[NewFinding]) -> Verdict | None:
    """PD on any unequivocal new lesion (RECIST 1.1, section 4.3.2)."""
    return Verdict(PD, f"new lesion {', '.join(map(str, findings))}") if findings else None


def overall_response(
    target: str | None, non_target: str | None, new_lesions: bool, no_disease: str = NED
) -> str:
    """Overall response (RECIST 1.1, Tables 1 and 2).

    `no_disease` is the answer for a patient with neither targets nor
    non-targets: NED, or NE when every lesion was left out.
    """
    if new_lesions or PD in (target, non_target):
        return PD
    if target is None:
        return no_disease if non_target is None else non_target
    if target == CR:
        return CR if non_target in (CR, None) else PR
    return target


#: RECIST 1.1 as the interchange spec fixes it.
RECIST11 = Rules(Criteria.RECIST11, recist_size, recist_target)
