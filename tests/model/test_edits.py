"""Each edit does what its docstring says, reports what changed, and refuses bad values.

Source: model/editing/edits.py (the edits' contracts); interchange spec,
measurements.csv (statuses allowed per role, diameters of 0 mm or more);
shared/style.md, practices 4, 5 and 10. A refused edit writes nothing.
"""

from __future__ import annotations

import pytest

from model.domain import Criteria, EventRecord, PatientRecord, Role, Status
from model.editing.edits import (
    AddEvent,
    AddLesion,
    AddPatient,
    AddScan,
    Changes,
    RemoveEvent,
    RemoveLesion,
    RemovePatient,
    RemoveScan,
    RestorePatient,
    SetObservation,
    SetOverride,
    SetSettings,
    UpdateEvent,
    UpdateLesion,
    UpdatePatient,
)
from model.errors import InputError
from model.settings import SETTINGS, StudySettings, TimeOrigin
from tests.model.store.builders import BASELINE, FOLLOW_UP, LATER, state, study_store


def cells(store, patient_id="P1", scan_date=FOLLOW_UP):
    """Returns (lesion_id, status, diameter_mm) of the patient's rows at a scan."""
    return [
        (m.lesion_id, m.status, m.diameter_mm)
        for m in store.patient_data(patient_id).measurements
        if m.scan_date == scan_date
    ]


def test_set_observation_replaces_the_fragments_of_a_cell_with_one_row():
    store = study_store()
    changes, _ = store.apply(
        SetObservation("P1", "T1", FOLLOW_UP, status=Status.MEASURED, diameter_mm=21.5)
    )
    assert changes == Changes(frozenset({"P1"}))
    assert cells(store)[:1] == [("T1", Status.MEASURED, 21.5)]
    assert [c[0] for c in cells(store)].count("T1") == 1


def test_set_observation_without_status_removes_the_cell():
    store = study_store()
    store.apply(SetObservation("P1", "N1", FOLLOW_UP))
    assert "N1" not in [c[0] for c in cells(store)]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            SetObservation("P1", "NT1", FOLLOW_UP, status=Status.MEASURED, diameter_mm=5.0),
            "not allowed for a non-target",
        ),
        (SetObservation("P1", "T1", FOLLOW_UP, status=Status.MEASURED), "needs a diameter"),
        (
            SetObservation("P1", "T1", FOLLOW_UP, status=Status.MEASURED, diameter_mm=-2.0),
            "cannot be negative",
        ),
        (
            SetObservation("P1", "T1", FOLLOW_UP, status=Status.ABSENT, viable_mm=float("nan")),
            "expected a number of mm",
        ),
        (SetObservation("P1", "T7", FOLLOW_UP, status=Status.ABSENT), "no lesion 'T7'"),
        (SetObservation("P1", "T1", LATER, status=Status.ABSENT), "no scan on 2024-04-20"),
        (SetObservation("P9", "T1", LATER, status=Status.ABSENT), "no patient 'P9'"),
        (AddScan("P1", BASELINE), "already has a scan"),
        (RemoveScan("P1", LATER), "no scan"),
        (AddLesion("P1", "T2", Role.TARGET), "already has a lesion 'T2'"),
        (AddLesion("P1", " ", Role.TARGET), "needs a label"),
        (UpdateLesion("P1", "T1", new_lesion_id="T2"), "already has a lesion 'T2'"),
        (UpdateLesion("P1", "T1", role=Role.NON_TARGET), "has rows marked measured"),
        (RemoveLesion("P1", "T5"), "no lesion"),
        (AddPatient(PatientRecord("P1", BASELINE)), "already in the study"),
        (AddPatient(PatientRecord(" ", BASELINE)), "patient_id: a value is required"),
        (AddPatient(PatientRecord("P5", BASELINE, sex="female")), "is not F, M or blank"),
        (UpdatePatient("P1", PatientRecord("P2", BASELINE)), "'P2' is already in the study"),
        (RemovePatient("P4"), "no patient"),
        (AddEvent(EventRecord("P1", "", BASELINE)), "kind: a value is required"),
        (AddEvent(EventRecord("P1", "treatment", LATER, BASELINE)), "end_date: is before"),
        (RemoveEvent("no-such-uuid"), "no event"),
        (SetOverride("P1", BASELINE, response="PR"), "needs a reason"),
        (SetOverride("P1", BASELINE, response="great", reason="x"), "not a response code"),
        (SetOverride("P1", LATER, response="PR", reason="x"), "no scan"),
        (SetSettings(StudySettings(time_unit="fortnights")), "time unit"),
        (SetSettings(StudySettings(min_sd_days=-1)), "negative"),
        (RestorePatient("P8", None), "no patient"),
    ],
)
def test_bad_edit_is_refused_and_writes_nothing(edit, message):
    store = study_store()
    before = state(store), store.arms(), store.readers()
    with pytest.raises(InputError, match=message):
        store.apply(edit)
    assert (state(store), store.arms(), store.readers()) == before


def test_update_event_cannot_move_an_event_to_another_patient():
    store = study_store()
    event = store.events("P1")[0]
    with pytest.raises(InputError, match="cannot be moved"):
        store.apply(UpdateEvent(event.uuid, EventRecord("P2", "treatment", BASELINE)))


def test_remove_scan_removes_its_measurements_and_keeps_the_lesions():
    store = study_store()
    store.apply(RemoveScan("P1", FOLLOW_UP))
    assert cells(store) == []
    assert [x.lesion_id for x in store.lesions("P1")] == ["T1", "T2", "NT1", "N1"]


def test_added_scan_and_lesion_come_in_date_and_lesion_order():
    store = study_store()
    store.apply(AddScan("P1", LATER, "CT"))
    store.apply(AddLesion("P1", "T3", Role.TARGET, "lung"))
    store.apply(SetObservation("P1", "T3", LATER, status=Status.MEASURED, diameter_mm=12.0))
    assert [s.scan_date for s in store.snapshot("P1").scans] == [BASELINE, FOLLOW_UP, LATER]
    assert store.lesions("P1")[-1].lesion_id == "T3"
    assert cells(store, scan_date=LATER) == [("T3", Status.MEASURED, 12.0)]


def test_update_lesion_renames_and_keeps_the_measurements():
    store = study_store()
    store.apply(UpdateLesion("P1", "N1", new_lesion_id="N2", site="liver"))
    lesion = store.lesions("P1")[-1]
    assert (lesion.lesion_id, lesion.site, lesion.role) == ("N2", "liver", Role.NEW)
    assert ("N2", Status.EQUIVOCAL, None) in cells(store)


def test_patient_edits_report_a_changed_patient_list():
    store = study_store()
    added, _ = store.apply(AddPatient(PatientRecord("P3", BASELINE, "Immunotherapy")))
    renamed, _ = store.apply(UpdatePatient("P3", PatientRecord("P4", BASELINE, "Immunotherapy")))
    dated, _ = store.apply(UpdatePatient("P4", PatientRecord("P4", LATER, "Immunotherapy")))
    removed, _ = store.apply(RemovePatient("P4"))
    assert added == Changes(frozenset({"P3"}), patient_list=True)
    assert renamed == Changes(frozenset({"P3", "P4"}), patient_list=True)
    assert dated == Changes(frozenset({"P4"}), patient_list=False)
    assert removed == Changes(frozenset({"P4"}), patient_list=True)
    assert store.patient_ids() == ("P1", "P2")


def test_event_edits_add_update_and_remove_by_uuid():
    store = study_store()
    store.apply(AddEvent(EventRecord("P2", "surgery", LATER, None, "R1"), uuid="e-1"))
    store.apply(UpdateEvent("e-1", EventRecord("P2", "surgery", LATER, None, "R0")))
    assert store.events("P2")[-1].record.detail == "R0"
    store.apply(RemoveEvent("e-1"))
    assert [e.record.kind for e in store.events("P2")] == ["procedure"]


def test_override_is_set_with_its_reason_and_cleared():
    store = study_store()
    store.apply(SetOverride("P1", FOLLOW_UP, "", "SD", "  T1 fragments were one lesion  "))
    (override,) = store.overrides("P1")
    assert (override.response, override.reason) == ("SD", "T1 fragments were one lesion")
    assert override.time.endswith("+00:00")
    store.apply(SetOverride("P1", FOLLOW_UP))
    assert store.overrides("P1") == ()


def test_settings_are_stored_and_undone():
    store = study_store()
    new = StudySettings(
        criteria=Criteria.IRECIST,
        confirm=True,
        min_sd_days=42,
        reader="BK",
        time_unit="weeks",
        origins=(TimeOrigin("Immunotherapy + dTACE", "procedure", "dTACE"),),
    )
    changes, inverse = store.apply(SetSettings(new))
    assert changes == Changes(settings=True)
    assert store.settings() == new
    assert store.settings().assessment.criteria is Criteria.IRECIST
    store.apply(inverse)
    assert store.settings() == StudySettings()


def test_every_setting_is_documented():
    """shared/style.md, practice 10: settings are declared once, each with its help."""
    assert [name for name, _, _ in SETTINGS] == [
        "criteria",
        "confirm",
        "min_sd_days",
        "exclude_irradiated",
        "reader",
        "readers_required",
        "time_unit",
        "confidence_level",
        "one_sided",
        "landmark_months",
        "max_diameter_mm",
        "reference_arm",
        "analysis_endpoint",
        "cox_covariates",
        "origins",
    ]
    assert all(len(help_text) > 20 for _, _, help_text in SETTINGS)


def test_event_uuid_in_use_by_another_patient_is_refused():
    """Stable UUIDs (design.md, "Store"): an edit never takes over another row's UUID."""
    store = study_store()
    taken = store.events("P1")[0].uuid
    before = state(store)
    with pytest.raises(InputError, match="does not fit the study"):
        store.apply(AddEvent(EventRecord("P2", "surgery", LATER), uuid=taken))
    assert state(store) == before


def _extras(store, lesion_id, scan_date=FOLLOW_UP):
    return [
        dict(m.extra)
        for m in store.patient_data("P1").measurements
        if m.lesion_id == lesion_id and m.scan_date == scan_date
    ]


def test_set_observation_keeps_the_extra_columns_of_the_cell():
    """A diameter typed over an imported row keeps its x_ columns (interchange spec: `x_`
    columns are "kept as free extra fields"); before, an edit dropped them."""
    store = study_store()
    store.apply(SetObservation("P1", "T1", FOLLOW_UP, status=Status.MEASURED, diameter_mm=20.0))
    assert _extras(store, "T1") == [{"x_note": "split"}]


def test_set_observation_with_extra_replaces_the_extra_columns_and_undoes_exactly():
    store = study_store()
    before = store.snapshot("P1")
    extra = {"x_sr_sop_instance_uid": "1.2.3"}
    edit = SetObservation("P1", "T1", FOLLOW_UP, status=Status.MEASURED, diameter_mm=20.0,
                          extra=extra)  # fmt: skip
    _, inverse = store.apply(edit)
    assert _extras(store, "T1") == [extra]
    store.apply(inverse)
    assert store.snapshot("P1") == before
