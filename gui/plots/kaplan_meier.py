"""Kaplan-Meier plot: step curves per arm, censor ticks, CI bands, medians, numbers at risk."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPainterPath

from gui.plots.palette import INK, SMALL_PX, TICK_PX, arm_colours
from gui.plots.panel import PlotPanel, font, run_demo, style_axes
from model.plot_data import KMCurve, KMPlotData

#: Opacity (0-255) of a confidence band, light enough for overlapping bands to stay readable.
BAND_ALPHA = 50


def _censor_symbol() -> QPainterPath:
    """A short vertical stroke, the usual censor tick."""
    path = QPainterPath()
    path.moveTo(0, -0.5)
    path.lineTo(0, 0.5)
    return path


def curve_items(curve: KMCurve, colour: str) -> list[pg.GraphicsObject]:
    """Return the step curve and its censor ticks."""
    x, y = np.asarray(curve.timeline), np.asarray(curve.survival)
    step = pg.PlotDataItem(x, y, stepMode="right", pen=pg.mkPen(colour, width=2), name=curve.arm)
    # The last step ends at the last observed time, where stepMode="right" would stop short.
    tail = pg.PlotDataItem(
        [x[-1], max(x[-1], *curve.censor_times)], [y[-1]] * 2, pen=pg.mkPen(colour, width=2)
    )
    ticks = pg.ScatterPlotItem(
        x=curve.censor_times,
        y=curve.censor_survival,
        symbol=_censor_symbol(),
        size=7,
        pen=pg.mkPen(colour, width=1.5),
    )
    return [step, tail, ticks]


def band_item(curve: KMCurve, colour: str) -> pg.FillBetweenItem:
    """Return the shaded pointwise confidence band of a curve."""
    x = np.asarray(curve.timeline)
    low = pg.PlotCurveItem(x, np.asarray(curve.ci_low), stepMode="right")
    high = pg.PlotCurveItem(x, np.asarray(curve.ci_high), stepMode="right")
    shade = pg.mkColor(colour)
    shade.setAlpha(BAND_ALPHA)
    return pg.FillBetweenItem(low, high, brush=pg.mkBrush(shade))


def median_item(curve: KMCurve, colour: str) -> pg.PlotDataItem | None:
    """Return the dashed line from 0.5 across to the median and down to the axis, if reached."""
    if curve.median is None:
        return None
    pen = pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine)
    return pg.PlotDataItem([0, curve.median, curve.median], [0.5, 0.5, 0], pen=pen)


def km_items(data: KMPlotData) -> tuple[list[pg.GraphicsObject], list[pg.GraphicsObject]]:
    """Return (curve, tick and median items; band items), curves coloured by arm."""
    colours = arm_colours(c.arm for c in data.curves)
    lines: list[pg.GraphicsObject] = []
    bands = [band_item(c, colours[c.arm]) for c in data.curves]
    for c in data.curves:
        lines += curve_items(c, colours[c.arm])
        median = median_item(c, colours[c.arm])
        lines += [median] if median is not None else []
    return lines, bands


class KaplanMeierPlot(PlotPanel):
    """Kaplan-Meier curves with the number-at-risk table under the x axis."""

    #: The at-risk table needs more height than the usual 3:4 figure.
    export_height_mm = 90.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = KMPlotData("PFS", "months", (), (0.0,), ())
        self._bands: list[pg.GraphicsObject] = []
        self.risk_title = pg.LabelItem(
            "Number at risk", size=f"{SMALL_PX}px", color=INK, justify="left"
        )
        self.addItem(self.risk_title, row=2, col=0)
        self.ci.layout.setRowFixedHeight(2, QFontMetrics(font(SMALL_PX)).height() + 6)
        self.risk = self.addPlot(row=3, col=0)
        self.risk.setXLink(self.plot)
        self.risk.hideButtons()
        self.risk.setMenuEnabled(False)
        self.risk.setMouseEnabled(False, False)
        self.risk.getAxis("bottom").hide()

    def set_data(self, data: KMPlotData, *, show_ci: bool = True) -> None:
        """Draw `data`; the confidence bands shown when `show_ci`; returns nothing."""
        self.data = data
        style_axes(self.plot, f"Time from start ({data.unit})", f"{data.endpoint} probability")
        self.plot.clear()
        lines, self._bands = km_items(data)
        for item in self._bands + lines:
            self.plot.addItem(item)
        self.set_ci_visible(show_ci)
        colours = arm_colours(c.arm for c in data.curves)
        self.set_legend(
            [
                (pg.PlotDataItem(pen=pg.mkPen(colours[c.arm], width=2)), f"{c.arm} (n = {c.n})")
                for c in data.curves
            ]
        )
        ticks = [[(t, f"{t:g}") for t in data.ticks], []]
        self.plot.getAxis("bottom").setTicks(ticks)
        # Room beyond the first and last ticks for half of their centred labels and numbers.
        self.plot.setXRange(-0.05 * data.ticks[-1], data.ticks[-1] * 1.05, padding=0)
        self.plot.setYRange(0, 1.0, padding=0.02)
        # Above the curves rather than over them: at column width no corner is reliably empty.
        annotation = data.annotation().replace("\n", " \u00b7 ")
        self.plot.setTitle(annotation or None, size=f"{SMALL_PX}px", color=INK, justify="right")
        self._draw_risk_table(colours)
        self.set_caption(data.caption())

    def set_ci_visible(self, visible: bool) -> None:
        """Show or hide the confidence bands; returns nothing."""
        for band in self._bands:
            band.setVisible(visible)

    def _draw_risk_table(self, colours: dict[str, str]) -> None:
        self.risk.clear()
        rows = len(self.data.curves)
        for r, (curve, counts) in enumerate(zip(self.data.curves, self.data.at_risk, strict=True)):
            for t, n in zip(self.data.ticks, counts, strict=True):
                text = pg.TextItem(str(n), color=colours[curve.arm], anchor=(0.5, 0.5))
                text.setFont(font(TICK_PX))
                text.setPos(t, rows - 1 - r)
                self.risk.addItem(text)
        left = self.risk.getAxis("left")
        left.setTicks([[(rows - 1 - r, c.arm) for r, c in enumerate(self.data.curves)], []])
        left.setStyle(tickFont=font(TICK_PX), tickLength=0)
        left.setPen(pg.mkPen(None))
        left.setTickPen(pg.mkPen(None))
        left.setTextPen(pg.mkPen(INK))
        self.risk.setYRange(-0.5, rows - 0.5, padding=0)
        line_height = QFontMetrics(font(TICK_PX)).height()
        self.ci.layout.setRowFixedHeight(3, line_height * 1.4 * max(rows, 1))
        self._align_left_axes()

    def _align_left_axes(self) -> None:
        """Give both left axes the same width, so the at-risk numbers sit under the x ticks."""
        names = [c.arm for c in self.data.curves] + ["0.00"]
        widest = max(QFontMetrics(font(TICK_PX)).horizontalAdvance(n) for n in names)
        width = max(widest + 12, 48)
        self.plot.getAxis("left").setWidth(width)
        self.risk.getAxis("left").setWidth(width)

    def patient_at(self, x: float, y: float) -> str | None:
        """Return None: a Kaplan-Meier curve does not belong to one patient."""
        return None

    def hover_text_at(self, x: float, y: float) -> str:
        """Return the numbers at risk at the tick nearest to `x`, per arm."""
        if not self.data.curves or x < 0:
            return ""
        i = int(np.argmin(np.abs(np.asarray(self.data.ticks) - x)))
        rows = [
            f"{c.arm}: {n[i]} at risk"
            for c, n in zip(self.data.curves, self.data.at_risk, strict=True)
        ]
        return f"t = {self.data.ticks[i]:g} {self.data.unit}\n" + "\n".join(rows)


def demo() -> None:
    """Show the plot with the sample cohort until the window is closed; returns nothing."""
    from gui.plots.samples import sample_cohort
    from model.endpoints import derive_endpoints
    from model.plot_data import km_groups, km_plot_data

    study, assessments = sample_cohort(120)
    run_demo(
        KaplanMeierPlot,
        km_plot_data(
            km_groups(derive_endpoints(study, assessments)), endpoint="PFS", unit="months"
        ),
        size=(800, 600),
    )


if __name__ == "__main__":
    demo()
