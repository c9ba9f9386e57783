"""`python main.py merge --db TARGET SOURCE` (issue #7, part 5): merges, lists conflicts on
stdout, exits 2 on bad input writing nothing (interchange spec, "Headless commands")."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from model.commands import merge
from model.domain import Status
from model.editing.edits import SetObservation
from model.errors import InputError
from model.store.backup_files import list_backups
from model.store.study import Store
from tests.model.double_reading.builders import FOLLOW_UP, double_read


def _args(target, source) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    merge.add_arguments(parser)
    return parser.parse_args(["--db", str(target), str(source)])


@pytest.fixture
def copies(tmp_path):
    """Returns the paths of a study and of a copy of it, each with one change of A's T1."""
    target, source = tmp_path / "study.nadir", tmp_path / "copy.nadir"
    with Store.open(target) as store:
        store.import_study_data(double_read({"P1": ("PR", "SD")}))
        store.backup(source)
        store.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 31.0))
    with Store.open(source) as store:
        store.apply(SetObservation("P1", "T1", FOLLOW_UP, "A", Status.MEASURED, 33.0))
        store.apply(SetObservation("P1", "T1", date(2024, 1, 10), "B", Status.MEASURED, 52.0))
    return target, source


def test_merge_prints_what_it_took_and_each_conflict(copies, capsys):
    """Issue #7: conflicts are listed on stdout; the target keeps its value."""
    target, source = copies
    assert merge.run(_args(target, source)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "merged: 0 rows added, 1 changed, 0 removed (0 new patients); 1 conflicts"
    assert lines[1].startswith(f"conflict: P1: T1 on {FOLLOW_UP} by A: kept ")
    with Store.open(target) as store:
        (b_baseline,) = [m for m in store.study_data().measurements if m.diameter_mm == 52.0]
        assert b_baseline.reader == "B"


@pytest.mark.parametrize("which", ["missing", "itself", "not a study"])
def test_bad_input_is_refused(copies, tmp_path, which):
    """Interchange spec: bad input raises InputError (exit status 2) and writes nothing."""
    target, source = copies
    if which == "missing":
        source = tmp_path / "missing.nadir"
    elif which == "itself":
        source = target
    else:
        source = tmp_path / "notes.nadir"
        source.write_text("not a study")
    before = target.read_bytes()
    with pytest.raises(InputError):
        merge.run(_args(target, source))
    assert target.read_bytes() == before


def test_an_unrelated_study_is_refused_by_the_command_naming_both(copies, tmp_path):
    """Issue 14, attack 1, as it was made: `merge --db A B` with B an unrelated study."""
    target, _ = copies
    other = tmp_path / "other.nadir"
    with Store.open(other) as store:
        store.import_study_data(double_read({"P1": ("SD", "SD")}))
    before = target.read_bytes()
    with pytest.raises(InputError, match="other.nadir is not a copy of .*study.nadir"):
        merge.run(_args(target, other))
    assert target.read_bytes() == before


def test_the_command_backs_the_target_up_before_merging(copies, capsys):
    target, source = copies
    with Store.open(target, read_only=True) as store:
        before = store.study_data()
    assert merge.run(_args(target, source)) == 0
    (backup,) = list_backups(target)
    assert backup.kind == "before-merge"
    with Store.open(backup.path, read_only=True) as kept:
        assert kept.study_data() == before
