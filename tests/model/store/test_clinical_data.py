"""Baseline variables, adverse events and surgery outcomes in the store (issue 16): migration
of a study written before them, edits and their exact inverses, the audit trail, imports."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from model.domain import (
    AdverseEvent,
    EventRecord,
    PatientRecord,
    StudyData,
    Variable,
    VariableType,
)
from model.editing.clinical import (
    AddAdverseEvent,
    RemoveAdverseEvent,
    SetPatientValue,
    SetVariable,
    UpdateAdverseEvent,
)
from model.editing.edits import AddEvent, UpdateEvent
from model.errors import InputError
from model.store.migrations import migration_names
from model.store.study import Store

OLD_STUDY = Path(__file__).resolve().parents[2] / "data" / "studies" / "v1-main.nadir"
START = date(2024, 1, 10)
ECOG = Variable("ecog", VariableType.CATEGORICAL, ("0", "1", "2"), "ECOG performance status")
PDL1 = Variable("pdl1", VariableType.NUMERIC, label="PD-L1 TPS", unit="%")
PNEUMONITIS = AdverseEvent(
    "P1", "Pneumonitis", 3, date(2024, 3, 1), date(2024, 3, 20), "pembrolizumab", True, "Resp"
)


@pytest.fixture
def study() -> Store:
    store = Store.in_memory()
    store.import_study_data(
        StudyData(
            patients=(
                PatientRecord("P1", START, "ICI", extra={"x_ecog": "1"}),
                PatientRecord("P2", START, "ICI + dTACE", extra={"x_ecog": "0", "x_pdl1": "50"}),
            ),
            events=(
                EventRecord("P1", "treatment", START, detail="pembrolizumab"),
                EventRecord("P2", "procedure", START, detail="dTACE"),
            ),
        )
    )
    return store


def _undo_restores(store: Store, edit) -> None:
    """Applies `edit`, undoes it, redoes it and undoes it again: each step restores the study
    exactly, which is left as before."""
    before = store.study_data()
    _, inverse = store.apply(edit)
    after = store.study_data()
    assert after != before
    _, redo = store.apply(inverse)
    assert store.study_data() == before
    _, inverse = store.apply(redo)
    assert store.study_data() == after
    store.apply(inverse)
    assert store.study_data() == before


def test_a_study_from_todays_main_migrates_with_its_x_fields_as_variables(tmp_path):
    """Issue 16: a study file written before it opens with every row, its x_ fields become
    the patients' variable values (inferred, interchange 1.1), and a backup is kept."""
    path = tmp_path / "old.nadir"
    shutil.copyfile(OLD_STUDY, path)
    with Store.open(path) as store:
        data = store.study_data()
        assert len(data.patients) == 20 and data.adverse_events == () and data.variables == ()
        assert data.patients[1].extra == {"x_ecog": "1", "x_smoker": "yes"}
        assert data.patients[7].extra["x_note"] == "ref from Lyon"
        assert [(v.name, v.type) for v in store.variables()] == [
            ("ecog", VariableType.NUMERIC),
            ("smoker", VariableType.CATEGORICAL),
            ("note", VariableType.CATEGORICAL),
        ]
        assert len(data.measurements) == 470 and len(data.events) == 53
        store.apply(SetVariable("ecog", replace_type(store.variables()[0])))
        store.apply(AddAdverseEvent(AdverseEvent("S00002", "Fatigue", 2, date(2022, 1, 1))))
        applied = [m["name"] for m in store._db["_sqlite_migrations"].rows_where(select="name")]
    assert set(applied) == set(migration_names())
    assert len(list(tmp_path.glob("old.nadir.v5-*.bak"))) == 1
    with Store.open(path) as again:
        assert again.declared_variables()[0].levels == ("0", "1", "2")
        assert [a.record.term for a in again.adverse_events("S00002")] == ["Fatigue"]


def replace_type(variable: Variable) -> Variable:
    return Variable(variable.name, VariableType.CATEGORICAL, ("0", "1", "2"), "ECOG")


def test_a_value_edit_is_undone_exactly_and_audited(study):
    study.apply(SetVariable("ecog", ECOG))
    _undo_restores(study, SetPatientValue("P1", "ecog", "2"))
    _undo_restores(study, SetPatientValue("P1", "ecog", None))
    _undo_restores(study, SetPatientValue("P1", "tls", "present"))
    study.apply(SetPatientValue("P1", "ecog", "0"))
    changed = [e for e in study.history("P1") if e.table == "patient_values"]
    assert changed[-1].action == "update" and (changed[-1].old_value, changed[-1].new_value) == (
        "1",
        "0",
    )


def test_a_value_outside_the_declaration_is_refused(study):
    study.apply(SetVariable("ecog", ECOG))
    study.apply(SetVariable("pdl1", PDL1))
    with pytest.raises(InputError, match="'5' is not a level of ecog"):
        study.apply(SetPatientValue("P1", "ecog", "5"))
    with pytest.raises(InputError, match="not a number, and pdl1 is numeric"):
        study.apply(SetPatientValue("P1", "pdl1", "high"))
    assert study.patient("P1").extra == {"x_ecog": "1"}


def test_declaring_renaming_and_retiring_a_variable_are_undone_exactly(study):
    _undo_restores(study, SetVariable("ecog", ECOG))
    study.apply(SetVariable("ecog", ECOG))
    renamed = Variable("ecog_ps", ECOG.type, ("2", "1", "0"), ECOG.label)
    _undo_restores(study, SetVariable("ecog", renamed))
    _undo_restores(study, SetVariable("ecog", None, values={}))
    study.apply(SetVariable("ecog", renamed))
    assert study.patient("P2").extra["x_ecog_ps"] == "0"
    assert study.declared_variables() == (renamed,)
    history = study.history(None)
    assert any(e.table == "variables" and e.field == "name" for e in history)


def test_a_declaration_that_would_lose_or_break_values_is_refused(study):
    with pytest.raises(InputError, match="P1's '1' is not a level of ecog"):
        study.apply(SetVariable("ecog", Variable("ecog", VariableType.CATEGORICAL, ("0", "2"))))
    with pytest.raises(InputError, match="declare pdl1 before renaming"):
        study.apply(SetVariable("pdl1", Variable("pd_l1", VariableType.NUMERIC)))
    with pytest.raises(InputError, match="'pd-l1' cannot name a variable"):
        study.apply(SetVariable("pd-l1", Variable("pd-l1", VariableType.NUMERIC)))
    study.apply(SetVariable("ecog", ECOG))
    with pytest.raises(InputError, match="already has a variable pdl1"):
        study.apply(SetVariable("ecog", Variable("pdl1", VariableType.CATEGORICAL)))
    assert study.declared_variables() == (ECOG,)


def test_adverse_event_edits_are_undone_exactly_and_checked(study):
    _undo_restores(study, AddAdverseEvent(PNEUMONITIS))
    study.apply(AddAdverseEvent(PNEUMONITIS))
    (stored,) = study.adverse_events("P1")
    graded = AdverseEvent(**{**PNEUMONITIS.__dict__, "grade": 4})
    _undo_restores(study, UpdateAdverseEvent(stored.uuid, graded))
    _undo_restores(study, RemoveAdverseEvent(stored.uuid))
    with pytest.raises(InputError, match="attribution 'dTACE' is none of the patient's"):
        study.apply(AddAdverseEvent(AdverseEvent("P1", "Rash", 1, START, attribution="dTACE")))
    with pytest.raises(InputError, match="grade"):
        study.apply(AddAdverseEvent(AdverseEvent("P1", "Rash", 6, START)))
    with pytest.raises(InputError, match="end_date: is before"):
        study.apply(AddAdverseEvent(AdverseEvent("P1", "Rash", 1, START, date(2024, 1, 1))))
    actions = {e.action for e in study.history("P1") if e.table == "adverse_events"}
    assert actions == {"insert", "update", "delete"}


def test_surgery_outcomes_are_stored_and_only_on_surgery(study):
    surgery = EventRecord("P1", "surgery", date(2024, 5, 1), None, "resection", {}, "curative")
    _undo_restores(study, AddEvent(surgery))
    study.apply(AddEvent(surgery))
    stored = study.events("P1")[-1]
    outcome = EventRecord(**{**surgery.__dict__, "margin": "R1", "necrosis_pct": 40.0})
    _undo_restores(study, UpdateEvent(stored.uuid, outcome))
    with pytest.raises(InputError, match="only a surgery event has margin"):
        study.apply(AddEvent(EventRecord("P1", "treatment", START, margin="R0")))


def test_an_import_replaces_the_named_patients_adverse_events_and_values(study):
    study.apply(AddAdverseEvent(PNEUMONITIS))
    study.import_study_data(
        StudyData(
            patients=(PatientRecord("P1", START, "ICI", extra={"x_pdl1": "5"}),),
            adverse_events=(AdverseEvent("P1", "Fatigue", 1, START),),
            variables=(PDL1,),
        )
    )
    assert study.patient("P1").extra == {"x_pdl1": "5"}
    assert [a.record.term for a in study.adverse_events("P1")] == ["Fatigue"]
    assert study.declared_variables() == (PDL1,)


def test_an_import_whose_declaration_misfits_a_kept_patient_writes_nothing(study):
    before = study.study_data()
    with pytest.raises(InputError, match="P2's '50' is not a level of pdl1"):
        study.import_study_data(
            StudyData(
                patients=(PatientRecord("P1", START, "ICI", extra={"x_pdl1": "low"}),),
                variables=(Variable("pdl1", VariableType.CATEGORICAL, ("low", "high")),),
            )
        )
    assert study.study_data() == before
