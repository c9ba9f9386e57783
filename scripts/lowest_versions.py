"""Run the test suite with every direct dependency at the lowest version pyproject.toml allows.

    python scripts/lowest_versions.py [--venv DIR] [--list] [PYTEST ARGS]

Reads the `dependencies` and the `test` extra of pyproject.toml, takes the
lower bound of each one whose environment marker holds on this Python
(`PySide6-Essentials>=6.8,<6.12; python_version < "3.12"` gives 6.8.0), makes
a virtual environment in DIR (default `.venv-lowest`, reused when the pins are
unchanged), installs Nadir there with those exact versions (pip checks that
they agree with the declared ranges; the indirect dependencies resolve as
usual), and runs the whole suite offscreen. Exits with pytest's status.
`scripts/dev lowest` runs it; CI (.ci/run) runs it after the suite.

Needs `packaging` (in every Nadir .venv, through pytest).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]

#: Lower-bound operators: `>=X` and `==X` both allow X as the lowest version.
_LOWER = (">=", "==", "~=")


def lowest_pins(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """Returns `name==version` for every direct dependency (and test tool) whose marker holds
    here, at its declared lower bound; raises SystemExit naming one without a lower bound."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = []
    for text in declared:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        lows = [spec.version for spec in requirement.specifier if spec.operator in _LOWER]
        if not lows:
            raise SystemExit(f"lowest_versions: {text!r} in pyproject.toml has no lower bound")
        pins.append(f"{requirement.name}=={lows[0]}")
    return pins


def _venv_python(folder: Path) -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return folder / scripts / ("python.exe" if os.name == "nt" else "python")


def prepare(folder: Path, pins: list[str]) -> Path:
    """Returns the Python of `folder`, a venv holding Nadir and exactly `pins` (made when the
    pins differ from those it was made with)."""
    stamp = folder / ".nadir-lowest"
    wanted = "\n".join(pins)
    python = _venv_python(folder)
    if python.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return python
    print(f"lowest_versions: making {folder} with {' '.join(pins)}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "-e", f"{ROOT}[test]", *pins], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return python


def main(argv: list[str] | None = None) -> int:
    """Make (or reuse) the lowest-versions venv and run the suite in it; returns pytest's status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-lowest", help="venv folder")
    parser.add_argument("--list", action="store_true", help="print the pins and stop")
    args, pytest_args = parser.parse_known_args(argv)
    pins = lowest_pins()
    if args.list:
        print("\n".join(pins))
        return 0
    python = prepare(args.venv.absolute(), pins)
    installed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {pin.split("==")[0].lower().replace("_", "-") for pin in pins}
    print("lowest_versions: testing with", flush=True)
    for line in installed.splitlines():
        if line.split("==")[0].lower().replace("_", "-") in names:
            print(f"  {line}", flush=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
