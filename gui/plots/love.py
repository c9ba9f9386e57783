"""The love plot (issue 18, item 1): |SMD| per covariate level and the score before matching
(open circles) and after (filled), with the 0.1 reference line."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from gui.plots.legend import BOTTOM_LEFT, TOP_RIGHT
from gui.plots.palette import INK, TICK_PX
from gui.plots.panel import PlotPanel, font, run_demo, style_axes
from model.plot_data.love import BALANCED_SMD, LoveData

#: Colours of the two series.
BEFORE, AFTER = "#d55e00", "#0072b2"


class LovePlot(PlotPanel):
    """Covariates down the y axis (first at the top), |SMD| along x."""

    legend_corners = (TOP_RIGHT, BOTTOM_LEFT)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = LoveData((), 0)
        style_axes(self.plot, "Absolute standardised mean difference", "")
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)

    def set_data(self, data: LoveData) -> None:
        """Draw `data`; returns nothing."""
        self.data = data
        self.plot.clear()
        n = len(data.rows)
        y = np.arange(n, 0, -1, dtype=float)
        items = []
        for name, colour, filled in (("Before matching", BEFORE, False),
                                     ("After matching", AFTER, True)):  # fmt: skip
            values = [getattr(r, "after" if filled else "before") for r in data.rows]
            keep = [i for i, v in enumerate(values) if v is not None]
            item = pg.ScatterPlotItem(
                x=[values[i] for i in keep], y=y[keep], size=8, symbol="o",
                pen=pg.mkPen(colour, width=1.5), brush=pg.mkBrush(colour if filled else None),
                name=name,
            )  # fmt: skip
            self.plot.addItem(item)
            items.append((item, name))
        pen = pg.mkPen(INK, width=1, style=Qt.PenStyle.DashLine)
        self.plot.addItem(pg.InfiniteLine(pos=BALANCED_SMD, angle=90, pen=pen))
        left = self.plot.getAxis("left")
        left.setTicks([[(y[i], r.label) for i, r in enumerate(data.rows)], []])
        # Room for the longest label: an axis hides the tick labels that do not fit it.
        metrics = QFontMetrics(font(TICK_PX))
        left.setWidth(max([metrics.horizontalAdvance(r.label) for r in data.rows] + [20]) + 12)
        largest = max([v for r in data.rows for v in (r.before, r.after) if v is not None] + [0.2])
        self.plot.setXRange(0, largest * 1.1, padding=0)
        self.plot.setYRange(0.5, n + 0.5, padding=0)
        self.set_caption(data.caption())
        self.set_legend(items)

    def patient_at(self, x: float, y: float) -> str | None:
        """No patient is drawn here: returns None."""
        return None

    def describe(self, patient_id: str) -> str:
        """No patient is drawn here: returns ""."""
        return ""


def demo() -> None:
    """Show the plot with made-up balance until the window is closed; returns nothing."""
    from model.plot_data.love import LoveRow

    rows = (LoveRow("age", 0.31, 0.04), LoveRow("ecog: 1", 0.22, 0.08),
            LoveRow("propensity score", 0.9, 0.02))  # fmt: skip
    run_demo(LovePlot, LoveData(rows, 44))


if __name__ == "__main__":
    demo()
