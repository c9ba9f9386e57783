"""Bulk work without Python's cyclic garbage collector getting in the way."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector for bulk work, then restores it; usable as
    a decorator too.

    Every full collection walks every live object, and reading or judging a
    study creates hundreds of thousands of records that hold no reference
    cycles: collections came ever more often over an ever larger heap, so
    20,000 patients cost 12 times 2,000 and reading 1M rows spent 40 % of its
    time collecting (issue #10, docs/performance.md). Reference counting still
    frees all that is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
