"""Times the store: importing the demo study into a new file, reading it back, and
patient_data() (called on every keystroke in the GUI) for a patient of 12 scans x 10 lesions.

    .venv/bin/python benchmarks/bench_store.py [N_PATIENTS ...]   (default: 200 2000 20000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from model.demo.cohort import demo_study
from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.editing.edits import SetObservation
from model.store.study import Store


def heavy_patient() -> StudyData:
    """Returns one patient with 12 scans and 10 target lesions measured at each."""
    scans = [date(2024, 1, 1) + timedelta(days=42 * k) for k in range(12)]
    rows = tuple(
        MeasurementRecord("H1", d, f"T{i}", Role.TARGET, Status.MEASURED, diameter_mm=20.0 + i)
        for d in scans
        for i in range(10)
    )
    return StudyData(patients=(PatientRecord("H1", scans[0]),), measurements=rows)


def best_ms(action, repeat: int = 200) -> float:
    """Returns the fastest of `repeat` runs of `action`, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def timed(action):
    """Returns (result, "wall s (CPU s)") of running `action` once."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, f"{time.perf_counter() - wall:6.2f} s ({time.process_time() - cpu:5.2f} CPU)"


def bench(n_patients: int, folder: Path) -> None:
    """Prints the timings for a demo study of `n_patients`."""
    data, made = timed(lambda: demo_study(n_patients))
    with Store.open(folder / f"demo{n_patients}.nadir") as store:
        _, imported = timed(lambda: store.import_study_data(data))
        store.import_study_data(heavy_patient())
        _, read = timed(store.study_data)
        one = best_ms(lambda: store.patient_data("H1"))
        edit = SetObservation(
            "H1", "T3", date(2024, 1, 1) + timedelta(days=42 * 5), "", Status.MEASURED, 17.0
        )
        keystroke = best_ms(lambda: store.apply(edit), repeat=50)
    size = (folder / f"demo{n_patients}.nadir").stat().st_size / 1e6
    print(
        f"{n_patients:>6} patients, {len(data.measurements):>7} rows: demo {made}, "
        f"import {imported}, study_data {read}, file {size:6.1f} MB; "
        f"12x10 patient: patient_data {one:5.2f} ms, SetObservation {keystroke:5.2f} ms"
    )


if __name__ == "__main__":
    sizes = [int(n) for n in sys.argv[1:]] or [200, 2000, 20000]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            bench(n, Path(tmp))
