"""What is measured, its target, and the table that marks each figure against it."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One row of the table: a measured step and its target at TARGET_SIZE patients."""

    key: str
    label: str
    target_s: float | None = None


#: The cohort plots, each timed in its own process (benchmarks/gui_probe.py).
PLOT_NAMES = ("waterfall", "spider", "swimmer", "kaplan_meier")
#: Patients at which the targets of issue #10 apply.
TARGET_SIZE = 2000
#: Peak memory allowed at the largest size (issue #10: under 1 GB).
MEMORY_LIMIT_MB = 1024
#: Rows of the table, in order; the key is the figure's name in a probe's output.
FIGURES = (
    Figure("import", "import CSVs into a new study (`main.py import`, whole process)", 2.0),
    Figure("assess", "assess every time point and best response (`assess_study`)", 1.0),
    Figure("endpoints", "derive PFS and OS (`derive_endpoints`)"),
    Figure("survival", "KM per arm + log-rank + Cox, PFS and OS (model.stats.survival)"),
    Figure("r_survival", "the same in R survival (inside R)"),
    Figure("r_whole", "the same, whole `Rscript` run (start-up, CSV read)"),
    Figure("report", "`main.py report` with figures (whole process)", 5.0),
    Figure("waterfall", "waterfall plot: data + draw 800x600 offscreen", 0.5),
    Figure("spider", "spider plot: data + draw", 0.5),
    Figure("swimmer", "swimmer plot: data + draw", 0.5),
    Figure("kaplan_meier", "Kaplan-Meier plot (PFS): data + draw", 0.5),
    Figure("startup", "GUI start-up to first painted window", 2.0),
    Figure("navigator_fill", "navigator filled with every best response (background)"),
    Figure("open", "open a patient (to the grid's repaint)", 0.1),
    Figure("keystroke", "Enter in the grid to updated response row (12x10 patient)", 0.05),
)


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


def _cell(measured: Measured) -> str:
    """Median wall time (median CPU time)."""
    return f"{_time(measured.median)} ({_time(measured.median_cpu)})"


def _mark(ok: bool) -> str:
    return "ok" if ok else "**MISS**"


def _target_cell(figure: Figure, at_target: Measured | None) -> str:
    """The target, marked by the wall time; a wall-time miss whose CPU time meets the target
    says so, as the load of other processes is then the likelier cause."""
    if figure.target_s is None:
        return ""
    if at_target is None:
        return f"< {_time(figure.target_s)}"
    mark = _mark(at_target.median < figure.target_s)
    if at_target.median >= figure.target_s and at_target.median_cpu < figure.target_s:
        mark += " (CPU ok)"
    return f"< {_time(figure.target_s)} {mark}"


def _growth_cell(sizes: Sequence[int], row: dict[int, Measured]) -> str:
    """Largest size against the one before, in CPU time (the load of other processes moves
    wall times too much for a ratio), marked against the ratio of the sizes."""
    if len(sizes) < 2 or sizes[-1] not in row or sizes[-2] not in row:
        return ""
    ratio = row[sizes[-1]].median_cpu / max(row[sizes[-2]].median_cpu, 1e-9)
    return f"{ratio:.1f}x {_mark(ratio <= sizes[-1] / sizes[-2])}"


def table(results: dict[int, dict[str, Measured]]) -> str:
    """Return the Markdown table of every figure measured, with marks against the targets."""
    sizes = sorted(results)
    growth = f"{sizes[-1]:,} / {sizes[-2]:,} (CPU)" if len(sizes) > 1 else "growth"
    head = ["figure", *(f"{n:,} pts" for n in sizes), f"target at {TARGET_SIZE:,}", growth]
    head.append(f"peak MB ({' / '.join(f'{n:,}' for n in sizes)})")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for figure in FIGURES:
        row = {n: results[n][figure.key] for n in sizes if figure.key in results[n]}
        if not row:
            continue
        memory = " / ".join(f"{row[n].peak_mb:.0f}" if n in row else "-" for n in sizes)
        if sizes[-1] in row and row[sizes[-1]].peak_mb >= MEMORY_LIMIT_MB:
            memory += " **MISS**"
        cells = [
            figure.label,
            *(_cell(row[n]) if n in row else "-" for n in sizes),
            _target_cell(figure, row.get(TARGET_SIZE)),
            _growth_cell(sizes, row),
            memory,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += _ratio_lines(sizes, results)
    return "\n".join(lines) + "\n"


def _ratio_lines(sizes: Sequence[int], results: dict[int, dict[str, Measured]]) -> list[str]:
    ratios = []
    for n in sizes:
        if {"survival", "r_survival"} <= results[n].keys():
            nadir, r = results[n]["survival"], results[n]["r_survival"]
            wall, cpu = nadir.median / r.median, nadir.median_cpu / max(r.median_cpu, 1e-3)
            ratios.append(f"{n:,} patients {wall:.1f} ({cpu:.1f})")
    if not ratios:
        return []
    return ["", "Survival statistics, Nadir / R inside R, wall (CPU): " + "; ".join(ratios)]
