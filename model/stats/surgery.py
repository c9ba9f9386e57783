"""Surgery outcomes by arm (issue 18, item 3): the rate of surgery per arm with the test the
response table uses, a listing of the operated patients, and the R0 rate and the major
pathological response among them with exact CIs.

Surgery is an event of kind `surgery` (interchange 1.1, events.csv) with its outcome columns
(intent, margin, necrosis_pct). A patient counts as operated once, whatever the number of
operations; the listing has one row per operation. The R0 rate is among the operated
patients with a recorded margin, the major pathological response (MPR: necrosis of 90 % or
more of the specimen, Pollack et al. 2018 for sarcoma; Hellmann et al. 2014) among those with
a recorded necrosis; a patient operated twice counts by the best of their operations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from model.domain import EventRecord, StudyData
from model.rules.clinical import SURGERY
from model.stats.endpoints import PatientEndpoints
from model.stats.response_rates import (
    Comparison,
    Proportion,
    compare_proportions,
    confidence_bounds,
)

#: A patient's best overall response over the scans before a date (model.analysis
#: `StudyAnalysis.best_response_before`), or None.
BestBefore = Callable[[str, date], "str | None"]

#: Necrosis of the specimen (%) from which a response is a major pathological response.
MPR_NECROSIS_PCT = 90.0
#: The margin of a complete resection (R classification, UICC).
R0 = "R0"


@dataclass(frozen=True)
class Operation:
    """One row of the surgery listing: an operated patient, the operation and its outcome."""

    patient_id: str
    arm: str
    surgery_date: date
    histology: str | None
    #: What was operated: the surgery event's detail (interchange spec, events.csv).
    site: str | None
    intent: str | None
    margin: str | None
    necrosis_pct: float | None
    #: The best overall response over the scans dated before the operation.
    best_response_before: str | None
    pfs_days: int
    pfs_event: bool
    os_days: int
    os_event: bool


@dataclass(frozen=True)
class ArmSurgery:
    """One arm's operated patients among all, R0 among those with a margin, and MPR among
    those with a necrosis recorded, each with its exact CI."""

    arm: str
    operated: Proportion
    r0: Proportion
    mpr: Proportion


@dataclass(frozen=True)
class SurgeryOutcomes:
    """Surgery per arm (in the study's arm order), the between-arm test of the rate of
    surgery, the listing, and the confidence level and sidedness of every CI."""

    arms: tuple[ArmSurgery, ...]
    comparison: Comparison | None
    listing: tuple[Operation, ...]
    level: float
    one_sided: bool


def surgery_outcomes(
    data: StudyData,
    endpoints: Sequence[PatientEndpoints],
    best_before: BestBefore,
    *,
    level: float = 0.95,
    one_sided: bool = False,
) -> SurgeryOutcomes:
    """Returns the study's surgery outcomes (module docstring), every CI exact at `level`
    (two-sided, or with `one_sided` the lower bound; the study's settings confidence_level
    and one_sided)."""
    listing = tuple(operations(data, endpoints, best_before))
    arms = []
    for arm in dict.fromkeys(p.arm for p in data.patients):
        n = sum(p.arm == arm for p in data.patients)
        mine = [o for o in listing if o.arm == arm]
        operated = len({o.patient_id for o in mine})
        arms.append(
            ArmSurgery(
                arm,
                proportion(operated, n, level, one_sided),
                _best_of(mine, lambda o: o.margin, lambda m: m.upper() == R0, level, one_sided),
                _best_of(mine, lambda o: o.necrosis_pct, is_mpr, level, one_sided),
            )
        )
    comparison = compare_proportions([(a.operated.k, a.operated.n) for a in arms])
    return SurgeryOutcomes(tuple(arms), comparison, listing, level, one_sided)


def is_mpr(necrosis_pct: float) -> bool:
    """True when the necrosis is a major pathological response (MPR_NECROSIS_PCT or more)."""
    return necrosis_pct >= MPR_NECROSIS_PCT


def proportion(k: int, n: int, level: float, one_sided: bool) -> Proportion:
    """k of n with its exact CI at `level` (model.stats.response_rates.confidence_bounds);
    no rate nor CI when n is 0."""
    if n == 0:
        return Proportion(k, n, None, None, None)
    return Proportion(k, n, k / n, *confidence_bounds(k, n, level, one_sided=one_sided))


def _best_of(operations_, value, success, level: float, one_sided: bool) -> Proportion:
    """Patients with a recorded value among `operations_`, and those with a success in any."""
    outcome: dict[str, bool] = {}
    for operation in operations_:
        recorded = value(operation)
        if recorded is not None:
            outcome[operation.patient_id] = outcome.get(operation.patient_id, False) or success(
                recorded
            )
    return proportion(sum(outcome.values()), len(outcome), level, one_sided)


def operations(
    data: StudyData, endpoints: Sequence[PatientEndpoints], best_before: BestBefore
) -> list[Operation]:
    """Returns one listing row per surgery event, in patient order, then date order."""
    patients = {p.patient_id: p for p in data.patients}
    by_patient = {e.patient_id: e for e in endpoints}
    order = {pid: i for i, pid in enumerate(patients)}
    surgeries = sorted(
        (e for e in data.events if e.kind.strip().lower() == SURGERY and e.patient_id in order),
        key=lambda e: (order[e.patient_id], e.start_date),
    )
    return [
        _operation(
            event,
            patients[event.patient_id].histology,
            best_before(event.patient_id, event.start_date),
            by_patient[event.patient_id],
        )
        for event in surgeries
        if event.patient_id in by_patient
    ]


def _operation(
    event: EventRecord, histology: str | None, before: str | None, endpoint: PatientEndpoints
) -> Operation:
    return Operation(
        patient_id=event.patient_id,
        arm=endpoint.arm,
        surgery_date=event.start_date,
        histology=histology,
        site=event.detail,
        intent=event.intent,
        margin=event.margin,
        necrosis_pct=event.necrosis_pct,
        best_response_before=before,
        pfs_days=endpoint.pfs_days,
        pfs_event=endpoint.pfs_event,
        os_days=endpoint.os_days,
        os_event=endpoint.os_event,
    )


def surgery_document(outcomes: SurgeryOutcomes) -> dict:
    """Returns the outcomes as JSON-ready data (the report's `surgery` section)."""
    return {
        "confidence_level": outcomes.level,
        "one_sided": outcomes.one_sided,
        "mpr_necrosis_pct": MPR_NECROSIS_PCT,
        "arms": [
            {"arm": a.arm, **{k: _proportion(getattr(a, k)) for k in ("operated", "r0", "mpr")}}
            for a in outcomes.arms
        ],
        "comparison": None if outcomes.comparison is None else {
            "test": outcomes.comparison.test, "p": outcomes.comparison.p},
        "listing": [_listing_row(o) for o in outcomes.listing],
    }  # fmt: skip


def _proportion(p: Proportion) -> dict:
    return {"k": p.k, "n": p.n, "rate": p.rate, "ci_low": p.ci_low, "ci_high": p.ci_high}


def _listing_row(o: Operation) -> dict:
    row = {k: getattr(o, k) for k in Operation.__dataclass_fields__}
    row["surgery_date"] = o.surgery_date.isoformat()
    return row


def listing_columns() -> Sequence[str]:
    """The listing's fields, in order (the keys of `surgery_document`'s listing rows)."""
    return tuple(Operation.__dataclass_fields__)
