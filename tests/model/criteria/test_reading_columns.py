"""Readings and row rules over measurement columns (issue 19): a patient's rows wherever
they are in the file, the reader's rows only, fragments, the same answers as before."""

from __future__ import annotations

from dataclasses import replace

from model.criteria.readings import readings_by_patient
from model.domain import MeasurementColumns, Observation, Status, StudyData
from model.rules.measurements import measurement_problems
from tests.model.engine_builders import day, row

#: Two readers' rows of three patients, interleaved, with a target in two fragments.
ROWS = (
    row(0, "T1", 20, patient="P2", reader="A", site="lung"),
    row(0, "T1", 30, patient="P1", reader="A", node=True),
    row(0, "NT1", patient="P2", reader="A"),
    row(0, "T1", 22, patient="P2", reader="B"),
    row(40, "T1", 12.3, patient="P2", reader="A", site="lung"),
    row(40, "T1", 4.1, patient="P2", reader="A", site="lung"),
    row(40, "N1", patient="P3", reader="A"),
    row(0, "T1", 9, patient="P3", reader="A", irradiated=True),
    row(40, "T1", 25, patient="P1", reader="A", node=True),
)


def test_a_patients_rows_are_found_wherever_they_are():
    readings = readings_by_patient(StudyData(measurements=ROWS), reader="A")
    assert [r.patient_id for r in readings] == ["P2", "P1", "P3"]
    p2, p1, p3 = readings
    assert p2.observations[("T1", day(40))] == Observation(Status.MEASURED, 16.4)
    assert [le.lesion_id for le in p2.lesions] == ["T1", "NT1"]
    assert p1.lesions[0].lymph_node and p3.lesions[0].irradiated
    assert p3.scan_dates == (day(0), day(40))


def test_columns_and_records_give_equal_readings():
    for reader in ("A", "B"):
        by_records = readings_by_patient(StudyData(measurements=ROWS), reader=reader)
        columns = MeasurementColumns.of(ROWS)
        assert readings_by_patient(StudyData(measurements=columns), reader=reader) == by_records


def test_rows_that_obey_the_rules_have_no_problem_and_others_keep_theirs():
    assert measurement_problems(ROWS) == []
    assert measurement_problems(MeasurementColumns.of(ROWS)) == []
    present_twice = (*ROWS, replace(ROWS[2], source=("measurements.csv", 20)))
    (problem,) = measurement_problems(MeasurementColumns.of(present_twice))
    assert problem.column == "lesion_id" and "repeated row" in problem.message
    role_changed = (
        *ROWS,
        replace(ROWS[1], scan_date=day(80), status=Status.ABSENT, role=ROWS[2].role),
    )
    assert [p.column for p in measurement_problems(role_changed)] == ["role"]
