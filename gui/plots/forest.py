"""Forest plot: each subgroup's hazard ratio with its 95% CI on a log axis, events/n per arm
and the interaction p of each subgroup variable (issue 17), drawn from
model/plot_data/forest.py; hovering shows a line's numbers, clicking selects its row."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics

from gui.plots.palette import ARM_COLOURS, DOUBLE_COLUMN_MM, INK, OUTLINE, TICK_PX
from gui.plots.panel import PlotPanel, font, style_axes
from model.exports.forest_figure import ForestLine, forest_lines, log_range

#: Height of one line in the exported figure, mm (room for a 7 pt label).
LINE_MM = 5.0


class ForestPlot(PlotPanel):
    """The forest plot on screen and in files; `row_clicked` carries the index of the
    `forest` document row whose line was clicked."""

    row_clicked = Signal(int)
    export_width_mm = DOUBLE_COLUMN_MM

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lines: list[ForestLine] = []
        self.groups: list[str] = []
        style_axes(self.plot, "Hazard ratio (95% CI, log scale)", "")
        self.plot.setLogMode(x=True, y=False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.patient_clicked.connect(lambda key: self.row_clicked.emit(int(key)))

    @property
    def export_height_mm(self) -> float:
        """Height of the exported figure: a line per row, and room for the axis."""
        return 30.0 + LINE_MM * max(1, len(self.lines))

    def set_data(self, document: dict, labels: dict[str, str] | None = None) -> None:
        """Draw the `forest` document; returns nothing."""
        self.groups = list(document["groups"])
        self.lines = forest_lines(document, labels)
        self.plot.clear()
        shown = [line for line in self.lines if line.hazard_ratio is not None]
        if shown:
            self._draw(shown)
        low, high = log_range(self.lines)
        dashed = pg.mkPen(OUTLINE, style=pg.QtCore.Qt.DashLine)
        self.plot.addItem(pg.InfiniteLine(0.0, angle=90, pen=dashed))
        self.plot.setXRange(low, high, padding=0)
        # A few round ratios, not pyqtgraph's minor ticks, which crowd each other on a log axis.
        ratios = [r for r in _RATIOS if low <= math.log10(r) <= high]
        self.plot.getAxis("bottom").setTicks([[(math.log10(r), f"{r:g}") for r in ratios], []])
        self.plot.setYRange(-len(self.lines) + 0.4, 0.6, padding=0)
        left = self.plot.getAxis("left")
        ticks = [(-line.y, _tick(line)) for line in self.lines]
        left.setTicks([ticks, []])
        # Wide enough for every label: an axis that grows only on repaint loses them in files.
        metrics = QFontMetrics(font(TICK_PX))
        left.setWidth(12 + max((metrics.horizontalAdvance(text) for _, text in ticks), default=0))
        second, first = (self.groups + ["", ""])[1], (self.groups + [""])[0]
        self.title.setText(f"Hazard ratio of {second} against {first}")
        self.set_caption(f"Events/n: {first}, then {second}. Left of 1 favours {second}.")

    def _draw(self, shown: list[ForestLine]) -> None:
        y = -np.array([line.y for line in shown], float)
        hr = np.log10([line.hazard_ratio for line in shown])
        low = np.log10([_finite(line.low, line.hazard_ratio) for line in shown])
        high = np.log10([_finite(line.high, line.hazard_ratio) for line in shown])
        bars = pg.ErrorBarItem(x=hr, y=y, left=hr - low, right=high - hr, beam=0.15,
                               pen=pg.mkPen(INK, width=1.5))  # fmt: skip
        sizes = [12 if line.row == 0 else 9 for line in shown]
        symbols = ["d" if line.row == 0 else "s" for line in shown]
        brush, pen = pg.mkBrush(ARM_COLOURS[1]), pg.mkPen(INK)
        points = pg.ScatterPlotItem(x=hr, y=y, size=sizes, symbol=symbols, brush=brush, pen=pen)
        self.plot.addItem(bars)
        self.plot.addItem(points)

    def patient_at(self, x: float, y: float) -> str | None:
        """The key (document row index, as text) of the line at height y, None for none."""
        index = round(-y)
        if 0 <= index < len(self.lines) and abs(-y - index) < 0.4:
            row = self.lines[index].row
            return None if row is None else str(row)
        return None

    def describe(self, patient_id: str) -> str:
        """The hover text of the line of document row `patient_id`."""
        row = int(patient_id)
        line = next(line for line in self.lines if line.row == row)
        return line.detail + f" ({', '.join(self.groups)})"


#: The hazard ratios labelled on the axis, where the range holds them.
_RATIOS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def _tick(line: ForestLine) -> str:
    """A line's label on the y axis, with its events/n per arm."""
    return line.label if line.row is None else f"{line.label}   {line.counts}"


def _finite(value: float | None, fallback: float) -> float:
    return value if value is not None and math.isfinite(value) and value > 0 else fallback


if __name__ == "__main__":
    from gui.plots.panel import run_demo
    from model.analyses.table import EVENT, TIME, analysis_table
    from model.analysis import analyse
    from model.demo.cohort import demo_study
    from model.settings import StudySettings
    from model.stats.forest import forest_document

    table = analysis_table(analyse(demo_study(), StudySettings()))
    run_demo(ForestPlot, forest_document(table, TIME, EVENT, "arm", ["histology_group", "ecog"]))
