"""Running one measurement in a fresh process: its wall time, output and peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: Environment variable holding the parent's time.time() at launch (GUI start-up probe).
LAUNCHED = "NADIR_BENCH_LAUNCHED"
#: The repository, where main.py and the packages live.
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ChildRun:
    """One finished child process: seconds from launch to exit, its stdout, peak RSS in MB,
    and the CPU seconds (user + system) it used."""

    seconds: float
    stdout: str
    peak_mb: float
    cpu_seconds: float


class ChildFailed(RuntimeError):
    """A measured process ended with a non-zero status (the message holds its stderr)."""


def run_child(argv: list[str], *, timeout: float = 900, env: dict | None = None) -> ChildRun:
    """Return how `argv` ran, started from the repository folder.

    The child is reaped with os.wait4, so its own peak RSS is read, not the
    largest of all children so far (which RUSAGE_CHILDREN would give).
    Raises ChildFailed on a non-zero exit or after `timeout` seconds.
    """
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    with tempfile.TemporaryFile("w+") as errors:
        began = time.perf_counter()
        child = subprocess.Popen(
            argv, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        killer = threading.Timer(timeout, child.kill)
        killer.start()
        stdout = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        killer.cancel()
        child.stdout.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            tail = errors.read()[-3000:]
            raise ChildFailed(f"{' '.join(argv)} exited {child.returncode}:\n{tail}")
    return ChildRun(seconds, stdout, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def python(*args: str) -> list[str]:
    """Return the command line running this Python (the project's venv) with `args`."""
    return [sys.executable, *args]
