"""The store hands out measurement rows by columns (issue 19): the same rows as records, in
the same order, which the readings take as they are and every consumer can still walk."""

from __future__ import annotations

from model.analysis import analyse
from model.domain import MeasurementColumns, StudyData
from model.settings import StudySettings
from tests.model.store.builders import small_study, study_store


def test_study_data_gives_the_imported_rows_by_columns():
    data = study_store().study_data()
    assert isinstance(data.measurements, MeasurementColumns)
    assert data.measurements == small_study().measurements
    assert MeasurementColumns.of(data.measurements) is data.measurements


def test_patients_data_gives_the_named_patients_rows_by_columns():
    rows = study_store().patients_data(["P1"]).measurements
    assert isinstance(rows, MeasurementColumns)
    assert rows == tuple(m for m in small_study().measurements if m.patient_id == "P1")
    assert rows.extra[3] == {"x_note": "split"} and rows.irradiated[2] is True


def test_a_patient_without_rows_gives_empty_columns():
    rows = study_store().patients_data(["P2"]).measurements
    assert isinstance(rows, MeasurementColumns)
    assert len(rows) == 0 and rows == () and list(rows) == []


def test_columns_join_other_rows_as_a_tuple_would():
    data = study_store().study_data()
    records = small_study().measurements
    assert data.measurements + records[:1] == records + records[:1]
    assert data.scans + data.measurements == (*data.scans, *records)


def test_an_analysis_restricted_to_some_patients_keeps_their_rows_by_columns():
    store = study_store()
    analysis = analyse(store.study_data(), StudySettings())
    restricted = analysis.restricted_to({"P1"}).data
    assert isinstance(restricted.measurements, MeasurementColumns)
    assert restricted.measurements == small_study().measurements
    empty = analyse(StudyData(), StudySettings()).restricted_to({"P1"}).data
    assert empty.measurements == ()


def test_records_once_built_are_kept_for_the_next_walk():
    rows = study_store().study_data().measurements
    first = tuple(rows)
    assert all(a is b for a, b in zip(first, rows, strict=True))
    assert rows[1] is first[1] and rows[2:4] == first[2:4]
