"""The study file itself: telling a study from other files, checking it is whole, copying it.

A study is an SQLite file marked by its application id; it is checked on open,
so that a damaged file is reported, with its newest backup, rather than half
read (issue #8); copies are made by SQLite's online backup, so that a study
being written is copied as of one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

from model.errors import InputError, InputProblem
from model.store.backup_files import is_partial_backup, list_backups, partial_path
from model.store.file_systems import on_network_file_system

#: PRAGMA application_id of a Nadir study ("NADR"): how a study file is told from other SQLite.
APPLICATION_ID = 0x4E414452

#: The first 16 bytes of every SQLite database file.
_SQLITE_HEADER = b"SQLite format 3\x00"

#: Files up to this size get SQLite's full integrity check (indexes against their tables)
#: before they open: under a second (about 350 MB/s measured); larger ones get the quick
#: check first and the full one in the background (issue 14, attack 4).
FULL_CHECK_BYTES = 150_000_000

#: What a writer is told when the study's last session ended uncleanly and its write-ahead log,
#: which held that session's last edits, is gone (issue 14, attack 13).
WAL_MISSING = (
    "Nadir did not close this study last time, and its write-ahead log (the -wal file beside "
    "it) is gone: edits of that session may be lost. Check the study, or restore its newest "
    "backup."
)


class DamagedStudy(InputError):
    """The file is damaged or is no database: never opened half-read; a backup may help."""


def create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (mode 0600).

    POSIX only: Windows ignores the mode but read-only, and the file takes the
    access rights its folder passes on (README, "Windows and macOS").
    """
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def create_study_file(path: Path, build: Callable[[sqlite3.Connection], Any]) -> None:
    """Makes a new study at `path` (0600): `build` makes the schema in a file beside it, which
    is then linked into place whole, so that no empty or half-made study is ever at `path`.
    A file that appeared at `path` meanwhile is left alone (issue 14, attack 3)."""
    partial = partial_path(path)
    try:
        _remove_with_logs(partial)
        create_private_file(partial)
    except OSError as error:
        problem = InputProblem(f"cannot create the study file ({error.strerror})", str(path))
        raise InputError(problem) from error
    try:
        with closing(sqlite3.connect(partial)) as conn:
            build(conn).close()
        try:
            os.link(partial, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without links (FAT, some shares)
            if not path.exists():
                os.rename(partial, path)
    finally:
        _remove_with_logs(partial)


def _remove_with_logs(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def check_file(path: Path) -> None:
    """Raises InputError when the file at `path` is empty or no SQLite file: a study is new only
    where no file exists, and never written into another kind of file (issue 14, attack 3)."""
    try:
        with open(path, "rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise InputError(InputProblem(f"cannot open ({error.strerror})", str(path))) from error
    if not header:
        raise damaged(path, "an empty file; a new study is made only where no file is")
    if header != _SQLITE_HEADER:
        raise damaged(path, "not an SQLite file")


def remove_partial_files(study: Path) -> None:
    """Removes copies of `study` a killed backup or migration left unfinished; the caller holds
    the study's lock, so that no backup of it is being written (issue 14, attack 13)."""
    with suppress(OSError):
        for path in study.parent.iterdir():
            if is_partial_backup(study, path):
                path.unlink(missing_ok=True)


def checkpoint(conn: sqlite3.Connection) -> None:
    """Folds the write-ahead log into the study file, leaving the log empty."""
    with suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def journal_mode_for(path: Path) -> str:
    """Returns the SQLite journal mode for the study at `path`: "WAL" on a local disk, "DELETE"
    (the rollback journal) on a network file system, where WAL is unsafe (file_systems.py)."""
    return "DELETE" if on_network_file_system(path) else "WAL"


def connect(path: Path, read_only: bool) -> sqlite3.Connection:
    """Returns a connection to the file at `path`, one that cannot write when `read_only`."""
    if not read_only:
        return sqlite3.connect(path)
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def check_whole(conn: sqlite3.Connection, path: Path, *, full: bool = False) -> None:
    """Raises DamagedStudy naming the file, and its newest backup, when it is not sound:
    SQLite's quick check, or when `full` its integrity check (which also finds an index that
    no longer matches its table)."""
    problem = integrity_problem(conn, full)
    if problem is not None:
        raise damaged(path, problem)


def integrity_problem(conn: sqlite3.Connection, full: bool) -> str | None:
    """Returns what SQLite's quick (or `full` integrity) check finds wrong, None when sound."""
    try:
        result = conn.execute(f"PRAGMA {'integrity' if full else 'quick'}_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    return None if result == "ok" else result


def damage_met(error: BaseException, study: str | os.PathLike[str] | None) -> str | None:
    """The message for SQLite's `error` when a command met damage the open checks did not see
    (they check a big file wholly in the background), naming the study's backup; None when
    `error` is no database error."""
    if not isinstance(error, sqlite3.DatabaseError):
        return None
    if study is None or not os.path.isfile(study):
        return f"a study file is damaged ({error})"
    return str(damaged(Path(study), str(error)))


def damaged(path: Path, problem: str) -> DamagedStudy:
    """Returns the error for a damaged study file, naming its newest backup to restore."""
    with open(path, "rb") as file:
        sqlite = file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    kind = "the study file is damaged" if sqlite else "not a Nadir study"
    message = f"{kind} ({problem})"
    backups = list_backups(path)
    if backups:
        message += (
            f"; its newest backup is {backups[0].path}: restore it (File > Restore backup,"
            " or copy it over the study while Nadir is closed)"
        )
    return DamagedStudy(InputProblem(message, file=str(path)))


class BackgroundChecks:
    """The checks of a large study that run after it opened, on their own connection and
    thread (style.md, practice 3): the full integrity check and the audit trail's."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None

    def start(
        self, path: Path, refuse: Callable[[list[str]], None], *, integrity: bool, audit: bool
    ) -> None:
        """Starts the checks of the study at `path`; `refuse(problems)` hears of any problem."""
        self._thread = threading.Thread(
            target=self._run, args=(path, refuse, integrity, audit), daemon=True
        )
        self._thread.start()

    def _run(self, path: Path, refuse: Callable, integrity: bool, audit: bool) -> None:
        from model.store.checks import audit_problems

        try:
            self._conn = conn = connect(path, read_only=True)
            with closing(conn):
                problem = integrity_problem(conn, full=True) if integrity else None
                if problem is not None:
                    refuse([str(damaged(path, problem))])
                elif audit:
                    refuse(audit_problems(conn))
        except sqlite3.Error as error:
            if "interrupted" not in str(error):
                refuse([str(damaged(path, str(error)))])

    def wait(self) -> None:
        """Returns once the checks are done."""
        if self._thread is not None:
            self._thread.join()

    def stop(self) -> None:
        """Stops the checks (the study is being closed) and waits for them to end."""
        if self._thread is not None and self._thread.is_alive() and self._conn is not None:
            with suppress(sqlite3.ProgrammingError):
                self._conn.interrupt()
        self.wait()


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
