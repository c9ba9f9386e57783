"""Where a legend goes: the first corner of the plot area where it covers no data, else none,
and its entries in balanced rows (issue #5, layout review: "legend covering data")."""

import numpy as np
from PySide6.QtCore import QRectF, QSizeF

from gui.plots.legend import (
    BOTTOM_LEFT,
    TOP_RIGHT,
    balanced_columns,
    free_corner,
    to_pixels,
    touches,
)

AREA = QRectF(0, 0, 200, 100)
BOX = QRectF(50, 20, 40, 30)


def test_a_segment_touches_a_rect_it_crosses_even_with_both_ends_outside():
    """A line across the legend's box is covered data, though no vertex lies inside."""
    across = np.array([[0.0, 35.0, 200.0, 35.0]])
    assert touches(across, BOX)


def test_segments_beside_a_rect_and_points_outside_do_not_touch_it():
    """Parallel, beside, or a point (a symbol) outside: the box stays free."""
    beside = np.array([[95.0, 0.0, 95.0, 100.0], [0.0, 10.0, 200.0, 10.0], [10.0, 10.0] * 2])
    assert not touches(beside, BOX)
    assert touches(np.array([[60.0, 30.0, 60.0, 30.0]]), BOX)


def test_data_map_to_pixels_with_y_growing_downwards():
    """The view's lowest y is the area's bottom edge; its left x the area's left edge."""
    view = QRectF(0.0, 0.0, 10.0, 1.0)  # x 0..10, y 0..1
    pixels = to_pixels(np.array([[0.0, 0.0, 10.0, 1.0]]), view, AREA)
    assert pixels.tolist() == [[0.0, 100.0, 200.0, 0.0]]


def test_the_first_free_corner_wins_and_a_full_plot_has_none():
    """A curve high on the right leaves the bottom left; a legend larger than the area has
    no corner, and goes above the plot."""
    high_right = np.array([[100.0, 20.0, 200.0, 20.0]])
    size = QSizeF(60, 30)
    assert free_corner(high_right, AREA, size, (TOP_RIGHT, BOTTOM_LEFT)) == BOTTOM_LEFT
    assert free_corner(high_right, AREA, QSizeF(300, 30), (TOP_RIGHT, BOTTOM_LEFT)) is None


def test_columns_make_the_fewest_rows_then_balance_them():
    """Four entries make two rows of two rather than three and one; with room, one row."""
    assert balanced_columns([40.0] * 4, 130.0) == 2
    assert balanced_columns([40.0] * 4, 1000.0) == 4
    assert balanced_columns([500.0], 100.0) == 1
