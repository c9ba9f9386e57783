"""Waterfall plot: each patient's best % change of the target sum, coloured by best response."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.plots.palette import OUTLINE, arm_colours, response_colour, responses_in_order
from gui.plots.panel import PlotPanel, reference_line, run_demo, style_axes, swatch, who
from model.plot_data import WaterfallData, arm_order

#: Reference lines: +20 % (progression threshold) and -30 % (partial response), RECIST 1.1 4.3.1.
#: Each label sits at the end where the sorted bars leave room: right for +20, left for -30.
REFERENCE_LINES = ((20.0, "+20 %", 0.98), (-30.0, "\u221230 %", 0.02))

#: Above this many bars the outlines would blur into black, so bars are drawn without them.
OUTLINE_LIMIT = 80


def bar_colours(data: WaterfallData, colour_by: str) -> list[str]:
    """Return each bar's hex colour, by best response or by arm."""
    if colour_by == "arm":
        colours = arm_colours(b.arm for b in data.bars)
        return [colours[b.arm] for b in data.bars]
    return [response_colour(b.response) for b in data.bars]


def waterfall_items(data: WaterfallData, *, colour_by: str = "response") -> list[pg.GraphicsObject]:
    """Return the bars, the capped-bar marks and the reference lines of a waterfall."""
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
    return [bars, marks] + [reference_line(y, label, at) for y, label, at in REFERENCE_LINES]


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

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = WaterfallData((), (), 100.0)
        style_axes(self.plot, "Patients", "Best change from baseline (%)")

    def set_data(self, data: WaterfallData, *, colour_by: str = "response") -> None:
        """Draw `data`, bars coloured by "response" or "arm"; returns nothing."""
        self.data = data
        self.plot.clear()
        for item in waterfall_items(data, colour_by=colour_by):
            self.plot.addItem(item)
        self.set_legend(_legend(data, colour_by))
        ticks = _arm_ticks(data) if len({b.arm for b in data.bars}) > 1 else []
        self.plot.getAxis("bottom").setTicks([ticks, []])
        top = max([b.shown_pct for b in data.bars] + [20.0])
        self.plot.setXRange(-1, max(len(data.bars), 1), padding=0)
        self.plot.setYRange(-100, top + 12, padding=0.02)
        self.set_caption(data.caption())

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
