"""The frame every cohort plot is drawn in: legend row, plot, caption, hover text and clicks.

A panel is a `pg.GraphicsLayoutWidget`, so the same scene is shown on screen
and rendered into files by `gui.plots.export`. Subclasses draw their items in
`set_data` and answer `patient_at` (which patient is under a point) and
`describe` (the hover text of a patient).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QFont

from gui.plots.palette import INK, OUTLINE, SMALL_PX, TEXT_PX, TICK_PX


def font(px: int) -> QFont:
    """Return the plots' font at `px` pixels."""
    f = QFont()
    f.setPixelSize(px)
    return f


def style_axes(plot: pg.PlotItem, bottom: str, left: str) -> None:
    """Give `plot` dark axes with readable ticks and these axis titles; returns nothing."""
    for name, title in (("bottom", bottom), ("left", left)):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(INK))
        axis.setTextPen(pg.mkPen(INK))
        axis.setStyle(tickFont=font(TICK_PX), tickLength=-4, maxTickLevel=0)
        axis.setLabel(title, color=INK, **{"font-size": f"{TEXT_PX}px"})
    plot.hideButtons()
    plot.setMenuEnabled(False)


def reference_line(y: float, label: str = "", at: float = 0.98) -> pg.InfiniteLine:
    """Return a dashed horizontal reference line at `y`, labelled at fraction `at` of its length."""
    line = pg.InfiniteLine(pos=y, angle=0, pen=pg.mkPen(INK, width=1, style=pg.QtCore.Qt.DashLine))
    if label:
        corner = (1, 1) if at > 0.5 else (0, 1)
        opts = {"position": at, "anchors": [corner, corner], "color": INK}
        pg.InfLineLabel(line, label, **opts).setFont(font(SMALL_PX))
    return line


def who(patient_id: str, arm: str) -> str:
    """Return "P01 (Arm A)", or the id alone when the arm is blank, for hover texts."""
    return f"{patient_id} ({arm})" if arm else patient_id


def swatch(colour: str, symbol: str = "s") -> pg.ScatterPlotItem:
    """Return an undrawn item whose legend sample is a `symbol` in `colour`."""
    return pg.ScatterPlotItem(
        symbol=symbol, size=9, brush=pg.mkBrush(colour), pen=pg.mkPen(OUTLINE)
    )


#: Width the legend may take, in pixels: a column-wide (85 mm) figure less its margins.
LEGEND_PX = 300


def _grid_width(widths: list[float], columns: int) -> float:
    """Width of entries laid out row by row in `columns` columns."""
    return sum(max(widths[c::columns], default=0) for c in range(columns))


class PlotPanel(pg.GraphicsLayoutWidget):
    """A legend above a plot above a caption, with hover text and a click signal."""

    #: A patient's bar, line or lane was clicked; carries the patient id.
    patient_clicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackground("w")
        self.ci.setContentsMargins(4, 4, 8, 4)
        self.legend = pg.LegendItem(labelTextSize=f"{SMALL_PX}px", labelTextColor=INK)
        self.legend.setColumnCount(4)
        self.addItem(self.legend, row=0, col=0)
        self.plot = self.addPlot(row=1, col=0)
        self.caption = pg.LabelItem("", size=f"{SMALL_PX}px", color=INK, justify="left")
        # Rows 2 and 3 are free for what a plot adds under its x axis (the at-risk table).
        self.addItem(self.caption, row=4, col=0)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def patient_at(self, x: float, y: float) -> str | None:
        """Return the id of the patient drawn at data point (x, y), None for none."""
        raise NotImplementedError

    def describe(self, patient_id: str) -> str:
        """Return the hover text of a patient."""
        raise NotImplementedError

    def hover_text_at(self, x: float, y: float) -> str:
        """Return the text shown when hovering over data point (x, y), "" over nothing."""
        patient = self.patient_at(x, y)
        return self.describe(patient) if patient is not None else ""

    def set_caption(self, text: str) -> None:
        """Show `text` under the plot, one line per line of text; returns nothing."""
        self.caption.setText(text.replace("\n", "<br>"))

    def set_legend(self, entries: list[tuple[pg.GraphicsObject, str]]) -> None:
        """Replace the legend's entries, in as many columns as fit a column-wide figure."""
        self.legend.clear()
        for item, name in entries:
            self.legend.addItem(item, name)
        widths = [sample.width() + label.width() + 6 for sample, label in self.legend.items]
        fitting = [c for c in range(1, len(widths) + 1) if _grid_width(widths, c) <= LEGEND_PX]
        self.legend.setColumnCount(max(fitting, default=1))
        self.legend.updateSize()
        self.legend.setVisible(bool(entries))
        # The legend sizes itself outside the layout; the row must be told its height.
        self.ci.layout.setRowFixedHeight(0, self.legend.height() if entries else 0)

    def mousePressEvent(self, event) -> None:
        # A press outside any draggable item is still ours: a click picks a patient.
        super().mousePressEvent(event)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        event.accept()

    def _view_point(self, scene_pos: QPointF) -> QPointF | None:
        if not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return None
        return self.plot.vb.mapSceneToView(scene_pos)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        point = self._view_point(scene_pos)
        self.setToolTip(self.hover_text_at(point.x(), point.y()) if point is not None else "")

    def _on_mouse_clicked(self, event) -> None:
        point = self._view_point(event.scenePos())
        if point is None or event.button() != pg.QtCore.Qt.LeftButton:
            return
        patient = self.patient_at(point.x(), point.y())
        if patient is not None:
            self.patient_clicked.emit(patient)


def run_demo(panel_class: type[PlotPanel], data, size: tuple[int, int] = (800, 500)) -> None:
    """Show a `panel_class` drawing `data` until its window is closed; returns nothing.

    Clicked patients are printed, so that the click signal can be seen working.
    """
    app = pg.mkQApp()
    panel = panel_class()
    panel.set_data(data)
    panel.patient_clicked.connect(print)
    panel.resize(*size)
    panel.show()
    app.exec()
