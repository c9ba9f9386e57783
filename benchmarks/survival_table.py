"""A survival table for the `survival` benchmark: `python -m benchmarks.survival_table N PATH`.

N rows of patient_id, arm (two arms), time (whole days) and event (0/1): exponential
survival times, shorter in the first arm, censored by uniform follow-up up to 1,500
days. Fixed by its seed, so Nadir and R read the same file.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

#: The two arms, the first with the shorter survival.
ARMS = ("Immunotherapy", "Immunotherapy + dTACE")


def write_survival_table(n: int, path: Path, seed: int = 1) -> Path:
    """Write the table of `n` rows to `path` and return it."""
    rng = np.random.default_rng(seed)
    arm = rng.integers(0, 2, n)
    death = np.ceil(rng.exponential(np.where(arm == 0, 300, 400))).astype(int)
    follow_up = np.ceil(rng.uniform(0, 1500, n)).astype(int)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient_id", "arm", "time", "event"])
        writer.writerows(
            zip(
                (f"P{i:07d}" for i in range(n)),
                (ARMS[a] for a in arm),
                np.minimum(death, follow_up).tolist(),
                (death <= follow_up).astype(int).tolist(),
                strict=True,
            )
        )
    return path


if __name__ == "__main__":
    write_survival_table(int(sys.argv[1]), Path(sys.argv[2]))
