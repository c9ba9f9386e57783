"""Starting the desktop app: the QApplication, the study to open, and the main window.

A failure to start is shown in a dialog and logged, never only printed to a
console that may not exist (issue 20); once the window is up, unexpected
errors are shown and logged by gui/error_reporting.py.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import resources
from gui.error_reporting import install_excepthook, show_startup_error
from gui.main_window import MainWindow
from gui.plots.fonts import register_fonts
from gui.session import StudySession
from gui.settings import UiSettings
from model.about import VERSION
from model.app_log import log_path
from model.errors import InputError
from model.store.locking import StudyInUse
from model.store.study import Store

#: The app's own logger (model/app_log.py decides where it writes).
_log = logging.getLogger("nadir.app")

#: The application icon (resources/icons/); also the desktop bundle's.
ICON = "icons/nadir.png"


def open_study(db_path: str | None) -> Store:
    """Return the study at `db_path` (created when missing), or the default study for None.

    A study another Nadir process writes is opened read-only.
    The default study holds the demo cohort on first start (model/paths.py).
    """
    from model.paths import default_study_path, open_default_study

    try:
        return open_default_study() if db_path is None else Store.open(db_path)
    except StudyInUse as error:
        # Another Nadir writes this study: read it without changing it.
        _log.warning("%s; opening it read-only", error)
        return Store.open(db_path or default_study_path(), create=False, read_only=True)


def application() -> QApplication:
    """Return the running QApplication, creating it on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setOrganizationName("Nadir")
        app.setApplicationName("Nadir")
        app.setApplicationVersion(VERSION)
        app.setWindowIcon(QIcon(str(resources.path(ICON))))
    register_fonts()
    return app


def build_main_window(db_path: str | None, ui_settings: UiSettings | None = None) -> MainWindow:
    """Return the main window on the study at `db_path` (None: the default study), not shown.

    Raises InputError when the file is not a Nadir study.
    """
    application()
    session = StudySession(open_study(db_path))
    window = MainWindow(session, ui_settings or UiSettings())
    session.setParent(window)
    return window


def run_app(db_path: str | None, log_file: Path | None = None) -> int:
    """Show the main window on `db_path` (None: the default study) and return the exit status.

    A study that cannot be opened is shown in a dialog and logged (status 2);
    any other failure to start too, with its traceback (status 1). From then
    on every unexpected error is logged and shown, and the app goes on.
    """
    log_file = log_file or log_path()
    app = application()
    try:
        window = build_main_window(db_path)
    except InputError as error:
        _log.error("cannot open the study: %s", error)
        show_startup_error(f"Nadir cannot open the study:\n{error}", log_file)
        return 2
    except Exception as error:
        _log.exception("cannot start")
        details = traceback.format_exc()
        show_startup_error(f"Nadir could not start: {error}", log_file, details)
        return 1
    install_excepthook(log_file)
    window.show()
    _log.info("window shown on %s", window.session.path or "a study in memory")
    return app.exec()
