"""Whether a study lives on a network file system, where SQLite's write-ahead log is unsafe.

WAL keeps its index in shared memory (the `-shm` file, mapped by every process
that has the study open); a network file system does not share that memory
between machines, so two computers writing one study through WAL can corrupt
it: "WAL does not work over a network filesystem" (sqlite.org/wal.html,
Overview, disadvantage 2). A network share is the very place two people open
one study, so there the study keeps SQLite's rollback journal instead
(study_file.journal_mode_for).

On Windows a network path is a UNC path (`\\\\server\\share\\...`) or a drive
letter mapped to a share; elsewhere it is a path on a mount of a network file
system type, read from /proc/self/mounts (Linux) or `mount` (macOS, BSD).
"""

from __future__ import annotations

import ntpath
import re
import subprocess
import sys
from pathlib import Path, PurePath

#: File system types reached over a network, as /proc/mounts (Linux) and mount(8) (macOS)
#: name them: NFS, SMB/CIFS, AFP, AFS, WebDAV, SSHFS and cluster file systems.
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afpfs",
        "afs",
        "webdav",
        "davfs",
        "fuse.davfs2",
        "sshfs",
        "fuse.sshfs",
        "9p",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
    }
)

#: GetDriveTypeW's answer for a drive letter mapped to a network share.
_DRIVE_REMOTE = 4

#: /proc/mounts writes a space, tab, newline or backslash in a path as octal \\ooo.
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")

#: One line of mount(8) on macOS: `//user@server/share on /Volumes/share (smbfs, nodev, ...)`.
_MOUNT_LINE = re.compile(r"^.+? on (?P<point>.+) \((?P<type>[^,)]+)")


def on_network_file_system(path: Path) -> bool:
    """Returns True when `path` (which need not exist yet) is on a network file system."""
    if sys.platform == "win32":
        return windows_path_is_remote(str(path.absolute()))
    return mount_type(path.resolve(), mount_table()) in NETWORK_FILE_SYSTEMS


def windows_path_is_remote(path: str) -> bool:
    """Returns True for a Windows UNC path (`\\\\server\\share\\...`, `\\\\?\\UNC\\...`) or a
    path on a drive letter that Windows reports as mapped to a network share."""
    normal = path.replace("/", "\\")
    if normal.upper().startswith("\\\\?\\UNC\\"):
        return True
    if normal.startswith(("\\\\?\\", "\\\\.\\")):
        # A long local path (\\?\C:\...) or a device: not a share unless its drive is.
        normal = normal[4:]
    elif normal.startswith("\\\\"):
        return True
    drive = ntpath.splitdrive(normal)[0]
    return bool(drive) and _drive_type(drive + "\\") == _DRIVE_REMOTE


def _drive_type(root: str) -> int:
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:  # not Windows: no drive letters to ask about
        return 0
    return int(windll.kernel32.GetDriveTypeW(root))


def mount_table() -> list[tuple[str, str]]:
    """Returns (mount point, file system type) of every mount: from /proc/self/mounts where
    there is one (Linux), else from `mount` (macOS, BSD); empty when neither can be read."""
    try:
        text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return _mount_command_table()
    return parse_proc_mounts(text)


def parse_proc_mounts(text: str) -> list[tuple[str, str]]:
    """Returns (mount point, file system type) of each line of Linux's /proc/mounts."""
    unescape = lambda match: chr(int(match.group(1), 8))  # noqa: E731
    return [
        (_OCTAL_ESCAPE.sub(unescape, fields[1]), fields[2])
        for fields in (line.split() for line in text.splitlines())
        if len(fields) >= 3
    ]


def _mount_command_table() -> list[tuple[str, str]]:
    try:
        output = subprocess.run(
            ["mount"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_mount_output(output)


def parse_mount_output(output: str) -> list[tuple[str, str]]:
    """Returns (mount point, file system type) of each line of macOS/BSD mount(8) output."""
    return [
        (match["point"], match["type"].strip())
        for line in output.splitlines()
        if (match := _MOUNT_LINE.match(line))
    ]


def mount_type(path: PurePath, table: list[tuple[str, str]]) -> str | None:
    """Returns the file system type of the innermost mount in `table` holding `path`."""
    best: tuple[int, str] | None = None
    for point, kind in table:
        mount = PurePath(point)
        if (mount == path or mount in path.parents) and (best is None or len(point) > best[0]):
            best = (len(point), kind)
    return None if best is None else best[1]
