"""Help: every shortcut of the window, the grid's keys, and the README's guide to the app
(issue 15, item 5: "Help holds only the grid keys").

The shortcuts are read from the window's own menus, so the list cannot drift
from what the keys do; the guide is the README's section on the desktop app,
read from the source tree or, installed, from the package's metadata (one copy
of the text).
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.cell_input import KEY_HELP

#: The README section shown as the guide.
GUIDE_HEADING = "## The desktop app"
#: Keys that no menu lists: the grid's and the navigator's own.
OTHER_KEYS = (
    ("Grid", "Enter / Tab", "Store the cell and go to the next lesion / the next scan"),
    ("Grid", "F2 or double-click", "Edit the cell (a lesion's label, site or role too)"),
    ("Grid", "Escape", "Leave the cell as it was"),
    ("Grid", "Delete", "Clear the cell"),
    ("Grid", "Ctrl+C / Ctrl+V", "Copy / paste cells (a paste is one undo step)"),
    ("Events", "Enter", "Store the cell and go to the next column"),
    ("Filter", "Enter", "Open the first patient the filter keeps, cursor in the grid"),
)


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """Return (menu, shortcut, what it does) of every keyed action in `menu_bar`'s menus."""
    rows = []
    for top in menu_bar.actions():
        menu = top.menu()
        if menu is None:
            continue
        for action in _actions(menu.actions()):
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if keys:
                what = action.statusTip() or action.text().replace("&", "")
                rows.append((top.text().replace("&", ""), ", ".join(keys), what))
    return rows


def _actions(actions: list[QAction]) -> list[QAction]:
    found = []
    for action in actions:
        if action.menu() is not None:
            found += _actions(action.menu().actions())
        elif not action.isSeparator():
            found.append(action)
    return found


def guide_markdown() -> str:
    """Return the README's guide to the desktop app as Markdown (empty when not found)."""
    readme = Path(__file__).resolve().parents[2] / "README.md"
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        try:
            text = importlib.metadata.metadata("nadir").get_payload() or ""  # type: ignore[attr-defined]
        except importlib.metadata.PackageNotFoundError:
            return ""
    start = text.find(GUIDE_HEADING)
    if start < 0:
        return ""
    end = text.find("\n## ", start + len(GUIDE_HEADING))
    return text[start : end if end >= 0 else len(text)]


class HelpDialog(QDialog):
    """Two tabs: the shortcuts of every menu and of the grid, and the guide."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Nadir help")
        self.resize(760, 520)
        rows = shortcut_rows(menu_bar) + list(OTHER_KEYS)
        self.shortcuts = QTableWidget(len(rows), 3)
        self.shortcuts.setObjectName("help_shortcuts")
        self.shortcuts.setAccessibleName("Keyboard shortcuts")
        self.shortcuts.setHorizontalHeaderLabels(("Where", "Keys", "What it does"))
        self.shortcuts.verticalHeader().hide()
        self.shortcuts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.shortcuts.setItem(row, column, QTableWidgetItem(value))
        self.shortcuts.resizeColumnsToContents()
        self.shortcuts.horizontalHeader().setStretchLastSection(True)
        self.guide = QTextBrowser()
        self.guide.setObjectName("help_guide")
        self.guide.setAccessibleName("Guide to the desktop app")
        self.guide.setOpenExternalLinks(True)
        guide = guide_markdown()
        self.guide.setMarkdown(guide + "\n\n### Typing in the grid\n\n" + KEY_HELP)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.shortcuts, "&Shortcuts")
        self.tabs.addTab(self.guide, "&Guide")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def show_tab(self, index: int) -> None:
        """Open on tab `index` (0 shortcuts, 1 guide); returns nothing."""
        self.tabs.setCurrentIndex(index)
        self.tabs.currentWidget().setFocus(Qt.FocusReason.OtherFocusReason)
