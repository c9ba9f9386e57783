"""A fixture for tests of Nadir's own log: it goes to the test's folder and is let go after."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from model import app_log


@pytest.fixture
def app_log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Returns the log file after start_logging() into tmp_path/log; faulthandler is left to
    pytest (its own is on), and the root logger gets its handlers back afterwards."""
    monkeypatch.setenv(app_log.LOG_DIR_VARIABLE, str(tmp_path / "log"))
    monkeypatch.setattr(app_log, "_enable_faulthandler", lambda path: None)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield app_log.start_logging()
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
