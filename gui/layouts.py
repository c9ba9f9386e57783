"""Layouts shared by the pages: a line of text over a body, and read-only record tables."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

#: Margin around a page's contents, in pixels (small: the screen is 1366 x 768).
PAGE_MARGIN = 4
#: Height of a table row in pixels: one line of text, no wrapping.
ROW_HEIGHT = 24


def header_over_body(page: QWidget, header: QWidget, body: QWidget) -> QVBoxLayout:
    """Return `page`'s layout: `header` at its natural height, `body` filling the rest."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
    layout.addWidget(header)
    layout.addWidget(body, 1)
    return layout


def record_table(model: QAbstractItemModel, name: str) -> QTableView:
    """Return a read-only table of whole-row records: one line per row, columns fit their text."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view
