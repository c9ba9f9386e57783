"""Long work runs off the GUI thread, reports progress and stops when cancelled (practice 7)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from gui.tasks import run_task
from model.progress import Cancelled


def test_work_runs_on_another_thread_and_its_result_comes_back(qtbot):
    """The worker's result arrives on the GUI thread through on_done."""
    parent = QWidget()
    qtbot.addWidget(parent)
    results = []

    def work(progress):
        progress.report(1, 2, "half")
        return threading.get_ident()

    run_task(work, title="Test", parent=parent, on_done=results.append, on_error=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0] != threading.get_ident()


def test_cancel_stops_the_work_and_reports_it(qtbot):
    """The dialog's Cancel sets the token; the work stops at its next check (Cancelled)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    errors = []
    started = threading.Event()

    def work(progress):
        started.set()
        while True:
            progress.check()
            threading.Event().wait(0.01)

    run_task(work, title="Test", parent=parent, on_done=errors.append, on_error=errors.append)
    assert started.wait(5)
    dialog = parent.findChild(QProgressDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled)
