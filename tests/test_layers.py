"""The layers stay apart: model/ never loads Qt, and the code is lint-clean.

Design (shared/design.md, "Layers"): the rules live in model/ and never import
Qt, so headless commands and reports run without a display.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contract_holds():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--config", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_headless_command_never_loads_qt():
    code = (
        "import sys, main\n"
        "main.build_parser()\n"
        "assert not any(m.startswith(('PySide6', 'pyqtgraph', 'gui')) for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'gui')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
