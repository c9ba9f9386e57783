"""The names of a study's backups and set-aside files, made and read in this one place.

A backup lies beside the study as `STUDY.nadir.<kind>-<UTC time>.bak`, where
kind is `auto` (the schedule), `v<N>` (before migrating a version-N study) or
`before-restore`; a damaged study that a restore replaces is moved aside as
`STUDY.nadir.damaged-<UTC time>`. Issue #8, part 3.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Backup:
    """One backup file of a study: where it is, why it was taken, and when (UTC)."""

    path: Path
    kind: str
    time: datetime

    def __str__(self) -> str:
        when = self.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"{when} ({self.kind}) {self.path.name}"


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now(UTC)).strftime(_STAMP)


def backup_path(study: Path, kind: str, when: datetime | None = None) -> Path:
    """Returns the path of a new backup of `study` of `kind`, stamped `when` (default: now)."""
    return study.with_name(f"{study.name}.{kind}-{_stamp(when)}.bak")


def migration_backup_path(study: Path, version: int) -> Path:
    """Returns the path of the backup taken before migrating `study` from `version`."""
    return backup_path(study, f"v{version}")


def damaged_path(study: Path) -> Path:
    """Returns where a damaged study is moved aside when a backup replaces it."""
    return study.with_name(f"{study.name}.damaged-{_stamp(None)}")


def partial_path(target: Path) -> Path:
    """Returns the name a copy is written under until it is whole (never taken for a backup)."""
    return target.with_name(f".{target.name}.partial")


def wal_path(study: Path) -> Path:
    """Returns the path of the study's write-ahead log, STUDY.nadir-wal."""
    return study.with_name(study.name + "-wal")


def is_partial_backup(study: Path, path: Path) -> bool:
    """Returns whether `path` is a copy of `study` left unfinished (a killed backup)."""
    name = path.name
    return name.startswith(f".{study.name}.") and name.endswith(".bak.partial")


def list_backups(study: str | os.PathLike[str]) -> tuple[Backup, ...]:
    """Returns the backups of the study at `study`, newest first."""
    study = Path(study)
    pattern = re.compile(rf"{re.escape(study.name)}\.(.+)-(\d{{8}}T\d{{12}}Z)\.bak")
    found = []
    # Not glob: a study's name may hold [ or *.
    for path in study.parent.iterdir() if study.parent.is_dir() else ():
        match = pattern.fullmatch(path.name)
        if match:
            time = datetime.strptime(match[2], _STAMP).replace(tzinfo=UTC)
            found.append(Backup(path, match[1], time))
    return tuple(sorted(found, key=lambda b: b.time, reverse=True))
