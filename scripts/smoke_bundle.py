"""Smoke-test a built desktop bundle: its commands and its window run without Python around.

    python scripts/smoke_bundle.py [BUNDLE]      (default dist/nadir)

Runs the bundle's own programs, never this checkout's code: `nadir --version`;
`assess` on the interchange example folder; `survival` on R's `aml` table (the
statistics libraries); `import` of the example into a new study and `report
--pdf` on it (Qt offscreen, the shipped fonts); and `nadir-app` on that study,
offscreen, until its log says the window is shown. Prints one line per check
and "N passed, N failed"; exits 1 when one failed. Not part of the test suite
(a build takes minutes): scripts/build_bundle.py runs it after each build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "data" / "interchange" / "example"
AML = ROOT / "tests" / "data" / "survival" / "aml.csv"

#: Seconds the bundled app may take to show its window.
WINDOW_TIMEOUT = 120.0


def program(bundle: Path, name: str) -> str:
    """Returns the path of the bundle's program `name` (nadir, nadir-app) on this platform."""
    return str(bundle / (f"{name}.exe" if os.name == "nt" else name))


def run(bundle: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Runs the bundle's `nadir` with `args`; raises AssertionError naming what failed."""
    result = subprocess.run(
        [program(bundle, "nadir"), *args], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 0, f"nadir {' '.join(args)}: {result.returncode}\n{result.stderr}"
    return result


def check_version(bundle: Path, env: dict[str, str], work: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from model.about import VERSION

    assert run(bundle, env, "--version").stdout.strip() == f"nadir {VERSION}"


def check_assess(bundle: Path, env: dict[str, str], work: Path) -> None:
    patients, measurements = EXAMPLE / "patients.csv", EXAMPLE / "measurements.csv"
    out = run(bundle, env, "assess", str(measurements), "--patients", str(patients), "--json")
    assert json.loads(out.stdout)["patients"], out.stdout[:200]


def check_survival(bundle: Path, env: dict[str, str], work: Path) -> None:
    args = ("survival", str(AML), "--time", "time", "--event", "event", "--group", "x")
    assert "Maintained" in run(bundle, env, *args).stdout


def check_report(bundle: Path, env: dict[str, str], work: Path) -> None:
    study = work / "example.nadir"
    run(bundle, env, "import", str(EXAMPLE), "--db", str(study))
    run(bundle, env, "report", "--db", str(study), "--out", str(work / "report"), "--pdf")
    assert (work / "report" / "report.pdf").stat().st_size > 10_000


def check_window(bundle: Path, env: dict[str, str], work: Path) -> None:
    study = work / "example.nadir"
    log = Path(env["NADIR_LOG_DIR"]) / "nadir.log"
    app = subprocess.Popen([program(bundle, "nadir-app"), "--db", str(study)], env=env)
    try:
        deadline = time.monotonic() + WINDOW_TIMEOUT
        while "window shown on" not in (log.read_text("utf-8") if log.exists() else ""):
            assert app.poll() is None, f"nadir-app ended with {app.returncode}"
            assert time.monotonic() < deadline, "nadir-app showed no window"
            time.sleep(0.2)
    finally:
        app.terminate()
        app.wait(timeout=30)
    assert "ERROR" not in log.read_text("utf-8"), log.read_text("utf-8")


#: The checks, in order (the window opens the study the report check made).
CHECKS: list[Callable[[Path, dict[str, str], Path], None]] = [
    check_version,
    check_assess,
    check_survival,
    check_report,
    check_window,
]


def main(argv: list[str]) -> int:
    """Run every check on the bundle; returns 0 when all passed."""
    bundle = Path(argv[0] if argv else ROOT / "dist" / "nadir").resolve()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="nadir-smoke-") as folder:
        work = Path(folder)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "NADIR_LOG_DIR": str(work / "log"),
            "NADIR_DATA_DIR": str(work / "data"),
        }
        for check in CHECKS:
            started = time.monotonic()
            try:
                check(bundle, env, work)
            except (AssertionError, OSError, subprocess.SubprocessError) as error:
                failed += 1
                print(f"FAILED {check.__name__}: {error}", flush=True)
            else:
                passed += 1
                print(f"ok {check.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
