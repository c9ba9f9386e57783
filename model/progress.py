"""How long work reports its progress and learns that it should stop (shared/style.md, practice 7).

Imports, exports, merges and reports take a `Progress`; the GUI hands them one
that drives a progress dialog (gui/tasks.py), the commands hand them none.
Whoever stops early raises `Cancelled`, the one cancellation exception, after
which nothing has been written.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Where long work reports how far it is and learns whether to stop."""

    def report(self, done: int, total: int, message: str) -> None: ...

    @property
    def cancelled(self) -> bool: ...


class Cancelled(Exception):
    """Long work was cancelled through its Progress; nothing was written."""


def check_cancelled(progress: Progress | None) -> None:
    """Returns None; raises Cancelled when `progress` asks the work to stop."""
    if progress is not None and progress.cancelled:
        raise Cancelled()
