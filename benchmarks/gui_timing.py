"""Time the two moments a user feels: start-up to the first painted window, and a keystroke
in the grid to the updated response row (patient with 12 scans and 10 lesions).

    .venv/bin/python -m benchmarks.gui_timing            (offscreen, or on the display given)

It measures and prints; it passes or fails nothing (shared/design.md, "Tests").
Start-up is timed in fresh processes, from launch to the main window's first
paint event, on a demo study built beforehand in a temporary folder.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The child process: open the default study, report when the window first paints.
_START = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from gui.app import application, build_main_window

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            QTimer.singleShot(0, application().quit)
        return False

app = application()
window = build_main_window(None)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def time_start_up(runs: int = 5) -> list[float]:
    """Return seconds from launching `python` to the first painted main window, per run."""
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, NADIR_DATA_DIR=scratch, XDG_CONFIG_HOME=scratch)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        # The first start builds the demo study; it is not what is timed.
        subprocess.run([sys.executable, "-c", _START], cwd=ROOT, env=env, check=True)
        seconds = []
        for _ in range(runs):
            began = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-c", _START], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
            )
            line = child.stdout.readline()
            seconds.append(time.perf_counter() - began)
            child.wait()
            assert line.startswith("painted"), line
        return seconds


def big_patient():
    """Return a study of one patient with 12 scans and 10 lesions (6 targets, 4 non-targets)."""
    from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData

    scans = [date(2024, 1, 8) + timedelta(days=42 * i) for i in range(12)]
    rows = []
    for n in range(10):
        role = Role.TARGET if n < 6 else Role.NON_TARGET
        label = f"T{n + 1}" if role is Role.TARGET else f"NT{n - 5}"
        for i, when in enumerate(scans):
            if role is Role.TARGET:
                size = 30.0 + 2 * n - i
                rows.append(
                    MeasurementRecord("B1", when, label, role, Status.MEASURED, "", False, size)
                )
            else:
                rows.append(MeasurementRecord("B1", when, label, role, Status.PRESENT))
    return StudyData(patients=(PatientRecord("B1", date(2024, 1, 2)),), measurements=tuple(rows))


def time_keystrokes(presses: int = 30) -> list[float]:
    """Return seconds from Enter in a grid cell to the new answer in the response row, per press.

    The patient (12 scans, 10 lesions) sits in the demo study, so that the
    navigator's 213 patients are refreshed too, as in real use.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from gui.app import application, build_main_window
    from gui.item_models.response_table_model import SUM_ROW
    from model.demo.cohort import demo_study
    from model.store.study import Store

    app = application()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "big.nadir"
        with Store.open(path) as store:
            store.import_study_data(demo_study())
            store.import_study_data(big_patient())
        window = build_main_window(str(path))
        window.show()
        while window.session.read_some(50):
            pass
        window.show_patient("B1")
        page = window.patient_page
        seconds = []
        for i in range(presses):
            cell = page.grid_model.index(i % 6, page.grid_model.columnCount() - 1)
            page.grid.setCurrentIndex(cell)
            page.grid.edit(cell)
            editor = page.grid.indexWidget(cell)
            editor.setText(str(10 + i))
            began = time.perf_counter()
            QApplication.sendEvent(
                editor,
                QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
            )
            before = page.response_model.index(SUM_ROW, cell.column()).data()
            while page.response_model.index(SUM_ROW, cell.column()).data() == before:
                QCoreApplication.processEvents()
            seconds.append(time.perf_counter() - began)
        window.close()
        window.session.store.close()
        del app
    return seconds


def _report(name: str, seconds: list[float]) -> None:
    ms = sorted(1000 * s for s in seconds)
    median = statistics.median(ms)
    print(f"{name}: median {median:.0f} ms, min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms (n={len(ms)})")


def main() -> int:
    """Print both timings; returns 0."""
    _report("start-up to first painted window (demo study, 213 patients)", time_start_up())
    _report(
        "Enter in the grid to updated response row (12 scans x 10 lesions, among 213 patients)",
        time_keystrokes(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
