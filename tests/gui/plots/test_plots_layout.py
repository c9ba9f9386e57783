"""The report's figures of the demo study read as journal figures at their print size: they fit
a page, no legend covers data or text, axis titles fit their axes, and the Kaplan-Meier plot
area dominates its figure (issue #5, layout review of the lead)."""

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage

from gui.plots.export import at_print_size, export_plot, print_size_mm
from gui.plots.palette import DOUBLE_COLUMN_MM, PAGE_HEIGHT_MM, SMALL_PX, TEXT_PX, TICK_PX
from gui.plots.report_figures import report_panels
from gui.plots.swimmer import FRAME_MM, MIN_LANE_MM
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.settings import StudySettings

NAMES = ("waterfall", "spider", "swimmer", "km_pfs", "km_os")

#: Pixels per mm of the 96-dpi layout the figures are exported from.
PX_PER_MM = 96 / 25.4


@pytest.fixture(scope="module")
def panels(qapp):
    """The report's five panels drawing the 213-patient demo study."""
    return report_panels(analyse(demo_study(), StudySettings()))


def _rect_in_figure(item, top) -> QRectF:
    """`item`'s bounding rect in the coordinates of the figure's top item."""
    return item.mapRectToItem(top, item.boundingRect())


@pytest.mark.parametrize("name", NAMES)
def test_figure_fits_a_page_at_its_print_size(panels, name):
    """Each figure is at most 174 x 230 mm and is laid out at exactly its print size, so its
    text prints at the size it was set in (7.5 pt or more)."""
    panel = panels[name]
    width_mm, height_mm = print_size_mm(panel)
    assert width_mm <= DOUBLE_COLUMN_MM and height_mm <= PAGE_HEIGHT_MM
    with at_print_size(panel) as top:
        size = top.geometry().size()
        assert size.width() == pytest.approx(width_mm * PX_PER_MM, abs=0.5)
        assert size.height() == pytest.approx(height_mm * PX_PER_MM, abs=0.5)
    assert min(TEXT_PX, TICK_PX, SMALL_PX) * 72 / 96 >= 7.5


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_drawn_under_the_legend(panels, name, tmp_path):
    """The figure painted with an invisible legend is blank where the legend goes: the legend
    covers no data, axis, title or label."""
    panel = panels[name]
    with at_print_size(panel) as top:
        legend = _rect_in_figure(panel.legend, top)
        figure = QRectF(0, 0, top.geometry().width(), top.geometry().height())
    assert figure.contains(legend)
    panel.legend.setOpacity(0.0)
    try:
        image = QImage(str(export_plot(panel, tmp_path / f"{name}.png", dpi=96)))
    finally:
        panel.legend.setOpacity(1.0)
    inner = legend.toAlignedRect()
    white = QColor("white").rgb()
    painted = [
        (x, y)
        for x in range(inner.left(), inner.right() + 1)
        for y in range(inner.top(), inner.bottom() + 1)
        if image.pixel(x, y) != white
    ]
    assert painted == []


@pytest.mark.parametrize("name", NAMES)
def test_left_axis_title_is_no_longer_than_its_axis(panels, name):
    """The rotated y-axis title fits beside the plot area, clear of the legend row."""
    panel = panels[name]
    with at_print_size(panel):
        title = panel.plot.getAxis("left").label.boundingRect().width()
        axis = panel.plot.vb.sceneBoundingRect().height()
    assert title <= axis


@pytest.mark.parametrize("name", ["km_pfs", "km_os"])
def test_kaplan_meier_plot_area_dominates_its_figure(panels, name):
    """KM: the curves' area spans 85 % of the width and half the figure's area, the at-risk
    table, legend and statistics taking the rest."""
    panel = panels[name]
    with at_print_size(panel) as top:
        area = _rect_in_figure(panel.plot.vb, top)
        figure = top.geometry()
    assert area.width() >= 0.85 * figure.width()
    assert area.width() * area.height() >= 0.5 * figure.width() * figure.height()


def test_kaplan_meier_legend_sits_inside_the_plot_area(panels):
    """KM: the legend takes an empty corner of the curves' area, not a row above it."""
    for name in ("km_pfs", "km_os"):
        panel = panels[name]
        with at_print_size(panel) as top:
            area = _rect_in_figure(panel.plot.vb, top)
            assert area.contains(_rect_in_figure(panel.legend, top)), name


def test_report_swimmer_shows_responders_in_lanes_that_stay_apart(panels):
    """Swimmer: 213 lanes do not fit a page, so the report shows the responders, says so,
    and each lane keeps at least 1.8 mm."""
    panel = panels["swimmer"]
    lanes = len(panel.data.lanes)
    assert panel.data.total == 213 and 0 < lanes < 213
    assert panel.caption.text.startswith(f"Patients with an objective response: {lanes} of 213")
    _, height_mm = print_size_mm(panel)
    assert (height_mm - FRAME_MM) / lanes >= MIN_LANE_MM
