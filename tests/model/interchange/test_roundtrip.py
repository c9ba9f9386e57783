"""Export then import gives the same study, through CSV files and through .xlsx.

Source: interchange spec, headless commands: "`export` ... writes the same files
back, so that export then import gives the same study".
"""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.domain import (
    STATUSES_BY_ROLE,
    EventRecord,
    MeasurementRecord,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    StudyData,
)
from model.errors import InputError
from model.interchange.study_files import read_study, write_study, write_workbook
from model.interchange.values import MAX_AGE_YEARS, MAX_DIAMETER_MM

DAY = date(2024, 1, 5)


def _study() -> StudyData:
    """A small study using every column: fragments, extras, blank optional values."""
    patients = (
        PatientRecord("P1", date(2024, 1, 1), "A", date(2024, 6, 1), None, "F", 61.5, "HCC", "B"),
        PatientRecord("P2", date(2024, 1, 2), extra={"x_centre": 'Lyon, "Nord"\nsite 2'}),
    )
    m = MeasurementRecord
    measurements = (
        m(
            "P1",
            DAY,
            "T1",
            Role.TARGET,
            Status.MEASURED,
            "liver",
            False,
            30.0,
            12.25,
            extra={"x_note": "=1+1"},
        ),
        m("P1", DAY, "T1", Role.TARGET, Status.MEASURED, "liver", False, 0.1),
        m(
            "P1",
            DAY,
            "N1",
            Role.TARGET,
            Status.MEASURED,
            "mediastinal node",
            True,
            16.0,
            irradiated=True,
        ),
        m("P1", DAY, "NT1", Role.NON_TARGET, Status.PRESENT, reader=""),
        m("P1", DAY + timedelta(56), "T1", Role.TARGET, Status.ABSENT, "liver"),
        m("P1", DAY + timedelta(56), "NEW1", Role.NEW, Status.EQUIVOCAL, "lung", False, 8.0),
    )
    scans = (ScanRecord("P1", DAY, "CT"), ScanRecord("P2", DAY, None, {"x_slice_mm": "1.25"}))
    events = (
        EventRecord("P1", "treatment", date(2024, 1, 1), None, "camrelizumab"),
        EventRecord("P1", "surgery", date(2024, 3, 1), date(2024, 3, 1), "R0"),
    )
    return StudyData(patients, measurements, scans, events)


def test_csv_export_then_import_gives_the_same_study(tmp_path):
    """Interchange spec: export then import gives the same study (fragments, extras, blanks)."""
    study = _study()
    write_study(study, tmp_path)
    assert read_study(tmp_path) == study


def test_xlsx_export_then_import_gives_the_same_study(tmp_path):
    """Interchange spec: an .xlsx workbook is accepted too, so it round-trips too."""
    study = _study()
    write_workbook(study, tmp_path / "study.xlsx")
    assert read_study(tmp_path / "study.xlsx") == study


def test_csv_files_hold_only_the_columns_in_use_in_iso_and_yes_no(tmp_path):
    """Interchange spec: ISO dates, yes/no booleans; Nadir writes only columns in use."""
    study = StudyData(
        measurements=(
            MeasurementRecord(
                "P1", DAY, "T1", Role.TARGET, Status.MEASURED, lymph_node=True, diameter_mm=16.0
            ),
        )
    )
    (path,) = write_study(study, tmp_path)
    assert path.read_text(encoding="utf-8").splitlines() == [
        "patient_id,scan_date,lesion_id,role,lymph_node,diameter_mm,status",
        "P1,2024-01-05,T1,target,yes,16,measured",
    ]


def test_export_removes_table_files_left_by_an_earlier_export(tmp_path):
    """Interchange spec: export then import gives the same study, not an older one."""
    write_study(_study(), tmp_path)
    study = StudyData(patients=_study().patients)
    write_study(study, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["patients.csv"]
    assert read_study(tmp_path) == study


def test_empty_study_round_trips(tmp_path):
    """Interchange spec: a study needs patients or measurements, even when empty."""
    write_study(StudyData(), tmp_path / "out")
    assert read_study(tmp_path / "out") == StudyData()


def test_workbook_header_is_bold_frozen_with_dates_as_date_cells(tmp_path):
    """Nadir's choice: a workbook a nurse can read: bold frozen header, real date cells."""
    write_workbook(_study(), tmp_path / "study.xlsx")
    book = openpyxl.load_workbook(tmp_path / "study.xlsx")
    sheet = book["measurements"]
    assert book.sheetnames == ["patients", "measurements", "scans", "events"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["B2"].value.date() == DAY and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["E"].width >= len("mediastinal node")


_TEXT = (
    st.text(
        st.characters(
            codec="utf-8",
            exclude_categories=("Cs", "Cc"),
            include_characters="\n\t",
            exclude_characters="\ufffe\uffff",
        ),
        min_size=1,
        max_size=6,
    )
    .map(str.strip)
    .filter(bool)
)
_DATES = st.dates(date(1990, 1, 1), date(2040, 12, 31))
# Numbers as Nadir reads them: to 15 significant digits, as Excel keeps them.
_MM = st.floats(0, MAX_DIAMETER_MM).map(lambda x: float(f"{x:.15g}"))
_EXTRAS = st.dictionaries(st.sampled_from(["x_a", "x_note"]), _TEXT, max_size=2)


@st.composite
def _studies(draw) -> StudyData:
    """Valid studies: known patients, lesions that keep role and node, fragments only of
    measured targets (interchange spec, measurements.csv)."""
    ids = draw(st.lists(_TEXT, min_size=1, max_size=3, unique=True))
    patients = [
        PatientRecord(
            pid,
            draw(_DATES),
            draw(_TEXT),
            sex=draw(st.sampled_from([None, "F", "M"])),
            age=draw(st.none() | st.floats(0, MAX_AGE_YEARS).map(lambda x: float(f"{x:.15g}"))),
            histology=draw(st.none() | _TEXT),
            extra=draw(_EXTRAS),
        )
        for pid in ids
    ]
    measurements = []
    for index, role in enumerate(draw(st.lists(st.sampled_from(Role), max_size=4))):
        pid, node, reader = (
            draw(st.sampled_from(ids)),
            draw(st.booleans()),
            draw(st.sampled_from(["", "R2"])),
        )
        for scan in draw(st.lists(_DATES, min_size=1, max_size=3, unique=True)):
            status = draw(st.sampled_from(STATUSES_BY_ROLE[role]))
            size = draw(_MM) if status is Status.MEASURED else draw(st.none() | st.just(0.0))
            copies = (
                draw(st.integers(1, 2)) if status is Status.MEASURED and role is Role.TARGET else 1
            )
            for _ in range(copies):
                measurements.append(
                    MeasurementRecord(
                        pid,
                        scan,
                        f"L{index}",
                        role,
                        status,
                        draw(st.just("") | _TEXT),
                        node,
                        size,
                        draw(st.none() | _MM),
                        draw(st.booleans()),
                        reader,
                        draw(_EXTRAS),
                    )
                )
    scans = [
        ScanRecord(draw(st.sampled_from(ids)), draw(_DATES), draw(st.none() | _TEXT), draw(_EXTRAS))
        for _ in range(draw(st.integers(0, 2)))
    ]
    events = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(_DATES)
        end = draw(st.none() | st.dates(start, date(2041, 1, 1)))
        events.append(
            EventRecord(
                draw(st.sampled_from(ids)),
                draw(_TEXT),
                start,
                end,
                draw(st.none() | _TEXT),
                draw(_EXTRAS),
            )
        )
    return StudyData(tuple(patients), tuple(measurements), tuple(scans), tuple(events))


# 60 generated studies through CSV and 15 through .xlsx per run (about 3.5 s in all).
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(study=_studies())
def test_any_valid_study_round_trips_through_csv(tmp_path, study):
    """Interchange spec: export then import gives the same study, for any valid study."""
    write_study(study, tmp_path)
    assert read_study(tmp_path) == study


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(study=_studies())
def test_any_valid_study_round_trips_through_xlsx(tmp_path, study):
    """Interchange spec: export then import gives the same study, for any valid study."""
    write_workbook(study, tmp_path / "study.xlsx")
    assert read_study(tmp_path / "study.xlsx") == study


def test_export_to_a_place_that_cannot_hold_it_is_an_input_error(tmp_path):
    """Headless commands: a bad --out gets a message naming it, never a traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(InputError, match="cannot be written"):
        write_study(_study(), blocker / "out")
    with pytest.raises(InputError, match="cannot be written"):
        write_workbook(_study(), tmp_path / "missing" / "study.xlsx")
    with pytest.raises(InputError, match="cannot be written"):  # below a file, not a folder
        write_workbook(_study(), blocker / "study.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
