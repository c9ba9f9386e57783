"""Layouts shared by the pages: a line of text over a body that takes the rest."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

#: Margin around a page's contents, in pixels (small: the screen is 1366 x 768).
PAGE_MARGIN = 4


def header_over_body(page: QWidget, header: QWidget, body: QWidget) -> QVBoxLayout:
    """Return `page`'s layout: `header` at its natural height, `body` filling the rest."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
    layout.addWidget(header)
    layout.addWidget(body, 1)
    return layout
