"""Merging a copy of a study back (issue #7, part 5): rows matched by their stable UUIDs,
changes since the copies diverged taken from whichever copy made them, conflicts listed
rather than overwritten, no edit lost (design.md, "Store")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from model.domain import EventRecord, PatientRecord, Status
from model.editing.edits import (
    AddEvent,
    AddPatient,
    AddScan,
    RemoveLesion,
    RemovePatient,
    SetAdjudication,
    SetObservation,
    SetReadComplete,
    UpdatePatient,
)
from model.errors import InputError
from model.merge.study import merge_studies
from model.store.backup_files import list_backups
from model.store.study import Store
from tests.model.double_reading.builders import BASELINE, FOLLOW_UP, double_read
from tests.model.store.builders import state

LATER = date(2024, 5, 2)


@pytest.fixture
def copies(tmp_path):
    """Returns (the nurse's study, the radiologist's copy of it), both read by A so far."""
    study = double_read({"P1": ("PR", "SD"), "P2": ("SD", "SD")})
    only_a = tuple(m for m in study.measurements if m.reader == "A")
    nurse = Store.open(tmp_path / "study.nadir")
    nurse.import_study_data(type(study)(study.patients, only_a))
    nurse.backup(tmp_path / "copy.nadir")
    laptop = Store.open(tmp_path / "copy.nadir")
    yield nurse, laptop
    nurse.close()
    laptop.close()


def _b_reads(store: Store, pid: str, follow_up_mm: float) -> None:
    store.apply(SetObservation(pid, "T1", BASELINE, "B", Status.MEASURED, 50.0))
    store.apply(SetObservation(pid, "T1", FOLLOW_UP, "B", Status.MEASURED, follow_up_mm))


def _cell(store: Store, pid: str, scan_date: date, reader: str):
    return [
        (m.status, m.diameter_mm)
        for m in store.study_data().measurements
        if (m.patient_id, m.scan_date, m.reader) == (pid, scan_date, reader)
    ]


def test_a_second_read_made_offline_is_merged_beside_the_nurses_edits(copies):
    """Issue #7: rows only in the copy are added; the target's own changes stay."""
    nurse, laptop = copies
    _b_reads(laptop, "P1", 45.0)
    nurse.apply(AddEvent(EventRecord("P1", "surgery", LATER, detail="R0")))
    report = merge_studies(nurse, laptop)
    assert report.conflicts == ()
    assert report.added == 2
    assert _cell(nurse, "P1", FOLLOW_UP, "B") == [(Status.MEASURED, 45.0)]
    assert [e.record.kind for e in nurse.events("P1")] == ["surgery"]
    assert nurse.readers() == ("A", "B")


def test_a_change_made_in_one_copy_only_is_taken_either_way(copies):
    """Issue #7: a row changed in only one copy since they diverged takes that change."""
    nurse, laptop = copies
    laptop.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 33.0))
    nurse.apply(SetObservation("P2", "T1", FOLLOW_UP, "A", Status.MEASURED, 44.0))
    report = merge_studies(nurse, laptop)
    assert (report.changed, report.conflicts) == (1, ())
    assert _cell(nurse, "P1", FOLLOW_UP, "A") == [(Status.MEASURED, 33.0)]
    assert _cell(nurse, "P2", FOLLOW_UP, "A") == [(Status.MEASURED, 44.0)]


def test_a_conflict_is_listed_and_the_target_keeps_its_value(copies):
    """Issue #7: both copies changed one measurement differently: listed, not overwritten."""
    nurse, laptop = copies
    laptop.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 33.0))
    nurse.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 31.0))
    report = merge_studies(nurse, laptop)
    (conflict,) = report.conflicts
    assert conflict.patient_id == "P1"
    assert conflict.what == f"T1 on {FOLLOW_UP} by A"
    assert (conflict.target, conflict.source) == ("measured 31 mm", "measured 33 mm")
    assert _cell(nurse, "P1", FOLLOW_UP, "A") == [(Status.MEASURED, 31.0)]
    assert "T1 on 2024-03-01 by A: kept" in str(conflict)


def test_the_same_change_in_both_copies_is_no_conflict(copies):
    """Issue #7: only different values conflict."""
    nurse, laptop = copies
    for store in copies:
        store.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 33.0))
    assert merge_studies(nurse, laptop).conflicts == ()


def test_removals_follow_the_copy_that_made_them(copies):
    """Issue #7: a row removed in one copy since they diverged stays removed."""
    nurse, laptop = copies
    laptop.apply(RemoveLesion("P1", "T1"))
    nurse.apply(AddScan("P2", LATER))
    nurse.apply(RemoveLesion("P2", "T1"))
    report = merge_studies(nurse, laptop)
    assert report.conflicts == ()
    assert nurse.snapshot("P1").lesions == ()
    assert nurse.snapshot("P2").lesions == ()
    assert report.removed == 3  # P1's lesion and its two measurements


def test_a_patient_an_adjudication_and_a_signoff_made_offline_are_merged(copies):
    """Issue #7: a patient added in the copy comes with all its rows; decisions too."""
    nurse, laptop = copies
    laptop.apply(AddPatient(PatientRecord("P3", date(2024, 2, 1))))
    laptop.apply(AddScan("P3", BASELINE))
    _b_reads(laptop, "P2", 45.0)
    laptop.apply(SetAdjudication("P2", "B", "B is right", adjudicator="C"))
    laptop.apply(SetReadComplete("P2", FOLLOW_UP, "B"))
    report = merge_studies(nurse, laptop)
    assert report.patients_added == ("P3",)
    assert nurse.patient_ids() == ("P1", "P2", "P3")
    assert nurse.snapshot("P3") == laptop.snapshot("P3")
    assert nurse.adjudications() == laptop.adjudications()
    assert nurse.read_signoffs() == laptop.read_signoffs() != ()


def test_a_change_of_the_patients_fields_in_both_copies_conflicts(copies):
    """Issue #7: the patient's own fields are one row."""
    nurse, laptop = copies
    laptop.apply(UpdatePatient("P1", PatientRecord("P1", date(2024, 1, 3), sex="F")))
    nurse.apply(UpdatePatient("P1", PatientRecord("P1", date(2024, 1, 3), sex="M")))
    (conflict,) = merge_studies(nurse, laptop).conflicts
    assert conflict.what == "the patient's own fields"
    assert nurse.patient("P1").sex == "M"


def test_a_merge_is_undone_exactly(copies):
    """shared/style.md, practice 4: the merge's inverse edits restore the target."""
    nurse, laptop = copies
    before = state(nurse)
    _b_reads(laptop, "P1", 45.0)
    laptop.apply(AddPatient(PatientRecord("P3", date(2024, 2, 1))))
    report = merge_studies(nurse, laptop)
    nurse.apply_all(report.undo)
    assert state(nurse) == before


def test_no_edit_of_the_copy_is_lost(copies):
    """Issue #7: after a merge every row of the copy is in the target or listed as a conflict."""
    nurse, laptop = copies
    _b_reads(laptop, "P1", 45.0)
    _b_reads(laptop, "P2", 70.0)
    laptop.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 33.0))
    nurse.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 31.0))
    report = merge_studies(nurse, laptop)
    merged = nurse.study_data().measurements
    lost = [m for m in laptop.study_data().measurements if m not in merged]
    assert [(m.patient_id, m.lesion_id, m.scan_date, m.reader) for m in lost] == [
        ("P1", "T1", FOLLOW_UP, "A")
    ]
    assert [c.what for c in report.conflicts] == [f"T1 on {FOLLOW_UP} by A"]


def test_a_study_of_another_origin_is_refused_naming_both_and_nothing_is_written(tmp_path):
    """Issue 14, attack 1: an unrelated study whose patients share ids used to be grafted in
    (one patient ending with two people's scans); only a copy of the same study merges."""
    study = double_read({"P1": ("PR", "SD")})
    only_a = type(study)(study.patients, tuple(m for m in study.measurements if m.reader == "A"))
    with (
        Store.open(tmp_path / "nurse.nadir") as nurse,
        Store.open(tmp_path / "other.nadir") as other,
    ):
        nurse.import_study_data(only_a)
        other.import_study_data(study)
        before = state(nurse)
        with pytest.raises(InputError, match="other.nadir is not a copy of .*nurse.nadir") as error:
            merge_studies(nurse, other)
        assert nurse.identity() in str(error.value) and other.identity() in str(error.value)
        assert state(nurse) == before
    assert list(tmp_path.glob("*.bak")) == []


def test_a_merge_backs_the_target_up_first(copies, tmp_path):
    nurse, laptop = copies
    before = nurse.study_data()
    _b_reads(laptop, "P1", 45.0)
    merge_studies(nurse, laptop)
    (backup,) = list_backups(nurse.path)
    assert backup.kind == "before-merge"
    with Store.open(backup.path, read_only=True) as kept:
        assert kept.study_data() == before


def test_a_patient_removed_in_the_copy_but_edited_in_the_target_is_kept_and_listed(copies):
    """Issue #7: a removal that meets a change is a conflict; the target keeps the patient."""
    nurse, laptop = copies
    laptop.apply(RemovePatient("P2"))
    nurse.apply(SetObservation("P2", "T1", FOLLOW_UP, "A", Status.MEASURED, 44.0))
    (conflict,) = merge_studies(nurse, laptop).conflicts
    assert (conflict.patient_id, conflict.what) == ("P2", "the patient")
    assert conflict.source == "nothing (removed)"
    assert conflict.target.startswith("the patient with 5 rows")
    assert "P2" in nurse.patient_ids()


def test_a_patient_removed_in_the_copy_only_is_removed(copies):
    """Issue #7: a removal made in one copy only is taken."""
    nurse, laptop = copies
    laptop.apply(RemovePatient("P2"))
    report = merge_studies(nurse, laptop)
    assert (report.conflicts, nurse.patient_ids(), report.removed) == ((), ("P1",), 6)


def test_an_edit_undone_in_the_target_is_no_change(copies):
    """Issue #7: a row counts as changed when its state differs from the one at divergence,
    so the copy's change is taken over an edit the target undid."""
    nurse, laptop = copies
    _, undo = nurse.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 31.0))
    nurse.apply(undo)
    laptop.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 33.0))
    report = merge_studies(nurse, laptop)
    assert (report.conflicts, report.changed) == ((), 1)
    assert _cell(nurse, "P1", FOLLOW_UP, "A") == [(Status.MEASURED, 33.0)]


def test_a_decision_taken_and_withdrawn_in_the_target_lets_the_copys_through(copies):
    """Issue #7: an adjudication set then cleared is no change of the target."""
    nurse, laptop = copies
    for store in copies:
        _b_reads(store, "P1", 45.0)
    nurse.apply(SetAdjudication("P1", "A", "first look"))
    nurse.apply(SetAdjudication("P1", None))
    laptop.apply(SetAdjudication("P1", "B", "B is right"))
    report = merge_studies(nurse, laptop)
    assert [c.what for c in report.conflicts if "adjudication" in c.what] == []
    assert [a.reader for a in nurse.adjudications()] == ["B"]


def test_a_copy_imported_again_as_it_was_changes_nothing(copies):
    """Issue 19: a patient's import entry counts as an insert of each row it wrote, and the
    rows it replaced as deleted, so importing the same data again is no change."""
    nurse, laptop = copies
    laptop.import_study_data(laptop.study_data())
    nurse.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 31.0))
    report = merge_studies(nurse, laptop)
    assert (report.added, report.changed, report.removed, report.conflicts) == (0, 0, 0, ())
    assert _cell(nurse, "P1", FOLLOW_UP, "A") == [(Status.MEASURED, 31.0)]


def test_a_value_imported_into_the_copy_is_merged_as_its_change(copies):
    nurse, laptop = copies
    data = laptop.study_data()
    imported = tuple(
        replace(m, diameter_mm=33.0)
        if (m.patient_id, m.lesion_id, m.scan_date) == ("P1", "T1", FOLLOW_UP)
        else m
        for m in data.measurements
    )
    laptop.import_study_data(replace(data, measurements=imported))
    report = merge_studies(nurse, laptop)
    assert (report.changed, report.conflicts) == (1, ())
    assert _cell(nurse, "P1", FOLLOW_UP, "A") == [(Status.MEASURED, 33.0)]


def _import_a_later_scan_of_p1(store: Store) -> None:
    data = store.study_data()
    later = tuple(
        replace(m, scan_date=LATER, diameter_mm=20.0)
        for m in data.measurements
        if (m.patient_id, m.scan_date) == ("P1", FOLLOW_UP)
    )
    store.import_study_data(replace(data, measurements=data.measurements + later))


def test_a_scan_imported_into_the_copy_is_merged_as_added(copies):
    nurse, laptop = copies
    _import_a_later_scan_of_p1(laptop)
    report = merge_studies(nurse, laptop)
    assert report.conflicts == ()
    assert [s.scan_date for s in nurse.snapshot("P1").scans][-1] == LATER
    assert _cell(nurse, "P1", LATER, "A") == [(Status.MEASURED, 20.0)]


def test_a_scan_imported_into_the_target_is_kept_without_conflict(copies):
    """An import's entry explains the rows it wrote: without it they would conflict."""
    nurse, laptop = copies
    _import_a_later_scan_of_p1(nurse)
    report = merge_studies(nurse, laptop)
    assert report.conflicts == ()
    assert _cell(nurse, "P1", LATER, "A") == [(Status.MEASURED, 20.0)]
