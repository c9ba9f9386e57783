"""The benchmark command of issues #10 and #19 runs end to end at a tiny size and prints, per
size, each step beside its floor, the ratio and the goal."""

import gc
import subprocess
import sys
from pathlib import Path

from benchmarks.figures import Measured, table
from model.criteria.assessment import assess_study
from model.demo.cohort import demo_study
from model.domain import AssessmentSettings

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_command_prints_each_step_beside_its_floor(tmp_path):
    """Issue 19, item 7: one command times each step and its floor in fresh processes, in
    the same run, and prints the ratio and the goal; at 20 patients, without R, the
    core steps run in seconds."""
    out = tmp_path / "figures.json"
    argv = [sys.executable, "-m", "benchmarks.run", "--sizes", "20", "--repeat", "1"]
    argv += ["--skip-r", "--only", "import", "assess", "survival", "--json", str(out)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "## 20 patients:" in done.stdout
    assert "### 20 patients (load average " in done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert rows[0] == "| step | Nadir | floor | ratio | goal | peak MB |"
    imported = next(r for r in rows if r.startswith("| `import`"))
    assert imported.count(" (") >= 3 and "x (" in imported and "<= 3x" in imported
    assert any(r.startswith("| study file size") and "<= 2x" in r for r in rows), rows
    assert any(r.startswith("| `assess --json`") and "<= 3x" in r for r in rows), rows
    assert any(r.startswith("| `survival`") for r in rows), rows
    assert "floor_import.py" in done.stdout and "floor_survival.R" not in done.stdout
    assert '"peak_mb"' in out.read_text() and '"load_average"' in out.read_text()


def test_table_marks_ratios_to_the_floor_and_goals_at_their_size():
    """Issue 19: a ratio goal is marked at every size by wall time, saying when CPU time
    meets it; a goal in seconds only at the size it names."""
    results = {
        2000: {
            "import": Measured((10.0, 12.0, 11.0), (2.0, 2.5, 2.4), 200),
            "import_floor": Measured((1.0,), (1.0,), 16),
            "report": Measured((4.0,), (2.0,), 300),
        },
        20000: {
            "import": Measured((40.0,), (20.0,), 1500),
            "import_floor": Measured((2.0,), (1.0,), 16),
            "report": Measured((40.0,), (30.0,), 900),
        },
    }
    lines = table(results, {2000: "1.00 1.00 1.00"}).splitlines()
    assert "### 2,000 patients (load average 1.00 1.00 1.00)" in lines
    rows = [r for r in lines if r.startswith("| `import`")]
    assert rows[0].split(" | ")[1:] == [
        "11.00 s (2.40 s)", "1.00 s (1.00 s)", "11.0x (2.4x)", "<= 3x **MISS** (CPU ok)", "200 |"
    ]  # fmt: skip
    assert rows[1].endswith("| 20.0x (20.0x) | <= 3x **MISS** | 1500 **MISS** |")
    reports = [r for r in lines if r.startswith("| `report` with")]
    assert reports[0].endswith("| < 3.00 s **MISS** (CPU ok) | 300 |")
    assert reports[1].endswith("| < 3.00 s at 2,000 | 900 |")


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
