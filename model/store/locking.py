"""Who has a study open for writing: a lock file `STUDY.nadir.lock` beside the study.

The lock file (mode 0600) holds the host, process id, user and time of the
Nadir process that writes the study. A second process, or a second user on a
shared folder, finds it and opens the study read-only instead (Store.open's
`read_only`). A lock left by a process that died (same host, process gone) is
stale and taken over. Stores of one process share its lock: a worker thread
opens its own Store on the study the window has open (style.md, practice 3).

Issue #8, part 4. Limits: on Windows, and for a lock from another host, a
dead holder cannot be told from a live one; the user removes such a lock by hand.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from model.errors import InputError, InputProblem
from model.store.audit import current_session

#: A lock file that cannot be read and is older than this many seconds was left half-written.
_UNREADABLE_STALE_AFTER = 10.0


@dataclass(frozen=True)
class LockHolder:
    """The process that has a study open for writing."""

    host: str
    pid: int
    user: str
    time: str

    def __str__(self) -> str:
        return f"{self.user} on {self.host} (process {self.pid}) since {self.time}"

    def is_stale(self) -> bool:
        """Returns True when the holder is a process of this host that no longer runs."""
        return self.host == socket.gethostname() and not _process_runs(self.pid)


class StudyInUse(InputError):
    """The study is open for writing elsewhere; `holder` says by whom."""

    def __init__(self, path: Path, holder: LockHolder | None):
        self.holder = holder
        who = str(holder) if holder else "another Nadir (its lock file cannot be read)"
        message = f"the study is open in {who}; open it read-only, or close it there first"
        if holder is not None and holder.host != socket.gethostname():
            # Whether a process on another machine still runs cannot be told from here.
            message += f" (if Nadir no longer runs there, delete {lock_path(path).name})"
        super().__init__(InputProblem(message, file=str(path)))


def lock_path(study: Path) -> Path:
    """Returns the path of the study's lock file: STUDY.nadir.lock."""
    return study.with_name(study.name + ".lock")


def _process_runs(pid: int) -> bool:
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_holder(study: Path) -> LockHolder | None:
    """Returns who holds the study's lock, None when no live process does (stale locks count
    as none). Raises StudyInUse when the lock file exists but cannot be read yet."""
    path = lock_path(study)
    try:
        holder = LockHolder(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as error:
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            return None
        if age > _UNREADABLE_STALE_AFTER:
            return None
        raise StudyInUse(study, None) from error
    return None if holder.is_stale() else holder


class StudyLock:
    """This process's lock on one study, shared by its Stores, released by the last."""

    _held: dict[Path, StudyLock] = {}
    _guard = threading.Lock()

    def __init__(self, study: Path, key: Path):
        self.study, self.key = study, key
        self.count = 0

    @classmethod
    def acquire(cls, study: Path, *, exclusive: bool = False) -> StudyLock:
        """Returns this process's lock on `study`; raises StudyInUse when another process has it,
        and, when `exclusive`, InputError when a Store of this process has it open."""
        key = study.resolve()
        with cls._guard:
            lock = cls._held.get(key)
            if lock is not None and exclusive:
                raise InputError(InputProblem("close the study first", file=str(study)))
            if lock is None:
                _take(study)
                lock = cls._held[key] = StudyLock(study, key)
            lock.count += 1
            return lock

    def release(self) -> None:
        """Returns None; removes the lock file once every Store of this process let go."""
        with self._guard:
            self.count -= 1
            if self.count == 0:
                del self._held[self.key]
                lock_path(self.study).unlink(missing_ok=True)


def _take(study: Path) -> None:
    """Writes the lock file, taking over a stale one; raises StudyInUse when it is held."""
    path = lock_path(study)
    session = current_session()
    mine = LockHolder(
        session.host, os.getpid(), session.user, datetime.now(UTC).isoformat(timespec="seconds")
    )
    for _ in range(2):
        try:
            if _create(path, json.dumps(asdict(mine))):
                return
        except OSError as error:
            # A folder the user may read but not write: the study can only be read anyway.
            problem = InputProblem(f"cannot lock the study ({error.strerror})", file=str(study))
            raise InputError(problem) from error
        holder = read_holder(study)
        if holder is not None:
            raise StudyInUse(study, holder)
        path.unlink(missing_ok=True)
    raise StudyInUse(study, read_holder(study))


def _create(path: Path, content: str) -> bool:
    """Returns whether the file `path` (0600) was created holding `content`; False when it exists.

    Written beside it first and linked into place, so that the lock file
    appears whole or not at all, even when the process is killed meanwhile;
    where links are not supported (FAT, some network shares), created and
    written directly.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(content)
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    except OSError:
        return _create_directly(path, content)
    finally:
        temporary.unlink(missing_ok=True)


def _create_directly(path: Path, content: str) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(content)
    return True
