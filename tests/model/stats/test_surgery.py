"""Surgery outcomes by arm and AE attribution to a drug or a procedure (issue 18, items 2-3).

Exact CIs checked against R: binom.test(1, 2)$conf.int = 0.01257912 0.98742088 (R 4.2.2).
"""

from __future__ import annotations

from datetime import date

import pytest

from model.domain import AdverseEvent, EventRecord, PatientRecord, StudyData
from model.rules.clinical import DRUG, PROCEDURE, attribution_cause
from model.stats.adverse_events import ae_by_cause
from model.stats.endpoints import PatientEndpoints
from model.stats.surgery import surgery_document, surgery_outcomes

START = date(2024, 1, 1)


def patient(pid: str, arm: str) -> PatientRecord:
    return PatientRecord(pid, START, arm, histology="UPS")


def surgery(pid: str, month: int, margin: str | None, necrosis: float | None) -> EventRecord:
    return EventRecord(pid, "Surgery", date(2024, month, 1), None, "lung", {}, "curative",
                       margin, necrosis)  # fmt: skip


def endpoint(pid: str, arm: str) -> PatientEndpoints:
    return PatientEndpoints(pid, arm, START, 100, True, "", 200, False, "")


PATIENTS = (patient("P1", "A"), patient("P2", "A"), patient("P3", "B"), patient("P4", "B"))
EVENTS = (
    surgery("P1", 3, "R1", 50.0),
    surgery("P1", 6, "R0", 95.0),
    surgery("P3", 4, "R2", None),
    EventRecord("P4", "treatment", START, None, "camrelizumab"),
)


def outcomes(**options):
    endpoints = [endpoint(p.patient_id, p.arm) for p in PATIENTS]
    best = {("P1", date(2024, 3, 1)): "PR", ("P1", date(2024, 6, 1)): "CR"}
    return surgery_outcomes(StudyData(patients=PATIENTS, events=EVENTS), endpoints,
                            lambda pid, when: best.get((pid, when)), **options)  # fmt: skip


def test_patient_operated_twice_counts_once_and_by_the_best_operation():
    """Issue 18, item 3: rate of surgery per arm; R0 and MPR (necrosis >= 90 %)."""
    a, b = outcomes().arms
    assert (a.operated.k, a.operated.n, b.operated.k, b.operated.n) == (1, 2, 1, 2)
    assert (a.r0.k, a.r0.n, a.mpr.k, a.mpr.n) == (1, 1, 1, 1)
    assert (b.r0.k, b.r0.n, b.mpr.n, b.mpr.rate) == (0, 1, 0, None)
    assert a.operated.ci_low == pytest.approx(0.01257912, abs=1e-8)
    assert a.operated.ci_high == pytest.approx(0.98742088, abs=1e-8)


def test_listing_has_one_row_per_operation_with_the_best_response_before_it():
    rows = surgery_document(outcomes())["listing"]
    assert [(r["patient_id"], r["margin"], r["best_response_before"]) for r in rows] == [
        ("P1", "R1", "PR"), ("P1", "R0", "CR"), ("P3", "R2", None)]  # fmt: skip
    assert rows[0]["site"] == "lung" and rows[0]["histology"] == "UPS"


def test_one_sided_bounds_follow_the_setting():
    a = outcomes(level=0.9, one_sided=True).arms[0]
    assert a.operated.ci_high == 1.0
    assert outcomes().comparison.test == "Fisher's exact test"


def test_attribution_cause_is_the_kind_of_the_event_it_names():
    """Issue 18, item 2: attributed to a procedure (dTACE) versus a drug."""
    events = [EventRecord("P1", "treatment", START, None, "Camrelizumab + Apatinib"),
              EventRecord("P1", "procedure", START, None, "dTACE")]  # fmt: skip
    assert attribution_cause("apatinib", events) == DRUG
    assert attribution_cause("DTACE", events) == PROCEDURE
    assert attribution_cause("unrelated", events) is None
    assert attribution_cause("surgery", events) is None


def test_ae_by_cause_counts_each_event_under_its_cause():
    patients = (patient("P1", "A"), patient("P2", "B"))
    events = (EventRecord("P1", "treatment", START, None, "camrelizumab"),
              EventRecord("P2", "procedure", START, None, "dTACE"),
              EventRecord("P2", "treatment", START, None, "camrelizumab"))  # fmt: skip
    aes = (AdverseEvent("P1", "Fever", 2, START, attribution="Camrelizumab"),
           AdverseEvent("P2", "fever", 3, START, attribution="dTACE"),
           AdverseEvent("P2", "Fever", 5, START, attribution="camrelizumab"),
           AdverseEvent("P2", "Rash", 1, START, attribution="dTACE"),
           AdverseEvent("P1", "Rash", 4, START, attribution="dTACE"))  # fmt: skip
    by_cause = ae_by_cause(patients, aes, events)
    drug, procedure = by_cause[DRUG], by_cause[PROCEDURE]
    assert [t["term"] for t in drug["terms"]] == ["Fever"]
    assert drug["terms"][0]["arms"]["B"]["grade_5"]["n"] == 1
    assert [a["any"]["n"] for a in procedure["arms"]] == [0, 1]
    # P1 had no dTACE: their rash attributed to it counts under neither cause.
    assert [t["term"] for t in procedure["terms"]] == ["fever", "Rash"]
