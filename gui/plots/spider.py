"""Spider plot: each patient's % change of the target sum from baseline over time."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.plots.legend import BOTTOM_LEFT, BOTTOM_RIGHT, TOP_LEFT, TOP_RIGHT
from gui.plots.palette import arm_colours, response_colour, responses_in_order
from gui.plots.panel import PlotPanel, reference_lines, run_demo, style_axes, who
from model.plot_data import SpiderData, SpiderLine

#: Reference lines at +20 % and -30 % from baseline (RECIST 1.1, section 4.3.1).
REFERENCE_LINES = ((20.0, "+20"), (-30.0, "\u221230"))

#: How close, in screen pixels, the pointer must come to a line to pick its patient.
PICK_PX = 5.0

#: Above this many patients the vertex dots would hide the lines, so they are left out.
DOT_LIMIT = 150


def line_groups(data: SpiderData, colour_by: str) -> dict[str, list[SpiderLine]]:
    """Return the lines grouped by legend entry (best response in ranking order, or arm)."""
    if colour_by == "arm":
        keys = list(dict.fromkeys(line.arm for line in data.lines))
    else:
        keys = responses_in_order(line.response for line in data.lines)
    groups: dict[str, list[SpiderLine]] = {key: [] for key in keys}
    for line in data.lines:
        groups[line.arm if colour_by == "arm" else line.response].append(line)
    return groups


def _group_colours(groups: dict[str, list[SpiderLine]], colour_by: str) -> dict[str, str]:
    if colour_by == "arm":
        return arm_colours(groups)
    return {key: response_colour(key) for key in groups}


def spider_items(data: SpiderData, *, colour_by: str = "response") -> list[pg.GraphicsObject]:
    """Return one polyline item per legend entry, drawn in one go."""
    groups = line_groups(data, colour_by)
    colours = _group_colours(groups, colour_by)
    items: list[pg.GraphicsObject] = []
    dots = len(data.lines) <= DOT_LIMIT
    for key, lines in groups.items():
        x = np.concatenate([line.times for line in lines])
        y = np.concatenate([line.pct for line in lines])
        # Each patient's last vertex is not joined to the next patient's first.
        connect = np.concatenate(
            [np.arange(len(line.times)) < len(line.times) - 1 for line in lines]
        )
        symbol = {"symbol": "o", "symbolSize": 4, "symbolBrush": colours[key], "symbolPen": None}
        pen = pg.mkPen(colours[key], width=1.5)
        items.append(
            pg.PlotDataItem(x, y, connect=connect, pen=pen, name=key, **(symbol if dots else {}))
        )
    return items


class SpiderPlot(PlotPanel):
    """The spider plot on screen; `patient_clicked` carries the id of a clicked line."""

    #: Lines fan out from 0 % at the start, so a late corner is the likeliest to be free.
    legend_corners = (TOP_RIGHT, BOTTOM_RIGHT, TOP_LEFT, BOTTOM_LEFT)

    #: One column, a little taller than 3:4 so the y-axis title fits beside the axis.
    export_height_mm = 80.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = SpiderData((), (), "weeks")
        self._segments = np.zeros((0, 4))
        self._owners = np.zeros(0, dtype=int)

    def set_data(self, data: SpiderData, *, colour_by: str = "response") -> None:
        """Draw `data`, lines coloured by "response" or "arm"; returns nothing."""
        self.data = data
        style_axes(self.plot, f"Time from start ({data.unit})", "Change from baseline (%)")
        self.plot.clear()
        items = spider_items(data, colour_by=colour_by)
        for item in items:
            self.plot.addItem(item)
        reference_lines(self.plot, REFERENCE_LINES)
        self._index_segments()
        self._set_ranges()
        self.set_caption(data.caption())
        self.set_legend([(item, item.name()) for item in items])

    def _set_ranges(self) -> None:
        """Fit the lines and both reference lines; fixed, so the legend's place is known."""
        seg = self._segments
        x = np.concatenate([seg[:, 0], seg[:, 2], [0.0]])
        y = np.concatenate([seg[:, 1], seg[:, 3], [20.0, -30.0]])
        self.plot.setXRange(x.min(), max(x.max(), 1.0), padding=0.03)
        self.plot.setYRange(y.min(), y.max(), padding=0.05)

    def data_segments(self) -> np.ndarray:
        """Return every line segment (x0, y0, x1, y1) in data units."""
        return self._segments

    def _index_segments(self) -> None:
        """Keep every segment (x0, y0, x1, y1) and its patient, for picking."""
        rows, owners = [], []
        for i, line in enumerate(self.data.lines):
            t, p = np.asarray(line.times), np.asarray(line.pct)
            rows.append(np.column_stack([t[:-1], p[:-1], t[1:], p[1:]]))
            owners.append(np.full(len(t) - 1, i))
        self._segments = np.concatenate(rows) if rows else np.zeros((0, 4))
        self._owners = np.concatenate(owners) if owners else np.zeros(0, dtype=int)

    def patient_at(self, x: float, y: float) -> str | None:
        """Return the id of the patient whose line passes within a few pixels of (x, y)."""
        if not len(self._segments):
            return None
        sx, sy = self.plot.vb.viewPixelSize()
        seg = self._segments / np.array([sx, sy, sx, sy])
        px, py = x / sx, y / sy
        d = seg[:, 2:] - seg[:, :2]
        length2 = np.maximum((d**2).sum(axis=1), 1e-12)
        u = np.clip(((px - seg[:, 0]) * d[:, 0] + (py - seg[:, 1]) * d[:, 1]) / length2, 0, 1)
        gap = np.hypot(seg[:, 0] + u * d[:, 0] - px, seg[:, 1] + u * d[:, 1] - py)
        best = int(np.argmin(gap))
        return self.data.lines[self._owners[best]].patient_id if gap[best] <= PICK_PX else None

    def describe(self, patient_id: str) -> str:
        """Return "P01 (arm A): best −35.0 %, best response PR"."""
        line = next(item for item in self.data.lines if item.patient_id == patient_id)
        best = f"best {min(line.pct):+.1f} %, best response {line.response}"
        return f"{who(patient_id, line.arm)}: {best}"


def demo() -> None:
    """Show the plot with the sample cohort until the window is closed; returns nothing."""
    from gui.plots.samples import sample_cohort
    from model.plot_data import arms_of, spider_data, start_dates_of

    study, assessments = sample_cohort()
    run_demo(SpiderPlot, spider_data(assessments, arms_of(study), start_dates_of(study)))


if __name__ == "__main__":
    demo()
