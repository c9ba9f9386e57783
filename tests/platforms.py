"""What the tests may expect of the platform they run on (issue 20).

Owner-only file modes (0600) exist on POSIX only: Windows ignores the mode bits
but read-only, and a new file takes the access rights its folder passes on
(README, "Windows and macOS").
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

#: Marks a test of POSIX-only behaviour (file modes): skipped on Windows.
posix_only = pytest.mark.skipif(
    os.name != "posix", reason="owner-only file modes are POSIX; Windows uses the folder's ACL"
)


def assert_owner_only(path: Path) -> None:
    """Asserts that only the owner may read or write `path` (mode 0600), where the OS has modes."""
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path} is not private (0600)"
