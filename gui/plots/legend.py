"""Where a plot's legend goes: inside, in the first corner where it covers no data, else above.

Journals ask that a legend never hide data and waste no space: a corner of
the plot area that the data leave empty (top right for most survival curves,
bottom right for a swimmer sorted longest first) is both. The data are given
as line segments (x0, y0, x1, y1) in data coordinates; a bar, lane or step is
a segment, a symbol a segment of length 0.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import QRectF, QSizeF

#: Corners as fractions of the plot area (0 left/top, 1 right/bottom).
TOP_RIGHT, TOP_LEFT, BOTTOM_RIGHT, BOTTOM_LEFT = (1, 0), (0, 0), (1, 1), (0, 1)

#: Gap between the legend and the plot area's edge, in pixels: clear of the 4-pixel ticks
#: that point into the plot area (`gui.plots.panel.style_axes`).
MARGIN_PX = 7.0


def corner_rect(area: QRectF, size: QSizeF, corner: tuple[float, float]) -> QRectF:
    """Return the rect of a legend of `size` in `corner` of `area`, `MARGIN_PX` inside it."""
    fx, fy = corner
    x = area.left() + MARGIN_PX + fx * (area.width() - size.width() - 2 * MARGIN_PX)
    y = area.top() + MARGIN_PX + fy * (area.height() - size.height() - 2 * MARGIN_PX)
    return QRectF(x, y, size.width(), size.height())


def to_pixels(segments: np.ndarray, view: QRectF, area: QRectF) -> np.ndarray:
    """Return data-coordinate segments in the pixels of `area`, which shows the range `view`.

    `view` is the view box's range (its top is the lowest y); pixel y grows downwards.
    """
    seg = np.asarray(segments, dtype=float).reshape(-1, 4)
    sx = area.width() / view.width() if view.width() else 0.0
    sy = area.height() / view.height() if view.height() else 0.0
    x = area.left() + (seg[:, [0, 2]] - view.left()) * sx
    y = area.bottom() - (seg[:, [1, 3]] - view.top()) * sy
    return np.column_stack([x[:, 0], y[:, 0], x[:, 1], y[:, 1]])


def touches(segments: np.ndarray, rect: QRectF) -> bool:
    """Return True when any pixel segment meets `rect` (Liang-Barsky clipping, vectorised)."""
    if not len(segments):
        return False
    x0, y0, x1, y1 = (segments[:, i] for i in range(4))
    dx, dy = x1 - x0, y1 - y0
    lo, hi = np.zeros(len(x0)), np.ones(len(x0))
    inside = np.ones(len(x0), dtype=bool)
    edges = (
        (-dx, x0 - rect.left()),
        (dx, rect.right() - x0),
        (-dy, y0 - rect.top()),
        (dy, rect.bottom() - y0),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in edges:
            parallel = p == 0
            inside &= ~(parallel & (q < 0))
            t = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
            lo = np.where(~parallel & (p < 0), np.maximum(lo, t), lo)
            hi = np.where(~parallel & (p > 0), np.minimum(hi, t), hi)
    return bool(np.any(inside & (lo <= hi)))


def free_corner(
    segments: np.ndarray,
    area: QRectF,
    size: QSizeF,
    corners: Iterable[tuple[float, float]],
) -> tuple[float, float] | None:
    """Return the first of `corners` where a legend of `size` meets no segment, else None.

    `segments` are in pixels (see `to_pixels`); a legend that does not fit
    inside `area` with its margins has no corner.
    """
    if size.width() + 2 * MARGIN_PX > area.width() or size.height() + 2 * MARGIN_PX > area.height():
        return None
    return next((c for c in corners if not touches(segments, corner_rect(area, size, c))), None)


def balanced_columns(widths: list[float], room: float) -> int:
    """Return how many columns lay out entries of `widths` in at most `room` pixels.

    The fewest rows that fit, then as few columns as give those rows, so that
    four entries make two rows of two rather than three and one.
    """
    count = len(widths)
    if not count:
        return 1
    fitting = [c for c in range(1, count + 1) if grid_width(widths, c) <= room] or [1]
    rows = -(-count // max(fitting))
    return -(-count // rows)


def grid_width(widths: list[float], columns: int) -> float:
    """Width of entries laid out row by row in `columns` columns."""
    return sum(max(widths[c::columns], default=0) for c in range(columns))
