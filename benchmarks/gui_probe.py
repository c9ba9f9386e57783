"""GUI measurements inside a fresh offscreen process: `python -m benchmarks.gui_probe NAME
FOLDER REPEAT`; prints figure name -> seconds of each repetition, as JSON.

- startup: from the parent launching this process (time.time() in NADIR_BENCH_LAUNCHED)
  to the main window's first paint event, on the study file; one per process.
- patient, in a copy of the study with a patient of 12 scans x 10 lesions added
  (benchmarks.gui_timing.big_patient): the navigator filling in every best response after start-up,
  at the first opening (every patient judged) and at the next (the answers kept by the first);
  then `MainWindow.show_patient` on a patient not shown before, to the grid's next paint;
  then Enter in a grid cell of the big patient to the new sum in the response row.
- waterfall, spider, swimmer, kaplan_meier: the plot's data from the analysed study, then
  `set_data` and one full paint (`grab()`) of an 800 x 600 panel.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from benchmarks.child import LAUNCHED
from benchmarks.figures import PLOT_NAMES
from benchmarks.gui_timing import big_patient
from benchmarks.probe import Figures, Timings, timed
from gui.app import application, build_main_window
from gui.item_models.response_table_model import SUM_ROW
from gui.main_window import MainWindow
from gui.pages.patient_page import PatientPage
from model.store.study import Store

#: Longest wait (s) for a paint or an updated cell before giving up.
PATIENCE = 600.0
#: Seconds of events processed after the navigator's fill, before anything else is timed.
SETTLE = 1.0


class PaintWatch(QObject):
    """Counts the paint events of the widget it is installed on."""

    def __init__(self):
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def _until(done, every: float = 0.0) -> None:
    """Process events until `done()` is true, asked at most once per `every` seconds.

    Raises TimeoutError after PATIENCE seconds.
    """
    give_up = time.perf_counter() + PATIENCE
    asked = 0.0
    while True:
        now = time.perf_counter()
        if now - asked >= every:
            if done():
                return
            asked = now
        if now > give_up:
            raise TimeoutError("the window did not answer in time")
        QCoreApplication.processEvents()


def startup(folder: Path, repeat: int) -> Figures:
    """Return seconds from launch to the main window's first paint (one start per process)."""
    window = build_main_window(str(folder / "study.nadir"))
    watch = PaintWatch()
    window.installEventFilter(watch)
    window.show()
    _until(lambda: watch.paints > 0)
    seconds = time.time() - float(os.environ[LAUNCHED])
    cpu = time.process_time()
    window.close()
    return {"startup": {"wall": [seconds], "cpu": [cpu]}}


def _filled_window(db: Path) -> tuple[MainWindow, Timings]:
    """Return the shown main window on `db` and the wall and CPU seconds the navigator took
    to fill in."""
    window = build_main_window(str(db))
    window.show()
    began, cpu = time.perf_counter(), time.process_time()
    # Asking is itself a query over every patient: not on every turn of the loop.
    _until(lambda: not window.session.read_some(0), every=0.1)
    filled = {"wall": [time.perf_counter() - began], "cpu": [time.process_time() - cpu]}
    # The navigator shows the last best responses on a later turn of the event loop.
    settled = time.perf_counter() + SETTLE
    _until(lambda: time.perf_counter() > settled)
    return window, filled


def _open_patients(window: MainWindow, repeat: int) -> Timings:
    """Return seconds from `show_patient` to the repainted grid, for `repeat` patients."""
    watch = PaintWatch()
    window.patient_page.grid.viewport().installEventFilter(watch)
    others = iter(window.session.store.patient_ids()[1:])

    def open_next() -> None:
        seen = watch.paints
        window.show_patient(next(others))
        _until(lambda: watch.paints > seen)

    return timed(open_next, repeat)


def _press_enter(page: PatientPage, repeat: int) -> Timings:
    """Return seconds from Enter in a grid cell to the changed sum in the response row."""
    presses = iter(range(repeat))

    def press() -> None:
        i = next(presses)
        cell = page.grid_model.index(i % 6, page.grid_model.columnCount() - 1)
        page.grid.setCurrentIndex(cell)
        page.grid.edit(cell)
        page.grid.indexWidget(cell).setText(str(10 + i))
        before = page.response_model.index(SUM_ROW, cell.column()).data()
        enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(page.grid.indexWidget(cell), enter)
        _until(lambda: page.response_model.index(SUM_ROW, cell.column()).data() != before)

    return timed(press, repeat)


def patient(folder: Path, repeat: int) -> Figures:
    """Return the seconds of filling the navigator, opening patients, and keystrokes.

    The study is copied, with a patient of 12 scans x 10 lesions added
    (benchmarks.gui_timing.big_patient), whose grid takes the keystrokes.
    """
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "study.nadir"
        shutil.copyfile(folder / "study.nadir", db)
        with Store.open(db) as store:
            store.import_study_data(big_patient())
        window, fill = _filled_window(db)
        opened = _open_patients(window, repeat)
        window.show_patient("B1")
        pressed = _press_enter(window.patient_page, repeat)
        window.close()
        window.session.store.close()
        # Opened again, the study gives back the answers the first fill kept.
        window, refill = _filled_window(db)
        window.close()
        window.session.store.close()
    return {"navigator_fill": fill, "navigator_refill": refill, "open": opened,
            "keystroke": pressed}  # fmt: skip


def _plot_data(name: str, analysis):
    """Return the data of one cohort plot, made as model.plot_data.cohort_plot_data makes it."""
    from model.plot_data import (
        arms_of,
        km_groups,
        km_plot_data,
        spider_data,
        start_dates_of,
        swimmer_data,
        waterfall_data,
    )

    data, assessments, unit = analysis.data, analysis.assessments, analysis.settings.time_unit
    origins = start_dates_of(data) | {e.patient_id: e.time_origin for e in analysis.endpoints}
    if name == "waterfall":
        return waterfall_data(assessments, arms_of(data))
    if name == "spider":
        return spider_data(assessments, arms_of(data), origins, unit=unit)
    if name == "swimmer":
        return swimmer_data(data, assessments, origins, unit=unit)
    groups = km_groups(analysis.endpoints, endpoint="pfs", unit=unit)
    return km_plot_data(groups, endpoint="PFS", unit=unit)


def plot(name: str, folder: Path, repeat: int) -> Figures:
    """Return seconds of making the plot's data and drawing it into a new 800 x 600 panel."""
    # Imported here, not before the start-up probe's first paint, which they would slow.
    from benchmarks.studies import load_analysis
    from gui.plots.kaplan_meier import KaplanMeierPlot
    from gui.plots.spider import SpiderPlot
    from gui.plots.swimmer import SwimmerPlot
    from gui.plots.waterfall import WaterfallPlot

    panels = (WaterfallPlot, SpiderPlot, SwimmerPlot, KaplanMeierPlot)
    analysis = load_analysis(folder)

    def draw() -> None:
        panel = dict(zip(PLOT_NAMES, panels, strict=True))[name]()
        panel.resize(800, 600)
        panel.show()
        panel.set_data(_plot_data(name, analysis))
        panel.grab()
        panel.close()

    return {name: timed(draw, repeat)}


def main(argv: list[str]) -> int:
    """Run the GUI probe named in `argv`, print its figures as JSON; returns 0."""
    name, folder, repeat = argv[0], Path(argv[1]), int(argv[2])
    application()
    probes = {"startup": startup, "patient": patient}
    if name in PLOT_NAMES:
        figures = plot(name, folder, repeat)
    else:
        figures = probes[name](folder, repeat)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
