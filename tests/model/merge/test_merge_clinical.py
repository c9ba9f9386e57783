"""Merging copies that changed baseline variables and adverse events (issue 16): a value is
merged by variable, an adverse event by its UUID, a declaration by the study's trail."""

from __future__ import annotations

from datetime import date

import pytest

from model.domain import AdverseEvent, EventRecord, PatientRecord, StudyData, Variable, VariableType
from model.editing.clinical import AddAdverseEvent, SetPatientValue, SetVariable, UpdateAdverseEvent
from model.merge.study import merge_studies
from model.store.study import Store

START = date(2024, 1, 10)
ECOG = Variable("ecog", VariableType.CATEGORICAL, ("0", "1", "2"))


@pytest.fixture
def copies(tmp_path):
    """Returns (the nurse's study, a copy of it taken to a clinic)."""
    nurse = Store.open(tmp_path / "study.nadir")
    nurse.import_study_data(
        StudyData(
            patients=(
                PatientRecord("P1", START, "ICI", extra={"x_ecog": "1"}),
                PatientRecord("P2", START, "ICI"),
            ),
            events=(EventRecord("P1", "treatment", START, detail="pembrolizumab"),),
            adverse_events=(AdverseEvent("P1", "Fatigue", 1, START),),
            variables=(ECOG,),
        )
    )
    nurse.backup(tmp_path / "copy.nadir")
    clinic = Store.open(tmp_path / "copy.nadir")
    yield nurse, clinic
    nurse.close()
    clinic.close()


def test_values_of_two_variables_set_in_two_copies_both_arrive(copies):
    nurse, clinic = copies
    nurse.apply(SetPatientValue("P1", "ecog", "2"))
    clinic.apply(SetPatientValue("P1", "pdl1", "50"))
    report = merge_studies(nurse, clinic)
    assert report.conflicts == ()
    assert nurse.patient("P1").extra == {"x_ecog": "2", "x_pdl1": "50"}


def test_the_same_value_changed_apart_is_a_conflict_that_keeps_the_targets(copies):
    nurse, clinic = copies
    nurse.apply(SetPatientValue("P1", "ecog", "0"))
    clinic.apply(SetPatientValue("P1", "ecog", "2"))
    report = merge_studies(nurse, clinic)
    assert [c.what for c in report.conflicts] == ["the value of ecog"]
    assert nurse.patient("P1").extra == {"x_ecog": "0"}


def test_adverse_events_added_and_changed_in_the_copy_are_merged(copies):
    nurse, clinic = copies
    (fatigue,) = clinic.adverse_events("P1")
    worse = AdverseEvent("P1", "Fatigue", 3, START, date(2024, 2, 1))
    clinic.apply(UpdateAdverseEvent(fatigue.uuid, worse))
    pneumonitis = AdverseEvent("P1", "Pneumonitis", 3, date(2024, 3, 1), None, "pembrolizumab")
    clinic.apply(AddAdverseEvent(pneumonitis))
    nurse.apply(AddAdverseEvent(AdverseEvent("P2", "Nausea", 1, START)))
    report = merge_studies(nurse, clinic)
    assert report.conflicts == () and (report.added, report.changed) == (1, 1)
    assert [a.record for a in nurse.adverse_events("P1")] == [worse, pneumonitis]
    assert [a.record.term for a in nurse.adverse_events("P2")] == ["Nausea"]
    for edit in report.undo:
        nurse.apply(edit)
    assert [a.record for a in nurse.adverse_events("P1")] == [
        AdverseEvent("P1", "Fatigue", 1, START)
    ]


def test_a_declaration_renamed_in_the_copy_is_taken_with_its_values(copies):
    nurse, clinic = copies
    clinic.apply(SetVariable("ecog", Variable("ecog_ps", ECOG.type, ECOG.levels, "ECOG PS")))
    clinic.apply(
        SetVariable("tls", Variable("tls", VariableType.CATEGORICAL, ("absent", "present")))
    )
    nurse.apply(SetPatientValue("P2", "ecog", "0"))
    report = merge_studies(nurse, clinic)
    assert report.changes.variables
    assert [v.name for v in nurse.declared_variables()] == ["ecog_ps", "tls"]
    assert nurse.patient("P1").extra == {"x_ecog_ps": "1"}
    # The nurse's own value was set under the old name after the copy was taken: it follows.
    assert nurse.patient("P2").extra == {"x_ecog_ps": "0"}
