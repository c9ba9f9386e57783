"""Starting Nadir: from the command line on a study file, and on the default study.

Interchange spec, "Headless commands": `python main.py --db STUDY` opens the
GUI on STUDY; `python main.py` alone opens it on the default study.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from gui.app import build_main_window
from tests.app_logs import app_log_file  # noqa: F401 - a fixture
from tests.gui.grid_helpers import answer_next_dialog

ROOT = Path(__file__).resolve().parents[2]


#: Runs `main.main(["--db", path])` in a fresh process, prints what the window shows, quits.
#: A process of its own, because once QApplication.exec() has returned, Qt no longer
#: delivers signals from worker threads to the GUI thread in that process.
LOOK_AND_QUIT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import main
from gui.main_window import MainWindow

app = QApplication(sys.argv[:1])

def look_and_quit():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow):
            print(w.windowTitle(), w.isVisible(), *w.navigator.visible_patients())
    app.quit()

QTimer.singleShot(0, look_and_quit)
sys.exit(main.main(["--db", sys.argv[1]]))
"""


def test_main_with_db_opens_the_window_on_that_study(study_path, tmp_path):
    """`main.main(["--db", path])` shows the main window on the study and exits 0."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", LOOK_AND_QUIT, str(study_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "Nadir — small.nadir True P01 P02"


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


def test_main_with_a_file_that_is_not_a_study_exits_2(qtbot, tmp_path, capsys, app_log_file):  # noqa: F811
    """Bad input: a message naming the file, in a dialog (there may be no console, issue 20),
    on stderr and in the log, and exit status 2 (interchange spec)."""
    import main

    junk = tmp_path / "junk.nadir"
    junk.write_text("not a database")
    shown = []
    answer_next_dialog(QMessageBox, lambda box: shown.append(box.text()))
    assert main.main(["--db", str(junk)]) == 2
    assert len(shown) == 1 and "junk.nadir" in shown[0]
    assert "junk.nadir" in capsys.readouterr().err
    assert "junk.nadir" in app_log_file.read_text(encoding="utf-8")
