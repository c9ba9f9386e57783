"""What is measured, against which floor and goal, and the table that marks each figure.

Issue 19: every step at registry scale is timed beside the least any program could do
with the same data (a floor, benchmarks/floors/), in the same run, and marked against
its goal: at most so many times its floor, or under so many seconds.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One row of the table: a measured step, its floor, and its goal.

    The goal is `ratio_goal` times the floor figure `floor`, or under `seconds_goal`;
    with `goal_size` it applies at that many patients only. `unit` is "s", or "MB" for
    a file size (kept in Measured.seconds).
    """

    key: str
    label: str
    floor: str | None = None
    ratio_goal: float | None = None
    seconds_goal: float | None = None
    goal_size: int | None = None
    unit: str = "s"


#: The cohort plots, each timed in its own process (benchmarks/gui_probe.py).
PLOT_NAMES = ("waterfall", "spider", "swimmer", "kaplan_meier")
#: The analysis commands of benchmarks/analysis_tables.py (issue 19, item 6).
ANALYSIS_NAMES = ("table1", "cox", "forest", "match", "ae")
#: Peak memory allowed at the largest size (issue #10: under 1 GB).
MEMORY_LIMIT_MB = 1024
#: Rows of the table, in order; the key is the figure's name in a step's output.
FIGURES = (
    Figure("import", "`import` of the CSVs into a new study (whole process)", "import_floor", 3),
    Figure("study_mb", "study file size after import", "floor_mb", 2, unit="MB"),
    Figure("assess", "`assess --json` of every patient (whole process)", "assess_floor", 3),
    Figure("assess_study", "assess_study on the study's data (in process)"),
    Figure("survival", "`survival` on 10 rows per patient (whole process)", "survival_floor", 1),
    Figure(
        "report_summary", "`report --no-figures` (whole process)", "report_floor", 4, None, 20000
    ),
    Figure("report", "`report` with figures (whole process)", None, None, 3.0, 2000),
    *(
        Figure(name, f"`{name}` on as many made-up patients (in process)", None, None, 1.0, 20000)
        for name in ANALYSIS_NAMES
    ),
    Figure("waterfall", "waterfall plot: data + draw 800x600 offscreen", None, None, 0.5, 2000),
    Figure("spider", "spider plot: data + draw", None, None, 0.5, 2000),
    Figure("swimmer", "swimmer plot: data + draw", None, None, 0.5, 2000),
    Figure("kaplan_meier", "Kaplan-Meier plot (PFS): data + draw", None, None, 0.5, 2000),
    Figure("startup", "GUI start-up to first painted window", None, None, 1.5, 200),
    Figure("navigator_fill", "navigator filled, first opening (every patient judged)"),
    Figure(
        "navigator_refill", "navigator filled, next opening (answers kept)", None, None, 3.0, 20000
    ),
    Figure("open", "open a patient (to the grid's repaint)", None, None, 0.1),
    Figure("keystroke", "Enter in the grid to updated response row", None, None, 0.05),
)
#: What each floor is, for the note under the table.
FLOORS = {
    "import_floor": "benchmarks/floors/floor_import.py: csv module + one SQLite transaction",
    "floor_mb": "the same rows in SQLite (floor_import.py's file)",
    "report_floor": "floor_import.py again, run beside the report",
    "assess_floor": "benchmarks/floors/floor_assess.py: vectorised pandas sums per time point",
    "survival_floor": "benchmarks/floors/floor_survival.R: R survival, whole Rscript run",
}


@dataclass(frozen=True)
class Measured:
    """A figure at one size: wall and CPU seconds of each repetition, and the peak RSS in MB
    of the process that ran them."""

    seconds: tuple[float, ...]
    cpu: tuple[float, ...]
    peak_mb: float

    @property
    def median(self) -> float:
        """Return the median wall time of the repetitions, in seconds."""
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        """Return the median CPU time (user + system) of the repetitions, in seconds."""
        return statistics.median(self.cpu)


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _cell(measured: Measured | None, unit: str) -> str:
    """Median wall time (median CPU time), or the size in MB."""
    if measured is None:
        return "-"
    if unit == "MB":
        return f"{measured.median:.{0 if measured.median >= 10 else 1}f} MB"
    return f"{_time(measured.median)} ({_time(measured.median_cpu)})"


def _mark(ok: bool) -> str:
    return "ok" if ok else "**MISS**"


def _ratio_cell(figure: Figure, mine: Measured | None, floor: Measured | None) -> str:
    """Nadir / floor, wall (CPU)."""
    if mine is None or floor is None:
        return ""
    wall = mine.median / max(floor.median, 1e-9)
    if figure.unit == "MB":
        return f"{wall:.1f}x"
    return f"{wall:.1f}x ({mine.median_cpu / max(floor.median_cpu, 1e-9):.1f}x)"


def _goal_cell(figure: Figure, n: int, mine: Measured | None, floor: Measured | None) -> str:
    """The goal, marked by the wall time; a wall-time miss that CPU time meets says so, as
    the load of other processes is then the likelier cause."""
    if figure.ratio_goal is not None:
        goal = f"<= {figure.ratio_goal:g}x"
        if figure.floor == "report_floor":
            goal += " the import floor"
    elif figure.seconds_goal is not None:
        goal = f"< {_time(figure.seconds_goal)}"
    else:
        return ""
    if figure.goal_size is not None and figure.goal_size != n:
        return f"{goal} at {figure.goal_size:,}"
    if mine is None or (figure.ratio_goal is not None and floor is None):
        return goal
    if figure.ratio_goal is not None:
        wall, cpu = mine.median / floor.median, mine.median_cpu / max(floor.median_cpu, 1e-9)
        limit = figure.ratio_goal
    else:
        wall, cpu, limit = mine.median, mine.median_cpu, figure.seconds_goal
    mark = _mark(wall <= limit)
    if wall > limit and cpu <= limit and figure.unit != "MB":
        mark += " (CPU ok)"
    return f"{goal} {mark}"


def size_table(n: int, results: dict[str, Measured]) -> str:
    """Return the Markdown table of every figure measured at `n` patients."""
    lines = ["| step | Nadir | floor | ratio | goal | peak MB |", "|---|---|---|---|---|---|"]
    for figure in FIGURES:
        mine = results.get(figure.key)
        if mine is None:
            continue
        floor = results.get(figure.floor) if figure.floor else None
        floor_cell = _cell(floor, figure.unit) if figure.floor else ""
        memory = "" if figure.unit == "MB" else f"{mine.peak_mb:.0f}"
        if memory and mine.peak_mb >= MEMORY_LIMIT_MB:
            memory += " **MISS**"
        cells = [
            figure.label,
            _cell(mine, figure.unit),
            floor_cell,
            _ratio_cell(figure, mine, floor),
            _goal_cell(figure, n, mine, floor),
            memory,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def table(results: dict[int, dict[str, Measured]], loads: dict[int, str] | None = None) -> str:
    """Return one Markdown table per size, each headed by its size and load average, and
    a note naming the floors measured."""
    parts = []
    for n in sorted(results):
        load = f" (load average {loads[n]})" if loads and n in loads else ""
        parts += [f"### {n:,} patients{load}", "", size_table(n, results[n])]
    used = [key for key in FLOORS if any(key in r for r in results.values())]
    if used:
        parts.append("Floors: " + "; ".join(f"`{key}` {FLOORS[key]}" for key in used) + ".")
    return "\n".join(parts) + "\n"


def growth(results: dict[int, dict[str, Measured]], key: str, sizes: Sequence[int]) -> float:
    """CPU time of `key` at the last of `sizes` over the one before."""
    last, before = results[sizes[-1]][key], results[sizes[-2]][key]
    return last.median_cpu / max(before.median_cpu, 1e-9)
