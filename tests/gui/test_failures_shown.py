"""Failures a person can see (issue 20): a study that cannot be opened is shown in a dialog at
start-up, and an unexpected error in the running app is shown, logged, and leaves the study
whole, with the app still working."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.app import build_main_window, run_app
from gui.error_reporting import ERROR_DIALOG_NAME, install_excepthook
from gui.main_window import MainWindow
from model.store.study import Store
from tests.app_logs import app_log_file  # noqa: F401 - a fixture
from tests.gui.conftest import FOLLOW_UP
from tests.gui.grid_helpers import answer_next_dialog, cell_text, type_into


def menu_action(window: MainWindow, menu_title: str, text: str):
    """Return the action `text` of the menu bar's menu `menu_title`."""
    (menu,) = (a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    (action,) = (a for a in menu.actions() if a.text() == text)
    return action


def error_dialogs() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == ERROR_DIALOG_NAME]


@pytest.fixture
def hooks(monkeypatch):
    """Put back Python's excepthooks after the test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_is_shown_logged_and_leaves_the_study_whole(
    qtbot,
    study_path,
    app_log_file,  # noqa: F811
    hooks,
    monkeypatch,
):
    def broken(window):
        raise RuntimeError("the grid keys are lost")

    monkeypatch.setattr(MainWindow, "show_keys", broken)
    window = build_main_window(str(study_path))
    qtbot.addWidget(window)
    install_excepthook(app_log_file)
    window.show()
    window.show_patient("P01")
    type_into(qtbot, window.patient_page, "T1", FOLLOW_UP, "35")

    QTimer.singleShot(0, menu_action(window, "&Help", "Grid &keys").trigger)
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)
    (dialog,) = error_dialogs()
    assert dialog.text() == "RuntimeError: the grid keys are lost"
    assert "Your study is safe" in dialog.informativeText()
    assert str(app_log_file) in dialog.informativeText()
    assert "Traceback" in dialog.detailedText()
    log = app_log_file.read_text(encoding="utf-8")
    assert "ERROR nadir.app: unexpected error" in log
    assert "RuntimeError: the grid keys are lost" in log and "in broken" in log
    dialog.close()

    type_into(qtbot, window.patient_page, "T1", FOLLOW_UP, "30")
    assert cell_text(window.patient_page.grid, "T1", FOLLOW_UP) == "30"
    window.close()
    with Store.open(study_path) as store:
        (t1,) = [
            m
            for m in store.patient_data("P01").measurements
            if m.scan_date == FOLLOW_UP and m.lesion_id == "T1"
        ]
        assert t1.diameter_mm == 30.0


def test_a_study_that_cannot_be_opened_is_shown_at_start_up(
    qtbot,
    tmp_path,
    app_log_file,  # noqa: F811
    hooks,
):
    notes = tmp_path / "notes.nadir"
    notes.write_text("a text file, not a study", encoding="utf-8")
    shown = []
    answer_next_dialog(
        QMessageBox,
        lambda box: shown.append((box.windowTitle(), box.text(), box.informativeText())),
    )
    assert run_app(str(notes), app_log_file) == 2
    ((title, text, where),) = shown
    assert title == "Nadir cannot start"
    assert "cannot open the study" in text and "notes.nadir" in text
    assert str(app_log_file) in where
    assert "cannot open the study" in app_log_file.read_text(encoding="utf-8")


def test_an_unexpected_error_in_another_thread_is_logged(qtbot, app_log_file, hooks):  # noqa: F811
    install_excepthook(app_log_file)

    def work():
        raise ValueError("a worker lost its way")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert "ValueError: a worker lost its way" in app_log_file.read_text(encoding="utf-8")
    assert not error_dialogs()
