"""An import says which patients it replaces, takes a backup first, and is undone in one step
(issue 15, item 2). Enter in the path box checks, then imports (issue 15, item 5).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from gui.dialogs.import_wizard import ImportWizard
from model.store.backup_files import list_backups
from tests.gui.conftest import BASELINE
from tests.gui.grid_helpers import cell_text

CTRL = Qt.KeyboardModifier.ControlModifier


def _folder(tmp_path: Path) -> Path:
    """Files replacing P01 (now 44 mm in Arm B) and adding P09."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "patients.csv").write_text(
        "patient_id,arm,start_date\nP01,Arm B,2024-01-02\nP09,Arm C,2024-01-02\n"
    )
    (folder / "measurements.csv").write_text(
        "patient_id,scan_date,lesion_id,role,diameter_mm\n"
        "P01,2024-01-05,T1,target,44\n"
        "P09,2024-01-05,T1,target,23\n"
    )
    return folder


def _import_by_keyboard(qtbot, window, folder: Path) -> str:
    """Open File > Import with Ctrl+I, type the folder, Enter (check), Enter (import); returns
    the wizard's summary shown before importing."""
    seen = {}

    def drive() -> None:
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, ImportWizard)
        qtbot.keyClicks(wizard.path, str(folder))
        qtbot.keyClick(wizard.path, Qt.Key.Key_Return)
        qtbot.waitUntil(wizard.import_button.isEnabled, timeout=5000)
        seen["text"] = wizard.status.text()
        seen["fates"] = [
            wizard.preview.index(r, 6).data() for r in range(wizard.preview.rowCount())
        ]
        qtbot.keyClick(wizard.path, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)
    qtbot.keyClick(window, Qt.Key.Key_I, CTRL)
    assert seen["fates"] == ["replaced", "new"]
    return seen["text"]


def test_an_import_names_what_it_replaces_backs_up_and_is_undone(qtbot, window, study_path):
    page = window.patient_page
    text = _import_by_keyboard(qtbot, window, _folder(study_path.parent))
    assert "Replaces 1 patient(s) already in the study: P01." in text
    assert window.session.store.patient_ids() == ("P01", "P02", "P09")
    assert [b.kind for b in list_backups(study_path)] == ["import"]
    assert "Edit > Undo" in window.statusBar().currentMessage()
    window.show_patient("P01")
    assert cell_text(page.grid, "T1", BASELINE) == "44"

    assert window.session.undo_stack.count() == 1
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_Z, CTRL)
    assert window.session.undo_stack.index() == 0, window.statusBar().currentMessage()
    assert window.session.store.patient_ids() == ("P01", "P02")
    assert window.session.store.patient("P01").arm == "Arm A"
    window.show_patient("P01")
    assert cell_text(page.grid, "T1", BASELINE) == "50"
    assert "P09" not in window.navigator.visible_patients()

    qtbot.keyClick(page.grid, Qt.Key.Key_Y, CTRL)  # Ctrl+Y redoes (issue 15, item 5)
    assert window.session.store.patient_ids() == ("P01", "P02", "P09")
    assert window.session.store.patient("P01").arm == "Arm B"
