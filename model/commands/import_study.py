"""`python main.py import PATH --db STUDY`: read a folder of CSV files (or one .xlsx workbook)
into a study file, all or nothing (interchange spec, "Headless commands")."""

from __future__ import annotations

import argparse
from pathlib import Path

from model.errors import InputError

HELP = "Import a folder of CSV files or an .xlsx workbook into a study file, all or nothing."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments of `import`."""
    parser.add_argument(
        "path", metavar="PATH", type=Path, help="folder of CSV files, or an .xlsx workbook"
    )
    parser.add_argument(
        "--db",
        metavar="STUDY",
        type=Path,
        required=True,
        help="study file (*.nadir), created when it does not exist",
    )


def run(args: argparse.Namespace) -> int:
    """Prints a one-line summary of the import; returns the exit status 0.

    Raises InputError (exit status 2) on bad input; the study is then left
    as it was, and a study file this command created is removed again.
    """
    # Imported here: every command's module is loaded to build main.py's parser.
    from model.interchange.study_files import read_study
    from model.store.study import Store

    data = read_study(args.path)
    created = not args.db.exists()
    try:
        with Store.open(args.db) as store:
            summary = store.import_study_data(data)
    except InputError:
        if created:
            _remove_study_file(args.db)
        raise
    print(f"{args.db}: {summary}")
    return 0


def _remove_study_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
