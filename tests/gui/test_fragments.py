"""Fragments of one target add up (interchange spec, measurements.csv: repeated rows)."""

from __future__ import annotations

from datetime import date

from gui.app import build_main_window
from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.store.study import Store
from tests.gui.grid_helpers import cell_text, response

BASE, LATER = date(2024, 1, 5), date(2024, 3, 1)


def _t1(when: date, mm: float) -> MeasurementRecord:
    return MeasurementRecord("F1", when, "T1", Role.TARGET, Status.MEASURED, "liver", False, mm)


def test_fragments_show_their_parts_and_their_exact_sum(qtbot, tmp_path):
    """Two rows of one target at one scan are fragments: their diameters add up."""
    path = tmp_path / "fragments.nadir"
    data = StudyData(
        patients=(PatientRecord("F1", date(2024, 1, 2)),),
        measurements=(_t1(BASE, 30.0), _t1(LATER, 12.3), _t1(LATER, 4.1)),
    )
    with Store.open(path) as store:
        store.import_study_data(data)
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    page = window.patient_page
    assert cell_text(page.grid, "T1", LATER) == "12.3+4.1 = 16.4"
    assert response(page, "Sum (mm)", LATER) == "16.4"
    assert response(page, "Overall", LATER) == "PR"
