"""Starting the desktop app: the QApplication, the study to open, and the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.plots.fonts import register_fonts
from gui.session import StudySession
from gui.settings import UiSettings
from model.errors import InputError
from model.store.locking import StudyInUse
from model.store.study import Store


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
        print(f"nadir: {error}; opening it read-only", file=sys.stderr)
        return Store.open(db_path or default_study_path(), create=False, read_only=True)


def application() -> QApplication:
    """Return the running QApplication, creating it on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setOrganizationName("Nadir")
        app.setApplicationName("Nadir")
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


def run_app(db_path: str | None) -> int:
    """Show the main window on `db_path` (None: the default study) and return the exit status.

    A file that is not a Nadir study is bad input: a message on stderr, status 2.
    """
    app = application()
    try:
        window = build_main_window(db_path)
    except InputError as error:
        print(f"nadir: {error}", file=sys.stderr)
        return 2
    window.show()
    return app.exec()
