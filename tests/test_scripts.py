"""The set-up and lowest-versions scripts (issue 20): pins from pyproject.toml's lower bounds,
one per package on this Python, and a venv's Python found on every platform."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import dev  # noqa: E402
import lowest_versions  # noqa: E402


def test_every_direct_dependency_is_pinned_once_at_its_lower_bound():
    pins = lowest_versions.lowest_pins()
    names = [pin.split("==")[0] for pin in pins]
    assert len(names) == len(set(names))
    assert "PySide6-Essentials==6.6" in pins  # one of its two lines holds on each Python
    assert {"pandas==2.1", "pyqtgraph==0.14", "scipy==1.11.1", "pytest==8"} <= set(pins)


def test_a_dependency_without_a_lower_bound_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\ndependencies = ["numpy<3"]\n[project.optional-dependencies]\ntest = []\n'
    )
    with pytest.raises(SystemExit, match="numpy<3"):
        lowest_versions.lowest_pins(pyproject)


def test_the_venv_python_is_found_where_each_platform_puts_it(monkeypatch, tmp_path):
    monkeypatch.setattr(dev.os, "name", "nt")
    assert dev.venv_python(tmp_path) == tmp_path / "Scripts" / "python.exe"
    monkeypatch.setattr(dev.os, "name", "posix")
    assert dev.venv_python(tmp_path) == tmp_path / "bin" / "python"
