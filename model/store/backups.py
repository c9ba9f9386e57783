"""Backups of a study file: taken before each migration and on a schedule, listed, restored.

A backup is a consistent copy made by SQLite's online backup (Store.backup),
readable by its owner only, beside the study (its name: model/store/backup_files.py).
The schedule is a study value, `backup_every_hours` (default 4): a backup is
due when the study changed since the newest backup and that backup (or, with
none, the study's first change) is older than the interval; the app checks on
open, on close and by a timer. The newest KEEP scheduled backups are kept.

Issue #8, part 3.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from model.errors import InputError
from model.store.backup_files import backup_path, damaged_path, list_backups
from model.store.locking import StudyLock
from model.store.study import Store
from model.store.study_file import copy_study_file

#: Scheduled backups kept per study; older ones are removed.
KEEP = 5

#: Hours of editing between scheduled backups, unless the study says otherwise.
DEFAULT_EVERY_HOURS = 4.0

#: Name of the study value holding the backup interval in hours (0: no scheduled backups).
EVERY_HOURS = "backup_every_hours"


def every_hours(store: Store) -> float:
    """Returns the study's backup interval in hours (0: no scheduled backups)."""
    return float(store.value(EVERY_HOURS, DEFAULT_EVERY_HOURS))


def set_every_hours(store: Store, hours: float) -> None:
    """Returns None, after setting the study's backup interval; raises InputError below 0."""
    if not hours >= 0:
        raise InputError(f"the backup interval must be 0 or more hours, not {hours}")
    store.set_value(EVERY_HOURS, hours)


def backup_now(store: Store, kind: str = "auto") -> Path:
    """Returns the new backup of the open study, after removing scheduled ones beyond KEEP."""
    if store.path is None:
        raise InputError("a study held in memory has no file to back up")
    target = store.backup(backup_path(store.path, kind))
    for old in [b for b in list_backups(store.path) if b.kind == "auto"][KEEP:]:
        old.path.unlink(missing_ok=True)
    return target


def backup_if_due(store: Store, now: datetime | None = None) -> Path | None:
    """Returns a new scheduled backup when one is due (see the module's docstring), else None."""
    hours = every_hours(store)
    if store.path is None or hours <= 0:
        return None
    now = now or datetime.now(UTC)
    changed = store.last_change()
    backups = list_backups(store.path)
    if changed is None or (backups and _utc(changed) <= backups[0].time):
        return None
    # Hours of editing count from the newest backup, or from the first change when none.
    since = backups[0].time if backups else _utc(store.first_change())
    return backup_now(store) if now - since >= timedelta(hours=hours) else None


def _utc(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def restore_backup(backup: str | os.PathLike[str], study: str | os.PathLike[str]) -> Path:
    """Returns where the study's current file went, after replacing it by the backup.

    The current file is first backed up (`before-restore`); a damaged one,
    which cannot be copied that way, is moved aside as `STUDY.nadir.damaged-<time>`.
    The study must not be open anywhere (its lock is taken). Raises InputError,
    leaving the study as it was, when the backup is not a sound study or the
    study is in use.
    """
    backup, study = Path(backup), Path(study)
    lock = StudyLock.acquire(study, exclusive=True)
    try:
        restored = study.with_name(f".{study.name}.restoring")
        _remove(restored)
        copy_study_file(backup, restored)
        try:
            kept = _set_aside(study)
        except BaseException:
            _remove(restored)
            raise
        for suffix in ("-wal", "-shm"):
            study.with_name(study.name + suffix).unlink(missing_ok=True)
        os.replace(restored, study)
        return kept
    finally:
        lock.release()


def _set_aside(study: Path) -> Path:
    """Returns a copy of the study's current state (its write-ahead log included), or where
    the damaged file was moved."""
    if not study.exists():
        return study
    try:
        return copy_study_file(study, backup_path(study, "before-restore"))
    except InputError:
        damaged = damaged_path(study)
        for suffix in ("-wal", "-shm", ""):
            source = study.with_name(study.name + suffix)
            if source.exists():
                os.replace(source, damaged.with_name(damaged.name + suffix))
        return damaged


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
