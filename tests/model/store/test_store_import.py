"""Importing StudyData into a study: round trip, all or nothing, replacing patients it names.

Source: interchange spec ("an import with any error writes nothing";
"export then import gives the same study"; fragments; scans.csv), and the
store's documented import semantics (Store.import_study_data).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from itertools import islice
from uuid import UUID

import pytest

from model.domain import EventRecord, PatientRecord, ScanRecord, Status, StudyData
from model.editing.edits import SetOverride
from model.errors import InputError
from model.progress import Cancelled
from model.store.rows import new_uuid, new_uuids
from model.store.study import Store
from tests.model.store.builders import (
    BASELINE,
    FOLLOW_UP,
    measurement,
    small_study,
    state,
    study_store,
)


def content(path) -> list[str]:
    """Returns the SQL dump of the file at `path`: its whole content, independent of layout."""
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def test_study_data_returns_what_was_imported():
    data = small_study()
    assert study_store(data).study_data() == data


def test_round_trip_store_to_study_data_to_store_is_identity():
    first = study_store()
    second = study_store(first.study_data())
    assert second.study_data() == first.study_data()
    assert [s.record for s in state(second)[1]] == [s.record for s in state(first)[1]]


def test_fragments_keep_their_rows_and_order():
    rows = study_store().patient_data("P1").measurements
    fragments = [(m.diameter_mm, dict(m.extra)) for m in rows if m.scan_date == FOLLOW_UP]
    assert fragments[:2] == [(14.0, {"x_note": "split"}), (9.0, {})]


def test_scans_implied_by_measurements_are_not_listed_as_scans():
    """Interchange spec, scans.csv: a patient's scans are its measurement dates and scans.csv."""
    data = small_study()
    store = study_store(data)
    assert FOLLOW_UP not in {s.scan_date for s in store.study_data().scans}
    assert FOLLOW_UP in {s.scan_date for s in store.snapshot("P1").scans}


def test_error_lists_every_problem_and_writes_nothing():
    store = study_store()
    before = state(store)
    bad = StudyData(
        patients=(PatientRecord("P3", date(2024, 1, 1)), PatientRecord("P3", date(2024, 1, 2))),
        measurements=(
            measurement("P9", BASELINE, "T1", Status.MEASURED, 20.0),
            measurement("P3", BASELINE, "T1", Status.PRESENT),
        ),
        events=(EventRecord("P8", "treatment", date(2024, 1, 1)),),
    )
    with pytest.raises(InputError) as raised:
        store.import_study_data(bad)
    problems = {(p.file, p.line, p.column, p.value) for p in raised.value.problems}
    assert problems == {
        ("patients.csv", 3, "patient_id", "P3"),
        ("measurements.csv", 2, "patient_id", "P9"),
        ("measurements.csv", 3, "status", "present"),
        ("events.csv", 2, "patient_id", "P8"),
    }
    assert state(store) == before


def test_lesion_that_changes_role_is_an_error_naming_its_row():
    """Interchange spec, measurements.csv: role is "constant for a lesion"."""
    data = StudyData(
        patients=(PatientRecord("P1", date(2024, 1, 1)),),
        measurements=(
            measurement("P1", BASELINE, "T1", Status.MEASURED, 20.0),
            replace(
                measurement("P1", FOLLOW_UP, "NT1", Status.PRESENT),
                lesion_id="T1",
                source=("m.csv", 7),
            ),  # fmt: skip
        ),
    )
    with pytest.raises(InputError) as raised:
        Store.in_memory().import_study_data(data)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "m.csv",
        7,
        "role",
        "non-target",
    )


def test_a_lesion_whose_site_changes_keeps_the_site_of_its_earliest_row():
    """Interchange spec: no rule fixes site across rows; the engine takes a lesion's site
    where it is first seen (iRECIST, new-lesion sites), and so does the study file."""
    m = Status.MEASURED
    data = StudyData(
        patients=(PatientRecord("P1", date(2024, 1, 1)),),
        measurements=(
            measurement("P1", FOLLOW_UP, "T1", m, 20.0, site="lung"),
            measurement("P1", BASELINE, "T1", m, 20.0, site="liver"),
        ),
    )
    store = Store.in_memory()
    store.import_study_data(data)
    assert {r.site for r in store.study_data().measurements} == {"liver"}


def test_repeated_row_that_is_not_a_measured_target_is_an_error():
    """Interchange spec: only measured target rows may repeat (fragments)."""
    data = StudyData(
        patients=(PatientRecord("P1", date(2024, 1, 1)),),
        measurements=(
            measurement("P1", BASELINE, "NT1", Status.PRESENT),
            measurement("P1", BASELINE, "NT1", Status.PRESENT),
        ),
    )
    with pytest.raises(InputError, match="repeated row"):
        Store.in_memory().import_study_data(data)


def test_failure_inside_the_transaction_leaves_the_file_content_unchanged(tmp_path):
    path = tmp_path / "s.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
    before = content(path)

    class CancelAfterFirstTable:
        cancelled = False

        def report(self, done: int, total: int, message: str) -> None:
            self.cancelled = True

    more = StudyData(
        patients=(PatientRecord("P3", date(2024, 1, 1)),),
        scans=(ScanRecord("P3", BASELINE),),
    )
    with Store.open(path) as store, pytest.raises(Cancelled):
        store.import_study_data(more, CancelAfterFirstTable())
    assert content(path) == before


def test_import_replaces_the_patients_it_names_and_keeps_the_others():
    store = study_store()
    p1_uuid = store.snapshot("P1").uuid
    store.apply(SetOverride("P1", BASELINE, response="NE", reason="motion artefact"))
    p2 = store.snapshot("P2")
    new_p1 = PatientRecord("P1", date(2024, 1, 4), "Immunotherapy")
    summary = store.import_study_data(
        StudyData(
            patients=(new_p1, PatientRecord("P3", date(2024, 2, 2))),
            measurements=(measurement("P1", BASELINE, "T9", Status.MEASURED, 40.0),),
        )
    )
    assert (summary.patients_added, summary.patients_replaced) == (1, 1)
    assert store.patient_ids() == ("P1", "P2", "P3")
    p1 = store.snapshot("P1")
    assert (p1.uuid, p1.record) == (p1_uuid, new_p1)
    assert [x.lesion_id for x in p1.lesions] == ["T9"]
    assert p1.events == ()
    assert [o.response for o in p1.overrides] == ["NE"]
    assert store.snapshot("P2") == p2


def test_patient_named_only_in_measurements_must_already_exist_and_keeps_its_fields():
    store = study_store()
    record = store.patient("P2")
    store.import_study_data(
        StudyData(measurements=(measurement("P2", BASELINE, "T1", Status.MEASURED, 11.0),))
    )
    assert store.patient("P2") == record
    assert [m.lesion_id for m in store.patient_data("P2").measurements] == ["T1"]
    assert store.patient_data("P2").scans == ()


def test_patient_data_holds_only_that_patient():
    store = study_store()
    data = store.patient_data("P2")
    assert data == StudyData(
        patients=(store.patient("P2"),),
        scans=tuple(s for s in small_study().scans if s.patient_id == "P2"),
        events=tuple(e for e in small_study().events if e.patient_id == "P2"),
    )


def test_unknown_patient_is_an_input_error():
    store = study_store()
    for read in (store.patient, store.patient_data, store.snapshot):
        with pytest.raises(InputError, match="no patient 'P7'"):
            read("P7")


def test_arms_readers_and_lesions_are_listed_in_order():
    data = small_study()
    second_reader = replace(data.measurements[0], reader="BK", scan_date=date(2024, 5, 5))
    store = study_store(replace(data, measurements=data.measurements + (second_reader,)))
    assert store.arms() == ("Immunotherapy", "Immunotherapy + dTACE")
    assert store.readers() == ("", "BK")
    lesions = store.lesions("P1")
    assert [(x.lesion_id, x.irradiated) for x in lesions] == [
        ("T1", False),
        ("T2", False),
        ("NT1", True),
        ("N1", False),
    ]


def test_new_rows_get_increasing_version_7_uuids():
    """RFC 9562, section 5.7 and 6.2: time-ordered UUIDs, monotonic within a batch."""
    batch = list(islice(new_uuids(), 10_000))
    assert batch == sorted(set(batch))
    for text in (batch[0], batch[-1], new_uuid()):
        assert (UUID(text).version, UUID(text).variant) == (7, "specified in RFC 4122")
    assert study_store().snapshot("P1").uuid[14] == "7"


def test_an_import_is_undone_in_one_step_by_the_edits_taken_before_it():
    """Store.import_undo (issue 15, item 2): applied after the import, it puts each replaced
    patient back exactly (UUIDs and overrides kept) and removes each patient it added."""
    from datetime import date

    from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
    from model.editing.edits import SetOverride

    def target(pid, day, mm):
        return MeasurementRecord(pid, day, "T1", Role.TARGET, Status.MEASURED, "", False, mm)

    first = StudyData(
        patients=(PatientRecord("P1", date(2024, 1, 1)),),
        measurements=(target("P1", date(2024, 1, 5), 40.0), target("P1", date(2024, 3, 1), 20.0)),
    )
    second = StudyData(
        patients=(
            PatientRecord("P1", date(2024, 1, 2), "B"),
            PatientRecord("P2", date(2024, 1, 3)),
        ),
        measurements=(target("P1", date(2024, 1, 5), 41.0), target("P2", date(2024, 1, 6), 30.0)),
    )
    with Store.in_memory() as store:
        store.import_study_data(first)
        store.apply(SetOverride("P1", date(2024, 3, 1), "", "SD", "the reader's call"))
        before = store.snapshot("P1")
        undo = store.import_undo(second)
        store.import_study_data(second)
        assert store.patient_ids() == ("P1", "P2")
        store.snapshot("P1")
        store.apply_all(undo)
        assert store.patient_ids() == ("P1",)
        assert store.snapshot("P1") == before
