"""File > Import from REDCap: the mapping made once in its editor (fields typed into the boxes,
saved as JSON), then the export checked, previewed and imported all or nothing; bad input
listed with the export's line and field (issue 21)."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog

from gui.dialogs.redcap_import_dialog import RedcapImportDialog
from gui.dialogs.redcap_mapping_dialog import RedcapMappingDialog
from model.sources.redcap import read_redcap
from model.store.study import Store
from tests.model.sources.fake_redcap_api import TOKEN, URL, answer_api

DATA = Path(__file__).resolve().parents[2] / "data" / "redcap"

#: What a nurse types into the editor's boxes: (tab, box name, REDCap field).
TYPED = [
    (0, "patients.patient_id", "subject_code"),
    (0, "patients.start_date", "tx_start"),
    (0, "patients.last_contact_date", "last_contact"),
    (1, "measurements.lesion_id", "lesion_label"),
    (1, "measurements.role", "lesion_role"),
    (1, "measurements.site", "lesion_site"),
    (1, "measurements.lymph_node", "lesion_flags___1"),
    (1, "measurements.diameter_mm", "lesion_diameter"),
    (1, "measurements.status", "lesion_status"),
    (2, "adverse_events.term", "ae_term"),
    (2, "adverse_events.grade", "ae_grade"),
    (2, "adverse_events.start_date", "ae_start"),
    (3, "events.start_date", "tx_start"),
    (3, "events.detail", "drug"),
]


def _type_into(qtbot, editor: RedcapMappingDialog, tab: int, name: str, text: str) -> None:
    editor.tabs.setCurrentIndex(tab)
    box = editor.findChild(QComboBox, name)
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)


def _fill_and_save(qtbot, editor: RedcapMappingDialog) -> None:
    for tab, name, text in TYPED:
        _type_into(qtbot, editor, tab, name, text)
    qtbot.mouseClick(editor.findChild(object, "save_mapping"), Qt.MouseButton.LeftButton)


def test_a_mapping_made_in_the_editor_imports_the_export(qtbot, tmp_path, monkeypatch):
    for name in ("export.csv", "dictionary.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    saved = tmp_path / "mapping.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(saved), ""))
    study = tmp_path / "study.nadir"
    Store.open(study).close()
    dialog = RedcapImportDialog(study)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.export[0], str(tmp_path / "export.csv"))
    qtbot.keyClicks(dialog.dictionary[0], str(tmp_path / "dictionary.csv"))

    def fill() -> None:
        editor = QApplication.activeModalWidget()
        assert isinstance(editor, RedcapMappingDialog)
        # The editor starts from the fields named like the columns (sex, age, scan_date, ...).
        assert editor.findChild(QComboBox, "measurements.scan_date").currentText() == "scan_date"
        assert editor.findChild(QComboBox, "measurements.instrument").currentText() == (
            "lesion_measurements"
        )
        _fill_and_save(qtbot, editor)

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(dialog.findChild(object, "edit_mapping"), Qt.MouseButton.LeftButton)
    assert dialog.mapping[0].text() == str(saved)
    imported = read_redcap(tmp_path / "export.csv", saved)
    assert [p.patient_id for p in imported.data.patients] == ["HCC-01", "HCC-02", "HCC-03"]
    assert len(imported.data.measurements) == 11 and len(imported.data.adverse_events) == 3
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    assert "No problems found in 3 records" in dialog.status.text()
    assert dialog.preview_view.model().rowCount() == 3
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=10_000)
    with Store.open(study, create=False, read_only=True) as store:
        assert store.patient_ids() == ("HCC-01", "HCC-02", "HCC-03")
        assert len(store.study_data().measurements) == 11


def test_a_mapping_missing_a_required_column_is_not_saved(qtbot, tmp_path):
    from model.sources.redcap_project import read_project

    editor = RedcapMappingDialog(read_project(DATA / "export.csv", DATA / "dictionary.csv"))
    qtbot.addWidget(editor)
    assert not editor.save_to(tmp_path / "mapping.json")
    assert "the required column start_date is missing" in editor.status.text()
    assert not (tmp_path / "mapping.json").exists()


def test_a_bad_export_is_listed_with_its_line_and_field(qtbot, tmp_path):
    for name in ("dictionary.csv", "mapping.json"):
        shutil.copy(DATA / name, tmp_path / name)
    text = (DATA / "export.csv").read_text().replace("HCC-02,2,58", "HCC-02,7,58")
    (tmp_path / "export.csv").write_text(text)
    dialog = RedcapImportDialog(tmp_path / "study.nadir")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.export[0], str(tmp_path / "export.csv"))
    qtbot.keyClicks(dialog.mapping[0], str(tmp_path / "mapping.json"))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    model = dialog.problem_view.model()
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10_000)
    row = [model.index(0, c).data() for c in range(5)]
    assert row[:4] == ["export.csv", "12", "sex", "7"]
    assert "is not a choice of sex" in row[4]
    assert not dialog.import_button.isEnabled()
    assert not (tmp_path / "study.nadir").exists()


def test_the_file_menu_opens_the_redcap_import(qtbot, window):
    action = next(
        a
        for a in window.menuBar().actions()[0].menu().actions()
        if a.text() == "Import from RED&Cap…"
    )
    assert action.statusTip()
    opened = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        opened.append(type(dialog))
        dialog.reject()

    QTimer.singleShot(0, close_it)
    action.trigger()
    assert opened == [RedcapImportDialog]


def test_a_pull_over_the_api_fills_the_export_and_forgets_the_token(qtbot, monkeypatch, tmp_path):
    answer_api(monkeypatch)
    dialog = RedcapImportDialog(tmp_path / "study.nadir")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.api_url, URL)
    qtbot.keyClicks(dialog.token, TOKEN)
    qtbot.keyClicks(dialog.mapping[0], str(DATA / "mapping.json"))
    qtbot.mouseClick(dialog.pull_button, Qt.MouseButton.LeftButton)
    assert dialog.token.text() == ""
    qtbot.waitUntil(lambda: dialog.export[0].text() != "", timeout=10_000)
    assert Path(dialog.export[0].text()).name == "export.csv"
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    assert "No problems found in 3 records" in dialog.status.text()
    pulled = Path(dialog.export[0].text()).parent
    dialog.reject()
    assert not pulled.exists()
