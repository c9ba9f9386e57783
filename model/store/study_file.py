"""The study file itself: telling a study from other files, checking it is whole, copying it.

A study is an SQLite file marked by its application id; it is checked on open,
so that a damaged file is reported, with its newest backup, rather than half
read (issue #8); copies are made by SQLite's online backup, so that a study
being written is copied as of one transaction.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from model.errors import InputError, InputProblem
from model.store.backup_files import list_backups, partial_path
from model.store.file_systems import on_network_file_system

#: PRAGMA application_id of a Nadir study ("NADR"): how a study file is told from other SQLite.
APPLICATION_ID = 0x4E414452

#: The first 16 bytes of every SQLite database file.
_SQLITE_HEADER = b"SQLite format 3\x00"


class DamagedStudy(InputError):
    """The file is damaged or is no database: never opened half-read; a backup may help."""


def create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (mode 0600).

    POSIX only: Windows ignores the mode but read-only, and the file takes the
    access rights its folder passes on (README, "Windows and macOS").
    """
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def journal_mode_for(path: Path) -> str:
    """Returns the SQLite journal mode for the study at `path`: "WAL" on a local disk, "DELETE"
    (the rollback journal) on a network file system, where WAL is unsafe (file_systems.py)."""
    return "DELETE" if on_network_file_system(path) else "WAL"


def connect(path: Path, read_only: bool) -> sqlite3.Connection:
    """Returns a connection to the file at `path`, one that cannot write when `read_only`."""
    if not read_only:
        return sqlite3.connect(path)
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def check_whole(conn: sqlite3.Connection, path: Path) -> None:
    """Raises DamagedStudy naming the file, and its newest backup, when it is not sound."""
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result == "ok":
        return
    with open(path, "rb") as file:
        sqlite = file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    message = f"the study file is damaged ({result})" if sqlite else f"not a Nadir study ({result})"
    backups = list_backups(path)
    if backups:
        message += f"; its newest backup is {backups[0].path}: restore it (File > Restore backup)"
    raise DamagedStudy(InputProblem(message, file=str(path)))


def copy_study_file(source: Path, target: Path) -> Path:
    """Returns `target`, a new private file holding a consistent copy of the study `source`.

    Raises InputError when `source` is not sound or `target` cannot be written.
    """
    with closing(connect(source, read_only=True)) as conn:
        check_whole(conn, source)
        return copy_database(conn, target)


def copy_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Returns `target`, a new private file (0600) holding a consistent copy of `conn`'s study.

    Written under a temporary name and renamed when complete, so that a crash
    never leaves a partial copy that looks like a backup.
    """
    partial = partial_path(target)
    try:
        partial.unlink(missing_ok=True)
        create_private_file(partial)
    except OSError as error:
        raise InputError(InputProblem(f"cannot create ({error.strerror})", str(target))) from error
    try:
        with closing(sqlite3.connect(partial)) as copy:
            conn.backup(copy)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
