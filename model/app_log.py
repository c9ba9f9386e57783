"""Nadir's log: a rotating file in the user's log folder, with hard crashes written beside it.

The desktop app may run without a console (`nadir-app`, the desktop bundle),
where nothing printed is ever seen: what went wrong goes to `nadir.log` in the
user's log folder (platformdirs; NADIR_LOG_DIR when set), kept to a few
rotated files, and a crash Python cannot catch (a segfault in Qt) is written by
faulthandler to `faults.log` beside it (issue 20). The About dialog names the
folder, so a user can send both files with a bug report.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from platformdirs import user_log_path

from model.about import VERSION

#: Environment variable naming the log folder (tests, portable installs, IT-managed machines).
LOG_DIR_VARIABLE = "NADIR_LOG_DIR"

#: The log's file name, and what faulthandler writes beside it.
LOG_NAME, FAULTS_NAME = "nadir.log", "faults.log"

#: A log file is rotated at this size; this many old ones are kept (nadir.log.1, ...).
MAX_BYTES, BACKUP_COUNT = 1_000_000, 3

#: One line per record: when, how bad, where from, what.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: The file faulthandler writes into; kept open for the life of the process.
_faults_file: IO[str] | None = None


def log_dir() -> Path:
    """Returns the folder of Nadir's log: NADIR_LOG_DIR, else the user's log folder."""
    override = os.environ.get(LOG_DIR_VARIABLE)
    return Path(override) if override else user_log_path("Nadir", appauthor=False)


def log_path() -> Path:
    """Returns the path of Nadir's log file (it need not exist yet)."""
    return log_dir() / LOG_NAME


def start_logging() -> Path:
    """Returns the log file after sending the root logger's records (INFO and worse) to it and
    turning faulthandler on into faults.log; warnings also go to stderr where there is one.

    Never raises: a log folder that cannot be written leaves logging to stderr.
    """
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if sys.stderr is not None and not _has_handler(root, logging.StreamHandler):
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        root.addHandler(console)
    path = log_path()
    if _has_handler(root, RotatingFileHandler):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger(__name__).warning("cannot write the log %s (%s)", path, error)
        return path
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    _enable_faulthandler(path.with_name(FAULTS_NAME))
    logging.getLogger(__name__).info(
        "Nadir %s starts (Python %s, %s)", VERSION, sys.version.split()[0], sys.platform
    )
    return path


def _has_handler(logger: logging.Logger, kind: type[logging.Handler]) -> bool:
    return any(type(handler) is kind for handler in logger.handlers)


def _enable_faulthandler(path: Path) -> None:
    global _faults_file
    try:
        _faults_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process
    except OSError:
        return
    stamp = datetime.now().isoformat(timespec="seconds")
    _faults_file.write(f"-- Nadir {VERSION}, process {os.getpid()}, started {stamp}\n")
    _faults_file.flush()
    faulthandler.enable(file=_faults_file, all_threads=True)
