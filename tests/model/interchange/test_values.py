"""Each value rule of the interchange files, checked with a small file.

Source: interchange spec, "A value that does not fit its column is an error
that names the file, the line, the column and the value", and the column
tables of patients.csv, measurements.csv, scans.csv and events.csv.
"""

from __future__ import annotations

from datetime import date

import pytest

from model.domain import Role, Status
from model.interchange.study_files import read_events, read_measurements, read_patients, read_scans
from tests.model.interchange.support import (
    MEASUREMENTS_HEADER,
    assert_names,
    only_problem,
    problems_of,
    write,
)


def _measurement(tmp_path, row: str, header: str = MEASUREMENTS_HEADER):
    return read_measurements(write(tmp_path, "measurements.csv", header, row))


def _bad_measurement(tmp_path, row: str, header: str = MEASUREMENTS_HEADER):
    path = write(tmp_path, "measurements.csv", header, row)
    return only_problem(lambda: read_measurements(path))


@pytest.mark.parametrize("text", ["2024-02-31", "2023-02-29", "2024-13-01", "0000-01-01"])
def test_date_that_does_not_exist_is_an_error_naming_the_value(tmp_path, text):
    """Interchange spec: dates are ISO YYYY-MM-DD; 2024-02-31 is no date."""
    problem = _bad_measurement(tmp_path, f"P1,{text},T1,target,12,")
    assert_names(problem, "measurements.csv", 2, "scan_date", text)
    assert "not a real date" in problem.message


@pytest.mark.parametrize("text", ["05/01/2024", "2024-1-5", "20240105", "2024-01-05T00:00", "５"])
def test_dates_must_be_written_yyyy_mm_dd(tmp_path, text):
    """Interchange spec: dates are ISO YYYY-MM-DD, nothing else."""
    problem = _bad_measurement(tmp_path, f"P1,{text},T1,target,12,")
    assert_names(problem, "measurements.csv", 2, "scan_date", text)
    assert "YYYY-MM-DD" in problem.message


def test_a_valid_row_gives_its_typed_record_with_its_source(tmp_path):
    """Interchange spec, measurements.csv: one row per lesion per scan."""
    (record,) = _measurement(tmp_path, " P1 , 2024-01-05 ,T1, Target ,12.5,MEASURED")
    assert (record.patient_id, record.scan_date, record.lesion_id) == ("P1", date(2024, 1, 5), "T1")
    assert (record.role, record.status, record.diameter_mm) == (Role.TARGET, Status.MEASURED, 12.5)
    assert record.source == ("measurements.csv", 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-3", "cannot be negative"), ("1000.5", "over 1000 mm"), ("12,5", "point as decimal")],
)
def test_diameter_is_a_plausible_number_of_mm(tmp_path, text, expected):
    """Interchange spec: diameter_mm >= 0; over 1 m is a unit or typing slip."""
    problem = _bad_measurement(tmp_path, f'P1,2024-01-05,T1,target,"{text}",')
    assert_names(problem, "measurements.csv", 2, "diameter_mm", text)
    assert expected in problem.message


@pytest.mark.parametrize("text", ["nan", "inf", "1e3", "1_000", "12 mm", "0x10"])
def test_diameter_is_plain_decimal_notation(tmp_path, text):
    """Interchange spec: a number column holds a number; Python's extras are refused."""
    problem = _bad_measurement(tmp_path, f"P1,2024-01-05,T1,target,{text},")
    assert_names(problem, "measurements.csv", 2, "diameter_mm", text)


def test_diameter_bounds_are_inclusive(tmp_path):
    """Interchange spec: diameter_mm >= 0 (and at most 1000 mm, Nadir's plausibility bound)."""
    header = MEASUREMENTS_HEADER
    path = write(
        tmp_path,
        "measurements.csv",
        header,
        "P1,2024-01-05,T1,target,1000,",
        "P1,2024-01-05,T2,target,0,",
    )
    assert [r.diameter_mm for r in read_measurements(path)] == [1000.0, 0.0]


@pytest.mark.parametrize(
    ("role", "status"), [("target", "measured"), ("non-target", "present"), ("new", "present")]
)
def test_blank_status_is_the_role_default(tmp_path, role, status):
    """Interchange spec, status by role: the default is measured, present, present."""
    (record,) = _measurement(tmp_path, f"P1,2024-01-05,L1,{role},12,")
    assert record.status == Status(status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("target", "present"),
        ("non-target", "measured"),
        ("new", "not-evaluated"),
        ("new", "too-small"),
    ],
)
def test_status_must_be_allowed_for_the_role(tmp_path, role, status):
    """Interchange spec, status by role: each role has its own statuses."""
    problem = _bad_measurement(tmp_path, f"P1,2024-01-05,L1,{role},12,{status}")
    assert_names(problem, "measurements.csv", 2, "status", status)
    assert f"not allowed for a {role} lesion" in problem.message


def test_unknown_role_and_status_list_the_allowed_values(tmp_path):
    """Interchange spec: role is target, non-target or new."""
    path = write(
        tmp_path, "measurements.csv", MEASUREMENTS_HEADER, "P1,2024-01-05,T1,nontarget,12,gone"
    )
    role, status = problems_of(lambda: read_measurements(path))
    assert_names(role, "measurements.csv", 2, "role", "nontarget")
    assert "target, non-target, new" in role.message
    assert_names(status, "measurements.csv", 2, "status", "gone")


def test_measured_target_needs_a_diameter(tmp_path):
    """Interchange spec: target `measured` needs diameter_mm."""
    problem = _bad_measurement(tmp_path, "P1,2024-01-05,T1,target,,measured")
    assert_names(problem, "measurements.csv", 2, "diameter_mm", "")


def test_absent_lesion_cannot_have_a_size(tmp_path):
    """Interchange spec: `absent` is 0 mm, so a positive diameter contradicts it."""
    problem = _bad_measurement(tmp_path, "P1,2024-01-05,T1,target,4,absent")
    assert_names(problem, "measurements.csv", 2, "diameter_mm", "4")


def test_targets_without_size_by_status_are_fine(tmp_path):
    """Interchange spec: absent (0 mm), too-small (5 mm) and not-evaluated need no diameter."""
    rows = [
        f"P1,2024-01-05,T{i},target,,{s}"
        for i, s in enumerate(["absent", "too-small", "not-evaluated"])
    ]
    path = write(tmp_path, "measurements.csv", MEASUREMENTS_HEADER, *rows)
    assert [r.status for r in read_measurements(path)] == [
        Status.ABSENT,
        Status.TOO_SMALL,
        Status.NOT_EVALUATED,
    ]


def test_yes_no_columns_take_yes_no_in_any_case_blank_is_no(tmp_path):
    """Interchange spec: lymph_node and irradiated are yes/no, lymph_node default no."""
    header = "patient_id,scan_date,lesion_id,role,diameter_mm,lymph_node,irradiated"
    path = write(
        tmp_path,
        "measurements.csv",
        header,
        "P1,2024-01-05,T1,target,12,Yes,",
        "P1,2024-01-05,T2,target,12,,NO",
    )
    first, second = read_measurements(path)
    assert (first.lymph_node, first.irradiated, second.lymph_node, second.irradiated) == (
        True,
        False,
        False,
        False,
    )


@pytest.mark.parametrize("text", ["true", "1", "y", "oui"])
def test_yes_no_columns_refuse_other_words(tmp_path, text):
    """Interchange spec: lymph_node is `yes`/`no`."""
    header = "patient_id,scan_date,lesion_id,role,diameter_mm,lymph_node"
    problem = _bad_measurement(tmp_path, f"P1,2024-01-05,T1,target,12,{text}", header)
    assert_names(problem, "measurements.csv", 2, "lymph_node", text)


def test_required_values_cannot_be_blank(tmp_path):
    """Interchange spec: patient_id, scan_date, lesion_id and role are required."""
    path = write(tmp_path, "measurements.csv", MEASUREMENTS_HEADER, " ,,,,12,")
    problems = problems_of(lambda: read_measurements(path))
    assert [(p.line, p.column) for p in problems] == [
        (2, "patient_id"),
        (2, "scan_date"),
        (2, "lesion_id"),
        (2, "role"),
    ]


def test_patient_values_blank_arm_is_all_sex_either_case(tmp_path):
    """Interchange spec, patients.csv: blank arm means `All`; sex F, M or blank."""
    header = "patient_id,arm,start_date,sex,age,histology"
    path = write(
        tmp_path, "patients.csv", header, "P1,,2024-01-01,f,61.5,", "P2,B,2024-01-02,,,HCC"
    )
    first, second = read_patients(path)
    assert (first.arm, first.sex, first.age, first.histology) == ("All", "F", 61.5, None)
    assert (second.arm, second.sex, second.age, second.histology) == ("B", None, None, "HCC")


@pytest.mark.parametrize(
    ("column", "text"), [("sex", "X"), ("age", "121"), ("age", "-1"), ("age", "sixty")]
)
def test_patient_sex_and_age_must_be_sane(tmp_path, column, text):
    """Interchange spec, patients.csv: sex is F, M or blank; age in years (0 to 120)."""
    path = write(
        tmp_path, "patients.csv", f"patient_id,start_date,{column}", f"P1,2024-01-01,{text}"
    )
    assert_names(only_problem(lambda: read_patients(path)), "patients.csv", 2, column, text)


@pytest.mark.parametrize(
    ("column", "text"), [("death_date", "2023-12-31"), ("last_contact_date", "2023-12-31")]
)
def test_patient_dates_cannot_precede_start(tmp_path, column, text):
    """Interchange spec, patients.csv: start_date is the time origin of PFS and OS."""
    path = write(
        tmp_path, "patients.csv", f"patient_id,start_date,{column}", f"P1,2024-01-01,{text}"
    )
    assert_names(only_problem(lambda: read_patients(path)), "patients.csv", 2, column, text)


def test_event_cannot_end_before_it_starts(tmp_path):
    """Interchange spec, events.csv: end_date closes a treatment span."""
    header = "patient_id,kind,start_date,end_date,detail"
    path = write(tmp_path, "events.csv", header, "P1,treatment,2024-02-01,2024-01-31,camrelizumab")
    problem = only_problem(lambda: read_events(path))
    assert_names(problem, "events.csv", 2, "end_date", "2024-01-31")


def test_events_and_scans_read_with_blank_optionals(tmp_path):
    """Interchange spec, scans.csv and events.csv: modality, end_date and detail are optional."""
    events = write(
        tmp_path, "events.csv", "patient_id,kind,start_date,end_date", "P1,surgery,2024-02-01,"
    )
    scans = write(tmp_path, "scans.csv", "patient_id,scan_date,modality", "P1,2024-02-01,")
    (event,) = read_events(events)
    (scan,) = read_scans(scans)
    assert (event.kind, event.end_date, event.detail, scan.modality) == (
        "surgery",
        None,
        None,
        None,
    )
