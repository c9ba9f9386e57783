"""Reruns the adversarial run of issue 14 and prints its counts: mutated import files through
`import` and `assess`, and processes killed (SIGKILL) during import, merge, export, migration,
restore and edits; every outcome is checked.

    .venv/bin/python -m benchmarks.attack_data_safety [MUTATED_FILES] [KILLS_PER_OPERATION]

(defaults 5,300 and 32, about 15 minutes on a busy two-core machine). A mutated input must
be imported whole (the study then passes `verify` and exports pseudonymised) or refused with
exit status 2 and a message, the study unchanged; never exit 1, a traceback or a partial
write. A killed process must leave its study whole (integrity check), its audit trail
verified, and all or none of what it was doing; a killed export leaves one export whole.
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import openpyxl

from main import main
from model.demo.cohort import demo_study
from model.interchange.study_files import write_study
from model.store.study import Store

ROOT = Path(__file__).resolve().parents[1]

#: Cells that are valid somewhere but at an edge: the calendar's ends, the largest values.
_EDGE = ["0001-01-01", "9999-12-31", "1000", "120", "0", "", "x" * 40_000, "liver 2024-03-05",
         "Dr Smith", "=1+1", "P3", "T9", "new", "present", "yes"]  # fmt: skip

#: Cells that break rules, or nearly do.
_NASTY = ["", " ", "P1 ", "0001-01-01", "9999-12-31", "2024-02-30", "1611", "150", "-1", "1e3",
          "nan", "inf", "=1+1", "\x00", "\x0b", "x" * 40_000, "9" * 5000, "target", "absent",
          "yes", "P2", "T1", "\ufeff", '"', "\r\n", "12,5", "0", "1000.0000000000001"]  # fmt: skip


def run(argv: list[str]) -> tuple[int, str]:
    """Returns (exit status, stderr) of main.py with `argv`, run in this process."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, err.getvalue()


def fingerprint(study: Path) -> tuple:
    """Returns what a refused import must leave as it was: the data and the audit trail."""
    with Store.open(study, read_only=True) as store:
        return store.study_data(), store.audit_head()


def mutated_rows(rows: list[list[str]], rng: random.Random) -> list[list[str]]:
    rows = [list(row) for row in rows]
    for _ in range(rng.randint(1, 2)):
        row, other = rng.choice(rows[1:] or rows), rng.choice(rows[1:] or rows)
        if row and len(other) == len(row):
            column = rng.randrange(len(row))
            roll = rng.random()
            row[column] = (other[column] if roll < 0.5 else rng.choice(_EDGE) if roll < 0.8
                           else rng.choice(_NASTY))  # fmt: skip
    if rng.random() < 0.2:
        rows.append(list(rng.choice(rows)))  # a repeated row
    return rows


def mutated_bytes(content: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(content) + 1)
        content = (
            content[:at]
            + rng.choice([b"", b",", b"\n", b'"', b"\xff", b"\x00"])
            + (content[at + rng.randint(0, 4) :])
        )
    return content


def make_input(valid: dict[str, list[list[str]]], folder: Path, rng: random.Random) -> Path:
    """Writes one mutated import (a CSV folder or a workbook) into `folder`; returns it."""
    kind = rng.choice(["csv-cells", "csv-bytes", "xlsx-cells", "xlsx-bytes"])
    tables = {name: mutated_rows(rows, rng) if rng.random() < 0.35 else rows
              for name, rows in valid.items()}  # fmt: skip
    if kind.startswith("csv"):
        for name, rows in tables.items():
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(rows)
            content = text.getvalue().encode("utf-8", "surrogatepass")
            if kind == "csv-bytes":
                content = mutated_bytes(content, rng)
            (folder / f"{name}.csv").write_bytes(content)
        return folder
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("?", c) for c in row])
    path = folder / "study.xlsx"
    book.save(path)
    if kind == "xlsx-bytes":
        path.write_bytes(mutated_bytes(path.read_bytes(), rng))
    return path


def fuzz(count: int, work: Path) -> Counter:
    """Feeds `count` mutated imports to `import` and `assess`; returns the outcomes."""
    rng = random.Random(14)
    base, valid_folder = work / "base.nadir", work / "valid"
    with Store.open(base) as store:
        store.import_study_data(demo_study(3))
    write_study(demo_study(4), valid_folder)
    valid = {p.stem: list(csv.reader(p.open(encoding="utf-8"))) for p in valid_folder.glob("*.csv")}
    before = fingerprint(base)
    outcomes: Counter = Counter()
    for number in range(count):
        folder = work / f"in{number}"
        folder.mkdir()
        source = make_input(valid, folder, rng)
        study = work / "study.nadir"
        shutil.copyfile(base, study)
        status, err = run(["import", str(source), "--db", str(study)])
        _check(status, err, f"import {source}")
        outcomes[f"import exit {status}"] += 1
        if status == 2:
            assert fingerprint(study) == before, f"refused import changed the study: {source}"
        elif number % 5 == 0:
            assert run(["verify", "--db", str(study)])[0] == 0, source
            key, out = work / "k.key", work / f"out{number}"
            status_export, err = run(["export", "--db", str(study), "--out", str(out),
                                      "--pseudonymise", "--key-file", str(key)])  # fmt: skip
            _check(status_export, err, f"export of {source}")
            outcomes[f"pseudonymised export exit {status_export}"] += 1
            shutil.rmtree(out, ignore_errors=True)
        measurements = folder / "measurements.csv" if source.is_dir() else source
        if measurements.exists():
            args = ["assess", str(measurements), "--json"]
            if source.is_dir() and (folder / "patients.csv").exists():
                args += ["--patients", str(folder / "patients.csv")]
            status, err = run(args)
            _check(status, err, f"assess {source}")
            outcomes[f"assess exit {status}"] += 1
        shutil.rmtree(folder)
        for leftover in work.glob("study.nadir*"):
            leftover.unlink()
    return outcomes


def _check(status: int, err: str, what: str) -> None:
    assert status in (0, 2), f"{what}: exit {status}: {err[:500]}"
    assert "Traceback" not in err and "internal error" not in err, f"{what}: {err[:500]}"


#: The killed process: merges argv[2] into argv[1] once, after saying it started.
_MERGER = """
import sys
from main import main
print("started", flush=True)
main(["merge", "--db", sys.argv[1], sys.argv[2]])
"""


def kill_merges(kills: int, work: Path) -> int:
    """Kills `kills` merges at random; each leaves the target before or after the merge,
    whole and with its audit trail verified. Returns how many were killed, not finished."""
    from model.domain import Status
    from model.editing.edits import SetObservation
    from tests.model.double_reading.builders import FOLLOW_UP, double_read

    template, copy = work / "t.nadir", work / "copy.nadir"
    with Store.open(template) as store:
        store.import_study_data(double_read({f"P{i}": ("PR", "SD") for i in range(60)}))
        store.backup(copy)
    with Store.open(copy) as store:
        for i in range(60):
            store.apply(SetObservation(f"P{i}", "T1", FOLLOW_UP, "C", Status.MEASURED, 40.0))
    before = fingerprint(template)[0]
    killed = 0
    for attempt in range(kills):
        target = work / f"target{attempt}.nadir"
        shutil.copyfile(template, target)
        process = subprocess.Popen([sys.executable, "-c", _MERGER, str(target), str(copy)],
                                   cwd=ROOT, stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert process.stdout.readline().strip() == "started"
        time.sleep(random.uniform(0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed += process.returncode == -signal.SIGKILL
        assert run(["verify", "--db", str(target)])[0] == 0, target
        with Store.open(target, read_only=True) as store:
            data = store.study_data()
        cells = {m.diameter_mm for m in data.measurements if m.reader == "C"}
        assert data == before or cells == {40.0}, "a merge left part of itself"
    return killed


def kills(per_operation: int, work: Path) -> dict[str, int]:
    """Kills imports, edits, migrations, restores, exports and merges; returns the kills."""
    import pytest

    import tests.model.store.test_crash_safety as crash
    from tests.model.interchange.test_folders import kill_exports

    crash.KILLS = per_operation
    folders = {name: work / name for name in ("edit", "import", "migrate", "restore", "export",
                                              "merge")}  # fmt: skip
    for folder in folders.values():
        folder.mkdir()
    crash.test_killed_edits_leave_the_last_committed_edit_or_the_one_in_flight(folders["edit"])
    crash.test_a_killed_import_leaves_all_or_none_of_it(folders["import"])
    with pytest.MonkeyPatch.context() as patch:
        crash.test_a_killed_migration_leaves_a_study_that_opens_with_its_data(
            folders["migrate"], patch
        )
    crash.test_a_killed_restore_leaves_the_study_before_or_after_it(folders["restore"])
    for name in ("edit", "import", "migrate", "restore"):
        for study in folders[name].glob("*.nadir"):
            status, err = run(["verify", "--db", str(study)])
            assert status == 0, f"{study}: {err}"
    counted = dict(crash.KILLED)
    counted["export"] = kill_exports(folders["export"] / "out", per_operation)
    counted["merge"] = kill_merges(per_operation, folders["merge"])
    return counted


if __name__ == "__main__":
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 5300
    per_operation = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        fuzz_folder = Path(tmp) / "fuzz"
        fuzz_folder.mkdir()
        outcomes = fuzz(files, fuzz_folder)
        print(f"{files} mutated imports ({time.perf_counter() - started:.0f} s): "
              f"{dict(sorted(outcomes.items()))}", flush=True)  # fmt: skip
        started = time.perf_counter()
        kill_folder = Path(tmp) / "kills"
        kill_folder.mkdir()
        killed = kills(per_operation, kill_folder)
        took = time.perf_counter() - started
        print(
            f"{sum(killed.values())} processes killed ({took:.0f} s): {killed}; every study "
            "whole, verified and all-or-none; every export whole"
        )
