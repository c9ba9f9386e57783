"""How Nadir's cost grows with the study, side by side with R (issue #10).

    .venv/bin/python -m benchmarks.run [--sizes 200 2000 20000] [--repeat 3] [--json FILE]

For each size, the demo study (model.demo.cohort.demo_study) is written as interchange
CSVs, and every step runs in a fresh process whose peak RSS is read when it
ends (benchmarks/child.py). Prints a Markdown table of medians, marked against
the targets of issue #10 (benchmarks/figures.py).
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
from dataclasses import asdict
from pathlib import Path

from benchmarks import r_survival
from benchmarks.child import LAUNCHED, ChildRun, python, run_child
from benchmarks.figures import PLOT_NAMES, Measured, table
from benchmarks.studies import BenchStudy

#: Steps that can be chosen with --only, in the order they run.
STEPS = ("import", "assess", "survival", "r", "report", "plots", "startup", "patient")
#: Patients opened and keys pressed at least, whatever --repeat (they are cheap to repeat).
INTERACTIONS = 5


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


def step_import(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time `main.py import CSV --db NEW`; the first run's file is the study the rest read."""
    runs = []
    for i in range(repeat):
        db = study.db if i == 0 and not study.db.exists() else scratch / f"import{i}.nadir"
        runs.append(run_child(python("main.py", "import", str(study.csv_dir), "--db", str(db))))
    return _processes("import", runs)


def step_report(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time `main.py report --db STUDY --out DIR`, figures included, into a new folder each run."""
    out = [scratch / f"report{i}" for i in range(repeat)]
    runs = [
        run_child(python("main.py", "report", "--db", str(study.db), "--out", str(o))) for o in out
    ]
    return _processes("report", runs)


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


def step_r(study: BenchStudy, repeat: int, scratch: Path) -> dict[str, Measured]:
    """Time R's survival on the endpoints the survival step wrote (nothing without R)."""
    if not (study.folder / "endpoints.csv").exists():
        print("  the R comparison needs the survival step's endpoints: skipped")
        return {}
    rscript = r_survival.ensure_r()
    if rscript is None:
        return {}
    inside, whole = r_survival.time_r(rscript, study.folder / "endpoints.csv", repeat)
    return {
        "r_survival": _measured(inside, whole.peak_mb),
        "r_whole": Measured((whole.seconds,), (whole.cpu_seconds,), whole.peak_mb),
    }


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
    "assess": lambda study, repeat, _: _probe("benchmarks.probe", "assess", study, repeat),
    "survival": lambda study, repeat, _: _probe("benchmarks.probe", "survival", study, repeat),
    "r": step_r,
    "report": step_report,
    "plots": step_plots,
    "startup": step_startup,
    "patient": step_patient,
}


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages, as `uptime` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(n: int, steps: list[str], repeat: int, root: Path) -> dict[str, Measured]:
    """Return every figure of the chosen steps for the demo study of `n` patients."""
    began = time.perf_counter()
    made = ["-m", "benchmarks.studies", str(n), str(root)]
    if "import" not in steps:
        made.append("--import")
    shape = json.loads(run_child(python(*made)).stdout)
    study = BenchStudy(**shape | {"folder": Path(shape["folder"])})
    print(
        f"## {n:,} patients: {study.scans_per_patient:.1f} scans and "
        f"{study.lesions_per_patient:.1f} lesions per patient, {study.measurement_rows:,} "
        f"measurement rows; load average {load_average()}",
        flush=True,
    )
    results: dict[str, Measured] = {}
    for step in steps:
        with tempfile.TemporaryDirectory(dir=root) as scratch:
            figures = STEP_FUNCTIONS[step](study, repeat, Path(scratch))
        for key, figure in figures.items():
            print(
                f"  {key:<15} median {figure.median:8.3f} s (CPU {figure.median_cpu:8.3f} s)"
                f"   peak {figure.peak_mb:6.0f} MB",
                flush=True,
            )
        results |= figures
    print(f"  ({time.perf_counter() - began:.0f} s for this size)", flush=True)
    return results


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the benchmark command."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="runs per figure at 20,000 patients or more"
    )
    parser.add_argument("--only", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--skip-r", action="store_true", help="leave out the R comparison")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--work", type=Path, help="folder for the studies (default: temporary)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table (and write the JSON when asked); returns 0."""
    args = build_parser().parse_args(argv)
    steps = [s for s in STEPS if s in args.only and not (s == "r" and args.skip_r)]
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"{os.cpu_count()} CPUs; {uptime}", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        root = args.work or Path(temporary)
        for n in sorted(args.sizes):
            repeat = args.repeat_large if n >= 20000 else args.repeat
            results[n] = measure(n, steps, repeat, root)
    print()
    print(table(results))
    print(f"load average at the end: {load_average()}")
    # Every child's peak memory includes at least this (see benchmarks/studies.py).
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this parent process: {floor:.0f} MB")
    if args.json:
        runs = {n: {k: asdict(m) for k, m in r.items()} for n, r in results.items()}
        args.json.write_text(json.dumps({"uptime": uptime, "results": runs}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
