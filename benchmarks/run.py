"""Nadir at registry scale, each step beside its floor, in the same run (issue 19).

    .venv/bin/python -m benchmarks.run [--sizes 200 2000 20000] [--repeat 3] [--json FILE]

For each size, the demo study (model.demo.cohort.demo_study) is written as interchange
CSVs, and every step runs in a fresh process whose peak RSS is read when it ends
(benchmarks/child.py). Beside each step runs its floor, the least any program could do
with the same data (benchmarks/floors/). Prints, per size and with the load average,
a Markdown table: Nadir, floor, ratio, goal (benchmarks/figures.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path

from benchmarks import r_survival
from benchmarks.child import LAUNCHED, ROOT, ChildRun, python, run_child
from benchmarks.figures import PLOT_NAMES, Measured, table
from benchmarks.studies import BenchStudy

#: Steps that can be chosen with --only, in the order they run.
STEPS = ("import", "assess", "survival", "report", "analyses", "plots", "startup", "patient")
#: Patients opened and keys pressed at least, whatever --repeat (they are cheap to repeat).
INTERACTIONS = 5
#: Rows of the survival table per patient: 200,000 rows at 20,000 patients, as in issue 19.
SURVIVAL_ROWS_PER_PATIENT = 10
#: The interchange files `assess` reads.
TABLES = ("measurements", "patients", "scans")
#: The floors, small programs beside the benchmarks.
FLOORS = ROOT / "benchmarks" / "floors"


def _probe(module: str, name: str, study: BenchStudy, repeat: int) -> dict[str, Measured]:
    """Return the figures a probe prints, each with the probe process's peak memory."""
    run = run_child(python("-m", module, name, str(study.folder), str(repeat)))
    return {key: _measured(t, run.peak_mb) for key, t in json.loads(run.stdout).items()}


def _measured(timings: dict[str, list[float]], peak_mb: float) -> Measured:
    return Measured(tuple(timings["wall"]), tuple(timings["cpu"]), peak_mb)


def _processes(key: str, runs: list[ChildRun]) -> dict[str, Measured]:
    """Return one figure from whole processes: their seconds, and the largest peak memory."""
    timings = {"wall": [r.seconds for r in runs], "cpu": [r.cpu_seconds for r in runs]}
    return {key: _measured(timings, max(r.peak_mb for r in runs))}


def _repeated(key: str, argv: list[str], repeat: int) -> dict[str, Measured]:
    """Return the figure of running `argv` `repeat` times, each in a fresh process."""
    return _processes(key, [run_child(argv) for _ in range(repeat)])


def _megabytes(path: Path) -> Measured:
    """A file's size in MB, as a Measured (the table prints it in MB, not seconds)."""
    size = path.stat().st_size / 1e6
    return Measured((size,), (size,), 0.0)


def step_import(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time `main.py import CSV --db NEW` and its floor; the sizes of both files.

    The first run's file is the study the other steps read.
    """
    runs = []
    for i in range(repeat):
        db = study.db if i == 0 and not study.db.exists() else scratch / f"import{i}.nadir"
        runs.append(run_child(python("main.py", "import", str(study.csv_dir), "--db", str(db))))
    floor_db = scratch / "floor.sqlite"
    floor = [str(FLOORS / "floor_import.py"), str(study.csv_dir), str(floor_db)]
    figures = _processes("import", runs) | _repeated("import_floor", python(*floor), repeat)
    return figures | {"study_mb": _megabytes(study.db), "floor_mb": _megabytes(floor_db)}


def step_assess(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time `main.py assess ... --json` of every patient, its floor, and assess_study alone."""
    measurements, patients, scans = (str(study.csv_dir / f"{t}.csv") for t in TABLES)
    argv = python("main.py", "assess", measurements, "--patients", patients, "--scans", scans)
    argv.append("--json")
    floor = python(str(FLOORS / "floor_assess.py"), measurements)
    in_process = _probe("benchmarks.probe", "assess", study, repeat)
    return _repeated("assess", argv, repeat) | _repeated("assess_floor", floor, repeat) | in_process


def step_survival(
    study: BenchStudy, repeat: int, scratch: Path, *, with_r: bool = True
) -> dict[str, Measured]:
    """Time `main.py survival` on SURVIVAL_ROWS_PER_PATIENT rows a patient, and R end to end
    (without R, or `with_r` False, the row has no floor)."""
    from benchmarks.survival_table import write_survival_table

    rows = SURVIVAL_ROWS_PER_PATIENT * study.n
    path = write_survival_table(rows, scratch / "survival.csv")
    argv = python("main.py", "survival", str(path), "--time", "time", "--event", "event",
                  "--group", "arm", "--json")  # fmt: skip
    figures = _repeated("survival", argv, repeat)
    rscript = r_survival.ensure_r() if with_r else None
    if rscript is not None:
        floor = [rscript, "--vanilla", str(FLOORS / "floor_survival.R"), str(path)]
        figures |= _repeated("survival_floor", floor, repeat)
    return figures


def step_report(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time `main.py report` without and with figures, and the import floor it is held to."""

    def report(out: str, *options: str) -> list[str]:
        return python("main.py", "report", "--db", str(study.db), "--out", out, *options)

    summary = [run_child(report(str(scratch / f"s{i}"), "--no-figures")) for i in range(repeat)]
    figures = [run_child(report(str(scratch / f"f{i}"))) for i in range(repeat)]
    floor = [str(FLOORS / "floor_import.py"), str(study.csv_dir), str(scratch / "floor.sqlite")]
    return (
        _processes("report_summary", summary)
        | _processes("report", figures)
        | _repeated("report_floor", python(*floor), repeat)
    )


def step_analyses(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time table1, cox, forest, match and ae in process on as many made-up patients."""
    return _probe("benchmarks.probe", "analyses", study, repeat)


def step_startup(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time launching the GUI to its first paint, one fresh process per run."""
    runs, timings = [], {"wall": [], "cpu": []}
    env = {"NADIR_DATA_DIR": str(scratch), "XDG_CONFIG_HOME": str(scratch)}
    for _ in range(repeat):
        env[LAUNCHED] = repr(time.time())
        argv = python("-m", "benchmarks.gui_probe", "startup", str(study.folder), "1")
        runs.append(run_child(argv, env=env))
        for kind, seconds in json.loads(runs[-1].stdout)["startup"].items():
            timings[kind] += seconds
    return {"startup": _measured(timings, max(r.peak_mb for r in runs))}


def step_patient(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time the navigator's fill, opening patients and keystrokes, in one GUI process."""
    return _probe("benchmarks.gui_probe", "patient", study, max(repeat, INTERACTIONS))


def step_plots(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time each cohort plot, each in its own process."""
    figures = {}
    for name in PLOT_NAMES:
        figures |= _probe("benchmarks.gui_probe", name, study, repeat)
    return figures


#: Step name -> function(study, repeat, scratch folder) -> figures.
STEP_FUNCTIONS = {
    "import": step_import,
    "assess": step_assess,
    "survival": step_survival,
    "report": step_report,
    "analyses": step_analyses,
    "plots": step_plots,
    "startup": step_startup,
    "patient": step_patient,
}


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages, as `uptime` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(
    n: int, steps: dict[str, Callable], repeat: int, root: Path
) -> tuple[dict[str, Measured], str]:
    """Return every figure of the chosen steps (name -> function) for the demo study of `n`
    patients, and the load averages before and after."""
    began, load_before = time.perf_counter(), load_average()
    made = ["-m", "benchmarks.studies", str(n), str(root)]
    if "import" not in steps:
        made.append("--import")
    shape = json.loads(run_child(python(*made)).stdout)
    study = BenchStudy(**shape | {"folder": Path(shape["folder"])})
    print(
        f"## {n:,} patients: {study.scans_per_patient:.1f} scans and "
        f"{study.lesions_per_patient:.1f} lesions per patient, {study.measurement_rows:,} "
        f"measurement rows; load average {load_before}",
        flush=True,
    )
    results: dict[str, Measured] = {}
    for function in steps.values():
        with tempfile.TemporaryDirectory(dir=root) as scratch:
            figures = function(study, repeat, Path(scratch))
        for key, figure in figures.items():
            print(
                f"  {key:<15} median {figure.median:8.3f} (CPU {figure.median_cpu:8.3f})"
                f"   peak {figure.peak_mb:6.0f} MB   load {load_average()}",
                flush=True,
            )
        results |= figures
    load = f"{load_before} to {load_average()}"
    print(f"  ({time.perf_counter() - began:.0f} s for this size; load average {load})", flush=True)
    return results, load


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the benchmark command."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="runs per figure at 20,000 patients or more"
    )
    parser.add_argument("--only", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--skip-r", action="store_true", help="leave out the R floor")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--work", type=Path, help="folder for the studies (default: temporary)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Measure, print the tables (and write the JSON when asked); returns 0."""
    args = build_parser().parse_args(argv)
    functions = STEP_FUNCTIONS | {"survival": partial(step_survival, with_r=not args.skip_r)}
    steps = {s: functions[s] for s in STEPS if s in args.only}
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"{os.cpu_count()} CPUs; {uptime}", flush=True)
    results, loads = {}, {}
    with tempfile.TemporaryDirectory() as temporary:
        root = args.work or Path(temporary)
        for n in sorted(args.sizes):
            repeat = args.repeat_large if n >= 20000 else args.repeat
            results[n], loads[n] = measure(n, steps, repeat, root)
    print()
    print(table(results, loads))
    print(f"load average at the end: {load_average()}")
    # Every child's peak memory includes at least this (see benchmarks/studies.py).
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this parent process: {floor:.0f} MB")
    if args.json:
        runs = {n: {k: asdict(m) for k, m in r.items()} for n, r in results.items()}
        document = {"uptime": uptime, "load_average": loads, "results": runs}
        args.json.write_text(json.dumps(document, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
