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


def test_version_names_the_release_and_loads_nothing_heavy():
    """`nadir --version` (issue 20): the version of model/about.py, which pyproject.toml reads."""
    from model.about import VERSION

    code = (
        "import sys, main\n"
        "try:\n"
        "    main.main(['--version'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0\n"
        "assert 'PySide6' not in sys.modules and 'pandas' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"nadir {VERSION}\n"


def test_the_distribution_is_named_and_licensed_honestly():
    """Issue 20: `nadir` on PyPI is another project; the licence is Apache-2.0 with its text."""
    import tomllib

    from model.about import DISTRIBUTION, LICENCE

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION == "nadir-recist"
    assert project["license"] == LICENCE == "Apache-2.0"
    assert "LICENSE" in project["license-files"]
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")[:200]
    assert project["scripts"] == {"nadir": "main:main"}
    assert project["gui-scripts"] == {"nadir-app": "main:main"}
