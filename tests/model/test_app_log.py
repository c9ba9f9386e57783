"""Nadir's log: a rotating file in the user's log folder, and hard crashes written beside it
(issue 20: under `nadir-app` there is no console to print to)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from model import app_log
from tests.app_logs import app_log_file  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]


def test_the_log_goes_to_the_users_log_folder_unless_told_otherwise(monkeypatch, tmp_path):
    monkeypatch.delenv(app_log.LOG_DIR_VARIABLE, raising=False)
    assert app_log.log_path().name == "nadir.log"
    assert "nadir" in str(app_log.log_dir()).lower()
    monkeypatch.setenv(app_log.LOG_DIR_VARIABLE, str(tmp_path))
    assert app_log.log_path() == tmp_path / "nadir.log"


def test_records_are_written_with_the_version_first(app_log_file):  # noqa: F811
    logging.getLogger("nadir.test").error("the study could not be read")
    text = app_log_file.read_text(encoding="utf-8")
    assert f"Nadir {app_log.VERSION} starts" in text.splitlines()[0]
    assert "ERROR nadir.test: the study could not be read" in text


def test_the_log_is_rotated(tmp_path, monkeypatch):
    monkeypatch.setattr(app_log, "MAX_BYTES", 2_000)
    monkeypatch.setattr(app_log, "_enable_faulthandler", lambda path: None)
    monkeypatch.setenv(app_log.LOG_DIR_VARIABLE, str(tmp_path))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        app_log.start_logging()
        for n in range(100):
            logging.getLogger("nadir.test").warning("line %d of a long session", n)
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["nadir.log", "nadir.log.1", "nadir.log.2", "nadir.log.3"]
    assert all(p.stat().st_size <= 2_200 for p in tmp_path.iterdir())


def test_a_hard_crash_is_written_to_faults_log(tmp_path):
    """faulthandler is on: a segfault (as in Qt) leaves its Python stack in faults.log."""
    code = (
        "import faulthandler\n"
        "from model.app_log import start_logging\n"
        "start_logging()\n"
        "faulthandler._sigsegv()\n"
    )
    env = {**os.environ, app_log.LOG_DIR_VARIABLE: str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True)
    assert result.returncode != 0
    faults = (tmp_path / "faults.log").read_text(encoding="utf-8")
    assert "Segmentation fault" in faults and "<string>" in faults
