"""Measurements run inside a fresh process: `python -m benchmarks.probe NAME FOLDER REPEAT`.

Prints one JSON object, figure name -> {"wall": seconds, "cpu": CPU seconds} of each
repetition (CPU: this process's user + system time, which the load of other
processes on the machine barely changes). Reading
the study from its file comes first and is not timed; the parent reads the
process's peak memory when it ends (benchmarks/child.py).
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.studies import load_analysis
from model.criteria.assessment import assess_study
from model.stats import survival
from model.stats.endpoints import PatientEndpoints, derive_endpoints
from model.store.study import Store

#: Wall and CPU seconds of each repetition: {"wall": [...], "cpu": [...]}.
Timings = dict[str, list[float]]
#: Figure name -> its timings: what a probe prints.
Figures = dict[str, Timings]

#: Columns of endpoints.csv, the survival data handed to R.
ENDPOINT_COLUMNS = ("arm", "pfs_days", "pfs_event", "os_days", "os_event")


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
    return {"assess": timed(run, repeat)}


def survival_statistics(endpoints: list[PatientEndpoints]) -> None:
    """Fit what the report fits for PFS and OS: KM per arm, log-rank, two-arm Cox."""
    arms = [e.arm for e in endpoints]
    for days, events in (
        ([e.pfs_days for e in endpoints], [int(e.pfs_event) for e in endpoints]),
        ([e.os_days for e in endpoints], [int(e.os_event) for e in endpoints]),
    ):
        for arm in dict.fromkeys(arms):
            mine = [i for i, a in enumerate(arms) if a == arm]
            survival.kaplan_meier([days[i] for i in mine], [events[i] for i in mine])
        survival.logrank(days, events, arms)
        survival.cox_two_groups(days, events, arms)


def endpoints_and_survival(folder: Path, repeat: int) -> Figures:
    """Return the seconds of deriving PFS and OS, and of the survival statistics on them.

    One untimed run first loads lifelines and scipy, as R's timing excludes
    loading the survival package. Writes endpoints.csv for the R comparison.
    """
    analysis = load_analysis(folder)
    data, assessments = analysis.data, analysis.assessments
    endpoints = derive_endpoints(data, assessments, analysis.settings.origins)
    survival_statistics(endpoints)
    _write_endpoints(endpoints, folder / "endpoints.csv")
    return {
        "endpoints": timed(
            lambda: derive_endpoints(data, assessments, analysis.settings.origins), repeat
        ),
        "survival": timed(lambda: survival_statistics(endpoints), repeat),
    }


def _write_endpoints(endpoints: list[PatientEndpoints], path: Path) -> None:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(ENDPOINT_COLUMNS)
        for e in endpoints:
            writer.writerow((e.arm, e.pfs_days, int(e.pfs_event), e.os_days, int(e.os_event)))


#: Probe name -> function(folder, repeat) returning figure name -> seconds.
PROBES = {"assess": assess, "survival": endpoints_and_survival}


def main(argv: list[str]) -> int:
    """Run the probe named in `argv` and print its figures as JSON; returns 0."""
    name, folder, repeat = argv[0], Path(argv[1]), int(argv[2])
    print(json.dumps(PROBES[name](folder, repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
