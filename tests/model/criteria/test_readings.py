"""Per-patient readings: patient order, scans, fragments, baseline and reader rules
(interchange spec, "measurements.csv", "scans.csv", "How a time point is judged", "Readers")."""

import pytest

from model.criteria.readings import readings_by_patient
from model.domain import MeasurementRecord, PatientRecord, ScanRecord, Status, StudyData
from model.errors import InputError
from tests.model.engine_builders import day, row


def problems(*rows: MeasurementRecord, reader=None):
    with pytest.raises(InputError) as error:
        readings_by_patient(StudyData(measurements=rows), reader=reader)
    return [(p.line, p.column, p.value) for p in error.value.problems]


def test_patient_order_is_first_appearance_in_rows_then_scans():
    """Interchange spec, Headless commands: patients in order of first appearance in the
    measurement rows, then scans.csv; a patient with neither is not listed."""
    data = StudyData(
        patients=(PatientRecord("P0", day(0)), PatientRecord("P3", day(0))),
        measurements=(row(0, "NT1", patient="P2"), row(0, "NT1", patient="P1")),
        scans=(ScanRecord("P3", day(0)), ScanRecord("P1", day(5))),
    )
    assert [r.patient_id for r in readings_by_patient(data)] == ["P2", "P1", "P3"]


def test_scans_are_dates_in_measurements_and_scans_csv():
    """Interchange spec, scans.csv: a patient's scans are the dates of both files."""
    data = StudyData(
        measurements=(row(0, "NT1"), row(60, "NT1")), scans=(ScanRecord("P1", day(30)),)
    )
    (readings,) = readings_by_patient(data)
    assert readings.scan_dates == (day(0), day(30), day(60))


def test_reference_date_is_start_date_else_baseline():
    """Interchange spec, Minimum SD duration: start_date with patients.csv, else baseline."""
    rows = (row(3, "NT1"), row(5, "NT1", patient="P2"))
    data = StudyData(patients=(PatientRecord("P1", day(1)),), measurements=rows)
    assert [r.reference_date for r in readings_by_patient(data)] == [day(1), day(5)]


def test_fragments_add_up():
    """Interchange spec, measurements.csv: rows of one lesion at one scan are fragments whose
    diameters add up exactly."""
    rows = (row(0, "T1", 12.3, viable=2.2), row(0, "T1", 4.1, viable=1.1))
    (readings,) = readings_by_patient(StudyData(measurements=rows))
    observation = readings.observations[("T1", day(0))]
    assert (observation.status, observation.diameter_mm, observation.viable_mm) == (
        Status.MEASURED,
        16.4,
        3.3,
    )


def test_repeated_row_other_than_measured_fragments_is_an_error():
    """Interchange spec, measurements.csv: any other repeated row is an error."""
    assert problems(row(0, "NT1", line=2), row(0, "NT1", line=3)) == [(3, "lesion_id", "NT1")]


def test_baseline_rules():
    """Interchange spec, How a time point is judged: at baseline a target not measured, a
    non-target not present and any new lesion are errors, and so is a target or
    non-target first seen after baseline; each names line, column and value."""
    rows = (
        row(0, "T1", "too-small", line=2),
        row(0, "NT1", "absent", line=3),
        row(0, "N1", line=4),
        row(30, "T2", 20, line=5),
        row(30, "NT2", line=6),
        row(30, "N2", line=7),
    )
    assert problems(*rows) == [
        (2, "status", "too-small"),
        (3, "status", "absent"),
        (4, "role", "new"),
        (5, "scan_date", "2024-01-31"),
        (6, "scan_date", "2024-01-31"),
    ]


def test_baseline_from_scans_csv_makes_later_targets_an_error():
    """Interchange spec: baseline is the earliest scan, scans.csv included."""
    data = StudyData(measurements=(row(30, "T1", 20, line=2),), scans=(ScanRecord("P1", day(0)),))
    with pytest.raises(InputError, match="first seen after baseline"):
        readings_by_patient(data)


def test_lesion_is_irradiated_when_any_row_says_so():
    """Interchange spec, Locally treated lesions: irradiated = yes in any row."""
    rows = (row(0, "T1", 20), row(30, "T1", 20, irradiated=True))
    (readings,) = readings_by_patient(StudyData(measurements=rows))
    assert readings.lesions[0].irradiated


def test_without_reader_one_reader_per_patient():
    """Interchange spec, Readers: all rows of a patient from one reader; a blank reader
    beside a named one counts as a second; the error names the patient."""
    rows = (row(0, "NT1", line=2), row(30, "NT1", reader="A", line=3))
    with pytest.raises(InputError, match="patient P1") as error:
        readings_by_patient(StudyData(measurements=rows))
    assert [(p.line, p.column, p.value) for p in error.value.problems] == [(3, "reader", "A")]
    other = (row(0, "NT1", reader="A"), row(0, "NT1", reader="B", patient="P2"))
    assert len(readings_by_patient(StudyData(measurements=other))) == 2


def test_with_reader_only_that_readers_rows_count():
    """Interchange spec, Readers: only that reader's rows count (blank belongs to no named
    reader), the repeated-row rule and the scans apply to them alone, and a patient without
    a row from that reader is not listed."""
    rows = (
        row(0, "T1", 30, reader="A"),
        row(0, "T1", 31, reader="B"),
        row(40, "T1", 20, reader="B"),
        row(60, "T1", 20, reader="A"),
        row(0, "NT1", patient="P2"),
    )
    data = StudyData(measurements=rows, scans=(ScanRecord("P2", day(0)),))
    (readings,) = readings_by_patient(data, reader="A")
    assert readings.scan_dates == (day(0), day(60))
    assert readings.observations[("T1", day(0))].diameter_mm == 30
    assert readings_by_patient(data, reader="C") == []
