"""Writes a large valid study (patients.csv, measurements.csv) for timing the readers.

    python tests/data/interchange/make_large_study.py PATIENTS FOLDER

Each patient has 8 scans of 6 lesions (4 targets, 2 non-targets): 2,084
patients give 100,032 measurement rows, 20,834 give 1,000,032. Then, e.g.:

    .venv/bin/python -c "import time; from pathlib import Path;
    from model.interchange.study_files import read_study; t = time.process_time();
    s = read_study(Path('FOLDER')); print(len(s.measurements), time.process_time() - t)"
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SCANS, TARGETS, NON_TARGETS = 8, 4, 2


def write_study(patients: int, folder: Path) -> None:
    """Writes `patients` patients and their measurements into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = random.Random(1)
    with open(folder / "patients.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient_id", "arm", "start_date", "sex", "age"])
        for p in range(patients):
            writer.writerow([f"P{p:06d}", "AB"[p % 2], "2024-01-01", "FM"[p % 2], 40 + p % 40])
    with open(folder / "measurements.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["patient_id", "scan_date", "lesion_id", "role", "site", "lymph_node"]
            + ["diameter_mm", "status", "reader"]
        )
        for p in range(patients):
            for s in range(SCANS):
                scan = (date(2024, 1, 5) + timedelta(days=56 * s + p % 30)).isoformat()
                for t in range(TARGETS):
                    size = f"{sizes.uniform(10, 60):.1f}"
                    writer.writerow(
                        [f"P{p:06d}", scan, f"T{t + 1}", "target", "liver", "no", size, "", "R1"]
                    )
                for n in range(NON_TARGETS):
                    writer.writerow(
                        [
                            f"P{p:06d}",
                            scan,
                            f"NT{n + 1}",
                            "non-target",
                            "bone",
                            "no",
                            "",
                            "present",
                            "R1",
                        ]
                    )


if __name__ == "__main__":
    write_study(int(sys.argv[1]), Path(sys.argv[2]))
