"""Failures a person can see: start-up errors and unexpected errors shown in a dialog, and logged.

The app may run without a console (issue 20), so every error that ends an
action goes to the log (model/app_log.py) and to a window. An unexpected error
in a slot is caught by the excepthook, which logs it with its traceback and
shows it without quitting: the study is safe, since each edit is its own
transaction (shared/design.md, "Store"), so one that failed half-way wrote
nothing, and every edit before it is saved.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

#: Where the app's logger writes.
_log = logging.getLogger("nadir.app")

#: Object name of the dialog that shows an unexpected error (tests find it by it).
ERROR_DIALOG_NAME = "unexpected_error"

#: The error dialog on screen, if any.
_shown: list[QMessageBox] = []


def show_startup_error(message: str, log_file: Path, details: str = "") -> None:
    """Shows why Nadir cannot start in a dialog, and waits until it is closed."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Nadir cannot start", message)
    box.setInformativeText(f"The log is {log_file}")
    if details:
        box.setDetailedText(details)
    box.exec()


def install_excepthook(log_file: Path) -> None:
    """Makes every unexpected error logged, and shown when it happened on the GUI thread."""
    sys.excepthook = lambda kind, error, trace: report_unexpected(kind, error, trace, log_file)
    threading.excepthook = lambda args: report_unexpected(
        args.exc_type, args.exc_value, args.exc_traceback, log_file
    )


def report_unexpected(
    kind: type[BaseException],
    error: BaseException | None,
    trace: TracebackType | None,
    log_file: Path,
) -> None:
    """Logs an unexpected error with its traceback and shows it, one dialog at a time."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    _log.error("unexpected error", exc_info=(kind, error, trace))
    app = QApplication.instance()
    if app is None or threading.current_thread() is not threading.main_thread():
        return
    if _shown:
        return  # one already shows; a paint error would otherwise open one per frame
    details = "".join(traceback.format_exception(kind, error, trace))
    box = _error_dialog(f"{kind.__name__}: {error}", details, log_file)
    _shown.append(box)  # held here: a dialog without a parent is deleted with its last reference
    box.finished.connect(lambda _result: _shown.clear())
    box.show()


def _error_dialog(summary: str, details: str, log_file: Path) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, "Nadir: unexpected error", summary)
    box.setObjectName(ERROR_DIALOG_NAME)
    box.setInformativeText(
        "What you were doing did not finish. Your study is safe: every edit saved before "
        "this is in the study file, and an edit that failed half-way wrote nothing. "
        f"Please send the log to whoever supports Nadir: {log_file}"
    )
    box.setDetailedText(details)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    return box
