"""Who has a study open for writing: an operating-system lock held for the whole session.

The lock is the OS's own (`filelock`: flock on POSIX, LockFileEx on Windows) on
a hidden file `.STUDY.nadir.oslock` beside the study: at most one process can
hold it, and the OS lets go of it when the process ends however it ends, so
two writers never hold it at once and a process that died never blocks a
study (issue 14, attack 9). Beside it, `STUDY.nadir.lock` (mode 0600) records
the host, process id, user and time of the holder, only for the message a
second process shows ("open in dr_b on ward-pc ..."); it is never what decides.
A second process, or a second user on a shared folder, opens the study
read-only instead (Store.open's `read_only`). Stores of one process share its
lock: a worker thread opens its own Store on the study the window has open
(style.md, practice 3).

A record left by a process that did not close the study (killed, crashed)
says that its last session stopped uncleanly: `StudyLock.unclean` (the store
then checks that the write-ahead log is still there).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from model.errors import InputError, InputProblem
from model.store.audit import current_session


@dataclass(frozen=True)
class LockHolder:
    """The process that has a study open for writing, as its lock record says."""

    host: str
    pid: int
    user: str
    time: str

    def __str__(self) -> str:
        return f"{self.user} on {self.host} (process {self.pid}) since {self.time}"


class StudyInUse(InputError):
    """The study is open for writing elsewhere; `holder` says by whom (None: not yet known)."""

    def __init__(self, path: Path, holder: LockHolder | None):
        self.holder = holder
        who = str(holder) if holder else "another Nadir (which has not yet said who it is)"
        message = (
            f"the study is open in {who}; open it read-only, or close it there first"
            " (the lock goes by itself when that Nadir ends: there is nothing to delete)"
        )
        super().__init__(InputProblem(message, file=str(path)))


def lock_path(study: Path) -> Path:
    """Returns the path of the record of who holds the study's lock: STUDY.nadir.lock."""
    return study.with_name(study.name + ".lock")


def os_lock_path(study: Path) -> Path:
    """Returns the path of the file the OS lock is taken on: .STUDY.nadir.oslock."""
    return study.with_name(f".{study.name}.oslock")


def read_holder(study: Path) -> LockHolder | None:
    """Returns who the study's lock record names, None when there is no readable record."""
    try:
        return LockHolder(**json.loads(lock_path(study).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


class StudyLock:
    """This process's lock on one study, shared by its Stores, released by the last."""

    _held: dict[Path, StudyLock] = {}
    _guard = threading.Lock()

    def __init__(self, study: Path, key: Path, lock: FileLock, unclean: bool):
        self.study, self.key = study, key
        self._lock = lock
        #: The study's previous writer did not close it (its lock record was left behind).
        self.unclean = unclean
        self.count = 0

    @classmethod
    def acquire(cls, study: Path, *, exclusive: bool = False, user: str | None = None) -> StudyLock:
        """Returns this process's lock on `study`, its record naming `user` (default: the
        login name); raises StudyInUse when another process has it, and, when `exclusive`,
        InputError when a Store of this process has it open."""
        key = study.resolve()
        with cls._guard:
            lock = cls._held.get(key)
            if lock is not None and exclusive:
                raise InputError(InputProblem("close the study first", file=str(study)))
            if lock is None:
                lock = cls._held[key] = _take(study, key, user)
            lock.count += 1
            return lock

    def release(self) -> None:
        """Returns None; lets go of the OS lock once every Store of this process let go."""
        with self._guard:
            self.count -= 1
            if self.count == 0:
                del self._held[self.key]
                lock_path(self.study).unlink(missing_ok=True)
                # Removed while still held: a process that opened it meanwhile finds its file
                # gone once it gets the lock, and filelock then starts again on a new one.
                os_lock_path(self.study).unlink(missing_ok=True)
                self._lock.release()


def _take(study: Path, key: Path, user: str | None) -> StudyLock:
    """Returns the lock, held, after writing the record of who holds it."""
    lock = FileLock(os_lock_path(study), timeout=0, mode=0o600, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise StudyInUse(study, read_holder(study)) from None
    except OSError as error:
        # A folder the user may read but not write: the study can only be read anyway.
        problem = InputProblem(f"cannot lock the study ({error.strerror})", file=str(study))
        raise InputError(problem) from error
    try:
        unclean = lock_path(study).exists()
        _write_record(lock_path(study), user)
    except OSError as error:
        lock.release()
        problem = InputProblem(f"cannot lock the study ({error.strerror})", file=str(study))
        raise InputError(problem) from error
    return StudyLock(study, key, lock, unclean)


def _write_record(path: Path, user: str | None) -> None:
    """Writes who holds the lock (0600), whole or not at all: beside it, then renamed."""
    session = current_session(user)
    mine = LockHolder(
        session.host, os.getpid(), session.user, datetime.now(UTC).isoformat(timespec="seconds")
    )
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(json.dumps(asdict(mine)))
    os.replace(temporary, path)
