"""Folders of files Nadir writes for people (an export, a report): written whole beside their
place, then put in place at once, owner-only, never mixed with or deleting files Nadir did not
write.

An export used to be written file by file into its folder: killed half-way,
the folder held the new patients.csv beside the previous export's other
files, which import then read as one study; a folder of someone else's files
lost those of the same names (issue 14, attacks 3 and 6). Now:

- the files are written into a new private folder `.FOLDER.partial-<pid>`
  beside FOLDER (mode 0700, files 0600, like the study);
- a manifest `.nadir-export` in it lists them;
- when all are written, the folder takes FOLDER's place by renames: FOLDER
  missing or empty, it is renamed into place; FOLDER an earlier export of
  Nadir (its manifest lists everything in it), that one is first moved
  aside, then removed file by file as its manifest lists them;
- FOLDER holding any file Nadir did not write is refused before anything is
  written, naming such files.

Killed at any moment, FOLDER is the earlier export, the new one, or (between
the two renames) missing with the earlier one aside as `.FOLDER.old-<pid>`:
never a mix. Leftovers of a killed run are removed by the next.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from model.errors import InputError, InputProblem

#: The list of the files Nadir wrote into a folder, one name a line.
MANIFEST = ".nadir-export"

#: Files not Nadir's named in a refusal, at most.
_NAMED = 5


@contextmanager
def new_folder(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yields an empty private folder to write into; when the block ends without an error, it
    becomes `target` whole (module docstring). Raises InputError, writing nothing, when
    `target` holds files Nadir did not write or cannot be written."""
    target = Path(target)
    _check_replaceable(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)
        partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
        partial.mkdir(mode=0o700)
    except OSError as error:
        raise _cannot_write(target, error) from None
    try:
        yield partial
        _finish(partial)
        _put_in_place(partial, target)
    except BaseException as error:
        shutil.rmtree(partial, ignore_errors=True)
        if isinstance(error, OSError):
            raise _cannot_write(target, error) from None
        raise


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise InputError(InputProblem("is a file, not a folder to write into", str(target)))
    foreign = sorted(set(_entries(target)) - set(_listed(target)) - {MANIFEST})
    if foreign:
        shown = ", ".join(foreign[:_NAMED]) + (", ..." if len(foreign) > _NAMED else "")
        message = (
            f"holds files Nadir did not write ({shown}); nothing was written: choose a new or "
            "empty folder, or one an earlier Nadir export or report wrote"
        )
        raise InputError(InputProblem(message, str(target)))


def _entries(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in folder.iterdir()]
    except OSError as error:
        raise _cannot_write(folder, error) from None


def _listed(folder: Path) -> list[str]:
    """Returns the names the folder's manifest lists (none without a manifest)."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [name for name in text.splitlines() if name and "/" not in name and name != ".."]


def _remove_leftovers(target: Path) -> None:
    """Removes what a killed run of Nadir left beside `target`: partial and set-aside folders."""
    for entry in target.parent.iterdir():
        for kind in ("partial", "old"):
            if entry.name.startswith(f".{target.name}.{kind}-") and entry.is_dir():
                if kind == "partial" or set(_entries(entry)) <= {*_listed(entry), MANIFEST}:
                    shutil.rmtree(entry, ignore_errors=True)


def _finish(folder: Path) -> None:
    """Makes every file private and lists them in the folder's manifest."""
    names = sorted(entry.name for entry in folder.iterdir())
    for name in names:
        (folder / name).chmod(0o600)
    manifest = folder / MANIFEST
    fd = os.open(manifest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write("".join(f"{name}\n" for name in names))


def _put_in_place(partial: Path, target: Path) -> None:
    if target.exists() and not _entries(target):
        target.rmdir()
    if not target.exists():
        os.rename(partial, target)
        return
    _check_replaceable(target)
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    os.rename(partial, target)
    for name in (*_listed(old), MANIFEST):
        with suppress(OSError):
            (old / name).unlink()
    with suppress(OSError):
        old.rmdir()


@contextmanager
def private_file(target: Path) -> Iterator[Path]:
    """Yields a new owner-only file beside `target` to write; moved onto `target` when the
    block ends without an error, so that a failed or killed write never leaves a
    half-written file; a file system error becomes an InputError naming it."""
    temporary = target.with_name(f".{target.name}.partial")
    try:
        temporary.unlink(missing_ok=True)
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        yield temporary
        os.replace(temporary, target)
    except BaseException as error:
        # Where the folder is missing or is a file, there is no temporary to remove either.
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(target, error) from None
        raise


def _cannot_write(path: Path, error: OSError) -> InputError:
    return InputError(InputProblem(f"cannot be written: {error.strerror or error}", str(path)))


def make_folder(folder: Path, for_file: Path | None = None) -> None:
    """Makes `folder` (owner-only) when missing; InputError naming `for_file` (the file to be
    written into it), else the folder, when it cannot be made."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_write(for_file or folder, error) from None
