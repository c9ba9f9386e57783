"""main.py turns every failure into a message and an exit status, never a traceback."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests/data/interchange/example/measurements.csv"


def test_a_closed_pipe_is_not_an_error():
    """`nadir assess ... | head` ends quietly when head stops reading."""
    code = (
        "import os, sys, main\n"
        "r, w = os.pipe(); os.close(r); os.dup2(w, 1)\n"
        f"sys.exit(main.main(['assess', {str(EXAMPLE)!r}, '--json']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = blocker / "report"
    result = subprocess.run(
        [sys.executable, "main.py", "export", "--db", str(tmp_path / "x.nadir"), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
