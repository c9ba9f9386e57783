#!/usr/bin/env python3
"""Save a PNG of each page of Nadir on the demo study at 1366 x 768, into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out FOLDER] [--figures]

With --figures, only the cohort plots and the journal figures: the swimmer of
the 213 demo patients on screen and its first page as exported (183 mm), and
the Kaplan-Meier figure at the single-column preset (89 mm, 7 pt).

Without a display it starts Xvfb (apt-get install -y xvfb) on a free display
number; the demo study is built in a temporary folder, so the user's own
default study is never touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Screen size the pages are laid out for.
SCREEN = (1366, 768)


def start_xvfb() -> subprocess.Popen | None:
    """Return a started Xvfb when there is no display (None when there is one)."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if not shutil.which("Xvfb"):
        sys.exit("screenshots: no display and no Xvfb; run: apt-get install -y xvfb")
    display = f":{90 + os.getpid() % 9}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    os.environ["DISPLAY"] = display
    return server


def settle(app, seconds: float = 0.3) -> None:
    """Let Qt lay out and paint for a moment."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def shoot(app, widget, out: Path, name: str) -> None:
    """Save `widget` as out/name.png after it settled."""
    settle(app)
    widget.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


def pick_patient(window) -> str:
    """Return a demo patient with many scans, for a full grid."""
    views = window.session.assessments()
    return max(views, key=lambda pid: (len(views[pid].scan_dates), len(views[pid].lesions)))


def take_all(out: Path, scratch: Path) -> None:
    """Open the demo study and save every page into `out`; scratch files go to `scratch`."""
    from PySide6.QtCore import QSettings, QTimer

    from gui.app import application, build_main_window
    from gui.dialogs.import_wizard import ImportWizard
    from gui.dialogs.settings_dialog import StudySettingsDialog
    from gui.settings import UiSettings
    from model.editing.edits import SetOverride
    from model.interchange.study_files import write_study

    ui = UiSettings(QSettings(str(scratch / "ui.ini"), QSettings.Format.IniFormat))
    app = application()
    window = build_main_window(None, ui)
    window.setGeometry(0, 0, *SCREEN)
    window.show()
    window.show_patient(pick_patient(window))
    page = window.patient_page
    page.grid.setCurrentIndex(page.grid_model.index(1, 5))
    shoot(app, window, out, "patient_reading")
    scans = page.grid_model.scan_dates()
    computed = page.response_model.timepoint(scans[3])
    assert computed is not None
    window.session.execute(
        SetOverride(page.patient_id(), scans[3], "", "SD", "T2 measured on a different phase",
                    replaced=computed.overall),
        "Override for the screenshot",
    )  # fmt: skip
    shoot(app, window, out, "patient_override")
    take_refusals(app, window, out, scans)
    window.patient_page.tabs.setCurrentIndex(1)
    shoot(app, window, out, "patient_facts")
    window.patient_page.tabs.setCurrentIndex(0)
    window.show_cohort_page()
    tabs = window.cohort_page.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        name = tabs.tabText(index).lower().replace(" ", "_").replace("-", "_")
        shoot(app, window, out, f"cohort_{name}")
    store = window.session.store
    dialog = StudySettingsDialog(window.session.settings(), store.arms(), store.readers(), window)
    dialog.show()
    shoot(app, dialog, out, "settings_dialog")
    dialog.close()
    bad = scratch / "bad_import"
    bad.mkdir(exist_ok=True)
    (bad / "measurements.csv").write_text(
        "patient_id,scan_date,lesion_id,role,diameter_mm\n"
        "P1,2024-01-05,T1,target,23\nP1,2024-13-01,T1,target,abc\nP1,2024-03-01,T1,tumour,20\n"
    )
    wizard = ImportWizard(Path(window.session.path), window, present=store.patient_ids())
    wizard.show()
    wizard.path.setText(str(bad))
    wizard.check()
    deadline = time.monotonic() + 10
    while wizard.problems.rowCount() == 0 and time.monotonic() < deadline:
        settle(app, 0.05)
    shoot(app, wizard, out, "import_wizard_errors")
    good = scratch / "good_import"
    write_study(store.study_data(), good)
    wizard.path.setText(str(good))
    wizard.check()
    deadline = time.monotonic() + 20
    while not wizard.import_button.isEnabled() and time.monotonic() < deadline:
        settle(app, 0.05)
    shoot(app, wizard, out, "import_wizard_preview")
    wizard.close()
    QTimer.singleShot(0, window.close)
    settle(app)


def take_refusals(app, window, out: Path, scans) -> None:
    """Save a cell keeping a refused entry with its reason, and a stale override."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from model.domain import Status
    from model.editing.edits import SetObservation

    page = window.patient_page
    grid = page.grid
    lesion = page.grid_model.lesion_at(0).lesion_id
    # T1 far larger under the override: the rules now say PD there, the override is stale.
    window.session.execute(
        SetObservation(page.patient_id(), lesion, scans[3], status=Status.MEASURED,
                       diameter_mm=90.0),
        "Grow T1 for the screenshot",
    )  # fmt: skip
    grid.setFocus()
    grid.setCurrentIndex(page.grid_model.index(1, 6))
    QTest.keyClicks(grid, "a")
    editor = grid.indexWidget(grid.currentIndex())
    QTest.keyClicks(editor, "bc")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    shoot(app, window, out, "patient_refused_and_stale")
    QTest.keyClick(grid.indexWidget(grid.currentIndex()), Qt.Key.Key_Escape)
    from gui.dialogs.help_dialog import HelpDialog
    from gui.dialogs.report_dialog import ReportDialog

    help_dialog = HelpDialog(window.menuBar(), window)
    help_dialog.show()
    shoot(app, help_dialog, out, "help_shortcuts")
    help_dialog.close()
    report = ReportDialog(Path(window.session.path), window)
    report.show()
    shoot(app, report, out, "report_dialog")
    report.close()


def take_figures(out: Path, scratch: Path) -> None:
    """Save the swimmer and Kaplan-Meier tabs, and their journal figures, into `out`."""
    from PySide6.QtCore import QSettings, QTimer

    from gui.app import application, build_main_window
    from gui.plots.figure_export import FigureSpec, default_height_mm, export_figure
    from gui.settings import UiSettings

    ui = UiSettings(QSettings(str(scratch / "ui.ini"), QSettings.Format.IniFormat))
    app = application()
    window = build_main_window(None, ui)
    window.setGeometry(0, 0, *SCREEN)
    window.show()
    # The navigator fills in and selects its first patient first; then the cohort.
    settle(app, 2.0)
    window.show_cohort_page()
    tabs = window.cohort_page.tabs
    for index in range(tabs.count()):
        name = tabs.tabText(index).lower().replace(" ", "_").replace("-", "_")
        if name in ("swimmer", "kaplan_meier"):
            window.show_cohort_page()
            tabs.setCurrentIndex(index)
            shoot(app, window, out, f"cohort_{name}")
    km, swimmer = window.cohort_plots.kaplan_meier, window.cohort_plots.swimmer
    spec = FigureSpec(89.0, default_height_mm(km, 89.0), dpi=200)
    export_figure(km, out / "figure_kaplan_meier_89mm.png", spec)
    spec = FigureSpec(183.0, default_height_mm(swimmer, 183.0), dpi=150)
    pages = export_figure(swimmer, scratch / "swimmer.png", spec)
    shutil.copy(pages[0], out / "figure_swimmer_183mm_page1.png")
    for name in ("figure_kaplan_meier_89mm", "figure_swimmer_183mm_page1"):
        print(out / f"{name}.png")
    QTimer.singleShot(0, window.close)
    settle(app)


def main() -> int:
    """Return 0 after saving the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--figures", action="store_true", help="only the cohort plots and journal figures"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    server = start_xvfb()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            os.environ["NADIR_DATA_DIR"] = str(Path(scratch) / "data")
            take = take_figures if args.figures else take_all
            take(args.out.resolve(), Path(scratch))
    finally:
        if server is not None:
            server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
