"""Plots export to PNG (300 dpi at a journal column), SVG and PDF (issue #5)."""

import re

import pytest
from PySide6.QtGui import QColor, QImage

from gui.plots.export import at_print_size, export_plot
from gui.plots.kaplan_meier import KaplanMeierPlot
from gui.plots.samples import sample_cohort
from gui.plots.swimmer import SwimmerPlot
from gui.plots.waterfall import WaterfallPlot
from model.plot_data import arms_of, km_groups, km_plot_data, swimmer_data, waterfall_data
from model.stats.endpoints import derive_endpoints


@pytest.fixture
def waterfall(qtbot):
    study, assessments = sample_cohort(30)
    widget = WaterfallPlot()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.set_data(waterfall_data(assessments, arms_of(study)))
    return widget


def _dpi(image: QImage) -> float:
    return image.dotsPerMeterX() * 0.0254


def test_png_is_300_dpi_at_85_mm_whatever_the_window_size(waterfall, tmp_path):
    """PNG: 85 mm at 300 dpi is at least 1004 px wide, with the dpi recorded, and the panel's
    print height (issue #5)."""
    on_screen = waterfall.ci.geometry()
    path = export_plot(waterfall, tmp_path / "waterfall.png")
    image = QImage(str(path))
    assert image.width() >= 1004 and round(_dpi(image)) == 300
    assert image.height() == pytest.approx(waterfall.export_height_mm / 25.4 * 300, abs=2)
    assert waterfall.ci.geometry() == on_screen


def test_png_is_not_blank(waterfall, tmp_path):
    """PNG: the bars are painted, not just the white background (issue #5)."""
    image = QImage(str(export_plot(waterfall, tmp_path / "w.png")))
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 10


def test_svg_and_pdf_are_written_at_the_figure_size(waterfall, tmp_path):
    """SVG and PDF: vector files of the requested size in mm (issue #5)."""
    svg = export_plot(waterfall, tmp_path / "w.svg", width_mm=170, height_mm=100).read_text()
    width_mm = float(re.search(r'<svg width="([0-9.]+)mm"', svg).group(1))
    assert width_mm == pytest.approx(170, abs=0.5) and "<path" in svg
    pdf = export_plot(waterfall, tmp_path / "w.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    # 85 mm is 240.9 pt.
    assert b"/MediaBox [0 0 240" in pdf or b"/MediaBox [0 0 241" in pdf


def test_swimmer_height_grows_with_its_lanes_up_to_a_page(qtbot, tmp_path):
    """Swimmer export: each lane keeps its height, so the figure grows, but never past a
    page's 230 mm (issue #5, layout review)."""
    heights = []
    for n in (10, 30, 400):
        study, assessments = sample_cohort(n)
        widget = SwimmerPlot()
        qtbot.addWidget(widget)
        widget.set_data(swimmer_data(study, assessments))
        image = QImage(str(export_plot(widget, tmp_path / f"s{n}.png", dpi=96)))
        heights.append(image.height() / 96 * 25.4)
    assert heights[0] < heights[1] < heights[2] == pytest.approx(230, abs=0.5)


def test_kaplan_meier_exports_with_its_risk_table(qtbot, tmp_path):
    """KM export: PNG, SVG and PDF of the curves with the at-risk table (issue #5)."""
    study, assessments = sample_cohort(60)
    widget = KaplanMeierPlot()
    qtbot.addWidget(widget)
    groups = km_groups(derive_endpoints(study, assessments))
    widget.set_data(km_plot_data(groups, endpoint="PFS", unit="months"))
    for suffix in ("png", "svg", "pdf"):
        assert export_plot(widget, tmp_path / f"km.{suffix}").stat().st_size > 1000


def test_export_refuses_an_unknown_format(waterfall, tmp_path):
    """Export chooses the format by suffix and names the ones it can write (issue #5)."""
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        export_plot(waterfall, tmp_path / "w.jpg")


def test_a_plot_item_alone_exports_too(waterfall, tmp_path):
    """Export takes a panel or one of its pyqtgraph PlotItems (issue #5)."""
    on_screen = waterfall.plot.geometry()
    image = QImage(str(export_plot(waterfall.plot, tmp_path / "plot.png", width_mm=60)))
    assert image.width() == round(60 / 25.4 * 300)
    assert waterfall.plot.geometry() == on_screen


def test_swimmer_lane_ids_are_printed_beside_their_lanes(qtbot, tmp_path):
    """Swimmer export: up to 40 lanes carry the patient id on the left axis in the file
    itself, which is painted once, not only on screen (issue #5, layout review)."""
    study, assessments = sample_cohort(30)
    widget = SwimmerPlot()
    qtbot.addWidget(widget)
    widget.set_data(swimmer_data(study, assessments))
    axis = widget.plot.getAxis("left")
    with at_print_size(widget) as top:
        ids = axis.mapRectToItem(top, axis.boundingRect()).toAlignedRect()
    image = QImage(str(export_plot(widget, tmp_path / "s.png", dpi=96)))
    dark = sum(
        QColor(image.pixel(x, y)).lightness() < 128
        for x in range(ids.left(), ids.right())
        for y in range(ids.top(), ids.bottom())
    )
    assert dark > 30 * 20
