"""The report's four figures (waterfall, spider, swimmer, Kaplan-Meier of PFS and OS) as
PNG, SVG and PDF files, drawn offscreen by the same panels as the cohort page (issue #5).

Each figure has its panel's print size: waterfall and spider one column (85 mm),
or two (174 mm) for a waterfall of more than 100 bars; Kaplan-Meier two columns
by 120 mm; the swimmer two columns and at most a page (230 mm) high.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from gui.plots.export import export_plot
from gui.plots.fonts import register_fonts
from gui.plots.forest import ForestPlot
from gui.plots.kaplan_meier import KaplanMeierPlot
from gui.plots.panel import PlotPanel
from gui.plots.spider import SpiderPlot
from gui.plots.swimmer import SwimmerPlot, page_lanes
from gui.plots.waterfall import WaterfallPlot
from model.analysis import StudyAnalysis
from model.exports.report_analyses import analysis_section
from model.plot_data import cohort_plot_data, survival_plot_data

#: Formats each figure is written in.
FORMATS = (".png", ".svg", ".pdf")


def write_report_figures(
    analysis: StudyAnalysis, out_dir: Path, summary: dict[str, Any] | None = None
) -> list[Path]:
    """Paths of the figures written into `out_dir`: each plot in every format of FORMATS
    (`summary` as `report_panels` takes it)."""
    app = offscreen_application()
    panels = report_panels(analysis, summary)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [
        export_plot(panel, out_dir / f"{name}{suffix}")
        for name, panel in panels.items()
        for suffix in FORMATS
    ]
    app.processEvents()
    return written


def report_panels(
    analysis: StudyAnalysis, summary: dict[str, Any] | None = None
) -> dict[str, PlotPanel]:
    """The report's panels by file name, each drawing its figure; needs a QApplication.

    The forest plot draws the `summary`'s (model/exports/report.py) when it is given: the
    analyses behind it took a third of the panels' time to run again (issue 19). Its
    analyses are of all patients, whatever saved sets the summary was made with.
    """
    pfs = cohort_plot_data(analysis, endpoint="pfs")
    os_curves = survival_plot_data(analysis, endpoint="os")
    panels: dict[str, PlotPanel] = {
        "waterfall": WaterfallPlot(),
        "spider": SpiderPlot(),
        "swimmer": SwimmerPlot(),
    }
    panels["waterfall"].set_data(pfs.waterfall)
    panels["spider"].set_data(pfs.spider)
    # A lane per patient while they fit a page, else the responders (the caption says so).
    panels["swimmer"].set_data(page_lanes(pfs.swimmer))
    for name, data in (("km_pfs", pfs.kaplan_meier), ("km_os", os_curves)):
        panels[name] = KaplanMeierPlot()
        panels[name].set_data(data)
    forest = (summary or analysis_section(analysis))["analyses"]["forest"]
    if forest:
        panels["forest"] = ForestPlot()
        panels["forest"].set_data(forest)
    return panels


def offscreen_application():
    """The running QApplication, or a new offscreen one for a headless command."""
    from PySide6.QtWidgets import QApplication

    global _offscreen_app
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # Kept in a global: a QApplication that Python collects takes its widgets with it.
        app = _offscreen_app = QApplication([])
    register_fonts()
    return app


_offscreen_app = None
