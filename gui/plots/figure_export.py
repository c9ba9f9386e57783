"""A figure as a journal takes it: a preset width, a height, a format, text of 5-7 pt, and the
user's own title and axis titles; a swimmer too long for one figure is written in pages.

    spec = FigureSpec(width_mm=89, height_mm=default_height_mm(panel, 89))
    export_figure(panel, Path("km.tif"), spec)      # -> [Path("km.tif")]

The presets follow Nature's figure guide (single column 89 mm, double column
183 mm, text 5-7 pt, 300 dpi or more); the export dialog (`export_dialog`)
fills a `FigureSpec`. A swimmer whose lanes do not fit `height_mm` at `LANE_MM`
each is written as numbered files (`swimmer-1.pdf`, `swimmer-2.pdf`, ...),
every page with the whole time axis, the legend and "page i of n": journals
take figures at most a page high, and lanes squeezed to fit one are unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gui.plots.export import export_plot, print_size_mm
from gui.plots.palette import PAGE_HEIGHT_MM, TEXT_PX
from gui.plots.panel import FigureTexts, PlotPanel

#: Height of a plot area as a fraction of the figure's width, for a figure with rows of text
#: under it (the Kaplan-Meier curves over their at-risk table).
PLOT_ASPECT = 0.6

#: Points per pixel of the 96-dpi layout.
PT_PER_PX = 72 / 96


@dataclass(frozen=True)
class Preset:
    """A journal's figure width."""

    name: str
    width_mm: float


#: Journal widths offered by the export dialog (Nature: 89 and 183 mm).
PRESETS = (Preset("Single column (89 mm)", 89.0), Preset("Double column (183 mm)", 183.0))

#: Size of a figure's largest text (axis titles) in pt; ticks and legend print smaller.
JOURNAL_TEXT_PT = 7.0

#: Formats by file suffix, with the words the dialog shows.
FORMATS = {
    ".tif": "TIFF (LZW, white, no alpha)",
    ".png": "PNG (white, no alpha)",
    ".pdf": "PDF (vector)",
    ".svg": "SVG (vector)",
}

#: Resolutions offered for TIFF and PNG.
DPIS = (300, 600)


@dataclass(frozen=True)
class FigureSpec:
    """How to write a figure: size in mm, resolution, size of its largest text, its texts."""

    width_mm: float
    height_mm: float
    dpi: int = 300
    text_pt: float = JOURNAL_TEXT_PT
    #: Title and axis titles to print; None keeps the panel's.
    texts: FigureTexts | None = None

    @property
    def text_scale(self) -> float:
        """How much smaller than on screen text and lines print (`gui.plots.export`)."""
        return self.text_pt / (TEXT_PX * PT_PER_PX)


def default_height_mm(panel: PlotPanel, width_mm: float, text_pt: float = JOURNAL_TEXT_PT) -> float:
    """Return a height in mm that suits `panel` at `width_mm`, at most a page.

    The panel's own print shape, scaled to the width, plus the room its text
    rows need (which do not scale with the width); a swimmer, `LANE_MM` per lane.
    """
    scale = FigureSpec(width_mm, 0.0, text_pt=text_pt).text_scale
    lanes = getattr(panel, "height_for_lanes", None)
    if lanes is not None:
        return round(min(PAGE_HEIGHT_MM, lanes(len(panel.data.lanes), scale)), 1)
    own_width, own_height = print_size_mm(panel)
    text_mm = getattr(panel, "text_rows_mm", None)
    if text_mm is None:
        return round(min(PAGE_HEIGHT_MM, own_height * width_mm / own_width), 1)
    # The plot area keeps its shape; the text rows under it keep their size.
    plot = PLOT_ASPECT * width_mm
    return round(min(PAGE_HEIGHT_MM, plot + text_mm * scale), 1)


def export_figure(panel: PlotPanel, path: Path, spec: FigureSpec) -> list[Path]:
    """Return the files written: `path`, or numbered pages beside it for a long swimmer."""
    path = Path(path)
    with panel.texts_changed(spec.texts):
        split = getattr(panel, "page_panels", None)
        pages = split(spec.height_mm, spec.text_scale) if split is not None else [panel]
        if len(pages) == 1:
            return [_write(panel, path, spec, spec.height_mm)]
        written = []
        for number, page in enumerate(pages, start=1):
            height = min(
                spec.height_mm, page.height_for_lanes(len(page.data.lanes), spec.text_scale)
            )
            target = path.with_name(f"{path.stem}-{number}{path.suffix}")
            written.append(_write(page, target, spec, height))
        return written


def _write(panel: PlotPanel, path: Path, spec: FigureSpec, height_mm: float) -> Path:
    return export_plot(
        panel,
        path,
        width_mm=spec.width_mm,
        height_mm=height_mm,
        dpi=spec.dpi,
        text_scale=spec.text_scale,
    )
