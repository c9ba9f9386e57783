"""`python main.py merge --db TARGET SOURCE`: merge a copy of a study (a radiologist's offline
reads) back into the study it was copied from; conflicts are listed, not overwritten
(issue #7, part 5; model/merge/study.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = (
    "Merge SOURCE, a copy of the study taken earlier, into the study TARGET: changes made in "
    "one copy only are taken; rows both changed differently are listed and TARGET's kept."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments of `merge`."""
    parser.add_argument("--db", metavar="TARGET", type=Path, required=True, help="study file")
    parser.add_argument("source", metavar="SOURCE", type=Path, help="the copy to merge in")


def run(args: argparse.Namespace) -> int:
    """Prints what was merged and each conflict, one per line; returns the exit status 0.

    Raises InputError (exit status 2) when a file is missing or not a Nadir study, or when
    SOURCE is TARGET itself.
    """
    # Imported here: every command's module is loaded to build main.py's parser.
    from model.commands.json_output import warn
    from model.errors import InputError, InputProblem
    from model.merge.study import merge_studies
    from model.store.study import Store

    if args.source.resolve() == args.db.resolve():
        raise InputError(InputProblem("a study cannot be merged into itself", str(args.source)))
    with (
        Store.open(args.db, create=False, full_check=True) as target,
        Store.open(args.source, create=False, read_only=True) as source,
    ):
        warn(target)
        report = merge_studies(target, source)
    print(report)
    for conflict in report.conflicts:
        print(f"conflict: {conflict}")
    return 0
