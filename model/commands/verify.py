"""`python main.py verify --db STUDY`: check a study file wholly, as opening it for writing does
in the background: SQLite's full integrity check (indexes included), the audit machinery, the
audit chain and the data against the audit trail (issue 14, attacks 2 and 4)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = (
    "Check a study file: its integrity, its audit triggers, its audit chain and its data "
    "against the audit trail; exit status 2 naming the first problems."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments of `verify`."""
    parser.add_argument("--db", metavar="STUDY", type=Path, required=True, help="study file")


def run(args: argparse.Namespace) -> int:
    """Prints what was checked; returns the exit status 0 when the study is sound.

    Raises InputError (exit status 2) naming every problem found, the file
    untouched (it is opened read-only).
    """
    # Imported here: every command's module is loaded to build main.py's parser.
    from model.errors import InputError, InputProblem
    from model.store.study import Store

    with Store.open(args.db, create=False, read_only=True, full_check=True) as store:
        problems, identity = list(store.problems), store.identity()
        entries, head = store.audit_head()
    if problems:
        raise InputError([InputProblem(problem, file=str(args.db)) for problem in problems])
    print(
        f"{args.db}: sound: study {identity}; file whole (full integrity check); audit "
        f"triggers as Nadir made them; {entries} audit entries chained, head {head or '-'}; "
        "every row as the audit trail says"
    )
    return 0
