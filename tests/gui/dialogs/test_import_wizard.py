"""The import wizard lists every problem with file, line, column and value, and writes nothing.

Interchange spec: "A value that does not fit its column is an error that names
the file, the line, the column and the value; an import with any error writes
nothing."
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from gui.dialogs.import_wizard import ImportWizard
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.sdtm.datasets import write_sdtm
from model.settings import StudySettings
from model.store.study import Store

BAD_MEASUREMENTS = (
    "patient_id,scan_date,lesion_id,role,diameter_mm\n"
    "P09,2024-01-05,T1,target,23\n"
    "P09,2024-13-01,T1,target,abc\n"
)
GOOD_MEASUREMENTS = (
    "patient_id,scan_date,lesion_id,role,diameter_mm\n"
    "P09,2024-01-05,T1,target,23\n"
    "P09,2024-03-01,T1,target,12\n"
)


def _folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "measurements.csv").write_text(text)
    (folder / "patients.csv").write_text("patient_id,arm,start_date\nP09,Arm C,2024-01-02\n")
    return folder


def _rows(wizard: ImportWizard) -> list[list[str]]:
    model = wizard.problem_view.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_bad_file_lists_each_problem_and_writes_nothing(qtbot, study_path, tmp_path):
    """Every problem is listed with its place; Import stays off; the study is unchanged."""
    wizard = ImportWizard(study_path)
    qtbot.addWidget(wizard)
    wizard.path.setText(str(_folder(tmp_path, BAD_MEASUREMENTS)))
    qtbot.mouseClick(wizard.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.problem_view.model().rowCount() == 2, timeout=5000)
    rows = _rows(wizard)
    assert ["measurements.csv", "3", "scan_date", "2024-13-01"] == rows[0][:4]
    assert ["measurements.csv", "3", "diameter_mm", "abc"] == rows[1][:4]
    assert not wizard.import_button.isEnabled()
    assert "nothing was imported" in wizard.status.text()
    with Store.open(study_path, create=False) as store:
        assert store.patient_ids() == ("P01", "P02")


def test_good_folder_is_previewed_then_imported_off_the_gui_thread(qtbot, study_path, tmp_path):
    """After a clean check the preview names what comes in; Import writes it all."""
    wizard = ImportWizard(study_path)
    qtbot.addWidget(wizard)
    wizard.path.setText(str(_folder(tmp_path, GOOD_MEASUREMENTS)))
    qtbot.mouseClick(wizard.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(wizard.import_button.isEnabled, timeout=5000)
    assert "1 patients in arms Arm C" in wizard.status.text()
    preview = wizard.preview_view.model()
    assert [preview.index(0, c).data() for c in range(6)] == [
        "P09", "Arm C", "2024-01-02", "2", "2", "0"
    ]  # fmt: skip
    with qtbot.waitSignal(wizard.accepted, timeout=5000):
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    with Store.open(study_path, create=False) as store:
        assert store.patient_ids() == ("P01", "P02", "P09")


def _sdtm_folder(tmp_path: Path) -> Path:
    """dm/tu/tr/rs as .csv and .xpt, as `export --format sdtm` writes them, for 3 patients."""
    folder = tmp_path / "sdtm"
    write_sdtm(analyse(demo_study(3), StudySettings()), folder, study_id="DEMO")
    return folder


def test_sdtm_folder_is_previewed_then_imported(qtbot, study_path, tmp_path):
    """Issue 13: a folder of SDTM datasets is told apart from interchange files by itself,
    previewed per patient like them, and imported."""
    wizard = ImportWizard(study_path)
    qtbot.addWidget(wizard)
    qtbot.keyClicks(wizard.path, str(_sdtm_folder(tmp_path)))
    qtbot.mouseClick(wizard.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(wizard.import_button.isEnabled, timeout=5000)
    assert "3 patients in arms Immunotherapy, Immunotherapy + dTACE" in wizard.status.text()
    preview = wizard.preview_view.model()
    assert [preview.index(r, 0).data() for r in range(preview.rowCount())] == [
        "S00001", "S00002", "S00003"
    ]  # fmt: skip
    assert preview.index(0, 2).data() == "2023-01-14"
    with qtbot.waitSignal(wizard.accepted, timeout=5000):
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    with Store.open(study_path, create=False) as store:
        assert store.patient_ids() == ("P01", "P02", "S00001", "S00002", "S00003")
        measurements = store.study_data().measurements
    assert sum(m.patient_id.startswith("S") for m in measurements) == 75


def test_sdtm_folder_without_tr_is_a_listed_problem(qtbot, study_path, tmp_path):
    """A folder with TU but no TR: one problem naming the folder; nothing is written."""
    folder = _sdtm_folder(tmp_path)
    for path in folder.glob("tr.*"):
        path.unlink()
    wizard = ImportWizard(study_path)
    qtbot.addWidget(wizard)
    qtbot.keyClicks(wizard.path, str(folder))
    qtbot.mouseClick(wizard.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.problem_view.model().rowCount() == 1, timeout=5000)
    file, *_, message = _rows(wizard)[0]
    assert file == str(folder) and "no tr.csv or tr.xpt" in message
    assert not wizard.import_button.isEnabled()
    with Store.open(study_path, create=False) as store:
        assert store.patient_ids() == ("P01", "P02")
