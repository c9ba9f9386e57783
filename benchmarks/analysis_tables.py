"""Time `table1`, `match` and `ae` in-process on 20,000 patients (each should be well under 1 s).

    .venv/bin/python -m benchmarks.analysis_tables [--patients 20000] [--seed 1]

table1: 10 variables (6 numeric, 4 categorical) by 2 arms; match: 6 covariates (one of them
a 3-level factor); ae: 3 AE rows per patient on average over 30 terms. Reading the CSV is
included; the data are random but fixed by the seed.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from model.interchange.study_files import read_adverse_events, read_files, read_patients
from model.stats.adverse_events import ae_table
from model.stats.matching import match_document
from model.stats.patient_table import read_patient_table
from model.stats.table1 import table1

NUMERIC = ["age", "weight", "bmi", "ldh", "albumin", "nlr"]
CATEGORICAL = ["sex", "ecog", "stage", "histology"]


def write_patients(folder: Path, n: int, rng: np.random.Generator) -> Path:
    path = folder / "patients.csv"
    arm = rng.choice(["ICI", "ICI + dTACE"], n, p=[0.7, 0.3])
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
    }
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))
    return path


def write_events(folder: Path, n: int, rng: np.random.Generator) -> Path:
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


def timed(label: str, action) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:7.3f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        patients = write_patients(folder, args.patients, rng)
        events = write_events(folder, args.patients, rng)
        names = [f"x_{v}" for v in NUMERIC + CATEGORICAL]
        covariates = ["x_age", "x_weight", "x_ldh", "x_albumin", "x_sex", "x_ecog"]

        def run_table1():
            table = read_patient_table(str(patients), columns=names, group="arm")
            table1(table, names)

        def run_match():
            table = read_patient_table(str(patients), columns=["arm", *covariates],
                                       factors=["arm"])  # fmt: skip
            match_document(table, "arm", "ICI + dTACE", covariates, caliper_sd=0.2)

        both = read_files(patients=patients, adverse_events=events)
        people, loaded = both.patients, both.adverse_events

        print(f"{args.patients:,} patients, {3 * args.patients:,} adverse events")
        timed("table1, 10 variables, 2 arms", run_table1)
        timed("match, 6 covariates, caliper 0.2 SD", run_match)
        timed("ae: read patients.csv (model.interchange)", lambda: read_patients(patients))
        timed("ae: read adverse_events.csv", lambda: read_adverse_events(events))
        timed("ae: the table, all events", lambda: ae_table(people, loaded))
        timed("ae: the table, --related", lambda: ae_table(people, loaded, related=True))


if __name__ == "__main__":
    main()
