"""The Qt binding keeps Python's reference counts: PySide6 6.12.0 on Python 3.11 dropped
None's count on every Qt call returning nothing, and aborted the app after some tens of
thousands of calls ("Fatal Python error: none_dealloc"). pyproject.toml keeps it out."""

import sys

from PySide6 import QtWidgets


def test_void_qt_calls_keep_none_alive(qapp):
    item = QtWidgets.QGraphicsRectItem(0, 0, 1, 1)
    before = sys.getrefcount(None)
    for _ in range(1000):
        item.setPos(1, 1)
        item.setVisible(True)
        item.parentItem()
    # Other threads may move None's count a little; the bug moved it by -3000.
    assert abs(sys.getrefcount(None) - before) < 100
