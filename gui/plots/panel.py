"""The frame every cohort plot is drawn in: legend row, plot, caption, hover text and clicks.

A panel is a `pg.GraphicsLayoutWidget`, so the same scene is shown on screen
and rendered into files by `gui.plots.export`. Subclasses draw their items in
`set_data` and answer `patient_at` (which patient is under a point) and
`describe` (the hover text of a patient).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGraphicsTextItem, QGraphicsWidget

from gui.plots.fonts import FAMILY, figure_font, register_fonts
from gui.plots.legend import balanced_columns, corner_rect, free_corner, to_pixels
from gui.plots.palette import COLUMN_MM, INK, OUTLINE, SMALL_PX, TEXT_PX, TICK_PX


def font(px: int, *, bold: bool = False) -> QFont:
    """Return the plots' font (`gui.plots.fonts.FAMILY`) at `px` pixels."""
    return figure_font(px, bold=bold)


@dataclass(frozen=True)
class FigureTexts:
    """The words a user may change before an export: the title and the two axis titles."""

    title: str
    x_label: str
    y_label: str


def style_axes(plot: pg.PlotItem, bottom: str, left: str) -> None:
    """Give `plot` dark axes with readable ticks and these axis titles; returns nothing."""
    for name, title in (("bottom", bottom), ("left", left)):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(INK))
        axis.setTextPen(pg.mkPen(INK))
        axis.setStyle(tickFont=font(TICK_PX), tickLength=-4, maxTickLevel=0)
        axis.setLabel(title, color=INK, **{"font-size": f"{TEXT_PX}px"})
        axis.label.setFont(font(TEXT_PX))
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
    """A plot with its title, legend (inside, in a free corner, or above), caption, hover and
    clicks.

    Rows of the layout: 0 the title, 1 the room of a legend above the plot, 2 the plot,
    3 and 4 free for what a plot adds under its x axis (the at-risk table), 5 the caption.
    """

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
        register_fonts()
        self.setBackground("w")
        self.ci.setContentsMargins(4, 4, 8, 4)
        self.ci.setSpacing(2)
        self.title = pg.LabelItem("", size=f"{TEXT_PX}px", color=INK, bold=True)
        self.addItem(self.title, row=0, col=0)
        self._set_title_height(0.0)
        # The legend floats over the layout; row 1 is the room it takes above the plot.
        self.legend_room = pg.GraphicsWidget()
        self.addItem(self.legend_room, row=1, col=0)
        self.ci.layout.setRowFixedHeight(1, 0.0)
        self.legend = pg.LegendItem(labelTextSize=f"{SMALL_PX}px", labelTextColor=INK)
        self.legend.setParentItem(self.ci)
        self.legend.setZValue(10)
        self.legend_inside = False
        #: Where the legend goes, decided at print size (`place_legend`): a corner or None.
        self.legend_corner: tuple[float, float] | None = None
        self._deciding = False
        self.plot = self.addPlot(row=2, col=0)
        self.plot.vb.sigResized.connect(self.place_legend)
        self.caption = pg.LabelItem("", size=f"{SMALL_PX}px", color=INK, justify="left")
        self.addItem(self.caption, row=5, col=0)
        # pyqtgraph's own right-click "Export..." (style practice 12: every action says what
        # it does); the panel's Export… button is the journal export.
        for action in self.scene().contextMenu:
            action.setStatusTip("Export this plot with pyqtgraph's exporter (image, SVG, CSV)")
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

    def texts(self) -> FigureTexts:
        """Return the figure's title and axis titles as shown."""
        return FigureTexts(
            self.title.text,
            self.plot.getAxis("bottom").labelText,
            self.plot.getAxis("left").labelText,
        )

    def set_texts(self, texts: FigureTexts) -> None:
        """Show `texts` as the title (none when blank) and the axis titles; returns nothing."""
        self.title.setText(texts.title)
        self._set_title_height(
            QFontMetrics(font(TEXT_PX, bold=True)).height() + 4 if texts.title else 0.0
        )
        for name, text in (("bottom", texts.x_label), ("left", texts.y_label)):
            axis = self.plot.getAxis(name)
            axis.setLabel(text, color=INK, **{"font-size": f"{TEXT_PX}px"})
            axis.showLabel(bool(text))
        self.use_figure_font()
        self.decide_legend()

    def _set_title_height(self, height: float) -> None:
        # The label's own minimum height would win over the row's; an empty title takes none.
        self.title.setMinimumHeight(height)
        self.title.setMaximumHeight(height)
        self.title.setVisible(height > 0)
        self.ci.layout.setRowFixedHeight(0, height)

    @contextmanager
    def texts_changed(self, texts: FigureTexts | None) -> Iterator[None]:
        """Show `texts` (None: leave them) for the time of the block, then the old ones again."""
        if texts is None:
            yield
            return
        old = self.texts()
        self.set_texts(texts)
        try:
            yield
        finally:
            self.set_texts(old)

    def use_figure_font(self) -> None:
        """Give every text of the figure the figure family at its own size; returns nothing.

        pyqtgraph styles its labels with HTML that names a size but no family, so the
        family comes from each text item's own font.
        """
        for item in self.scene().items():
            if isinstance(item, QGraphicsTextItem) and item.font().family() != FAMILY:
                f = item.font()
                f.setFamily(FAMILY)
                item.setFont(f)

    def set_legend(self, entries: list[tuple[pg.GraphicsObject, str]]) -> None:
        """Replace the legend's entries and place it; returns nothing."""
        self.legend.clear()
        for item, name in entries:
            self.legend.addItem(item, name)
        self.legend.setVisible(bool(entries))
        self.use_figure_font()
        self.decide_legend()

    def data_segments(self) -> np.ndarray:
        """Return what the legend must not cover: segments (x0, y0, x1, y1) in data units."""
        return np.zeros((0, 4))

    def decide_legend(self) -> None:
        """Decide the legend's place at the figure's print size and put it there on screen.

        One rule for screen and file: the corner (or the row above the plot) is
        chosen where the data lie in the exported figure, and the screen shows
        the legend in the same place. An export at another size decides again.
        """
        from gui.plots.export import at_print_size  # export lays panels out: no cycle at import

        with at_print_size(self):
            pass
        self.place_legend()

    def place_legend_for_print(self) -> None:
        """Decide the legend's place in the current (print) layout and put it there."""
        self._deciding = True
        try:
            self.place_legend()
            QGraphicsWidget.layout(self.ci).activate()
            self.place_legend()
        finally:
            self._deciding = False

    def place_legend(self, *_args) -> None:
        """Put the legend in its corner of the plot area, or above it.

        While laid out for print (`place_legend_for_print`) the corner is the
        first of `legend_corners` free of data, else none; on screen the
        legend keeps the corner decided for print. Called again whenever the
        plot area changes size.
        """
        if not self.legend.items:
            self._set_legend_room(0.0)
            return
        widths = [sample.width() + label.width() + 6 for sample, label in self.legend.items]
        if self._deciding:
            self.legend_corner = self._free_corner(widths)
        corner = self.legend_corner
        self.legend_inside = corner is not None
        if corner is None:
            room = self._plot_area().width()
            self._lay_out_legend(self.legend_columns or balanced_columns(widths, room))
        else:
            half = self._plot_area().width() / 2
            self._lay_out_legend(self.legend_columns or balanced_columns(widths, half))
        self._set_legend_room(0.0 if corner is not None else self._legend_size().height())
        area = self._plot_area()
        if corner is not None:
            self.legend.setPos(corner_rect(area, self._legend_size(), corner).topLeft())
        else:
            room = self.legend_room.geometry()
            self.legend.setPos(area.right() - self._legend_size().width(), room.top())

    def _free_corner(self, widths: list[float]) -> tuple[float, float] | None:
        if not self.legend_corners:
            return None
        # The plot area as it is with no legend row above it, which an inside legend frees.
        area = self._plot_area().adjusted(0, -self.ci.layout.rowMaximumHeight(1), 0, 0)
        self._lay_out_legend(self.legend_columns or balanced_columns(widths, area.width() / 2))
        pixels = to_pixels(self.data_segments(), self.plot.vb.viewRect(), area)
        return free_corner(pixels, area, self._legend_size(), self.legend_corners)

    def _plot_area(self) -> QRectF:
        """The view box's rect in the layout's coordinates, where the legend is placed."""
        return self.plot.vb.mapRectToItem(self.ci, self.plot.vb.boundingRect())

    def _set_legend_room(self, height: float) -> None:
        """Give row 1 the height of a legend above the plot (laid out at the next layout pass)."""
        if self.ci.layout.rowMinimumHeight(1) == height == self.ci.layout.rowMaximumHeight(1):
            return
        self.ci.layout.setRowFixedHeight(1, height)

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
