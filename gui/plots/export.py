"""Writing a plot to TIFF, PNG, SVG or PDF at a journal's size, from the same items as on screen.

The figure is laid out at its print size in 96-dpi pixels (85 mm is 321 px)
divided by `text_scale`, so text and lines keep their printed size whatever
the window's size, then rendered `text_scale` times smaller: a figure whose
text is set at 9 pt prints it at 7 pt with `text_scale` 7/9, lines thinning
with it. TIFF (LZW) and PNG are opaque RGB on white at `dpi`, through a device
pixel ratio (so cosmetic lines scale with the text); SVG by `QSvgGenerator`
and PDF by `QPdfWriter`, both painting the scene as vectors. Qt's SVG keeps
curves in data coordinates under a non-uniform transform with non-scaling
strokes, which other programs draw as filled bands: `gui.plots.svg_output`
rewrites them as plain strokes. (pyqtgraph's `SVGExporter` fails on some bar
paths, issue #5 note.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QImage,
    QImageWriter,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsWidget

from gui.plots.palette import COLUMN_MM
from gui.plots.svg_output import clean_svg

#: Pixels per inch of the layout; Qt's logical resolution.
LAYOUT_DPI = 96.0

#: Height of a figure as a fraction of its width, when the panel does not say.
ASPECT = 0.75

_MM_PER_INCH = 25.4

#: TIFF tag 259 (Compression) value of LZW, and Qt's TIFF writer's setting that gives it.
TIFF_LZW, _QT_TIFF_LZW = 5, 1

#: Qt's PNG quality (lossless: the zlib effort, less for more): the pixels are the same as at
#: Qt's default, written in 30 % less time, the report's six 7 % larger in all (issue 19).
PNG_QUALITY = 70


def export_plot(
    target: pg.GraphicsView | pg.GraphicsWidget,
    path: str | Path,
    *,
    width_mm: float | None = None,
    height_mm: float | None = None,
    dpi: int = 300,
    text_scale: float = 1.0,
) -> Path:
    """Return `path` after writing the plot there as TIFF, PNG, SVG or PDF, chosen by its suffix.

    `target` is a plot panel (any `pg.GraphicsLayoutWidget` or `PlotWidget`)
    or a `pg.PlotItem`. The size defaults to the panel's `export_width_mm`
    (else one column, 85 mm) and `export_height_mm` (else 3/4 of the width);
    `text_scale` shrinks text and lines (see the module's docstring).
    """
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"cannot export to {path.name}: use a .tif, .png, .svg or .pdf file name")
    with at_print_size(
        target, width_mm=width_mm, height_mm=height_mm, text_scale=text_scale
    ) as item:
        # A layout that cannot shrink to the size asked for keeps its own, undistorted.
        writer(item, path, item.geometry().size(), dpi, text_scale)
    return path


def print_size_mm(
    target: pg.GraphicsView | pg.GraphicsWidget,
    *,
    width_mm: float | None = None,
    height_mm: float | None = None,
) -> tuple[float, float]:
    """Return the (width, height) in mm a plot is exported at: as asked, else the panel's own."""
    width_mm = width_mm or getattr(target, "export_width_mm", None) or COLUMN_MM
    height_mm = height_mm or getattr(target, "export_height_mm", None) or width_mm * ASPECT
    return width_mm, height_mm


@contextmanager
def at_print_size(
    target: pg.GraphicsView | pg.GraphicsWidget,
    *,
    width_mm: float | None = None,
    height_mm: float | None = None,
    text_scale: float = 1.0,
) -> Iterator[pg.GraphicsWidget]:
    """Yield the plot's top item laid out at its print size (`print_size_mm`) in 96-dpi pixels,
    divided by `text_scale`.

    The item gets its on-screen geometry back afterwards. Export paints it in
    this state; tests measure it (legend, plot area, axis titles). A panel
    decides its legend's place in this layout (`PlotPanel.place_legend_for_print`).
    """
    width_mm, height_mm = print_size_mm(target, width_mm=width_mm, height_mm=height_mm)
    item = _top_item(target)
    size = QSizeF(_px(width_mm) / text_scale, _px(height_mm) / text_scale)
    with _laid_out(item, size):
        decide = getattr(target, "place_legend_for_print", None)
        if decide is not None:
            decide()
        yield item


def _px(mm: float) -> float:
    return mm / _MM_PER_INCH * LAYOUT_DPI


def _mm(px: float) -> float:
    return px / LAYOUT_DPI * _MM_PER_INCH


def _top_item(target) -> pg.GraphicsWidget:
    if isinstance(target, pg.GraphicsView):
        return target.centralWidget
    return target


@contextmanager
def _laid_out(item: pg.GraphicsWidget, size: QSizeF) -> Iterator[None]:
    """Lay `item` out at `size` for the export, then give it back its on-screen geometry."""
    old = item.geometry()
    _set_geometry(item, QRectF(old.topLeft(), size))
    try:
        yield
    finally:
        _set_geometry(item, old)


def _set_geometry(item: pg.GraphicsWidget, rect: QRectF) -> None:
    item.setGeometry(rect)
    # Qt's own accessor: pyqtgraph's GraphicsLayout hides it behind a `layout` attribute.
    layout = QGraphicsWidget.layout(item)
    if layout is not None:
        # Lays out now what the new size changed, such as a legend moved above the plot.
        layout.activate()


def _render(item: pg.GraphicsWidget, painter: QPainter, target: QRectF) -> None:
    """Paint the item's scene area into `target`, with pyqtgraph's export mode on.

    In export mode scatter symbols are drawn as paths, not as cached screen
    pixmaps, so they stay sharp at 300 dpi and vector in SVG and PDF.
    """
    scene = item.scene()
    painted = [i for i in scene.items() if hasattr(i, "setExportMode")]
    opts = {"antialias": True, "background": "w", "painter": painter, "resolutionScale": 1.0}
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    try:
        for i in painted:
            i.setExportMode(True, opts)
        scene.render(
            painter, target, item.sceneBoundingRect(), Qt.AspectRatioMode.IgnoreAspectRatio
        )
    finally:
        for i in painted:
            i.setExportMode(False)


def _write_raster(item, path: Path, size: QSizeF, dpi: int, text_scale: float) -> None:
    """Write an opaque RGB image on white: journals refuse an alpha channel."""
    ratio = dpi / LAYOUT_DPI * text_scale
    image = QImage(round(size.width() * ratio), round(size.height() * ratio), QImage.Format_RGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        _render(item, painter, QRectF(0, 0, size.width(), size.height()))
    finally:
        painter.end()
    image.setDevicePixelRatio(1.0)
    image = image.convertToFormat(QImage.Format_RGB888)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    tiff = path.suffix.lower() in (".tif", ".tiff")
    writer = QImageWriter(str(path), b"tiff" if tiff else b"png")
    if tiff:
        writer.setCompression(_QT_TIFF_LZW)
    else:
        writer.setQuality(PNG_QUALITY)
    if not writer.write(image):
        raise OSError(f"could not write {path}: {writer.errorString()}")


def _vector_resolution(text_scale: float) -> int:
    """Device units per inch that make the layout's pixels print `text_scale` times smaller."""
    return round(LAYOUT_DPI / text_scale)


def _write_svg(item, path: Path, size: QSizeF, dpi: int, text_scale: float) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setResolution(_vector_resolution(text_scale))
    generator.setSize(QSize(round(size.width()), round(size.height())))
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(path.stem)
    _paint_vectors(item, generator, QRectF(0, 0, size.width(), size.height()))
    clean_svg(path)


def _write_pdf(item, path: Path, size: QSizeF, dpi: int, text_scale: float) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(_vector_resolution(text_scale))
    mm = QSizeF(_mm(size.width() * text_scale), _mm(size.height() * text_scale))
    page = QPageSize(mm, QPageSize.Unit.Millimeter, "figure")
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF()))
    writer.setTitle(path.stem)
    _paint_vectors(item, writer, QRectF(0, 0, writer.width(), writer.height()))


def _paint_vectors(item, device: QPaintDevice, target: QRectF) -> None:
    painter = QPainter(device)
    try:
        _render(item, painter, target)
    finally:
        painter.end()


#: Writer of each file suffix.
_WRITERS = {
    ".tif": _write_raster,
    ".tiff": _write_raster,
    ".png": _write_raster,
    ".svg": _write_svg,
    ".pdf": _write_pdf,
}
