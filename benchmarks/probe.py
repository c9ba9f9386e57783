"""Measurements run inside a fresh process: `python -m benchmarks.probe NAME FOLDER REPEAT`.

Prints one JSON object, figure name -> {"wall": seconds, "cpu": CPU seconds} of each
repetition (CPU: this process's user + system time, which the load of other
processes on the machine barely changes). Reading
the study from its file comes first and is not timed; the parent reads the
process's peak memory when it ends (benchmarks/child.py).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.analysis_tables import analysis_timings
from model.criteria.assessment import assess_study
from model.store.study import Store

#: Wall and CPU seconds of each repetition: {"wall": [...], "cpu": [...]}.
Timings = dict[str, list[float]]
#: Figure name -> its timings: what a probe prints.
Figures = dict[str, Timings]


def timed(work: Callable[[], object], repeat: int) -> Timings:
    """Return the wall and CPU seconds of each of `repeat` runs of `work`."""
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return {"wall": wall, "cpu": cpu}


def assess(folder: Path, repeat: int) -> Figures:
    """Return the seconds of assessing every patient's time points and best response."""
    with Store.open(folder / "study.nadir", create=False) as store:
        data, settings, overrides = store.study_data(), store.settings(), store.overrides()
    run = lambda: assess_study(  # noqa: E731
        data, settings.assessment, reader=settings.reader, overrides=overrides
    )
    return {"assess_study": timed(run, repeat)}


def analyses(folder: Path, repeat: int) -> Figures:
    """Return the seconds of each analysis command (table1, cox, forest, match, ae) on as
    many made-up patients as the study has (benchmarks/analysis_tables.py)."""
    patients = sum(1 for _ in (folder / "csv" / "patients.csv").open()) - 1
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        return analysis_timings(Path(scratch), patients, repeat)


#: Probe name -> function(folder, repeat) returning figure name -> seconds.
PROBES = {"assess": assess, "analyses": analyses}


def main(argv: list[str]) -> int:
    """Run the probe named in `argv` and print its figures as JSON; returns 0."""
    name, folder, repeat = argv[0], Path(argv[1]), int(argv[2])
    print(json.dumps(PROBES[name](folder, repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
