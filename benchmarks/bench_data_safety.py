"""Times what data safety costs on a demo study: the import (audit trail and its hash chain
included), opening (with the checks it waits for), the checks run in the background on a
large study (SQLite's full integrity check, the audit chain, the data against the trail), one
patient's history, a backup and a restore (issue #8, issue 14).

    .venv/bin/python -m benchmarks.bench_data_safety [N_PATIENTS ...]   (default: 2000 20000)

The import without the audit trail is measured by benchmarks/bench_store.py run on a
checkout from before it (git archive cab30f4^).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from model.demo.cohort import demo_study
from model.store.audit_chain import first_break
from model.store.backups import backup_now, restore_backup
from model.store.checks import unrecorded_changes
from model.store.study import Store


def timed(action):
    """Returns (result, "wall s (CPU s)") of running `action` once."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, f"{time.perf_counter() - wall:5.2f} s ({time.process_time() - cpu:5.2f} CPU)"


def bench(n_patients: int, folder: Path) -> None:
    """Prints the timings for a demo study of `n_patients`."""
    path = folder / f"demo{n_patients}.nadir"
    data = demo_study(n_patients)
    with Store.open(path) as store:
        _, imported = timed(lambda: store.import_study_data(data))
    size = path.stat().st_size / 1e6
    store, opened = timed(lambda: Store.open(path))
    _, checked = timed(store.wait_for_checks)
    with closing(sqlite3.connect(path)) as conn:
        _, integrity = timed(lambda: conn.execute("PRAGMA integrity_check").fetchall())
        _, chain = timed(lambda: first_break(conn))
        _, replay = timed(lambda: unrecorded_changes(conn))
    entries = store.audit_head()[0]
    with store:
        patient = store.patient_ids()[n_patients // 2]
        history_entries, history = timed(lambda: store.history(patient))
        backup, backed_up = timed(lambda: backup_now(store))
    _, restored = timed(lambda: restore_backup(backup, path))
    print(
        f"{n_patients:>6} patients: import {imported}, file {size:5.0f} MB, "
        f"open {opened}, then in the background {checked} (integrity check {integrity}, "
        f"chain of {entries} entries {chain}, data against the trail {replay}), "
        f"history {history} ({len(history_entries)} entries), "
        f"backup {backed_up}, restore {restored}"
    )


if __name__ == "__main__":
    sizes = [int(n) for n in sys.argv[1:]] or [2000, 20000]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            bench(n, Path(tmp))
