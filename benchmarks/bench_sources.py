"""Times the imports of issue 21: DICOM SR reports read, planned and written; a REDCap export
read through its mapping and imported. Measures only; prints a table.

    .venv/bin/python -m benchmarks.bench_sources [--patients 20] [--records 2000]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import date
from pathlib import Path

from model.domain import PatientRecord, StudyData
from model.sources.dicom_sr import read_reports
from model.sources.redcap import read_redcap
from model.sources.sr_import import plan_from_store, write_plan
from model.store.study import Store

REDCAP = Path(__file__).resolve().parents[1] / "tests" / "data" / "redcap"


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def sr_figures(patients: int, folder: Path) -> list[tuple[str, float]]:
    """Returns (figure, seconds) for `patients` x 2 reports of 6 lesions each."""
    from tests.model.sources.sr_builders import Lesion, report, save

    sites = ["liver", "lung", "mediastinal node", "adrenal", "bone", "liver"]
    for n in range(patients):
        pid = f"P{n:03d}"
        for day, shrink in ((date(2024, 1, 5), 1.0), (date(2024, 3, 1), 0.8)):
            lesions = [Lesion(f"T{i + 1}", site, (12 + 3 * i) * shrink, 16 * shrink)
                       for i, site in enumerate(sites)]  # fmt: skip
            save(report(pid, day, lesions, style="ohif" if n % 2 else "dcmqi"),
                 folder / pid / f"{day}.dcm")  # fmt: skip
    store = Store.in_memory()
    ids = [PatientRecord(f"P{n:03d}", date(2024, 1, 2)) for n in range(patients)]
    store.import_study_data(StudyData(patients=tuple(ids)))
    reports, read = _timed(lambda: read_reports([folder]))
    plan, planned = _timed(lambda: plan_from_store(store, reports))
    _, written = _timed(lambda: write_plan(store, plan))
    label = f"{len(reports)} reports, {len(plan.rows)} rows"
    return [(f"SR read ({label})", read), ("SR plan", planned), ("SR write (one step)", written)]


def redcap_figures(records: int, folder: Path) -> list[tuple[str, float]]:
    """Returns (figure, seconds) for the fixture's export grown to `records` records."""
    with open(REDCAP / "export.csv", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    export = folder / "export.csv"
    with open(export, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(records):
            for row in rows:
                code = int(row[0]) - 1000
                if code != n % 3 + 1:
                    continue
                copy = list(row)
                copy[0] = str(10_000 + n)
                copy[4] = f"HCC-{n:05d}" if copy[4] else ""
                writer.writerow(copy)
    imported, read = _timed(lambda: read_redcap(export, REDCAP / "mapping.json"))
    store = Store.in_memory()
    _, written = _timed(lambda: store.import_study_data(imported.data))
    label = f"{imported.records} records, {len(imported.data.measurements)} measurements"
    return [(f"REDCap read ({label})", read), ("REDCap import", written)]


def main() -> None:
    """Prints the figures as a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20)
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = sr_figures(args.patients, Path(tmp) / "sr")
        figures += redcap_figures(args.records, Path(tmp))
    print("| figure | seconds |\n| --- | ---: |")
    for name, seconds in figures:
        print(f"| {name} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
