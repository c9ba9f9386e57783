"""Swimmer plot: one lane per patient from the time origin, with response and event markers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from gui.plots.legend import BOTTOM_RIGHT, TOP_RIGHT
from gui.plots.palette import (
    DOUBLE_COLUMN_MM,
    INK,
    MARKER_NAMES,
    MARKER_STYLES,
    OUTLINE,
    PAGE_HEIGHT_MM,
    SMALL_PX,
    arm_colours,
)
from gui.plots.panel import PlotPanel, font, run_demo, style_axes, swatch, who
from model.plot_data import MARKER_KINDS, SwimmerData, time_ticks
from model.plot_data.swimmer import responders

#: Lanes up to this many are labelled with the patient id; more would overlap.
LABEL_LIMIT = 40

#: Height of a lane in mm when exported, the thinnest lane whose markers stay apart, and the
#: figure's height besides its lanes (x axis and caption; the legend sits among short lanes).
LANE_MM, MIN_LANE_MM, FRAME_MM = 3.2, 1.8, 22.0

#: Lanes a page-high figure holds at `MIN_LANE_MM` each.
PAGE_LANES = int((PAGE_HEIGHT_MM - FRAME_MM) / MIN_LANE_MM)


def lane_positions(data: SwimmerData) -> np.ndarray:
    """Return each lane's y: the first (longest) lane on top."""
    return np.arange(len(data.lanes))[::-1].astype(float)


def swimmer_items(data: SwimmerData) -> list[pg.GraphicsObject]:
    """Return the lane bars (coloured by arm), the marker sets and the ongoing arrows."""
    y = lane_positions(data)
    colours = arm_colours(lane.arm for lane in data.lanes)
    bars = pg.BarGraphItem(
        x0=np.zeros(len(y)),
        x1=np.array([lane.end for lane in data.lanes]),
        y=y,
        height=0.6,
        brushes=[pg.mkBrush(colours[lane.arm]) for lane in data.lanes],
        pen=pg.mkPen(None),
    )
    items: list[pg.GraphicsObject] = [bars]
    for kind in MARKER_KINDS:
        points = [
            (m.time, y[i])
            for i, lane in enumerate(data.lanes)
            for m in lane.markers
            if m.kind == kind
        ]
        items.append(_markers(points, kind, marker_size(len(y))))
    # The arrow starts just past the lane's end, so that it reads as "continues".
    nudge = 0.02 * max([lane.end for lane in data.lanes] + [1.0])
    ongoing = [(lane.end + nudge, y[i]) for i, lane in enumerate(data.lanes) if lane.ongoing]
    items.append(_scatter(ongoing, "arrow_right", INK, size=12))
    return items


def page_lanes(data: SwimmerData) -> SwimmerData:
    """Return `data` when its lanes fit a page, else the responders' lanes (for a report).

    A lane per patient stays readable up to `PAGE_LANES` lanes; beyond, papers
    show the patients with an objective response, and the caption says so.
    """
    return data if len(data.lanes) <= PAGE_LANES else responders(data)


def _markers(points: list[tuple[float, float]], kind: str, size: int) -> pg.ScatterPlotItem:
    symbol, colour = MARKER_STYLES[kind]
    return _scatter(points, symbol, colour, size)


def marker_size(lanes: int) -> int:
    """Return the marker size in pixels: smaller as lanes get thinner, so lanes stay apart."""
    return 7 if lanes <= 60 else 5 if lanes <= 200 else 3


def _scatter(points, symbol: str, colour: str, size: int = 7) -> pg.ScatterPlotItem:
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    return pg.ScatterPlotItem(
        x=x, y=y, symbol=symbol, size=size, brush=colour, pen=pg.mkPen(OUTLINE)
    )


def _legend(data: SwimmerData) -> list[tuple[pg.GraphicsObject, str]]:
    entries = [(swatch(c), arm) for arm, c in arm_colours(lane.arm for lane in data.lanes).items()]
    present = {m.kind for lane in data.lanes for m in lane.markers}
    for kind in MARKER_KINDS:
        if kind in present:
            symbol, colour = MARKER_STYLES[kind]
            entries.append((swatch(colour, symbol), MARKER_NAMES[kind]))
    if any(lane.ongoing for lane in data.lanes):
        entries.append((swatch(INK, "arrow_right"), "Ongoing treatment"))
    return entries


class SwimmerPlot(PlotPanel):
    """The swimmer plot on screen; `patient_clicked` carries the id of a clicked lane."""

    #: Sorted longest first, the lanes leave the bottom right empty.
    legend_corners = (BOTTOM_RIGHT, TOP_RIGHT)

    #: Lanes are long and many: the figure takes the page's width.
    export_width_mm = DOUBLE_COLUMN_MM

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = SwimmerData((), "months")

    @property
    def export_height_mm(self) -> float:
        """Height of the exported figure in mm: `LANE_MM` per lane, at most a page."""
        return min(PAGE_HEIGHT_MM, FRAME_MM + LANE_MM * max(len(self.data.lanes), 5))

    def set_data(self, data: SwimmerData) -> None:
        """Draw `data`; returns nothing."""
        self.data = data
        style_axes(self.plot, f"Time from start ({data.unit})", "Patients")
        self.plot.clear()
        for item in swimmer_items(data):
            self.plot.addItem(item)
        y = lane_positions(data)
        labelled = len(data.lanes) <= LABEL_LIMIT
        ticks = [(y[i], lane.patient_id) for i, lane in enumerate(data.lanes)] if labelled else []
        self.plot.getAxis("left").setTicks([ticks, []])
        left = self.plot.getAxis("left")
        # Every lane's id, in small type: one lane is about one line of it high.
        left.setStyle(
            tickLength=0, showValues=labelled, tickFont=font(SMALL_PX), textFillLimits=[(0, 1.0)]
        )
        left.setLabel("" if labelled else "Patients")
        # Wide enough for the ids before the first paint, which drops labels that overflow.
        metrics = QFontMetrics(font(SMALL_PX))
        widest = max((metrics.horizontalAdvance(text) for _, text in ticks), default=0)
        left.setWidth(widest + 8 if labelled else None)
        end = max([lane.end for lane in data.lanes] + [1.0])
        x_ticks = time_ticks(end * 1.03, data.unit)
        self.plot.getAxis("bottom").setTicks([[(t, f"{t:g}") for t in x_ticks], []])
        # Room before 0 and after the last tick for their labels and for markers on day 0.
        pad = 0.03 * x_ticks[-1]
        self.plot.setXRange(-pad, x_ticks[-1] + pad, padding=0)
        self.plot.setYRange(-0.7, len(data.lanes) - 0.3, padding=0)
        self.set_caption(data.caption())
        self.set_legend(_legend(data))

    def data_segments(self) -> np.ndarray:
        """Return each lane, with its markers and arrow, as segments in data units."""
        y = lane_positions(self.data)
        ends = [max([lane.end, *(m.time for m in lane.markers)]) for lane in self.data.lanes]
        nudge = 0.05 * max(ends + [1.0])
        x1 = np.array(ends) + nudge
        # Both edges of each bar, which is 0.6 of a lane high.
        edges = [np.column_stack([np.zeros_like(y), y + dy, x1, y + dy]) for dy in (-0.35, 0.35)]
        return np.concatenate(edges) if len(y) else np.zeros((0, 4))

    def patient_at(self, x: float, y: float) -> str | None:
        """Return the id of the lane under (x, y), None beyond the lane's end."""
        i = len(self.data.lanes) - 1 - int(round(y))
        if not 0 <= i < len(self.data.lanes) or abs(y - round(y)) > 0.35:
            return None
        lane = self.data.lanes[i]
        slack = 4 * self.plot.vb.viewPixelSize()[0]
        return lane.patient_id if -slack <= x <= lane.end + slack else None

    def describe(self, patient_id: str) -> str:
        """Return the patient, arm, time on study and markers: "P01 (A): 12.0 months; PR 2.1"."""
        lane = next(item for item in self.data.lanes if item.patient_id == patient_id)
        marks = ", ".join(
            f"{m.label} {m.time:.1f}" for m in sorted(lane.markers, key=lambda m: m.time)
        )
        ongoing = " (ongoing)" if lane.ongoing else ""
        text = f"{who(patient_id, lane.arm)}: {lane.end:.1f} {self.data.unit}{ongoing}"
        return text + (f"; {marks}" if marks else "")


def demo() -> None:
    """Show the plot with the sample cohort until the window is closed; returns nothing."""
    from gui.plots.samples import sample_cohort
    from model.plot_data import swimmer_data

    study, assessments = sample_cohort(30)
    run_demo(SwimmerPlot, swimmer_data(study, assessments), size=(800, 700))


if __name__ == "__main__":
    demo()
