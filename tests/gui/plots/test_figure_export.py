"""Figures a journal takes (issue #15, item 4): journal sizes, TIFF with LZW and no alpha,
SVG curves as strokes, the shipped font, the Kaplan-Meier medians with their CIs, and a
swimmer of 213 patients that stays readable on screen and in files."""

import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from PySide6.QtGui import QFontInfo

from gui.plots.export_dialog import ExportDialog
from gui.plots.figure_export import FigureSpec, default_height_mm, export_figure
from gui.plots.fonts import FAMILY
from gui.plots.kaplan_meier import KaplanMeierPlot
from gui.plots.palette import arm_colours
from gui.plots.panel import FigureTexts, font
from gui.plots.swimmer import MAX_LANE_PX, MIN_LANE_PX, SwimmerPlot, SwimmerView
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.plot_data import cohort_plot_data
from model.settings import StudySettings

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo(qapp):
    """The plot data of the 213-patient demo study."""
    return cohort_plot_data(analyse(demo_study(), StudySettings()))


@pytest.fixture
def km(qtbot, demo):
    panel = KaplanMeierPlot()
    qtbot.addWidget(panel)
    panel.set_data(demo.kaplan_meier)
    return panel


def _single_column(panel, dpi=300) -> FigureSpec:
    return FigureSpec(89.0, default_height_mm(panel, 89.0), dpi=dpi)


def test_tiff_at_600_dpi_is_89_mm_wide_lzw_and_opaque(km, tmp_path):
    """TIFF: 89 mm at 600 dpi is 2102 px, RGB without alpha, LZW (tag 259 = 5), 600 dpi."""
    (path,) = export_figure(km, tmp_path / "km.tif", _single_column(km, dpi=600))
    with Image.open(path) as image:
        assert image.mode == "RGB"
        assert image.width == round(89 / 25.4 * 600)
        assert image.tag_v2[259] == 5
        assert round(image.info["dpi"][0]) == 600
        assert image.getpixel((0, 0)) == (255, 255, 255)


def test_png_is_opaque_on_white(km, tmp_path):
    """PNG: RGB, no alpha channel, white background."""
    (path,) = export_figure(km, tmp_path / "km.png", _single_column(km))
    with Image.open(path) as image:
        assert image.mode == "RGB" and image.getpixel((1, 1)) == (255, 255, 255)


def test_svg_curves_are_strokes_in_figure_units(km, demo, tmp_path):
    """SVG: each arm's curve is a stroke with no fill, outside any scaling transform and
    without SVG Tiny's non-scaling stroke, so other programs draw a line, not a band."""
    (path,) = export_figure(km, tmp_path / "km.svg", _single_column(km))
    root = ET.parse(path).getroot()
    for colour in arm_colours(c.arm for c in demo.kaplan_meier.curves).values():
        groups = [g for g in root.iter(f"{SVG}g") if g.get("stroke", "").lower() == colour.lower()]
        lines = [p for g in groups for p in g if p.tag in (f"{SVG}polyline", f"{SVG}path")]
        assert lines, colour
        longest = max(lines, key=lambda p: len(p.get("points", p.get("d", ""))))
        assert longest.get("fill") == "none"
        assert longest.get("vector-effect") is None
        group = next(g for g in groups if longest in list(g))
        assert group.get("transform") is None and float(group.get("stroke-width")) > 0
    scaled = [g for g in root.iter(f"{SVG}g") if "matrix" in g.get("transform", "")]
    assert all(
        _is_translation(g.get("transform")) or not any(p.tag.endswith("polyline") for p in g)
        for g in scaled
    )


def _is_translation(transform: str) -> bool:
    a, b, c, d = (float(v) for v in transform[7:-1].split(",")[:4])
    return (a, b, c, d) == (1, 0, 0, 1)


def test_figure_text_is_set_in_liberation_sans(km, tmp_path):
    """Font: the shipped Liberation Sans is the family Qt uses and the SVG names first."""
    assert QFontInfo(font(10)).family() == FAMILY
    (path,) = export_figure(km, tmp_path / "km.svg", _single_column(km))
    families = {t.get("font-family") for t in ET.parse(path).getroot().iter(f"{SVG}text")}
    assert families == {"'Liberation Sans', Arial, Helvetica, sans-serif"}


def test_text_prints_at_7_pt_in_a_journal_figure(km):
    """Journal text: the axis titles print at 7 pt, ticks and legend smaller but at least 5."""
    spec = _single_column(km)
    assert 12 * 0.75 * spec.text_scale == pytest.approx(7.0)
    assert 10 * 0.75 * spec.text_scale >= 5.0


def test_kaplan_meier_shows_each_median_with_its_confidence_interval(km, demo, tmp_path):
    """KM: every arm's median and 95 % CI is written under the curves, in the file too."""
    (path,) = export_figure(km, tmp_path / "km.svg", _single_column(km))
    text = " ".join(t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text"))
    for curve in demo.kaplan_meier.curves:
        assert f"{curve.arm}: {curve.median_text('months')}" in km.caption.text.replace(
            "<br>", "\n"
        )
        assert "95 % CI" in curve.median_text("months")
        assert curve.median_text("months").split(" (")[0] in text


def test_title_and_axis_titles_are_changed_for_the_export_only(km, tmp_path):
    """Texts: the dialog's title and axis titles are printed; the screen keeps its own."""
    before = km.texts()
    texts = FigureTexts("Figure 2", "Months since randomisation", "Progression-free")
    spec = FigureSpec(89.0, 80.0, texts=texts)
    (path,) = export_figure(km, tmp_path / "km.svg", spec)
    printed = " ".join(t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text"))
    assert "Figure 2" in printed and "Months since randomisation" in printed
    assert km.texts() == before


def test_legend_sits_where_the_file_puts_it_whatever_the_window(km, qtbot, tmp_path):
    """Legend: one rule; the place decided in the exported figure is kept on screen."""
    export_figure(km, tmp_path / "km.png", _single_column(km))
    decided = km.legend_corner
    for size in ((500, 300), (1200, 800)):
        km.resize(*size)
        km.show()
        qtbot.waitExposed(km)
        assert km.legend_corner == decided


def test_swimmer_of_213_patients_scrolls_with_labelled_lanes(qtbot, demo):
    """Swimmer on screen: 213 lanes keep at least MIN_LANE_PX each and the view scrolls;
    every lane is labelled with its patient id."""
    plot = SwimmerPlot()
    view = SwimmerView(plot)
    qtbot.addWidget(view)
    plot.set_data(demo.swimmer)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: plot.plot.vb.height() / 213 >= MIN_LANE_PX - 0.5)
    assert view.verticalScrollBar().maximum() > 0
    ticks = plot.plot.getAxis("left")._tickLevels[0]
    assert sorted(label for _, label in ticks) == sorted(p.patient_id for p in demo.swimmer.lanes)


def test_one_patient_is_one_lane_not_the_whole_plot(qtbot, demo):
    """Swimmer on screen: a single lane is at most MAX_LANE_PX high."""
    plot = SwimmerPlot()
    view = SwimmerView(plot)
    qtbot.addWidget(view)
    one = type(demo.swimmer)(demo.swimmer.lanes[:1], demo.swimmer.unit)
    plot.set_data(one)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: plot.plot.vb.height() <= MAX_LANE_PX + 1.5)


def test_swimmer_markers_are_never_before_time_zero(qtbot, demo):
    """Swimmer: no marker, lane or arrow is drawn left of 0."""
    plot = SwimmerPlot()
    qtbot.addWidget(plot)
    plot.set_data(demo.swimmer)
    xs = [x for item in plot.plot.items if hasattr(item, "data") for x in _xs(item)]
    assert xs and min(xs) >= 0


def _xs(item):
    data = item.data
    if callable(data) or data is None or not len(data):
        return []
    return [float(x) for x in data["x"]] if "x" in data.dtype.names else []


def test_swimmer_of_213_patients_is_written_in_pages(qtbot, demo, tmp_path):
    """Swimmer file: lanes that do not fit a page go to numbered pages of the same width."""
    plot = SwimmerPlot()
    qtbot.addWidget(plot)
    plot.set_data(demo.swimmer)
    spec = FigureSpec(183.0, default_height_mm(plot, 183.0))
    written = export_figure(plot, tmp_path / "swimmer.png", spec)
    assert [p.name for p in written] == [f"swimmer-{i}.png" for i in range(1, len(written) + 1)]
    assert len(written) > 1
    for path in written:
        with Image.open(path) as image:
            assert image.width == round(183 / 25.4 * 300)
            assert image.height <= round(230 / 25.4 * 300) + 1


def test_dialog_offers_journal_widths_and_resolution_for_raster_only(km, qtbot):
    """Dialog: 89 and 183 mm presets, 7 pt text, resolution only for TIFF and PNG."""
    dialog = ExportDialog(km)
    qtbot.addWidget(dialog)
    assert dialog.spec().width_mm == 89.0 and dialog.spec().text_pt == 7.0
    dialog.preset.setCurrentIndex(1)
    assert dialog.spec().width_mm == 183.0
    dialog.format.setCurrentIndex(dialog.format.findData(".svg"))
    assert not dialog.dpi.isEnabled()
    dialog.format.setCurrentIndex(dialog.format.findData(".tif"))
    assert dialog.dpi.isEnabled() and dialog.suffix() == ".tif"
