"""The benchmark command of issue #10 runs end to end at a tiny size and prints its table."""

import gc
import subprocess
import sys
from pathlib import Path

from benchmarks.figures import Measured, table
from model.criteria.assessment import assess_study
from model.demo.cohort import demo_study
from model.domain import AssessmentSettings

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_command_prints_marked_figures_for_a_tiny_study(tmp_path):
    """Issue #10: one command times each step in a fresh process and marks it against its
    target; at 20 patients, without R, the command's core steps run in seconds."""
    out = tmp_path / "figures.json"
    argv = [sys.executable, "-m", "benchmarks.run", "--sizes", "20", "--repeat", "1"]
    argv += ["--skip-r", "--only", "import", "assess", "survival", "--json", str(out)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "## 20 patients:" in done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| figure | 20 pts | target at 2,000")
    assert any(r.startswith("| import CSVs") and "< 2.00 s |" in r for r in rows[1:]), rows
    assert any(r.startswith("| assess every") for r in rows), rows
    assert any(r.startswith("| KM per arm") for r in rows), rows
    assert "R survival" not in done.stdout
    assert '"peak_mb"' in out.read_text()


def test_table_marks_misses_at_2000_patients_and_growth_beyond_tenfold():
    """Issue #10: at 2,000 patients import < 2 s; at 20,000 at most 10x the 2,000 figure
    and under 1 GB of memory."""
    results = {
        2000: {"import": Measured((2.5, 3.0, 2.6), (1.0, 3.0, 1.0), 200)},
        20000: {"import": Measured((40.0,), (20.0,), 1500)},
    }
    row = next(r for r in table(results).splitlines() if r.startswith("| import"))
    assert row.split(" | ")[1:] == [
        "2.60 s (1.00 s)",
        "40.00 s (20.00 s)",
        "< 2.00 s **MISS** (CPU ok)",
        "20.0x **MISS**",
        "200 / 1500 **MISS** |",
    ]


def test_assessing_a_study_leaves_the_garbage_collector_as_it_found_it():
    """Issue #10: assess_study pauses the cyclic collector (linear cost at 20,000 patients)
    and gives it back enabled or disabled as before, the answers unchanged."""
    data = demo_study(n_patients=5)
    answers = []
    try:
        for enabled in (True, False):
            gc.enable() if enabled else gc.disable()
            answers.append(assess_study(data, AssessmentSettings()))
            assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert answers[0] == answers[1]
