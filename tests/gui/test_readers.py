"""The grid shows and edits one reader's rows (interchange spec, "Readers")."""

from __future__ import annotations

from datetime import date

from gui.app import build_main_window
from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.store.study import Store
from tests.gui.grid_helpers import cell_text, response, type_into

BASE, LATER = date(2024, 1, 5), date(2024, 3, 1)


def _row(when: date, mm: float, reader: str) -> MeasurementRecord:
    return MeasurementRecord(
        "R1", when, "T1", Role.TARGET, Status.MEASURED, "liver", False, mm, reader=reader
    )


def test_a_patient_read_by_one_named_reader_is_shown_and_edited_as_that_reader(qtbot, tmp_path):
    """Without a study reader, all rows of a patient come from one reader: theirs are shown."""
    path = tmp_path / "named.nadir"
    data = StudyData(
        patients=(PatientRecord("R1", date(2024, 1, 2)),),
        measurements=(_row(BASE, 40.0, "dr-a"), _row(LATER, 38.0, "dr-a")),
    )
    with Store.open(path) as store:
        store.import_study_data(data)
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    page = window.patient_page
    assert cell_text(page.grid, "T1", BASE) == "40"
    type_into(qtbot, page, "T1", LATER, "20")
    assert response(page, "Overall", LATER) == "PR"
    readers = {m.reader for m in window.session.store.patient_data("R1").measurements}
    assert readers == {"dr-a"}
