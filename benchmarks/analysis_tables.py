"""Time the analysis commands in process on a made-up cohort (each should be under 1 s at
20,000 patients, issue 19 item 6).

    .venv/bin/python -m benchmarks.analysis_tables [--patients 20000] [--seed 1] [--repeat 3]

table1: 10 variables (6 numeric, 4 categorical) by 2 arms; cox: arm and 3 covariates
(one a 3-level factor); forest: the arm's hazard ratio within 3 subgroup columns; match: 6
covariates (one of them a 3-level factor), caliper 0.2 SD; ae: 3 AE rows per patient on
average over 30 terms. Each is `main.main([...])` with its output thrown away, after one
untimed run that pays the imports: reading the CSV is included, starting Python is not.
The data are random but fixed by the seed; benchmarks/run.py times the same at each size.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

NUMERIC = ["age", "weight", "bmi", "ldh", "albumin", "nlr"]
CATEGORICAL = ["sex", "ecog", "stage", "histology"]
#: The two arms, the second the treated one in `match`.
ARMS = ("ICI", "ICI + dTACE")


def write_patients(folder: Path, n: int, rng: np.random.Generator) -> Path:
    """patients.csv of `n` patients: arm, start date, 10 baseline variables, OS in days."""
    path = folder / "patients.csv"
    arm = rng.choice(ARMS, n, p=[0.7, 0.3])
    columns = {
        "patient_id": [f"P{i:06d}" for i in range(n)],
        "arm": arm,
        "start_date": ["2024-01-01"] * n,
        "x_age": rng.normal(60, 10, n).round(1),
        "x_weight": rng.normal(70, 12, n).round(1),
        "x_bmi": rng.normal(25, 4, n).round(2),
        "x_ldh": rng.lognormal(5, 0.5, n).round(0),
        "x_albumin": rng.normal(40, 5, n).round(1),
        "x_nlr": rng.lognormal(1, 0.6, n).round(2),
        "x_sex": rng.choice(["F", "M"], n),
        "x_ecog": rng.choice(["0", "1", "2"], n, p=[0.5, 0.4, 0.1]),
        "x_stage": rng.choice(["I", "II", "III", "IV"], n),
        "x_histology": rng.choice(["HCC", "ICC", "mixed", "other", "NA"], n),
        "x_os_days": np.ceil(rng.exponential(np.where(arm == ARMS[0], 500, 650))).astype(int),
        "x_os_event": (rng.random(n) < 0.7).astype(int),
    }
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))
    return path


def write_events(folder: Path, n: int, rng: np.random.Generator) -> Path:
    """adverse_events.csv with 3 rows per patient on average over 30 terms."""
    path = folder / "adverse_events.csv"
    rows = 3 * n
    patients = rng.integers(0, n, rows)
    terms = [f"Term {k}" for k in range(30)]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient_id", "term", "grade", "start_date", "attribution"])
        for p, t, g, a in zip(
            patients,
            rng.integers(0, 30, rows),
            rng.integers(1, 6, rows),
            rng.choice(["dTACE", "unrelated", ""], rows),
            strict=True,
        ):
            writer.writerow([f"P{p:06d}", terms[t], g, "2024-02-01", a])
    return path


def commands(patients: Path, events: Path) -> dict[str, list[str]]:
    """Analysis name -> the argv of `main.py` that runs it on the written files."""
    table, covariates = str(patients), "x_age,x_weight,x_ldh,x_albumin,x_sex,x_ecog"
    survival = ["--time", "x_os_days", "--event", "x_os_event"]
    variables = ",".join(f"x_{v}" for v in NUMERIC + CATEGORICAL)
    ecog = ["--factors", "x_ecog", "--json"]
    return {
        "table1": ["table1", table, "--group", "arm", "--vars", variables, *ecog],
        "cox": ["cox", table, *survival, "--covariates", "arm,x_age,x_sex,x_ecog", *ecog],
        "forest": [
            "forest",
            table,
            *survival,
            "--group",
            "arm",
            "--subgroups",
            "x_sex,x_ecog,x_stage",
            *ecog,
        ],  # fmt: skip
        "match": [
            "match",
            table,
            "--treatment",
            "arm",
            "--treated",
            ARMS[1],
            "--covariates",
            covariates,
            "--caliper-sd",
            "0.2",
            *ecog,
        ],  # fmt: skip
        "ae": ["ae", str(events), "--patients", table, "--json"],
    }


def time_command(argv: list[str], repeat: int) -> dict[str, list[float]]:
    """Wall and CPU seconds of each of `repeat` in-process runs of `main.main(argv)`,
    after one untimed run; the output goes to /dev/null. Raises if the command fails."""
    import main

    wall, cpu = [], []
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        for i in range(repeat + 1):
            began, began_cpu = time.perf_counter(), time.process_time()
            status = main.main(argv)
            if status != 0:
                raise RuntimeError(f"main.py {' '.join(argv)} exited {status}")
            if i:
                wall.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
    return {"wall": wall, "cpu": cpu}


def analysis_timings(folder: Path, n: int, repeat: int, seed: int = 1) -> dict[str, dict]:
    """Each analysis command's timings on `n` made-up patients written into `folder`."""
    rng = np.random.default_rng(seed)
    patients = write_patients(folder, n, rng)
    events = write_events(folder, n, rng)
    return {name: time_command(argv, repeat) for name, argv in commands(patients, events).items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        timings = analysis_timings(Path(tmp), args.patients, args.repeat, args.seed)
    print(f"{args.patients:,} patients, {3 * args.patients:,} adverse events (best of runs)")
    for name, seconds in timings.items():
        print(f"{name:<8} {min(seconds['wall']):7.3f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
