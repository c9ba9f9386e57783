"""The frame every cohort plot is drawn in: legend row, plot, caption, hover text and clicks.

A panel is a `pg.GraphicsLayoutWidget`, so the same scene is shown on screen
and rendered into files by `gui.plots.export`. Subclasses draw their items in
`set_data` and answer `patient_at` (which patient is under a point) and
`describe` (the hover text of a patient).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Signal
from PySide6.QtGui import QFont, QFontMetrics

from gui.plots.legend import balanced_columns, corner_rect, free_corner, to_pixels
from gui.plots.palette import COLUMN_MM, INK, OUTLINE, SMALL_PX, TEXT_PX, TICK_PX


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
        # Titles sit close to their tick labels rather than in a band of empty margin.
        axis.label.document().setDocumentMargin(1)
        axis.tickStrings = _with_minus_signs(axis)
    # The x tick labels are one line high; the default reserves more than that.
    line = QFontMetrics(font(TICK_PX)).height()
    plot.getAxis("bottom").setStyle(autoExpandTextSpace=False, tickTextHeight=line)
    plot.hideButtons()
    plot.setMenuEnabled(False)


def _with_minus_signs(axis: pg.AxisItem):
    """The axis's tick labels with a typographic minus, as in the reference-line labels."""
    plain = type(axis).tickStrings

    def strings(values, scale, spacing):
        return [text.replace("-", "\u2212") for text in plain(axis, values, scale, spacing)]

    return strings


def reference_lines(plot: pg.PlotItem, lines: tuple[tuple[float, str], ...]) -> None:
    """Draw dashed horizontal lines at each (y, label), labelled on the right axis.

    On the axis, not on the line, so that a label never lies over the data.
    """
    pen = pg.mkPen(INK, width=1, style=pg.QtCore.Qt.DashLine)
    for y, _ in lines:
        plot.addItem(pg.InfiniteLine(pos=y, angle=0, pen=pen))
    plot.showAxis("right")
    axis = plot.getAxis("right")
    axis.setTicks([[(y, label) for y, label in lines], []])
    axis.setStyle(tickFont=font(SMALL_PX), tickLength=0, tickTextOffset=2)
    axis.setPen(pg.mkPen(None))
    axis.setTextPen(pg.mkPen(INK))


def who(patient_id: str, arm: str) -> str:
    """Return "P01 (Arm A)", or the id alone when the arm is blank, for hover texts."""
    return f"{patient_id} ({arm})" if arm else patient_id


def swatch(colour: str, symbol: str = "s") -> pg.ScatterPlotItem:
    """Return an undrawn item whose legend sample is a `symbol` in `colour`."""
    return pg.ScatterPlotItem(
        symbol=symbol, size=9, brush=pg.mkBrush(colour), pen=pg.mkPen(OUTLINE)
    )


class PlotPanel(pg.GraphicsLayoutWidget):
    """A plot with its legend (inside, in a free corner, or above), a caption, hover and clicks."""

    #: A patient's bar, line or lane was clicked; carries the patient id.
    patient_clicked = Signal(str)

    #: Corners of the plot area tried for the legend, in order (`gui.plots.legend`);
    #: when none is free of data the legend goes above the plot.
    legend_corners: tuple[tuple[float, float], ...] = ()

    #: Columns of the legend; None: as few rows as fit half the plot's width (inside) or all
    #: of it (above).
    legend_columns: int | None = None

    #: Size of the exported figure in mm; a height of None is 3/4 of the width.
    export_width_mm: float = COLUMN_MM
    export_height_mm: float | None = None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackground("w")
        self.ci.setContentsMargins(4, 4, 8, 4)
        self.ci.setSpacing(2)
        # Row 0 is the room a legend above the plot takes; the legend floats over the layout.
        self.legend_room = pg.GraphicsWidget()
        self.addItem(self.legend_room, row=0, col=0)
        self.ci.layout.setRowFixedHeight(0, 0.0)
        self.legend = pg.LegendItem(labelTextSize=f"{SMALL_PX}px", labelTextColor=INK)
        self.legend.setParentItem(self.ci)
        self.legend.setZValue(10)
        self.legend_inside = False
        self.plot = self.addPlot(row=1, col=0)
        self.plot.vb.sigResized.connect(self.place_legend)
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
        """Replace the legend's entries and place it; returns nothing."""
        self.legend.clear()
        for item, name in entries:
            self.legend.addItem(item, name)
        self.legend.setVisible(bool(entries))
        self.place_legend()

    def data_segments(self) -> np.ndarray:
        """Return what the legend must not cover: segments (x0, y0, x1, y1) in data units."""
        return np.zeros((0, 4))

    def place_legend(self, *_args) -> None:
        """Put the legend in the first free corner of the plot area, else above it.

        Called again whenever the plot area changes size (on screen, or laid
        out at print size for an export), since what is free depends on it.
        """
        if not self.legend.items:
            self._set_legend_room(0.0)
            return
        widths = [sample.width() + label.width() + 6 for sample, label in self.legend.items]
        corner = None
        if self.legend_corners:
            # The plot area as it is with no legend row above it, which an inside legend frees.
            area = self._plot_area().adjusted(0, -self.ci.layout.rowMaximumHeight(0), 0, 0)
            self._lay_out_legend(self.legend_columns or balanced_columns(widths, area.width() / 2))
            pixels = to_pixels(self.data_segments(), self.plot.vb.viewRect(), area)
            corner = free_corner(pixels, area, self._legend_size(), self.legend_corners)
        self.legend_inside = corner is not None
        if corner is None:
            room = self._plot_area().width()
            self._lay_out_legend(self.legend_columns or balanced_columns(widths, room))
        self._set_legend_room(0.0 if corner is not None else self._legend_size().height())
        area = self._plot_area()
        if corner is not None:
            self.legend.setPos(corner_rect(area, self._legend_size(), corner).topLeft())
        else:
            room = self.legend_room.geometry()
            self.legend.setPos(area.right() - self._legend_size().width(), room.top())

    def _plot_area(self) -> QRectF:
        """The view box's rect in the layout's coordinates, where the legend is placed."""
        return self.plot.vb.mapRectToItem(self.ci, self.plot.vb.boundingRect())

    def _set_legend_room(self, height: float) -> None:
        """Give row 0 the height of a legend above the plot (laid out at the next layout pass)."""
        if self.ci.layout.rowMinimumHeight(0) == height == self.ci.layout.rowMaximumHeight(0):
            return
        self.ci.layout.setRowFixedHeight(0, height)

    def _lay_out_legend(self, columns: int) -> None:
        self.legend.setColumnCount(columns)
        self.legend.updateSize()

    def _legend_size(self) -> QSizeF:
        return self.legend.boundingRect().size()

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
