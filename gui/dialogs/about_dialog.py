"""Help > About Nadir: the version and licence, and where the study and the log are.

What a person reporting a problem is asked for first (issue 20): which Nadir,
which study, and the log to send. The paths can be selected and copied, and
the log's folder opened.
"""

from __future__ import annotations

import platform
import sys

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from gui.actions import add_action
from model.about import DISTRIBUTION, LICENCE, VERSION
from model.app_log import log_path

#: The sentence under the name.
_PURPOSE = "Tumour response (RECIST 1.1, iRECIST, mRECIST) and survival for oncology studies."


class AboutDialog(QDialog):
    """Nadir's version and licence, the study's path and the log's path."""

    def __init__(self, study: str | None, read_only: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About Nadir")
        self.log_file = log_path()
        study_text = study or "a study in memory (not saved)"
        if read_only:
            study_text += " (read-only)"
        #: What the dialog says, as plain lines (tests and bug reports read it).
        self.facts = {
            "Version": f"Nadir {VERSION} ({DISTRIBUTION})",
            "Licence": f"{LICENCE} (the LICENSE file shipped with Nadir)",
            "Study": study_text,
            "Log": str(self.log_file),
            "Runs on": f"Python {platform.python_version()}, Qt {qVersion()}, "
            f"PySide6 {PySide6.__version__}, {sys.platform}",
        }
        layout = QVBoxLayout(self)
        layout.addWidget(_label(f"<h2>Nadir {VERSION}</h2><p>{_PURPOSE}</p>"))
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in self.facts.items())
        facts = _label(f"<table cellspacing='4'>{rows}</table>")
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(facts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_log = buttons.addButton("Open log folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_log.clicked.connect(self.show_log_folder)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def show_log_folder(self) -> None:
        """Open the folder of the log in the system's file manager; returns nothing."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))


def _label(html: str) -> QLabel:
    label = QLabel(html)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


def add_about_action(menu: QMenu, window: QMainWindow) -> None:
    """Add Help > About Nadir to `menu`, showing the study open in `window`; returns nothing."""

    def show() -> None:
        session = window.session
        AboutDialog(session.path, session.store.read_only, window).exec()

    add_action(menu, "&About Nadir", show, None, "Nadir's version and licence; where the log is")
