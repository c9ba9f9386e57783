"""Times what data safety costs on a demo study: the import (audit trail included), opening
(PRAGMA quick_check), one patient's history, a backup and a restore (issue #8).

    .venv/bin/python benchmarks/bench_data_safety.py [N_PATIENTS ...]   (default: 2000 20000)

The import without the audit trail is measured by benchmarks/bench_store.py run on a
checkout from before it (git archive cab30f4^).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from model.demo.cohort import demo_study
from model.store.backups import backup_now, restore_backup
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
    with store:
        patient = store.patient_ids()[n_patients // 2]
        entries, history = timed(lambda: store.history(patient))
        backup, backed_up = timed(lambda: backup_now(store))
    _, restored = timed(lambda: restore_backup(backup, path))
    print(
        f"{n_patients:>6} patients: import {imported}, file {size:5.0f} MB, "
        f"open {opened}, history {history} ({len(entries)} entries), "
        f"backup {backed_up}, restore {restored}"
    )


if __name__ == "__main__":
    sizes = [int(n) for n in sys.argv[1:]] or [2000, 20000]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            bench(n, Path(tmp))
