"""Whole-file rules of the interchange format: encoding, delimiter, header, folder, workbook.

Source: interchange spec, introduction: "All files are UTF-8 CSV with a header
row (an .xlsx workbook with one sheet per table, named like the files, is
accepted too)", column names case-insensitive, `x_` extra columns; and the
headless commands' error contract (a clear message, never a traceback).
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from model.interchange.problems import MAX_LISTED_PROBLEMS
from model.interchange.read import CHUNK_ROWS
from model.interchange.study_files import read_files, read_measurements, read_patients, read_study
from tests.model.interchange.support import (
    MEASUREMENTS_HEADER,
    assert_names,
    only_problem,
    problems_of,
    write,
)

ROW = "P1,2024-01-05,T1,target,12,"


def test_utf8_with_byte_order_mark_is_read(tmp_path):
    """Interchange spec: UTF-8; Excel's 'CSV UTF-8' starts with a byte-order mark."""
    path = tmp_path / "patients.csv"
    path.write_bytes(
        "\ufeffpatient_id,start_date,histology\nP1,2024-01-01,carcinome hépatocellulaire\n".encode()
    )
    (patient,) = read_patients(path)
    assert (patient.patient_id, patient.histology) == ("P1", "carcinome hépatocellulaire")


def test_latin1_file_is_refused_naming_the_first_bad_line(tmp_path):
    """Interchange spec: files are UTF-8; a Latin-1 export is named, with its line."""
    path = tmp_path / "patients.csv"
    path.write_bytes(
        "patient_id,start_date,histology\nP1,2024-01-01,ok\nP2,2024-01-01,hépatique\n".encode(
            "latin-1"
        )
    )
    problem = only_problem(lambda: read_patients(path))
    assert (problem.file, problem.line) == ("patients.csv", 3)
    assert "not UTF-8" in problem.message and "0xe9" in problem.message


def test_utf16_file_is_named_as_such(tmp_path):
    """Interchange spec: files are UTF-8; Excel's 'Unicode text' is UTF-16."""
    path = tmp_path / "patients.csv"
    path.write_bytes("patient_id,start_date\nP1,2024-01-01\n".encode("utf-16"))
    assert "UTF-16" in only_problem(lambda: read_patients(path)).message


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs")])
def test_other_delimiters_are_named(tmp_path, separator, word):
    """Interchange spec: CSV means comma-separated; European Excel writes semicolons."""
    path = write(
        tmp_path,
        "measurements.csv",
        MEASUREMENTS_HEADER.replace(",", separator),
        ROW.replace(",", separator),
    )
    problem = only_problem(lambda: read_measurements(path))
    assert "expected comma-separated" in problem.message and word in problem.message
    assert (problem.file, problem.line) == ("measurements.csv", 1)


def test_empty_file_is_an_error(tmp_path):
    """Interchange spec: a header row is required."""
    path = write(tmp_path, "measurements.csv")
    problem = only_problem(lambda: read_measurements(path))
    assert problem.file == "measurements.csv" and "header" in problem.message


def test_header_only_gives_no_rows(tmp_path):
    """Interchange spec: a file with its header and no row is an empty table."""
    assert read_measurements(write(tmp_path, "measurements.csv", MEASUREMENTS_HEADER)) == ()


def test_column_names_ignore_case_and_whitespace_and_order(tmp_path):
    """Interchange spec: column names are case-insensitive, surrounding whitespace ignored."""
    path = write(tmp_path, "patients.csv", " Start_Date ,PATIENT_ID ", "2024-01-01,P1")
    (patient,) = read_patients(path)
    assert (patient.patient_id, patient.start_date) == ("P1", date(2024, 1, 1))


def test_unknown_column_is_an_error_unless_x_prefixed(tmp_path):
    """Interchange spec: unknown columns are an error unless they start with x_ (kept)."""
    path = write(
        tmp_path, "patients.csv", "patient_id,start_date,X_Site_Code,weight", "P1,2024-01-01,S7,70"
    )
    problem = only_problem(lambda: read_patients(path))
    assert_names(problem, "patients.csv", 1, "weight", "weight")
    path = write(
        tmp_path, "patients.csv", "patient_id,start_date,X_Site_Code,x_blank", "P1,2024-01-01, S7 ,"
    )
    assert read_patients(path)[0].extra == {"x_site_code": "S7"}


def test_column_given_twice_is_an_error(tmp_path):
    """Interchange spec: each column has one meaning, so one place."""
    path = write(tmp_path, "patients.csv", "patient_id,start_date,Patient_ID", "P1,2024-01-01,P1")
    assert_names(
        only_problem(lambda: read_patients(path)), "patients.csv", 1, "patient_id", "Patient_ID"
    )


def test_missing_required_column_is_named(tmp_path):
    """Interchange spec: patients.csv requires patient_id and start_date."""
    path = write(tmp_path, "patients.csv", "patient_id,arm", "P1,A")
    assert_names(only_problem(lambda: read_patients(path)), "patients.csv", 1, "start_date", None)


def test_value_beyond_the_header_is_an_error_trailing_blanks_are_not(tmp_path):
    """Interchange spec: every value belongs to a named column."""
    path = write(
        tmp_path, "patients.csv", "patient_id,start_date", "P1,2024-01-01,,", "P2,2024-01-01,x"
    )
    problem = only_problem(lambda: read_patients(path))
    assert (problem.line, problem.file) == (3, "patients.csv")


def test_control_character_in_a_cell_is_an_error(tmp_path):
    """Interchange spec: a value that does not fit its column is an error (a NUL fits none)."""
    path = write(
        tmp_path, "patients.csv", "patient_id,start_date,histology", "P1,2024-01-01,HCC\x00"
    )
    assert_names(
        only_problem(lambda: read_patients(path)), "patients.csv", 2, "histology", "HCC\x00"
    )


def test_blank_lines_are_skipped_and_lines_count_quoted_line_breaks(tmp_path):
    """Interchange spec: errors name the line, as a text editor numbers it."""
    path = write(
        tmp_path,
        "patients.csv",
        "patient_id,start_date,histology",
        "",
        'P1,2024-01-01,"two',
        'lines"',
        ",,",
        "P2,2024-13-01,",
    )
    assert_names(
        only_problem(lambda: read_patients(path)), "patients.csv", 6, "start_date", "2024-13-01"
    )


def test_every_problem_is_collected_not_only_the_first(tmp_path):
    """Interchange spec: an import with any error writes nothing, and says every error."""
    path = write(
        tmp_path,
        "measurements.csv",
        MEASUREMENTS_HEADER,
        "P1,2024-02-30,T1,target,-1,",
        ROW,
        "P1,x,T2,tumour,,",
    )
    problems = problems_of(lambda: read_measurements(path))
    assert [(p.line, p.column) for p in problems] == [
        (2, "scan_date"),
        (2, "diameter_mm"),
        (4, "scan_date"),
        (4, "role"),
    ]


def test_problem_far_into_a_large_file_names_its_line(tmp_path):
    """Interchange spec: errors name the line, also past the first chunk of rows read."""
    rows = [f"P1,2024-01-05,T{i},target,12," for i in range(CHUNK_ROWS + 10)]
    rows[CHUNK_ROWS + 3] = "P1,2024-01-05,T9999,target,twelve,"
    path = write(tmp_path, "measurements.csv", MEASUREMENTS_HEADER, *rows)
    assert_names(
        only_problem(lambda: read_measurements(path)),
        "measurements.csv",
        CHUNK_ROWS + 5,
        "diameter_mm",
        "twelve",
    )


def test_a_flood_of_problems_is_listed_up_to_a_limit_and_counted(tmp_path):
    """Interchange spec: every problem is reported; past MAX_LISTED_PROBLEMS, as a count."""
    rows = ["P1,2024-01-05,T1,target,bad,"] * (MAX_LISTED_PROBLEMS + 5)
    path = write(tmp_path, "measurements.csv", MEASUREMENTS_HEADER, *rows)
    problems = problems_of(lambda: read_measurements(path))
    assert len(problems) == MAX_LISTED_PROBLEMS + 1
    assert "5 more problems" in problems[-1].message


def test_missing_folder_or_file_is_named(tmp_path):
    """Headless commands: bad input gets a message naming the file, never a traceback."""
    assert "no such folder" in only_problem(lambda: read_study(tmp_path / "nowhere")).message
    assert "cannot be opened" in only_problem(lambda: read_measurements(tmp_path / "m.csv")).message


def test_folder_needs_patients_or_measurements(tmp_path):
    """Nadir's choice: scans and events alone make no study."""
    write(tmp_path, "scans.csv", "patient_id,scan_date", "P1,2024-01-01")
    assert (
        "neither patients.csv nor measurements.csv"
        in only_problem(lambda: read_study(tmp_path)).message
    )


def test_folder_reads_file_names_in_any_case_and_only_its_tables(tmp_path):
    """Interchange spec: a folder holding the CSV files; other files are not Nadir's."""
    write(tmp_path, "Measurements.CSV", MEASUREMENTS_HEADER, ROW)
    write(tmp_path, "notes.csv", "anything")
    study = read_study(tmp_path)
    assert len(study.measurements) == 1 and study.patients == ()


def test_other_file_kinds_are_refused(tmp_path):
    """Interchange spec: a folder or one .xlsx workbook."""
    path = write(tmp_path, "study.xls", "x")
    assert "save this older Excel file as .xlsx" in only_problem(lambda: read_study(path)).message
    path = write(tmp_path, "measurements.csv", MEASUREMENTS_HEADER)
    assert "give the folder" in only_problem(lambda: read_study(path)).message
    path = write(tmp_path, "study.txt", "x")
    assert "folder of CSV files or an .xlsx" in only_problem(lambda: read_study(path)).message


def test_unreadable_workbook_is_named(tmp_path):
    """Headless commands: a broken .xlsx gets a clear message, never a traceback."""
    path = write(tmp_path, "study.xlsx", "not a zip file")
    problem = only_problem(lambda: read_study(path))
    assert problem.file == "study.xlsx" and "cannot be read as an .xlsx" in problem.message


def _workbook(tmp_path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "study.xlsx"
    book.save(path)
    return path


def test_workbook_sheets_are_tables_with_real_date_and_number_cells(tmp_path):
    """Interchange spec: an .xlsx with one sheet per table, named like the files."""
    path = _workbook(
        tmp_path,
        {
            "Patients": [["patient_id", "start_date", "age"], [101, datetime(2024, 1, 1), 61]],
            "measurements": [
                ["patient_id", "scan_date", "lesion_id", "role", "diameter_mm"],
                [101, date(2024, 1, 5), "T1", "target", 12.5],
            ],
            "x_notes": [["anything"]],
            "Sheet1": [],
        },
    )
    study = read_study(path)
    assert study.patients[0].patient_id == "101" and study.patients[0].age == 61.0
    (record,) = study.measurements
    assert (record.scan_date, record.diameter_mm, record.source) == (
        date(2024, 1, 5),
        12.5,
        ("study.xlsx[measurements]", 2),
    )


def test_workbook_rows_beyond_its_declared_size_are_read(tmp_path):
    """Interchange spec: every row is checked; a sheet declaring too small a size (some
    programs write a wrong one) must not hide rows."""
    path = _workbook(
        tmp_path,
        {"patients": [["patient_id", "start_date"], ["P1", "2024-01-01"], ["P2", "2024-31-01"]]},
    )
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', parts[sheet])
    with zipfile.ZipFile(path, "w") as book:
        for name, content in parts.items():
            book.writestr(name, content)
    problem = only_problem(lambda: read_study(path))
    assert_names(problem, "study.xlsx[patients]", 3, "start_date", "2024-31-01")


def test_workbook_formula_cell_is_an_error_naming_the_cell(tmp_path):
    """Nadir's choice: a formula's cached value may be stale or missing, so values only."""
    header = ["patient_id", "scan_date", "lesion_id", "role", "diameter_mm"]
    path = _workbook(
        tmp_path, {"measurements": [header, ["P1", "2024-01-05", "T1", "target", "=10+2"]]}
    )
    problem = only_problem(lambda: read_study(path))
    assert_names(problem, "study.xlsx[measurements]", 2, "diameter_mm", "=10+2")
    assert "formula" in problem.message


def test_workbook_unknown_sheet_with_content_is_an_error(tmp_path):
    """Interchange spec: sheets are named like the files (x_ sheets are free, as x_ columns)."""
    path = _workbook(
        tmp_path,
        {"patients": [["patient_id", "start_date"], ["P1", "2024-01-01"]], "Measurments": [["a"]]},
    )
    assert only_problem(lambda: read_study(path)).file == "study.xlsx[Measurments]"


def test_read_files_checks_patients_only_when_given(tmp_path):
    """Interchange spec: patient_id must exist in patients.csv when that file is given."""
    measurements = write(tmp_path, "measurements.csv", MEASUREMENTS_HEADER, ROW)
    assert len(read_files(measurements=measurements).measurements) == 1
    patients = write(tmp_path, "patients.csv", "patient_id,start_date", "P2,2024-01-01")
    problem = only_problem(lambda: read_files(measurements=measurements, patients=patients))
    assert_names(problem, "measurements.csv", 2, "patient_id", "P1")


def test_column_without_a_name_must_stay_empty(tmp_path):
    """Interchange spec: every value belongs to a named column (an empty header cell is
    fine while its column is empty, as spreadsheets often leave one)."""
    path = write(
        tmp_path, "patients.csv", "patient_id,,start_date", "P1,,2024-01-01", "P2,7,2024-01-01"
    )
    assert_names(only_problem(lambda: read_patients(path)), "patients.csv", 3, None, "7")


def test_workbook_formula_in_an_extra_column_is_an_error_too(tmp_path):
    """Nadir's choice: values only, in every column, so that x_ columns round-trip as typed."""
    rows = [["patient_id", "start_date", "x_bmi"], ["P1", "2024-01-01", "=70/1.8^2"]]
    path = _workbook(tmp_path, {"patients": rows})
    assert_names(
        only_problem(lambda: read_study(path)), "study.xlsx[patients]", 2, "x_bmi", "=70/1.8^2"
    )


def test_row_shorter_than_the_header_has_blank_values_at_its_end(tmp_path):
    """Nadir's choice: spreadsheets drop empty cells at a row's end; they are blanks, so a
    required one is still missing."""
    path = write(
        tmp_path, "patients.csv", "patient_id,start_date,arm,histology", "P1,2024-01-01", "P2"
    )
    assert_names(only_problem(lambda: read_patients(path)), "patients.csv", 3, "start_date", "")
    path = write(tmp_path, "patients.csv", "patient_id,start_date,arm,histology", "P1,2024-01-01")
    assert read_patients(path)[0].arm == "All"
