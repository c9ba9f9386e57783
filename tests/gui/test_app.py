"""Starting Nadir: from the command line on a study file, and on the default study.

Interchange spec, "Headless commands": `python main.py --db STUDY` opens the
GUI on STUDY; `python main.py` alone opens it on the default study.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import main
from gui.app import build_main_window
from gui.main_window import MainWindow


def test_main_with_db_opens_the_window_on_that_study(qtbot, study_path):
    """`main.main(["--db", path])` shows the main window on the study and exits 0 when closed."""
    seen = []

    def look_and_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(
            (w.windowTitle(), w.navigator.visible_patients(), w.isVisible()) for w in windows
        )
        for w in windows:
            w.close()
            w.deleteLater()
        QApplication.instance().quit()

    QTimer.singleShot(0, look_and_quit)
    assert main.main(["--db", str(study_path)]) == 0
    assert seen == [("Nadir — small.nadir", ["P01", "P02"], True)]


def test_default_study_holds_the_demo_cohort_on_first_start(qtbot, tmp_path, monkeypatch):
    """Without --db the default study opens, created with the demo cohort (issue #4)."""
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    window = build_main_window(None)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Nadir — study.nadir"
    assert len(window.navigator.visible_patients()) > 100
    assert window.patient_page.patient_id() == window.navigator.visible_patients()[0]


def test_recent_studies_remember_the_study_opened(qtbot, study_path):
    """Opening a study puts it first in File > Open recent (issue #4)."""
    window = build_main_window(str(study_path))
    qtbot.addWidget(window)
    assert [a.text() for a in window.recent_menu.actions()][0] == str(study_path)
