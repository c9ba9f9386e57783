"""Time preparing and drawing each cohort plot for a large made-up cohort; prints the figures.

Run offscreen: `QT_QPA_PLATFORM=offscreen python -m benchmarks.plot_timing 2000`.
"Prepare" is the model/plot_data function; "draw" is `set_data` plus one full
paint of an 800 x 600 panel (`grab()`), so the time includes rendering.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import pyqtgraph as pg

from gui.plots.kaplan_meier import KaplanMeierPlot
from gui.plots.panel import PlotPanel
from gui.plots.samples import sample_cohort
from gui.plots.spider import SpiderPlot
from gui.plots.swimmer import SwimmerPlot
from gui.plots.waterfall import WaterfallPlot
from model import plot_data
from model.stats.endpoints import derive_endpoints


def _seconds(work: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def time_plot(name: str, prepare: Callable[[], object], panel: PlotPanel) -> str:
    """Return one line of figures: the plot's name, prepare and draw times in ms."""
    prepared, data = _seconds(prepare)
    panel.resize(800, 600)
    panel.show()
    drawn, _ = _seconds(lambda: (panel.set_data(data), panel.grab()))
    return f"{name:<13} prepare {prepared * 1000:7.1f} ms   draw {drawn * 1000:7.1f} ms"


def main(n: int) -> None:
    """Print prepare and draw times of the four plots for `n` patients; returns nothing."""
    pg.mkQApp()
    study, assessments = sample_cohort(n)
    arms, starts = plot_data.arms_of(study), plot_data.start_dates_of(study)

    def km() -> plot_data.KMPlotData:
        groups = plot_data.km_groups(derive_endpoints(study, assessments), endpoint="pfs")
        return plot_data.km_plot_data(groups, endpoint="PFS", unit="months")

    print(f"{n} patients")
    print(
        time_plot("waterfall", lambda: plot_data.waterfall_data(assessments, arms), WaterfallPlot())
    )
    spider = lambda: plot_data.spider_data(assessments, arms, starts)  # noqa: E731
    print(time_plot("spider", spider, SpiderPlot()))
    print(time_plot("swimmer", lambda: plot_data.swimmer_data(study, assessments), SwimmerPlot()))
    print(time_plot("kaplan-meier", km, KaplanMeierPlot()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
