"""Rules across rows and files of a study: unique and known patients, lesions that
keep their role, fragments and repeated rows.

Source: interchange spec, patients.csv (patient_id "unique in the study") and
measurements.csv (patient_id "must exist in patients.csv when that file is
given", role "constant for a lesion", "Two rows with the same patient, scan
and lesion_id are fragments of one target lesion ... Any other repeated row
is an error").
"""

from __future__ import annotations

from datetime import date

from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.interchange.study_files import check_study, read_measurements, read_study
from tests.model.interchange.support import (
    MEASUREMENTS_HEADER,
    assert_names,
    only_problem,
    problems_of,
    write,
)

HEADER = MEASUREMENTS_HEADER + ",reader,lymph_node"


def _measurements(tmp_path, *rows: str):
    return write(tmp_path, "measurements.csv", HEADER, *rows)


def test_fragments_of_a_measured_target_are_kept_as_rows(tmp_path):
    """Interchange spec: rows with the same patient, scan and lesion_id are fragments."""
    path = _measurements(
        tmp_path, "P1,2024-01-05,T1,target,12,,,", "P1,2024-01-05,T1,target,8,measured,,"
    )
    assert [r.diameter_mm for r in read_measurements(path)] == [12.0, 8.0]


def test_repeated_non_target_row_is_an_error_naming_both_lines(tmp_path):
    """Interchange spec: any repeated row other than target fragments is an error."""
    path = _measurements(
        tmp_path, "P1,2024-01-05,NT1,non-target,,,,", "P1,2024-01-05,NT1,non-target,,,,"
    )
    problem = only_problem(lambda: read_measurements(path))
    assert_names(problem, "measurements.csv", 3, "lesion_id", "NT1")
    assert "line 2" in problem.message


def test_fragments_must_all_be_measured(tmp_path):
    """Interchange spec: fragments "must all be `measured`"."""
    path = _measurements(
        tmp_path,
        "P1,2024-01-05,T1,target,12,,,",
        "P1,2024-01-05,T1,target,,too-small,,",
        "P1,2024-01-05,T1,target,4,,,",
    )
    problems = problems_of(lambda: read_measurements(path))
    assert [(p.line, p.column) for p in problems] == [(3, "lesion_id"), (4, "lesion_id")]


def test_same_lesion_by_two_readers_is_not_a_repeat(tmp_path):
    """Interchange spec, Readers: each reader's rows stand on their own."""
    path = _measurements(
        tmp_path, "P1,2024-01-05,NT1,non-target,,,A,", "P1,2024-01-05,NT1,non-target,,,B,"
    )
    assert len(read_measurements(path)) == 2


def test_same_lesion_on_two_scans_is_not_a_repeat(tmp_path):
    """Interchange spec: one row per lesion per scan."""
    path = _measurements(
        tmp_path, "P1,2024-01-05,NT1,non-target,,,,", "P1,2024-03-05,NT1,non-target,,,,"
    )
    assert len(read_measurements(path)) == 2


def test_role_is_constant_for_a_lesion(tmp_path):
    """Interchange spec: role is constant for a lesion."""
    path = _measurements(
        tmp_path, "P1,2024-01-05,L1,target,12,,,", "P1,2024-03-05,L1,non-target,,,,"
    )
    problem = only_problem(lambda: read_measurements(path))
    assert_names(problem, "measurements.csv", 3, "role", "non-target")
    assert "'target' on line 2" in problem.message


def test_lymph_node_is_constant_for_a_lesion_blank_counting_as_no(tmp_path):
    """Nadir's choice: a node's size is its short axis at every scan (interchange spec,
    lymph_node), so a lesion cannot switch; blank is the default `no`."""
    path = _measurements(
        tmp_path, "P1,2024-01-05,T1,target,16,,,yes", "P1,2024-03-05,T1,target,9,,,"
    )
    problem = only_problem(lambda: read_measurements(path))
    assert_names(problem, "measurements.csv", 3, "lymph_node", "no")
    assert "'yes' on line 2" in problem.message and "blank lymph_node means no" in problem.message


def test_two_readers_may_give_a_label_different_roles(tmp_path):
    """Nadir's choice: blinded readers choose their own lesions, so a lesion is one reader's
    label (interchange spec, Readers: each reader's rows are judged alone)."""
    path = _measurements(
        tmp_path, "P1,2024-01-05,L1,target,12,,A,", "P1,2024-01-05,L1,non-target,,,B,"
    )
    assert [r.role for r in read_measurements(path)] == [Role.TARGET, Role.NON_TARGET]


def test_patient_id_is_unique_in_patients_csv(tmp_path):
    """Interchange spec: patient_id is unique in the study."""
    write(
        tmp_path,
        "patients.csv",
        "patient_id,start_date",
        "P1,2024-01-01",
        "P2,2024-01-01",
        "P1,2024-02-01",
    )
    problem = only_problem(lambda: read_study(tmp_path))
    assert_names(problem, "patients.csv", 4, "patient_id", "P1")
    assert "line 2" in problem.message


def test_every_table_refers_to_known_patients_once_per_patient(tmp_path):
    """Interchange spec: patient_id must exist in patients.csv when that file is given."""
    write(tmp_path, "patients.csv", "patient_id,start_date", "P1,2024-01-01")
    _measurements(
        tmp_path,
        "P1,2024-01-05,T1,target,12,,,",
        "P9,2024-01-05,T1,target,12,,,",
        "P9,2024-03-05,T1,target,12,,,",
    )
    write(tmp_path, "scans.csv", "patient_id,scan_date", "P1,2024-01-05", "P8,2024-01-05")
    write(tmp_path, "events.csv", "patient_id,kind,start_date", "P7,surgery,2024-01-05")
    problems = problems_of(lambda: read_study(tmp_path))
    assert [(p.file, p.line, p.value) for p in problems] == [
        ("measurements.csv", 3, "P9"),
        ("scans.csv", 3, "P8"),
        ("events.csv", 2, "P7"),
    ]
    assert "1 more" in problems[0].message


def test_a_patient_row_with_a_bad_value_does_not_make_its_rows_unknown(tmp_path):
    """Interchange spec: errors name what is wrong; a dropped patient row is not a second error."""
    write(tmp_path, "patients.csv", "patient_id,start_date", "P1,2024-31-01")
    _measurements(tmp_path, "P1,2024-01-05,T1,target,12,,,")
    assert_names(
        only_problem(lambda: read_study(tmp_path)), "patients.csv", 2, "start_date", "2024-31-01"
    )


def test_check_study_works_on_records_without_a_file(tmp_path):
    """Interchange spec: the same rules hold for a study built in memory (e.g. by the store)."""
    day = date(2024, 1, 5)
    row = MeasurementRecord("P2", day, "NT1", Role.NON_TARGET, Status.PRESENT)
    data = StudyData(patients=(PatientRecord("P1", day),), measurements=(row, row))
    problems = check_study(data)
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("measurements.csv", None, "lesion_id"),
        ("measurements.csv", None, "patient_id"),
    ]
    assert check_study(data, patients_given=False)[0].column == "lesion_id"
