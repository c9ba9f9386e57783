"""Kaplan-Meier plot: step curves per arm, censor ticks, CI bands, medians, numbers at risk."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPainterPath

from gui.plots.legend import BOTTOM_LEFT, TOP_RIGHT
from gui.plots.palette import DOUBLE_COLUMN_MM, INK, SMALL_PX, TICK_PX, arm_colours
from gui.plots.panel import PlotPanel, font, run_demo, style_axes
from model.plot_data import KMCurve, KMPlotData

#: Room left of 0 and right of the last tick, as a fraction of the last tick.
RANGE_PAD = 0.04

#: Width of the left axes in pixels: the tick labels ("0.8") and the rotated axis title.
LEFT_AXIS_PX = 44

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
        [x[-1], max([x[-1], *curve.censor_times])], [y[-1]] * 2, pen=pg.mkPen(colour, width=2)
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


def step_segments(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return a right-continuous step function's horizontal and vertical segments."""
    if len(x) < 2:
        return np.column_stack([x, y, x, y])
    flat = np.column_stack([x[:-1], y[:-1], x[1:], y[:-1]])
    drop = np.column_stack([x[1:], y[:-1], x[1:], y[1:]])
    return np.concatenate([flat, drop])


def curve_segments(curve: KMCurve, *, band: bool) -> np.ndarray:
    """Return what a curve draws, as segments: steps, censor ticks, median and band.

    The band (when `band`) is its two edges and a vertical segment at each step,
    which cover the shaded area.
    """
    x, y = np.asarray(curve.timeline), np.asarray(curve.survival)
    censors = np.column_stack([curve.censor_times, curve.censor_survival] * 2)
    parts = [step_segments(x, y), censors.reshape(-1, 4)]
    if curve.median is not None:
        parts.append(np.array([[0, 0.5, curve.median, 0.5], [curve.median, 0.5, curve.median, 0]]))
    if band:
        low, high = np.asarray(curve.ci_low), np.asarray(curve.ci_high)
        parts += [step_segments(x, low), step_segments(x, high)]
        parts.append(np.column_stack([x, low, x, high]))
    return np.concatenate(parts)


class KaplanMeierPlot(PlotPanel):
    """Kaplan-Meier curves with the number-at-risk table under the x axis."""

    #: Survival curves fall from the top left, so the top right is usually empty.
    legend_corners = (TOP_RIGHT, BOTTOM_LEFT)

    #: One arm per line.
    legend_columns = 1

    #: Two columns: the curves, their bands and the at-risk numbers under every tick need
    #: the width, and the legend then takes a small corner; the table adds height.
    export_width_mm = DOUBLE_COLUMN_MM
    export_height_mm = 110.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = KMPlotData("PFS", "months", (), (0.0,), ())
        self._bands: list[pg.GraphicsObject] = []
        self.risk_title = pg.LabelItem(
            "Number at risk", size=f"{SMALL_PX}px", color=INK, justify="left"
        )
        self.addItem(self.risk_title, row=3, col=0)
        self.ci.layout.setRowFixedHeight(3, QFontMetrics(font(SMALL_PX)).height() + 6)
        self.risk = self.addPlot(row=4, col=0)
        self.risk.setXLink(self.plot)
        self.risk.hideButtons()
        self.risk.setMenuEnabled(False)
        self.risk.setMouseEnabled(False, False)
        self.risk.getAxis("bottom").hide()

    @property
    def text_rows_mm(self) -> float:
        """Height in mm of what does not scale with the figure: x axis, at-risk table, caption."""
        line = QFontMetrics(font(TICK_PX)).height()
        arms = max(len(self.data.curves), 1)
        caption = self.data.caption().count("\n") + 1
        px = 2 * line + line * 2.3 * arms + line * caption
        return px / 96 * 25.4

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
        ticks = [[(t, f"{t:g}") for t in data.ticks], []]
        self.plot.getAxis("bottom").setTicks(ticks)
        # Room beyond the first and last ticks for half of their centred labels and numbers.
        pad = RANGE_PAD * data.ticks[-1]
        self.plot.setXRange(-pad, data.ticks[-1] + pad, padding=0)
        self.plot.setYRange(0, 1.0, padding=0.02)
        self._draw_risk_table(colours)
        self.set_caption(data.caption())
        arms = [
            (pg.PlotDataItem(pen=pg.mkPen(colours[c.arm], width=2)), f"{c.arm} (n = {c.n})")
            for c in data.curves
        ]
        # The tests and the medians are in the caption: a short legend finds a free corner.
        self.set_legend(arms)

    def set_ci_visible(self, visible: bool) -> None:
        """Show or hide the confidence bands, and find the legend a place again; returns nothing."""
        for band in self._bands:
            band.setVisible(visible)
        self.decide_legend()

    def data_segments(self) -> np.ndarray:
        """Return the curves, ticks, medians and shown bands as segments in data units."""
        shown = any(band.isVisible() for band in self._bands)
        parts = [curve_segments(c, band=shown) for c in self.data.curves]
        return np.concatenate(parts) if parts else np.zeros((0, 4))

    def _draw_risk_table(self, colours: dict[str, str]) -> None:
        """Numbers at risk under the x ticks, each arm's name on a line above its numbers.

        Above, not beside: a long arm name beside the numbers would push the plot
        right by its whole width.
        """
        self.risk.clear()
        rows = len(self.data.curves)
        left = -RANGE_PAD * self.data.ticks[-1]
        for r, (curve, counts) in enumerate(zip(self.data.curves, self.data.at_risk, strict=True)):
            y = 2 * (rows - 1 - r)
            name = pg.TextItem(curve.arm, color=colours[curve.arm], anchor=(0, 0.5))
            name.setFont(font(SMALL_PX))
            name.setPos(left, y + 1)
            self.risk.addItem(name)
            for t, n in zip(self.data.ticks, counts, strict=True):
                text = pg.TextItem(str(n), color=colours[curve.arm], anchor=(0.5, 0.5))
                text.setFont(font(TICK_PX))
                text.setPos(t, y)
                self.risk.addItem(text)
        axis = self.risk.getAxis("left")
        axis.setTicks([[], []])
        axis.setStyle(showValues=False, tickLength=0)
        axis.setPen(pg.mkPen(None))
        self.risk.setYRange(-0.5, 2 * rows - 0.5, padding=0)
        line_height = QFontMetrics(font(TICK_PX)).height()
        self.ci.layout.setRowFixedHeight(4, line_height * 1.15 * 2 * max(rows, 1))
        # Both left axes equally wide, so that the at-risk numbers sit under the x ticks.
        self.risk.getAxis("left").setWidth(LEFT_AXIS_PX)
        self.plot.getAxis("left").setWidth(LEFT_AXIS_PX)

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
    from model.plot_data import km_groups, km_plot_data
    from model.stats.endpoints import derive_endpoints

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
