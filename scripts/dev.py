"""Set up Nadir and run it, on Windows, macOS and Linux alike: no bash needed.

    python scripts/dev.py setup         make .venv and install Nadir with its test tools
    python scripts/dev.py app [ARGS]    set up, then open Nadir (the default study first)
    python scripts/dev.py test [ARGS]   set up, then run the whole test suite offscreen
    python scripts/dev.py lowest [ARGS] set up, then run the suite at the lowest allowed versions

(`py scripts\\dev.py ...` on Windows.) `scripts/dev` runs the same on Linux and
macOS. On Debian or Ubuntu the few system libraries Qt loads are installed
first with apt-get when missing; Windows and macOS need none. Safe to run
again: .venv is reinstalled only when pyproject.toml changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"

#: Debian packages of the system libraries Qt's xcb and offscreen platforms load.
QT_LIBRARIES = (
    "libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 "
    "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 "
    "libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libglib2.0-0"
).split()

#: The oldest Python Nadir runs on (pyproject.toml, requires-python).
MIN_PYTHON = (3, 11)


def venv_python(folder: Path = VENV) -> Path:
    """Returns the Python of the virtual environment `folder` on this platform."""
    if os.name == "nt":
        return folder / "Scripts" / "python.exe"
    return folder / "bin" / "python"


def install_qt_libraries() -> None:
    """Installs the missing Qt system libraries, and venv's pip, with apt-get (Debian, Ubuntu);
    elsewhere none are needed."""
    if not sys.platform.startswith("linux") or shutil.which("dpkg") is None:
        return
    missing = [p for p in QT_LIBRARIES if not _dpkg_has(p)]
    if not _has_ensurepip():
        missing.append("python3-venv")  # Debian keeps venv's pip apart
    if not missing or shutil.which("apt-get") is None:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"setup: installing Qt system libraries: {' '.join(missing)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    install = [*sudo, "apt-get", "install", "-y", "-qq", *missing]
    subprocess.run(install, check=True, env=env, stdout=subprocess.DEVNULL)


def _has_ensurepip() -> bool:
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def _dpkg_has(package: str) -> bool:
    status = subprocess.run(["dpkg", "-s", package], capture_output=True, check=False)
    return status.returncode == 0


def make_venv() -> Path:
    """Returns the Python of .venv, made and filled with Nadir and its test tools when
    missing or older than pyproject.toml."""
    python = venv_python()
    if not python.exists():
        print(f"setup: making {VENV}", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (OSError, subprocess.CalledProcessError) as error:
            shutil.rmtree(VENV, ignore_errors=True)  # half made: made again next time
            raise SystemExit(
                f"setup: cannot make {VENV} ({error}); on Debian or Ubuntu install python3-venv"
            ) from error
    stamp = VENV / ".nadir-installed"
    if stamp.exists() and stamp.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime:
        return python
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    stamp.touch()
    return python


def setup() -> Path:
    """Returns the Python of .venv after setting up everything Nadir needs."""
    if sys.version_info < MIN_PYTHON:
        wanted = ".".join(map(str, MIN_PYTHON))
        raise SystemExit(f"setup: Nadir needs Python {wanted} or later, this is {sys.version}")
    install_qt_libraries()
    return make_venv()


def main(argv: list[str]) -> int:
    """Run `setup`, `app`, `test` or `lowest` with the rest of `argv`; returns the exit status."""
    what, rest = (argv[0], argv[1:]) if argv else ("", [])
    if what not in ("setup", "app", "test", "lowest"):
        print("usage: scripts/dev.py setup|app|test|lowest [ARGS]", file=sys.stderr)
        return 2
    python = str(setup())
    if what == "setup":
        return 0
    if what == "app":
        command = [python, str(ROOT / "main.py"), *rest]
    elif what == "test":
        command = [python, "-m", "pytest", "-q", *rest]
    else:
        command = [python, str(ROOT / "scripts" / "lowest_versions.py"), *rest]
    env = {**os.environ}
    if what != "app":
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
