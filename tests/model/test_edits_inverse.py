"""Every edit has an exact inverse: undoing a sequence restores each state, redoing replays it.

Source: shared/style.md, practice 4 ("store.apply(edit) validates, writes in
one transaction, and returns (changes, inverse_edit)"); model/editing/edits.py. A
rejected edit (InputError) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from model.domain import TIME_UNITS, Criteria, EventRecord, PatientRecord, Role, Status
from model.editing.edits import (
    AddEvent,
    AddLesion,
    AddPatient,
    AddScan,
    Edit,
    RemoveEvent,
    RemoveLesion,
    RemovePatient,
    RemoveScan,
    SetObservation,
    SetOverride,
    SetSettings,
    UpdateEvent,
    UpdateLesion,
    UpdatePatient,
)
from model.errors import InputError
from model.settings import StudySettings, TimeOrigin
from model.store.study import Store
from tests.model.store.builders import BASELINE, FOLLOW_UP, LATER, state, study_store

patient_ids = st.sampled_from(["P1", "P1", "P2", "P3"])
lesion_ids = st.sampled_from(["T1", "T2", "NT1", "N1", "T3"])
dates = st.sampled_from([BASELINE, FOLLOW_UP, LATER, date(2024, 2, 5)])
readers = st.sampled_from(["", "BK"])
sizes = st.none() | st.floats(0, 150, allow_nan=False) | st.just(-1.0)
words = st.text("abcdé ", max_size=6)
records = st.builds(
    PatientRecord,
    patient_id=patient_ids,
    start_date=dates,
    arm=st.sampled_from(["All", "Immunotherapy", "New arm", ""]),
    death_date=st.none() | dates,
    sex=st.sampled_from([None, "F", "M", "X"]),
    age=st.none() | st.floats(0, 99),
    extra=st.dictionaries(st.sampled_from(["x_a", "x_b"]), words, max_size=2),
)
events = st.builds(
    EventRecord,
    patient_id=patient_ids,
    kind=st.sampled_from(["treatment", "surgery", " "]),
    start_date=dates,
    end_date=st.none() | dates,
    detail=st.none() | words,
)
study_settings = st.builds(
    StudySettings,
    criteria=st.sampled_from(list(Criteria)),
    confirm=st.booleans(),
    min_sd_days=st.integers(-1, 60),
    exclude_irradiated=st.booleans(),
    reader=st.none() | readers,
    time_unit=st.sampled_from([*TIME_UNITS, "fortnights"]),
    origins=st.lists(
        st.builds(TimeOrigin, st.sampled_from(["Immunotherapy", "Other"]), st.just("procedure")),
        max_size=1,
    ).map(tuple),
)


@dataclass(frozen=True)
class EventEditAt:
    """An UpdateEvent (record given) or RemoveEvent of the patient's event at `index`."""

    patient_id: str
    index: int
    record: EventRecord | None


edits = st.one_of(
    st.builds(
        SetObservation,
        patient_ids,
        lesion_ids,
        dates,
        readers,
        st.none() | st.sampled_from(list(Status)),
        sizes,
        sizes,
        st.booleans(),
    ),
    st.builds(AddScan, patient_ids, dates, st.sampled_from([None, "CT"])),
    st.builds(RemoveScan, patient_ids, dates),
    st.builds(
        AddLesion, patient_ids, lesion_ids, st.sampled_from(list(Role)), words, st.booleans()
    ),
    st.builds(
        UpdateLesion,
        patient_ids,
        lesion_ids,
        st.none() | lesion_ids,
        st.none() | st.sampled_from(list(Role)),
        st.none() | words,
        st.none() | st.booleans(),
    ),
    st.builds(RemoveLesion, patient_ids, lesion_ids),
    st.builds(AddPatient, records),
    st.builds(UpdatePatient, patient_ids, records),
    st.builds(RemovePatient, patient_ids),
    st.builds(AddEvent, events),
    st.builds(EventEditAt, patient_ids, st.integers(0, 1), st.none() | events),
    st.builds(
        SetOverride,
        patient_ids,
        dates,
        readers,
        st.none() | st.sampled_from(["PR", "iUPD", "XX"]),
        st.sampled_from(["", "  ", "reviewed with the tumour board"]),
    ),
    st.builds(SetSettings, study_settings),
)


def resolved(edit: Edit | EventEditAt, store: Store) -> Edit:
    """Returns `edit`, with an EventEditAt turned into an edit of that event's UUID."""
    if not isinstance(edit, EventEditAt):
        return edit
    stored = store.events(edit.patient_id)
    event_uuid = stored[edit.index].uuid if edit.index < len(stored) else "no-such-event"
    if edit.record is None:
        return RemoveEvent(event_uuid)
    return UpdateEvent(event_uuid, replace(edit.record, patient_id=edit.patient_id))


@settings(max_examples=60, deadline=None)
@given(st.lists(edits, min_size=1, max_size=6))
def test_undo_restores_every_state_and_redo_replays_it(sequence):
    store = study_store()
    store.apply(SetOverride("P1", BASELINE, "", "SD", "lesion T1 was misread"))
    states, inverses = [state(store)], []
    for edit in sequence:
        try:
            changes, inverse = store.apply(resolved(edit, store))
        except InputError:
            assert state(store) == states[-1]
            continue
        assert changes.patients or changes.settings
        states.append(state(store))
        inverses.append(inverse)
    redos = []
    for inverse, expected in zip(reversed(inverses), reversed(states[:-1]), strict=True):
        _, redo = store.apply(inverse)
        assert state(store) == expected
        redos.append(redo)
    for redo, expected in zip(reversed(redos), states[1:], strict=True):
        store.apply(redo)
        assert state(store) == expected
