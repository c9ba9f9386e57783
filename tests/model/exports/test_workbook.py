"""The whole-study workbook (issue #9), read back with openpyxl: sheets, headers, frozen panes,
widths, types, and formula injection neutralised (OWASP "CSV Injection")."""

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from model.analysis import analyse
from model.domain import (
    AdverseEvent,
    EventRecord,
    MeasurementRecord,
    PatientRecord,
    Role,
    Status,
    StudyData,
    Variable,
    VariableType,
)
from model.exports.workbook import MAX_WIDTH, write_study_workbook
from model.settings import StudySettings

START = date(2024, 1, 1)


def _study() -> StudyData:
    """Two patients; P01's texts look like formulas, P02 goes from 50 to 30 mm (PR, -40 %)."""
    patients = (
        PatientRecord("P01", START, arm="A", histology='=HYPERLINK("http://x","y")',
                      stage="+IV", death_date=date(2024, 5, 1)),
        PatientRecord("P02", START, arm="B", histology="-leiomyosarcoma", stage="@III"),
    )  # fmt: skip
    rows = [
        MeasurementRecord("P01", date(2024, 1, 5), "T1", Role.TARGET, Status.MEASURED,
                          site="=cmd|'/c calc'!A1", diameter_mm=40.0),
        MeasurementRecord("P01", date(2024, 2, 20), "T1", Role.TARGET, Status.MEASURED,
                          site="=cmd|'/c calc'!A1", diameter_mm=60.0),
        MeasurementRecord("P02", date(2024, 1, 5), "T1", Role.TARGET, Status.MEASURED,
                          site="liver", diameter_mm=50.0, reader=""),
        MeasurementRecord("P02", date(2024, 2, 20), "T1", Role.TARGET, Status.MEASURED,
                          site="liver", diameter_mm=30.0),
    ]  # fmt: skip
    return StudyData(patients, tuple(rows))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "study.xlsx"
    write_study_workbook(analyse(_study(), StudySettings()), path)
    return load_workbook(path)


def _table(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_sheets_in_order(workbook):
    """Study, patients, variables, events, adverse events (issue 16), lesions, measurements,
    time points, best responses, endpoints."""
    assert workbook.sheetnames == ["Study", "Patients", "Variables", "Events", "Adverse events",
                                   "Lesions", "Measurements", "Time points", "Best responses",
                                   "Endpoints"]  # fmt: skip


def test_headers_are_formatted_and_frozen(workbook):
    """Bold header row, frozen with the first column, filterable, columns sized to content."""
    for ws in workbook:
        assert ws.freeze_panes == "B2"
        assert all(cell.font.b for cell in ws[1])
        assert ws.auto_filter.ref == ws.dimensions
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(8 <= w <= MAX_WIDTH for w in widths)
    reasons = workbook["Time points"]
    assert reasons.column_dimensions["J"].width > reasons.column_dimensions["A"].width


def test_headers_of_each_table(workbook):
    """The columns named in issue #9."""
    assert [c.value for c in workbook["Time points"][1]] == [
        "patient_id", "scan_date", "target", "non_target", "new_lesions", "overall", "sum_mm",
        "change_from_baseline_pct", "change_from_nadir_pct", "reason"]  # fmt: skip
    assert [c.value for c in workbook["Endpoints"][1]] == [
        "patient_id", "arm", "time_origin", "pfs_days", "pfs_event", "pfs_reason", "os_days",
        "os_event", "os_reason"]  # fmt: skip


def test_formula_like_text_is_quoted_text(workbook):
    """Text starting with =, +, - or @ is a string cell with Excel's quote prefix, not a formula."""
    patients = workbook["Patients"]
    cells = [patients["H2"], patients["I2"], patients["H3"], patients["I3"],
             workbook["Measurements"]["H2"]]  # fmt: skip
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","y")', "+IV", "-leiomyosarcoma",
                                        "@III", "=cmd|'/c calc'!A1"]  # fmt: skip
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    plain = patients["A2"]
    assert (plain.value, plain.quotePrefix) == ("P01", False)


def test_numbers_stay_numbers(workbook):
    """A negative change is a number, not quoted text."""
    best = {r["patient_id"]: r for r in _table(workbook["Best responses"])}
    assert best["P02"]["best_pct_change"] == -40.0
    assert best["P02"]["best_overall_response"] == "PR"
    cell = workbook["Best responses"]["E3"]
    assert (cell.data_type, cell.quotePrefix) == ("n", False)


def test_dates_are_dates(workbook):
    """Dates are date cells shown as yyyy-mm-dd."""
    cell = workbook["Measurements"]["B2"]
    assert cell.value == datetime(2024, 1, 5)
    assert cell.number_format == "yyyy-mm-dd"


def test_time_points_carry_their_reasons(workbook):
    """Each time point with its responses, sum and reason."""
    points = [r for r in _table(workbook["Time points"]) if r["patient_id"] == "P01"]
    assert [(p["overall"], p["sum_mm"], p["change_from_baseline_pct"]) for p in points] == [
        (None, 40, None), ("PD", 60, 50.0)]  # fmt: skip
    assert "nadir" in points[1]["reason"]


def test_endpoints_in_days_with_events_and_reasons(workbook):
    """PFS: P01 progresses at day 50 (2024-02-20); OS: P01 dies on day 121."""
    endpoints = {r["patient_id"]: r for r in _table(workbook["Endpoints"])}
    p01 = endpoints["P01"]
    assert (p01["pfs_days"], p01["pfs_event"], p01["os_days"], p01["os_event"]) == (50, 1, 121, 1)
    assert p01["pfs_reason"] and p01["os_reason"]


def test_lesions_listed_once(workbook):
    """One row per lesion, with where it was first seen."""
    lesions = _table(workbook["Lesions"])
    assert [(r["patient_id"], r["lesion_id"], r["role"], r["first_seen"]) for r in lesions] == [
        ("P01", "T1", "target", datetime(2024, 1, 5)),
        ("P02", "T1", "target", datetime(2024, 1, 5)),
    ]


def test_variables_events_and_adverse_events_have_their_sheets(tmp_path):
    """Issue 16: the variables (declared and inferred) beside the patients, each value as its
    type; surgery outcomes with the events; the adverse events."""
    data = StudyData(
        patients=(
            PatientRecord("P01", START, extra={"x_ecog": "1", "x_tmb": "12.5"}),
            PatientRecord("P02", START, extra={"x_ecog": "0"}),
        ),
        events=(EventRecord("P01", "surgery", START, None, "resection", {}, "curative", "R0", 80),),
        adverse_events=(AdverseEvent("P02", "Pneumonitis", 3, START, None, "unrelated", True),),
        variables=(Variable("ecog", VariableType.CATEGORICAL, ("0", "1"), "ECOG"),),
    )
    path = write_study_workbook(analyse(data, StudySettings()), tmp_path / "s.xlsx")
    book = load_workbook(path)
    patients = _table(book["Patients"])
    assert (patients[0]["ecog"], patients[0]["tmb"], patients[1]["tmb"]) == ("1", 12.5, None)
    assert _table(book["Variables"]) == [
        {"name": "ecog", "type": "categorical", "levels": "0 | 1", "label": "ECOG",
         "unit": None, "declared": "yes", "patients_with_value": 2},
        {"name": "tmb", "type": "numeric", "levels": None, "label": None, "unit": None,
         "declared": "no", "patients_with_value": 1},
    ]  # fmt: skip
    (event,) = _table(book["Events"])
    assert (event["intent"], event["margin"], event["necrosis_pct"]) == ("curative", "R0", 80)
    (ae,) = _table(book["Adverse events"])
    assert (ae["term"], ae["grade"], ae["serious"]) == ("Pneumonitis", 3, "yes")
