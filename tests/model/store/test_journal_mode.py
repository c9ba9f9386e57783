"""A study keeps SQLite's write-ahead log on a local disk and the rollback journal on a network
file system, where WAL is unsafe (sqlite.org/wal.html, Overview, disadvantage 2; issue 20).

The network is simulated: a mount table naming the test's folder an NFS mount,
and Windows paths checked as strings (UNC, or a drive letter mapped to a share).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path, PurePath

import pytest

from model.store import file_systems
from model.store.file_systems import (
    mount_type,
    parse_mount_output,
    parse_proc_mounts,
    windows_path_is_remote,
)
from model.store.study import Store
from model.store.study_file import journal_mode_for
from tests.model.store.builders import small_study

LINUX_MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/nfs nfs4 rw,relatime,vers=4.2 0 0
/dev/sdb1 /mnt/nfs/local\\040disk ext4 rw 0 0
//filer/radiology /mnt/share cifs rw,vers=3.0 0 0
alice@host:/data /home/alice/remote fuse.sshfs rw 0 0
"""

MAC_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
//alice@filer/Radiology on /Volumes/Radiology (smbfs, nodev, nosuid, mounted by alice)
afp_0TQTsC0000JQ-1.2d000004 on /Volumes/Studies Share (afpfs, nodev, nosuid)
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/alice/study.nadir", "ext4"),
        ("/mnt/nfs/trial/study.nadir", "nfs4"),
        ("/mnt/nfs/local disk/study.nadir", "ext4"),
        ("/mnt/share/study.nadir", "cifs"),
        ("/home/alice/remote/study.nadir", "fuse.sshfs"),
        ("/mnt/nfsother/study.nadir", "ext4"),
    ],
)
def test_the_innermost_mount_decides(path, kind):
    assert mount_type(PurePath(path), parse_proc_mounts(LINUX_MOUNTS)) == kind


@pytest.mark.skipif(not Path("/proc/self/mounts").exists(), reason="Linux's mount table")
def test_this_machines_mount_table_is_read():
    assert "/" in [point for point, _ in file_systems.mount_table()]


def test_macos_mount_output_gives_smb_and_afp_shares():
    table = parse_mount_output(MAC_MOUNT)
    assert mount_type(PurePath("/Volumes/Radiology/s.nadir"), table) == "smbfs"
    assert mount_type(PurePath("/Volumes/Studies Share/s.nadir"), table) == "afpfs"
    assert mount_type(PurePath("/Users/alice/s.nadir"), table) == "apfs"


@pytest.mark.parametrize(
    ("path", "remote"),
    [
        (r"\\filer\radiology\trial\study.nadir", True),
        ("//filer/radiology/study.nadir", True),
        (r"\\?\UNC\filer\radiology\study.nadir", True),
        (r"C:\Users\alice\AppData\Local\Nadir\study.nadir", False),
        (r"\\?\C:\Users\alice\study.nadir", False),
    ],
)
def test_windows_unc_paths_are_network_paths(path, remote):
    assert windows_path_is_remote(path) is remote


def test_a_windows_drive_mapped_to_a_share_is_a_network_path(monkeypatch):
    """GetDriveTypeW says DRIVE_REMOTE (4) for Z: mapped to \\\\filer\\radiology."""
    monkeypatch.setattr(file_systems, "_drive_type", lambda root: 4 if root == "Z:\\" else 3)
    assert windows_path_is_remote(r"Z:\trial\study.nadir")
    assert not windows_path_is_remote(r"C:\trial\study.nadir")


def _journal_mode(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


def test_a_study_on_a_local_disk_keeps_the_write_ahead_log(tmp_path):
    path = tmp_path / "local.nadir"
    assert journal_mode_for(path) == "WAL"
    with Store.open(path) as store:
        store.import_study_data(small_study())
    assert _journal_mode(path) == "wal"


def test_a_study_on_a_network_share_keeps_the_rollback_journal(tmp_path, monkeypatch):
    monkeypatch.setattr(
        file_systems, "mount_table", lambda: [("/", "ext4"), (str(tmp_path), "nfs")]
    )
    path = tmp_path / "shared.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
        assert not (tmp_path / "shared.nadir-wal").exists()
        assert store.patient_ids()
    assert _journal_mode(path) == "delete"


def test_a_study_moved_to_a_share_leaves_the_write_ahead_log(tmp_path, monkeypatch):
    path = tmp_path / "moved.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
    assert _journal_mode(path) == "wal"
    monkeypatch.setattr(file_systems, "mount_table", lambda: [(str(tmp_path), "cifs")])
    with Store.open(path) as store:
        ids = store.patient_ids()
    assert _journal_mode(path) == "delete"
    with Store.open(path) as store:
        assert store.patient_ids() == ids


def test_on_windows_a_unc_study_keeps_the_rollback_journal(monkeypatch):
    monkeypatch.setattr(file_systems.sys, "platform", "win32")
    monkeypatch.setattr(Path, "absolute", lambda self: r"\\filer\radiology\study.nadir")
    assert journal_mode_for(Path("study.nadir")) == "DELETE"
