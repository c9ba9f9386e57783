"""Render resources/icons/nadir.svg as the PNG the app and the desktop bundle use.

    .venv/bin/python scripts/render_icon.py

Run it after changing the SVG; the PNG is committed, so that neither the app
nor a bundle needs Qt's SVG plugins to show the icon.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"

#: Side of the PNG in pixels: large enough for macOS and Windows' biggest icon views.
SIZE = 512


def main() -> None:
    """Write resources/icons/nadir.png from nadir.svg."""
    _app = QGuiApplication([])
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ICONS / "nadir.svg")).render(painter)
    painter.end()
    image.save(str(ICONS / "nadir.png"))
    print(ICONS / "nadir.png")


if __name__ == "__main__":
    main()
