"""Waterfall plot: each patient's best % change of the target sum, coloured by best response."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.plots.legend import BOTTOM_LEFT, TOP_RIGHT
from gui.plots.palette import (
    COLUMN_MM,
    DOUBLE_COLUMN_MM,
    OUTLINE,
    arm_colours,
    response_colour,
    responses_in_order,
)
from gui.plots.panel import PlotPanel, reference_lines, run_demo, style_axes, swatch, who
from model.plot_data import WaterfallData, arm_order

#: Reference lines: +20 % (progression threshold) and -30 % (partial response), RECIST 1.1 4.3.1.
REFERENCE_LINES = ((20.0, "+20"), (-30.0, "\u221230"))

#: Bars a one-column figure holds; more get two columns, so each bar stays 0.5 mm or wider.
COLUMN_BARS = 100

#: Above this many bars the outlines would blur into black, so bars are drawn without them.
OUTLINE_LIMIT = 80


def bar_colours(data: WaterfallData, colour_by: str) -> list[str]:
    """Return each bar's hex colour, by best response or by arm."""
    if colour_by == "arm":
        colours = arm_colours(b.arm for b in data.bars)
        return [colours[b.arm] for b in data.bars]
    return [response_colour(b.response) for b in data.bars]


def waterfall_items(data: WaterfallData, *, colour_by: str = "response") -> list[pg.GraphicsObject]:
    """Return the bars and the capped-bar marks of a waterfall."""
    heights = np.array([b.shown_pct for b in data.bars], dtype=float)
    outline = pg.mkPen(OUTLINE, width=0.5) if len(heights) <= OUTLINE_LIMIT else pg.mkPen(None)
    bars = pg.BarGraphItem(
        x=np.arange(len(heights)),
        height=heights,
        # Many bars touch: a gap narrower than a pixel would fade them into the background.
        width=0.8 if len(heights) <= OUTLINE_LIMIT else 1.0,
        brushes=[pg.mkBrush(c) for c in bar_colours(data, colour_by)],
        pen=outline,
    )
    capped = [i for i, b in enumerate(data.bars) if b.capped]
    marks = pg.ScatterPlotItem(
        x=capped, y=[data.cap_pct + 6.0] * len(capped), symbol="t1", size=7, brush=OUTLINE, pen=None
    )
    return [bars, marks]


def _legend(data: WaterfallData, colour_by: str) -> list[tuple[pg.GraphicsObject, str]]:
    if colour_by == "arm":
        return [(swatch(c), arm) for arm, c in arm_colours(b.arm for b in data.bars).items()]
    codes = responses_in_order(b.response for b in data.bars)
    entries = [(swatch(response_colour(code)), code) for code in codes]
    if any(b.capped for b in data.bars):
        entries.append((swatch(OUTLINE, "t1"), f"> +{data.cap_pct:g} %"))
    return entries


def _arm_ticks(data: WaterfallData) -> list[tuple[float, str]]:
    """Arm names under the middle of each arm's run of bars, when bars are grouped by arm."""
    arms = [b.arm for b in data.bars]
    runs = [(arm, [i for i, a in enumerate(arms) if a == arm]) for arm in arm_order(arms)]
    if any(idx[-1] - idx[0] + 1 != len(idx) for _, idx in runs):
        return []
    return [((idx[0] + idx[-1]) / 2, arm) for arm, idx in runs]


class WaterfallPlot(PlotPanel):
    """The waterfall on screen; `patient_clicked` carries the id of a clicked bar."""

    #: Sorted worst first, the bars leave the bottom left (and the top right) empty.
    legend_corners = (BOTTOM_LEFT, TOP_RIGHT)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = WaterfallData((), (), 100.0)
        style_axes(self.plot, "Patients", "Best change from baseline (%)")

    @property
    def export_width_mm(self) -> float:
        """Width of the exported figure in mm: one column, or two for many bars."""
        return COLUMN_MM if len(self.data.bars) <= COLUMN_BARS else DOUBLE_COLUMN_MM

    @property
    def export_height_mm(self) -> float:
        """Height of the exported figure in mm: room for the y-axis title beside the bars."""
        return 70.0 if len(self.data.bars) <= COLUMN_BARS else 85.0

    def set_data(self, data: WaterfallData, *, colour_by: str = "response") -> None:
        """Draw `data`, bars coloured by "response" or "arm"; returns nothing."""
        self.data = data
        self.plot.clear()
        for item in waterfall_items(data, colour_by=colour_by):
            self.plot.addItem(item)
        reference_lines(self.plot, REFERENCE_LINES)
        ticks = _arm_ticks(data) if len({b.arm for b in data.bars}) > 1 else []
        bottom = self.plot.getAxis("bottom")
        bottom.setTicks([ticks, []])
        # Without arm names the axis keeps no room for tick labels under the bars.
        bottom.setStyle(showValues=bool(ticks))
        top = max([b.shown_pct for b in data.bars] + [20.0])
        self.plot.setXRange(-1, max(len(data.bars), 1), padding=0)
        self.plot.setYRange(-100, top + 12, padding=0.02)
        self.set_caption(data.caption())
        self.set_legend(_legend(data, colour_by))

    def data_segments(self) -> np.ndarray:
        """Return each bar as a segment from 0 to its height (with its cap mark), in data units."""
        x = np.arange(len(self.data.bars), dtype=float)
        tops = np.array([b.shown_pct + (12.0 if b.capped else 0.0) for b in self.data.bars])
        return np.column_stack([x, np.zeros_like(x), x, tops]) if len(x) else np.zeros((0, 4))

    def patient_at(self, x: float, y: float) -> str | None:
        """Return the id of the bar under (x, y), None between bars or beyond a bar's end."""
        i = int(round(x))
        if not 0 <= i < len(self.data.bars) or abs(x - i) > 0.4:
            return None
        tolerance = 3 * self.plot.vb.viewPixelSize()[1]
        height = self.data.bars[i].shown_pct
        inside = min(0.0, height) - tolerance <= y <= max(0.0, height) + tolerance
        return self.data.bars[i].patient_id if inside else None

    def describe(self, patient_id: str) -> str:
        """Return "P01 (arm A): −35.0 %, best response PR"."""
        bar = next(b for b in self.data.bars if b.patient_id == patient_id)
        return f"{who(patient_id, bar.arm)}: {bar.pct_change:+.1f} %, best response {bar.response}"


def demo() -> None:
    """Show the plot with the sample cohort until the window is closed; returns nothing."""
    from gui.plots.samples import sample_cohort
    from model.plot_data import arms_of, waterfall_data

    study, assessments = sample_cohort()
    run_demo(WaterfallPlot, waterfall_data(assessments, arms_of(study)))


if __name__ == "__main__":
    demo()
