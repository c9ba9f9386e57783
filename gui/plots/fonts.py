"""The figures' font: Liberation Sans, shipped in resources/fonts and metric-compatible with
Arial, which journals ask for, so that a figure sets its text the same on every machine.

`register_fonts()` runs once wherever Qt starts: `gui.app.application()` for the app and
`gui.plots.report_figures.offscreen_application()` for the figure and report writers.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

import resources

#: Family of every figure's text, and of the PDF report.
FAMILY = "Liberation Sans"

#: Families an SVG names after ours, for programs that do not have Liberation Sans.
SVG_FALLBACKS = ("Arial", "Helvetica", "sans-serif")

#: The shipped font files, under resources/.
FONT_FILES = ("fonts/LiberationSans-Regular.ttf", "fonts/LiberationSans-Bold.ttf")

_registered: list[str] = []


def register_fonts() -> str:
    """Return the figure family after adding the shipped fonts to Qt's font database.

    Needs a QGuiApplication; adding the files twice is harmless, but they are added once.
    Raises RuntimeError when Qt refuses a font file.
    """
    if not _registered:
        for name in FONT_FILES:
            if QFontDatabase.addApplicationFont(str(resources.path(name))) < 0:
                raise RuntimeError(f"Qt could not load the font {name}")
        _registered.append(FAMILY)
    return FAMILY


def figure_font(px: float, *, bold: bool = False) -> QFont:
    """Return the figures' font at `px` pixels of a 96-dpi figure."""
    font = QFont(FAMILY)
    font.setPixelSize(round(px))
    font.setBold(bold)
    # Use this family or fail visibly in tests; never a look-alike chosen by fontconfig.
    font.setStyleHint(QFont.StyleHint.SansSerif, QFont.StyleStrategy.PreferOutline)
    return font
