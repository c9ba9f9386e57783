"""Build Nadir's desktop bundle with PyInstaller (packaging/nadir.spec), then smoke-test it.

    python scripts/build_bundle.py [--venv DIR] [--full] [--no-smoke]

Makes (or reuses) a build environment in DIR (default `.venv-bundle`) holding
Nadir's dependencies with its optional DICOM SR and REDCap features,
PyInstaller and Pillow (which turns the PNG icon into
Windows' .ico and macOS' .icns), builds `dist/nadir/` (with `Nadir.app` beside
it on macOS), prints its size, and runs scripts/smoke_bundle.py on it. The
same command builds on Windows, macOS and Linux; each builds for itself only.
`--full` keeps every Qt module (the size before trimming).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from dev import venv_python  # noqa: E402

#: What the build environment holds besides Nadir's own dependencies.
BUILD_TOOLS = ("pyinstaller>=6.10", "pillow")

#: Nadir's optional features the bundle carries (pyproject.toml's extras): DICOM SR, REDCap.
EXTRAS = "dicom,redcap"


def build_environment(folder: Path) -> Path:
    """Returns the Python of `folder`, made with Nadir's dependencies and the build tools."""
    python = venv_python(folder)
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(folder)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, *BUILD_TOOLS, f"{ROOT}[{EXTRAS}]"], check=True)
    return python


def folder_size(folder: Path) -> int:
    """Returns the bytes of every file under `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(python: Path, full: bool) -> Path:
    """Returns the bundle's folder (dist/nadir) after building it with PyInstaller."""
    env = {**os.environ, "NADIR_BUNDLE_FULL": "1" if full else "0"}
    command = [str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build")]
    subprocess.run([*command, str(ROOT / "packaging" / "nadir.spec")], check=True, env=env)
    return ROOT / "dist" / "nadir"


def main(argv: list[str] | None = None) -> int:
    """Build the bundle, print its size and smoke-test it; returns the smoke test's status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-bundle", help="build venv")
    parser.add_argument("--full", action="store_true", help="keep every Qt module")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    args = parser.parse_args(argv)
    python = build_environment(args.venv.absolute())
    bundle = build(python, args.full)
    print(f"build_bundle: {bundle} holds {folder_size(bundle) / 1e6:.0f} MB", flush=True)
    if args.no_smoke:
        return 0
    smoke = [sys.executable, str(ROOT / "scripts" / "smoke_bundle.py"), str(bundle)]
    return subprocess.run(smoke).returncode


if __name__ == "__main__":
    sys.exit(main())
