"""The navigator's fill judges patients in batches from one read of their rows (issue 19,
item 5): every row it lists is the one the patient's own page judges, a patient whose rows the
rules refuse shows "?" without taking the rest of its batch with it, and no patient's rows
are kept for it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gui.session import StudySession
from model.demo.cohort import demo_study
from model.domain import MeasurementRecord, PatientRecord, Role, Status
from model.editing.clinical import SetPatientValue
from model.editing.edits import SetOverride
from model.store.study import Store

#: A patient whose rows come from two readers: the rules refuse them (interchange spec, "Readers").
BROKEN = "ZZ1"


@pytest.fixture
def session(tmp_path) -> StudySession:
    """Return a session on 30 demo patients, the broken one and one without scans, two of them
    with overrides."""
    data = demo_study(n_patients=30)
    day = date(2024, 1, 5)
    rows = (
        MeasurementRecord(BROKEN, day, "T1", Role.TARGET, Status.MEASURED, "liver", False, 20.0,
                          reader="A"),
        MeasurementRecord(BROKEN, day, "T2", Role.TARGET, Status.MEASURED, "lung", False, 20.0,
                          reader="B"),
    )  # fmt: skip
    patients = (PatientRecord(BROKEN, day, "Arm A"), PatientRecord("ZZ2", day, "Arm A"))
    data = replace(data, patients=data.patients + patients, measurements=data.measurements + rows)
    store = Store.open(tmp_path / "fill.nadir")
    store.import_study_data(data)
    session = StudySession(store)
    for pid in store.patient_ids()[:2]:
        scans = sorted({m.scan_date for m in store.patient_data(pid).measurements})
        session.execute(SetOverride(pid, scans[-1], "", "PD", "seen on MRI"), "Override")
    yield session
    session.close()


def test_every_row_filled_in_batches_is_the_row_of_the_patients_own_page(session, tmp_path):
    while session.read_some(7):
        pass
    filled = session.patient_list()
    assert None not in [row[2] for row in filled]
    assert not session._views, "the fill keeps no patient's rows"
    alone = StudySession(Store.open(tmp_path / "fill.nadir", read_only=True))
    try:
        assert filled == [alone.patient_entry(row[0]) for row in filled]
    finally:
        alone.close()
    rows = {row[0]: row for row in filled}
    assert rows[BROKEN][2] == "?" and rows["ZZ2"][2] == "?"
    assert sum(row[2] == "?" for row in filled) == 2


def test_a_patient_changed_during_the_fill_is_judged_again(session):
    session.read_some(5)
    first = session.store.patient_ids()[0]
    scans = sorted({m.scan_date for m in session.store.patient_data(first).measurements})
    session.execute(SetOverride(first, scans[-1], "", "SD", "read again"), "Override")
    while session.read_some(50):
        pass
    assert session.patient_list()[0] == session.patient_entry(first)


def test_study_wide_reads_are_kept_through_row_edits_and_read_again_after_a_value(
    session, monkeypatch
):
    calls = []
    read = session.store.variables
    monkeypatch.setattr(session.store, "variables", lambda: calls.append(1) or read())
    first = session.store.patient_ids()[0]
    declared = session.variables()
    scans = sorted({m.scan_date for m in session.store.patient_data(first).measurements})
    session.execute(SetOverride(first, scans[-1], "", "SD", "read again"), "Override")
    assert session.variables() == declared and len(calls) == 1
    name = declared[0].name
    session.execute(SetPatientValue(first, name, session.values_of(name)[-1]), "Value")
    session.variables()
    assert len(calls) == 2


def test_a_second_opening_lists_the_kept_answers_without_judging_anyone(session, monkeypatch):
    """Issue 19, item 5: responses kept with the study, rebuilt when stale."""
    while session.read_some(7):
        pass
    filled = session.patient_list()
    again = StudySession(session.store)
    judged: list[str] = []
    real = StudySession._judge_batch
    monkeypatch.setattr(
        StudySession, "_judge_batch", lambda self, ids: (judged.extend(ids), real(self, ids))
    )
    assert again.read_some(7) is False
    assert judged == [] and again.patient_list() == filled


def test_an_edited_patient_is_judged_again_at_the_next_opening(session, monkeypatch):
    while session.read_some(7):
        pass
    pid = session.store.patient_ids()[3]
    scans = sorted({m.scan_date for m in session.store.patient_data(pid).measurements})
    session.execute(SetOverride(pid, scans[-1], "", "PD", "seen on MRI"), "Override")
    judged: list[str] = []
    real = StudySession._judge_batch
    monkeypatch.setattr(
        StudySession, "_judge_batch", lambda self, ids: (judged.extend(ids), real(self, ids))
    )
    again = StudySession(session.store)
    while again.read_some(7):
        pass
    assert judged == [pid]
    listed = {row[0]: row for row in again.patient_list()}
    assert listed[pid] == session.patient_entry(pid)
