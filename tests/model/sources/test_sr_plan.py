"""DICOM SR reports merged into a study: matched lesions, the roles proposed from the baseline
(RECIST 1.1, sections 3.1.1, 3.3.1 and 4.3.2), the preview's actions, one undoable write
audited with the reports' SOP Instance UIDs, and unknown patients refused (issue 21)."""

from __future__ import annotations

from datetime import date

import pytest

from model.domain import PatientRecord, Role, Status, StudyData
from model.editing.edits import UpdateLesion
from model.errors import InputError
from model.sources.dicom_sr import read_reports
from model.sources.sr_import import plan_from_store, read_patient_map, write_plan
from model.sources.sr_plan import SOP_FIELD, TRACKING_FIELD, Action
from model.store.study import Store
from tests.model.sources.sr_builders import Lesion, report, save
from tests.model.store.builders import measurement

BASELINE, FOLLOW_UP = date(2024, 1, 5), date(2024, 3, 1)


def _store(*measurements) -> Store:
    store = Store.in_memory()
    patients = (PatientRecord("P01", date(2024, 1, 2)), PatientRecord("P02", date(2024, 1, 2)))
    store.import_study_data(StudyData(patients=patients, measurements=measurements))
    return store


def _reports(tmp_path, *made):
    for index, sr in enumerate(made):
        save(sr, tmp_path / f"sr{index}.dcm")
    return read_reports([tmp_path])


def _roles(plan):
    return {x.lesion_id: x.role for x in plan.lesions}


def test_baseline_roles_take_the_largest_measurable_within_five_and_two_per_organ(tmp_path):
    """RECIST 1.1, sections 3.1.1 and 3.3.1: measurable at 10 mm (node short axis 15 mm);
    at most five targets, two per organ, the largest first; the rest non-targets."""
    lesions = [
        Lesion("L1", "liver", 31.0),
        Lesion("L2", "liver", 23.0),
        Lesion("L3", "liver", 40.0),
        Lesion("N1", "mediastinal node", 25.0, 16.0),
        Lesion("N2", "mediastinal node", 30.0, 12.0),
        Lesion("P1", "lung", 8.0),
        Lesion("A1", "adrenal", 11.0),
        Lesion("B1", "bone", 19.0),
        Lesion("U1", "", 14.0),
    ]
    plan = plan_from_store(_store(), _reports(tmp_path, report("P01", BASELINE, lesions)))
    assert _roles(plan) == {
        "L1": Role.TARGET,
        "L2": Role.NON_TARGET,  # a third liver lesion
        "L3": Role.TARGET,
        "N1": Role.TARGET,
        "N2": Role.NON_TARGET,  # a node of 12 mm short axis is not measurable
        "P1": Role.NON_TARGET,  # 8 mm
        "A1": Role.NON_TARGET,  # five targets already: 40, 31, 19, 16, 14
        "B1": Role.TARGET,
        "U1": Role.TARGET,
    }
    why = {x.lesion_id: x.why for x in plan.lesions}
    assert why["N2"] == "node short axis 12 mm is below the measurable 15 mm"
    assert why["L2"].startswith("measurable, but RECIST 1.1 takes at most 5 targets")
    assert not plan.problems


def test_a_follow_up_report_fills_the_targets_of_its_scan(tmp_path):
    """The issue's first 'done when': the follow-up's targets, after one write."""
    m = Status.MEASURED
    store = _store(
        measurement("P01", BASELINE, "T1", m, 32.0, site="liver"),
        measurement("P01", BASELINE, "T2", m, 18.0, site="mediastinal node", lymph_node=True),
        measurement("P01", BASELINE, "NT1", Status.PRESENT, site="bone"),
    )
    follow_up = report(
        "P01",
        FOLLOW_UP,
        [Lesion("T1", "liver", 21.0), Lesion("T2", "mediastinal node", 20.0, 9.0)],
        style="ohif",
    )
    plan = plan_from_store(store, _reports(tmp_path, follow_up))
    assert [(r.lesion_id, r.action, r.size_mm) for r in plan.rows] == [
        ("T1", Action.NEW, 21.0),
        ("T2", Action.NEW, 9.0),  # a node's short axis
        ("NT1", Action.NOT_IN_REPORT, None),
    ]
    assert {x.matched for x in plan.lesions} == {"label"}
    write_plan(store, plan)
    cells = {
        (r.lesion_id, r.status, r.diameter_mm)
        for r in store.patient_data("P01").measurements
        if r.scan_date == FOLLOW_UP
    }
    assert cells == {("T1", m, 21.0), ("T2", m, 9.0)}


def test_a_second_import_updates_changed_values_and_finds_lesions_by_tracking_uid(tmp_path):
    store = _store()
    first = report("P01", BASELINE, [Lesion("T1", "liver", 25.0, uid="1.2.3.4")])
    write_plan(store, plan_from_store(store, _reports(tmp_path / "a", first)))
    # The reader renamed the lesion in Nadir; the report's Tracking UID still finds it.
    store.apply(UpdateLesion("P01", "T1", new_lesion_id="LIVER-1"))
    again = report("P01", BASELINE, [Lesion("T1", "liver", 26.0, uid="1.2.3.4")], written="130000")
    plan = plan_from_store(store, _reports(tmp_path / "b", again))
    (row,) = plan.rows
    assert (row.lesion_id, row.action, row.before) == ("LIVER-1", Action.UPDATE, "measured 25 mm")
    assert plan.lesions[0].matched == "tracking UID"
    write_plan(store, plan)
    (stored,) = store.patient_data("P01").measurements
    assert stored.extra == {SOP_FIELD: again.SOPInstanceUID, TRACKING_FIELD: "1.2.3.4"}
    unchanged = plan_from_store(store, _reports(tmp_path / "b", again))
    assert [r.action for r in unchanged.rows] == [Action.SAME] and not unchanged.edits


def test_a_lesion_first_seen_after_baseline_is_proposed_new_and_a_choice_overrides(tmp_path):
    """RECIST 1.1, section 4.3.2: a lesion that appears after baseline is a new lesion."""
    base = report("P01", BASELINE, [Lesion("T1", "liver", 25.0)])
    later = report("P01", FOLLOW_UP, [Lesion("T1", "liver", 20.0), Lesion("", "lung", 12.0)])
    reports = _reports(tmp_path, base, later)
    store = _store()
    plan = plan_from_store(store, reports)
    new = next(x for x in plan.lesions if not x.label)
    assert (new.lesion_id, new.role) == ("N1", Role.NEW)
    assert new.why == f"first seen {FOLLOW_UP}, after the baseline {BASELINE}"
    chosen = plan_from_store(store, reports, roles={("P01", new.key): Role.NON_TARGET})
    relabelled = next(x for x in chosen.lesions if x.key == new.key)
    assert (relabelled.lesion_id, relabelled.role, relabelled.why) == (
        "NT1",
        Role.NON_TARGET,
        "chosen by the reader",
    )


def test_a_target_without_a_size_is_a_problem_until_its_role_changes(tmp_path):
    sr = report("P01", BASELINE, [Lesion("T1", "liver", 25.0), Lesion("X", "bone")])
    reports = _reports(tmp_path, sr)
    store = _store()
    key = next(x.key for x in plan_from_store(store, reports).lesions if x.label == "X")
    plan = plan_from_store(store, reports, roles={("P01", key): Role.TARGET})
    (problem,) = plan.problems
    assert "sr0.dcm, group 2 (X): P01 X on 2024-01-05 is a target" in problem
    with pytest.raises(InputError):
        write_plan(store, plan)
    assert store.patient_data("P01").measurements == ()


def test_the_write_is_one_transaction_and_its_inverses_undo_it(tmp_path):
    store = _store()
    before = store.snapshot("P01")
    sr = report("P01", BASELINE, [Lesion("T1", "liver", 25.0), Lesion("T2", "lung", 15.0)])
    plan = plan_from_store(store, _reports(tmp_path, sr))
    done = store.apply_all(plan.edits)
    store.apply_all([inverse for _, inverse in reversed(done)])
    assert store.snapshot("P01") == before


def test_the_audit_trail_names_the_report(tmp_path):
    store = _store()
    sr = report("P01", BASELINE, [Lesion("T1", "liver", 25.0)])
    write_plan(store, plan_from_store(store, _reports(tmp_path, sr)))
    inserts = [e.new_value for e in store.history("P01") if e.table == "measurements"]
    assert any(sr.SOPInstanceUID in str(value) for value in inserts)


def test_an_older_version_of_a_report_is_left_out(tmp_path):
    old = report("P01", BASELINE, [Lesion("T1", "liver", 25.0)], written="090000")
    new = report("P01", BASELINE, [Lesion("T1", "liver", 27.0)], written="110000")
    plan = plan_from_store(_store(), _reports(tmp_path, old, new))
    assert [r.size_mm for r in plan.rows] == [27.0]
    assert any("is an older report of P01 on 2024-01-05" in note for note in plan.notes)


def test_an_unknown_patient_is_refused_and_a_patient_map_resolves_it(tmp_path):
    sr = report("PSEUDO-7", BASELINE, [Lesion("T1", "liver", 25.0)])
    reports = _reports(tmp_path / "sr", sr)
    with pytest.raises(InputError) as caught:
        plan_from_store(_store(), reports)
    assert "column Patient ID, value 'PSEUDO-7': this DICOM Patient ID is not a patient_id" in str(
        caught.value
    )
    mapping = tmp_path / "map.csv"
    mapping.write_text("dicom_patient_id,patient_id\nPSEUDO-7,P02\n")
    plan = plan_from_store(_store(), reports, read_patient_map(mapping))
    assert {r.patient_id for r in plan.rows} == {"P02"}


def test_a_bad_patient_map_is_named_by_line(tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("dicom_patient_id,patient_id\nA,P01\nA,P02\nB,\n")
    with pytest.raises(InputError) as caught:
        read_patient_map(mapping)
    assert f"{mapping}, line 3, column dicom_patient_id, value 'A'" in str(caught.value)
    assert f"{mapping}, line 4: both columns need a value" in str(caught.value)


def test_the_reader_matches_an_unlabelled_lesion_by_naming_it(tmp_path):
    """OHIF gives each annotation its own Tracking UID: a follow-up lesion measured without a
    label is unmatched until the reader names the study's lesion it is."""
    store = _store(measurement("P01", BASELINE, "T1", Status.MEASURED, 32.0, site="liver"))
    later = report("P01", FOLLOW_UP, [Lesion("", "liver", 21.0), Lesion("", "lung", 9.0)],
                   style="ohif")  # fmt: skip
    reports = _reports(tmp_path, later)
    first, second = (x for x in plan_from_store(store, reports).lesions if x.is_new)
    names = {("P01", first.key): "t1", ("P01", second.key): "LUNG-1"}
    plan = plan_from_store(store, reports, names=names)
    matched = next(x for x in plan.lesions if x.lesion_id == "T1")
    assert (matched.matched, matched.role, matched.is_new) == (
        "the reader's choice", Role.TARGET, False)  # fmt: skip
    renamed = next(x for x in plan.lesions if x.is_new)
    assert (renamed.lesion_id, renamed.role) == ("LUNG-1", Role.NEW)
    assert [(r.lesion_id, r.action, r.size_mm) for r in plan.rows] == [
        ("T1", Action.NEW, 21.0), ("LUNG-1", Action.NEW, 9.0)]  # fmt: skip
