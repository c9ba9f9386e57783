"""The demo study is deterministic, obeys the baseline rules and shows what Nadir can do.

Source: interchange spec, "How a time point is judged" (baseline rules:
targets measured, non-targets present, no new lesion, nothing first seen
later; measurable size 10 mm, node short axis 15 mm) and "mRECIST" (a
baseline target needs viable_mm); the store helper's brief for the demo.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from model.criteria.assessment import assess_study
from model.criteria.readings import readings_by_patient
from model.demo.cohort import demo_study
from model.demo.course import ARMS
from model.domain import AssessmentSettings, Criteria, Role, Status, StudyData
from tests.model.store.builders import study_store


@cache
def demo() -> StudyData:
    """Returns the default demo study, made once for this module."""
    return demo_study()


def test_same_seed_gives_the_same_study_and_a_larger_study_extends_a_smaller_one():
    assert demo_study(40, seed=3) == demo_study(40, seed=3)
    assert demo_study(40, seed=3) != demo_study(40, seed=4)
    assert demo_study(10).patients == demo().patients[:10]


def test_baseline_rules_hold_for_every_patient():
    data = demo()
    rows_by_patient: dict[str, list] = {}
    for row in data.measurements:
        rows_by_patient.setdefault(row.patient_id, []).append(row)
    for rows in rows_by_patient.values():
        baseline = min(r.scan_date for r in rows)
        first_seen: dict[str, object] = {}
        for row in rows:
            first_seen.setdefault(row.lesion_id, row.scan_date)
        for row in (r for r in rows if r.scan_date == baseline):
            assert row.role is not Role.NEW
            if row.role is Role.TARGET:
                assert row.status is Status.MEASURED
                assert row.diameter_mm >= (15 if row.lymph_node else 10)
                assert row.lymph_node or row.viable_mm is not None
            else:
                assert row.status is Status.PRESENT
        assert all(d == baseline for i, d in first_seen.items() if not i.startswith("N1"))


def test_engine_reads_the_demo_without_error_or_warning():
    data = demo()
    assert len(readings_by_patient(data, require_viable=True)) == 213
    for criteria in Criteria:
        assessed = assess_study(data, AssessmentSettings(criteria=criteria))
        warnings = [w for a in assessed for w in a.warnings]
        # iRECIST may warn of a confirmation scan late after a not-evaluated one.
        assert all("iRECIST confirms within" in w for w in warnings)
        assert len(warnings) <= (5 if criteria is Criteria.IRECIST else 0)


def test_responses_mix_and_the_dtace_arm_does_better():
    data = demo()
    arm = {p.patient_id: p.arm for p in data.patients}
    best = Counter(
        (arm[a.patient_id], a.best_overall_response)
        for a in assess_study(data, AssessmentSettings())
    )
    for name in ARMS:
        assert all(best[name, code] >= 3 for code in ("CR", "PR", "SD", "PD"))
    responders = {name: best[name, "CR"] + best[name, "PR"] for name in ARMS}
    assert responders[ARMS[1]] > 1.3 * responders[ARMS[0]]


def test_demo_holds_every_kind_of_row_the_app_shows():
    data = demo()
    by_cell = Counter((m.patient_id, m.scan_date, m.lesion_id) for m in data.measurements)
    new_statuses = {m.status for m in data.measurements if m.role is Role.NEW}
    dtace_liver = [
        m
        for m in data.measurements
        if m.site == "liver" and m.viable_mm is not None and m.viable_mm < m.diameter_mm
    ]
    kinds = Counter((e.kind, e.detail) for e in data.events)
    assert {p.arm for p in data.patients} == set(ARMS)
    assert any(count == 2 for count in by_cell.values())
    assert {Status.EQUIVOCAL, Status.PRESENT, Status.INCREASED} <= new_statuses
    assert any(m.irradiated for m in data.measurements)
    assert any(m.lymph_node and m.role is Role.TARGET for m in data.measurements)
    arm = {p.patient_id: p.arm for p in data.patients}
    assert dtace_liver and {arm[m.patient_id] for m in dtace_liver} == {ARMS[1]}
    margins = Counter(e.margin for e in data.events if e.kind == "surgery")
    assert kinds["procedure", "dTACE"] > 50 and margins["R0"] > 0 and margins["R1"] > 0
    assert any(p.death_date for p in data.patients)
    assert any(p.death_date is None and p.last_contact_date for p in data.patients)
    assert {p.sex for p in data.patients} == {"F", "M"}
    scans = Counter(p for p, _ in {(m.patient_id, m.scan_date) for m in data.measurements})
    assert min(scans.values()) >= 4 and max(scans.values()) <= 12


def test_demo_imports_through_the_store_unchanged():
    data = demo_study(60)
    assert study_store(data).study_data() == data


def test_demo_has_its_baseline_variables_and_adverse_events_per_arm():
    """Issue 16: every declared variable has values (a few blank), every value fits its
    declaration; grade 3+ adverse events in both arms, some attributed to dTACE."""
    from model.interchange.check import check_study
    from model.rules.clinical import value_problem, variable_values

    data = demo()
    assert [v.name for v in data.variables] == [
        "histology_group", "size_over_10cm", "prior_lines", "prior_chemo", "prior_tki", "ecog",
        "pdl1", "tmb", "tls"]  # fmt: skip
    declared = {v.name: v for v in data.variables}
    counts = Counter(name for p in data.patients for name in variable_values(p))
    assert set(counts) == set(declared) and counts["pdl1"] < len(data.patients)
    for p in data.patients:
        assert not any(value_problem(declared[n], x) for n, x in variable_values(p).items())
    arm = {p.patient_id: p.arm for p in data.patients}
    severe = {arm[a.patient_id] for a in data.adverse_events if a.grade >= 3}
    assert severe == set(ARMS)
    assert {arm[a.patient_id] for a in data.adverse_events if a.attribution == "dTACE"} == {ARMS[1]}
    assert check_study(data) == []
