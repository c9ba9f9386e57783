"""Swimmer plot: one lane per patient from the time origin, with response and event markers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainterPath, QPalette
from PySide6.QtWidgets import QScrollArea

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
from model.plot_data.swimmer import page_of, responders

#: Height of a lane in mm when exported (one line of the patient ids), the thinnest lane whose
#: markers stay apart, and the figure's height besides its lanes (x axis, legend and caption).
LANE_MM, MIN_LANE_MM, FRAME_MM = 3.2, 1.8, 30.0

#: Lanes a page-high figure holds at `MIN_LANE_MM` each (the report's limit).
PAGE_LANES = int((PAGE_HEIGHT_MM - FRAME_MM) / MIN_LANE_MM)

#: Lane height on screen in pixels: at least one line of the patient ids, at most so much
#: that one patient does not fill the plot.
MIN_LANE_PX, MAX_LANE_PX = 14, 28

#: Size of the markers and of the ongoing arrow in pixels, whatever the number of lanes:
#: lanes keep their height and the figure grows, or goes to pages, instead.
MARKER_PX, ARROW_PX = 8, 10

#: How much of the way to white a lane's arm colour is lightened, so that the markers'
#: colours and dark outlines stand out on every lane.
LANE_TINT = 0.45


def lane_positions(data: SwimmerData) -> np.ndarray:
    """Return each lane's y: the first (longest) lane on top."""
    return np.arange(len(data.lanes))[::-1].astype(float)


def lane_colour(colour: str) -> QColor:
    """Return an arm's colour lightened for a lane (`LANE_TINT` of the way to white)."""
    c = QColor(colour)
    mix = [round(v + (255 - v) * LANE_TINT) for v in (c.red(), c.green(), c.blue())]
    return QColor(*mix)


def arrow_symbol() -> QPainterPath:
    """A right-pointing arrow head on a short shaft, the usual "treatment ongoing" mark."""
    path = QPainterPath()
    path.addRect(QRectF(-0.5, -0.12, 0.5, 0.24))
    path.moveTo(0.0, -0.45)
    path.lineTo(0.5, 0.0)
    path.lineTo(0.0, 0.45)
    path.closeSubpath()
    return path


def swimmer_items(data: SwimmerData) -> list[pg.GraphicsObject]:
    """Return the lane bars (coloured by arm), the marker sets and the ongoing arrows.

    Nothing is drawn before time 0: lanes start there and `model.plot_data.swimmer`
    leaves out the events before it.
    """
    y = lane_positions(data)
    colours = arm_colours(lane.arm for lane in data.lanes)
    bars = pg.BarGraphItem(
        x0=np.zeros(len(y)),
        x1=np.array([max(lane.end, 0.0) for lane in data.lanes]),
        y=y,
        height=0.6,
        brushes=[pg.mkBrush(lane_colour(colours[lane.arm])) for lane in data.lanes],
        pen=pg.mkPen(None),
    )
    items: list[pg.GraphicsObject] = [bars]
    for kind in MARKER_KINDS:
        points = [
            (m.time, y[i])
            for i, lane in enumerate(data.lanes)
            for m in lane.markers
            if m.kind == kind and m.time >= 0
        ]
        items.append(_markers(points, kind, MARKER_PX))
    # The arrow starts just past the lane's end, so that it reads as "continues".
    nudge = 0.015 * max([lane.end for lane in data.lanes] + [1.0])
    ongoing = [(lane.end + nudge, y[i]) for i, lane in enumerate(data.lanes) if lane.ongoing]
    items.append(_scatter(ongoing, arrow_symbol(), INK, size=ARROW_PX))
    return items


def page_lanes(data: SwimmerData) -> SwimmerData:
    """Return `data` when its lanes fit a page, else the responders' lanes (for a report).

    A lane per patient stays readable up to `PAGE_LANES` lanes; beyond, papers
    show the patients with an objective response, and the caption says so.
    """
    return data if len(data.lanes) <= PAGE_LANES else responders(data)


def pages(data: SwimmerData, lanes_per_page: int) -> list[SwimmerData]:
    """Return `data` split into pages of at most `lanes_per_page` lanes, in order."""
    per_page = max(lanes_per_page, 1)
    count = max(-(-len(data.lanes) // per_page), 1)
    if count == 1:
        return [data]
    return [page_of(data, i * per_page, per_page, f"page {i + 1} of {count}") for i in range(count)]


def _markers(points: list[tuple[float, float]], kind: str, size: int) -> pg.ScatterPlotItem:
    symbol, colour = MARKER_STYLES[kind]
    return _scatter(points, symbol, colour, size)


def _scatter(points, symbol, colour: str, size: int = MARKER_PX) -> pg.ScatterPlotItem:
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    return pg.ScatterPlotItem(
        x=x, y=y, symbol=symbol, size=size, brush=colour, pen=pg.mkPen(OUTLINE, width=1)
    )


def _legend(data: SwimmerData) -> list[tuple[pg.GraphicsObject, str]]:
    arms = arm_colours(lane.arm for lane in data.lanes).items()
    entries = [(swatch(lane_colour(c).name()), arm) for arm, c in arms]
    present = {m.kind for lane in data.lanes for m in lane.markers}
    for kind in MARKER_KINDS:
        if kind in present:
            symbol, colour = MARKER_STYLES[kind]
            entries.append((swatch(colour, symbol), MARKER_NAMES[kind]))
    if any(lane.ongoing for lane in data.lanes):
        entries.append((swatch(INK, arrow_symbol()), "Ongoing treatment"))
    return entries


class SwimmerPlot(PlotPanel):
    """The swimmer plot on screen; `patient_clicked` carries the id of a clicked lane.

    Every lane is labelled with its patient id and keeps a height between
    `MIN_LANE_PX` and `MAX_LANE_PX` on screen (`SwimmerView` scrolls), and
    `LANE_MM` in a file, which `gui.plots.figure_export` splits into pages
    when the lanes do not fit one.
    """

    #: Above the plot: the lanes fill the plot area, and the legend stays in view at the top
    #: of a long scrolled plot and on every page of a figure in pages.
    legend_corners = ()

    #: Lanes are long and many: the figure takes the page's width.
    export_width_mm = DOUBLE_COLUMN_MM

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = SwimmerData((), "months")

    @property
    def export_height_mm(self) -> float:
        """Height of the exported figure in mm: `LANE_MM` per lane, at most a page."""
        return min(PAGE_HEIGHT_MM, self.height_for_lanes(len(self.data.lanes)))

    @staticmethod
    def height_for_lanes(lanes: int, text_scale: float = 1.0) -> float:
        """Return the height in mm of a figure of `lanes` lanes of `LANE_MM` (at least 5)."""
        return (FRAME_MM + LANE_MM * max(lanes, 5)) * text_scale

    @staticmethod
    def lanes_per_page(height_mm: float, text_scale: float = 1.0) -> int:
        """Return how many lanes of `LANE_MM` a figure `height_mm` high holds."""
        return max(int((height_mm / text_scale - FRAME_MM) / LANE_MM), 1)

    def set_data(self, data: SwimmerData, *, x_end: float | None = None) -> None:
        """Draw `data`, the time axis reaching `x_end` at least (pages share one axis);
        returns nothing."""
        self.data = data
        style_axes(self.plot, f"Time from start ({data.unit})", "")
        self.plot.clear()
        for item in swimmer_items(data):
            self.plot.addItem(item)
        y = lane_positions(data)
        ticks = [(y[i], lane.patient_id) for i, lane in enumerate(data.lanes)]
        left = self.plot.getAxis("left")
        left.setTicks([ticks, []])
        # Every lane's id, in small type: a lane is at least one line of it high.
        left.setStyle(
            tickLength=0, showValues=True, tickFont=font(SMALL_PX), textFillLimits=[(0, 1.0)]
        )
        left.showLabel(False)
        # Wide enough for the ids before the first paint, which drops labels that overflow.
        metrics = QFontMetrics(font(SMALL_PX))
        left.setWidth(max((metrics.horizontalAdvance(t) for _, t in ticks), default=20) + 8)
        end = max([lane.end for lane in data.lanes] + [x_end or 0.0, 1.0])
        x_ticks = time_ticks(end * 1.03, data.unit)
        self.plot.getAxis("bottom").setTicks([[(t, f"{t:g}") for t in x_ticks], []])
        # Room before 0 and after the last tick for their labels and for markers on day 0.
        pad = 0.03 * x_ticks[-1]
        self.plot.setXRange(-pad, x_ticks[-1] + pad, padding=0)
        self.plot.setYRange(-0.6, len(data.lanes) - 0.4, padding=0)
        self.set_caption(data.caption())
        self.set_legend(_legend(data))

    def page_panels(self, height_mm: float, text_scale: float = 1.0) -> list[SwimmerPlot]:
        """Return this plot when its lanes fit `height_mm`, else one new plot per page.

        Every page has the whole figure's time axis, legend and counts, and says
        which page it is; the texts (title, axis titles) are this plot's.
        """
        chunks = pages(self.data, self.lanes_per_page(height_mm, text_scale))
        if len(chunks) == 1:
            return [self]
        end = max([lane.end for lane in self.data.lanes] + [1.0])
        panels = []
        for chunk in chunks:
            panel = SwimmerPlot()
            panel.set_data(chunk, x_end=end)
            panel.set_texts(self.texts())
            panels.append(panel)
        return panels

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


class SwimmerView(QScrollArea):
    """The swimmer plot in a vertical scroll area: each lane between `MIN_LANE_PX` and
    `MAX_LANE_PX` high, so that 200 patients scroll and one patient is one lane, not the plot.
    """

    def __init__(self, plot: SwimmerPlot, parent=None):
        super().__init__(parent)
        self.plot = plot
        self.setWidget(plot)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAlignment(Qt.AlignmentFlag.AlignTop)
        plot.plot.vb.sigResized.connect(self.fit_lanes)

    def lane_px(self) -> float:
        """Return the height each lane gets in the viewport, within the limits."""
        lanes = max(len(self.plot.data.lanes), 1)
        room = self.viewport().height() - self._frame_px()
        return min(max(room / lanes, MIN_LANE_PX), MAX_LANE_PX)

    def fit_lanes(self, *_args) -> None:
        """Give the plot the height its lanes need at `lane_px`; returns nothing."""
        lanes = max(len(self.plot.data.lanes), 1)
        height = round(self._frame_px() + lanes * self.lane_px())
        if self.plot.minimumHeight() != height or self.plot.maximumHeight() != height:
            self.plot.setFixedHeight(height)

    def _frame_px(self) -> float:
        """Height of the plot besides its plot area: legend, axis, caption."""
        return max(self.plot.height() - self.plot.plot.vb.height(), 0.0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_lanes()


def demo() -> None:
    """Show the plot with the sample cohort until the window is closed; returns nothing."""
    from gui.plots.samples import sample_cohort
    from model.plot_data import swimmer_data

    study, assessments = sample_cohort(30)
    run_demo(SwimmerPlot, swimmer_data(study, assessments), size=(800, 700))


if __name__ == "__main__":
    demo()
