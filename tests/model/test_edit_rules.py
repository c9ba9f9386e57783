"""Edits obey the rules an import obeys, by the same functions (model/rules/records.py), so that
a study's own export is never refused when imported again.

Source: issue 14, attack 12 ("Edits accept what import refuses (a 1,611 mm
diameter, age 150, a patient id with a trailing space beside the same id
without), so the study's own export is then refused").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from model.domain import EventRecord, PatientRecord, Role, Status
from model.editing.edits import (
    AddEvent,
    AddLesion,
    AddPatient,
    SetObservation,
    SetReadComplete,
    UpdatePatient,
)
from model.errors import InputError
from model.interchange.study_files import read_study, write_study
from tests.model.store.builders import BASELINE, FOLLOW_UP, state, study_store

#: Each attack edit, the words of its refusal, and the cell import refuses alike:
#: (file, header, row).
ATTACKS = {
    "diameter 1,611 mm": (
        SetObservation("P1", "T1", FOLLOW_UP, "", Status.MEASURED, 1611.0),
        "over 1000 mm, no lesion is that large",
        ("measurements", "patient_id,scan_date,lesion_id,role,diameter_mm",
         "P1,2024-01-10,T1,target,1611"),
    ),
    "age 150": (
        UpdatePatient("P2", PatientRecord("P2", date(2024, 2, 1), "Immunotherapy", age=150.0)),
        "an age over 120 years is not plausible",
        ("patients", "patient_id,start_date,age", "P2,2024-02-01,150"),
    ),
    "death before start": (
        UpdatePatient("P2", PatientRecord("P2", date(2024, 2, 1), death_date=date(2024, 1, 1))),
        "is before start_date 2024-02-01",
        ("patients", "patient_id,start_date,death_date", "P2,2024-02-01,2024-01-01"),
    ),
    "event ending before it starts": (
        AddEvent(EventRecord("P2", "treatment", date(2024, 3, 1), date(2024, 2, 1))),
        "is before start_date 2024-03-01",
        ("events", "patient_id,kind,start_date,end_date", "P2,treatment,2024-03-01,2024-02-01"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ATTACKS))
def test_an_edit_import_would_refuse_is_refused_in_the_same_words(name, tmp_path):
    edit, words, (table, header, row) = ATTACKS[name]
    store = study_store()
    before = state(store)
    with pytest.raises(InputError, match=words):
        store.apply(edit)
    assert state(store) == before
    (tmp_path / f"{table}.csv").write_text(f"{header}\n{row}\n")
    if table != "patients":
        (tmp_path / "patients.csv").write_text(
            "patient_id,start_date\nP1,2024-01-03\nP2,2024-02-01\n"
        )
    with pytest.raises(InputError, match=words):
        read_study(tmp_path)


@pytest.mark.parametrize(
    "edit",
    [
        AddPatient(PatientRecord("P1 ", BASELINE)),
        AddPatient(PatientRecord(" P3", BASELINE)),
        AddPatient(PatientRecord("P3", BASELINE, arm="Immunotherapy ")),
        AddLesion("P1", "T9 ", Role.TARGET),
        AddLesion("P1", "T9", Role.TARGET, site=" liver"),
        SetObservation("P1", "T1", FOLLOW_UP, "B ", Status.MEASURED, 10.0),
        SetReadComplete("P1", BASELINE, " B"),
        AddEvent(EventRecord("P1", "surgery ", BASELINE)),
    ],
)
def test_a_name_with_spaces_at_its_ends_is_refused(edit):
    """A patient id 'P1 ' beside 'P1' came back from the export as a second 'P1'."""
    store = study_store()
    before = state(store)
    with pytest.raises(InputError, match="spaces at its start or end, which an import would drop"):
        store.apply(edit)
    assert state(store) == before


def test_control_characters_are_refused_in_free_text():
    store = study_store()
    record = replace(store.patient("P1"), histology="leio\x00myosarcoma")
    with pytest.raises(InputError, match="histology: contains a control character"):
        store.apply(UpdatePatient("P1", record))


def test_what_edits_accept_exports_and_imports_back_the_same(tmp_path):
    store = study_store()
    store.apply(SetObservation("P1", "T1", FOLLOW_UP, "", Status.MEASURED, 1000.0))
    store.apply(UpdatePatient("P2", replace(store.patient("P2"), age=120.0)))
    store.apply(AddLesion("P1", "T9", Role.TARGET, site="left lung, upper lobe"))
    write_study(store.study_data(), tmp_path / "out")
    assert read_study(tmp_path / "out") == store.study_data()
