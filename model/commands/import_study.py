"""`python main.py import PATH --db STUDY [--format interchange|sdtm|dicom-sr|redcap]`: read a
folder of CSV files (or one .xlsx workbook), a folder of SDTM datasets or a REDCap export into
a study file, all or nothing (interchange spec, "Headless commands"; issues 13 and 21); merge
DICOM SR measurement reports into a study after a preview (model/commands/import_sources.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model.commands.import_sources import (
    add_source_arguments,
    chosen_format,
    merge_reports,
    read_redcap_export,
)
from model.errors import InputError
from model.importing import DICOM_SR, FORMATS, REDCAP

HELP = (
    "Import a folder of CSV files, an .xlsx workbook, a folder of SDTM datasets or a REDCap "
    "export into a study file, all or nothing; or merge DICOM SR measurement reports into one."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments of `import`."""
    parser.add_argument(
        "path",
        metavar="PATH",
        type=Path,
        help="folder of CSV files, an .xlsx workbook, a folder of SDTM datasets "
        "(dm, tu and tr as .csv or .xpt), a DICOM SR file or folder, or a REDCap export (.csv)",
    )
    parser.add_argument(
        "--db",
        metavar="STUDY",
        type=Path,
        required=True,
        help="study file (*.nadir), created when it does not exist",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="how PATH is written; by default sdtm for a folder holding dm, tu or tr datasets "
        "and neither patients.csv nor measurements.csv, dicom-sr for a DICOM file or a folder "
        "holding DICOM files and neither, redcap with --mapping, else interchange",
    )
    add_source_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Prints a one-line summary of the import; returns the exit status 0.

    Raises InputError (exit status 2) on bad input; the study is then left
    as it was, and a study file this command created is removed again.
    """
    # Imported here: every command's module is loaded to build main.py's parser.
    from model.commands.json_output import warn
    from model.importing import read_any, source_files
    from model.store.study import Store

    chosen = chosen_format(args)
    if chosen == DICOM_SR:
        return merge_reports(args)
    if chosen == REDCAP:
        imported = read_redcap_export(args)
        data = imported.data
        sources = source_files(args.path, args.mapping, args.dictionary)
    else:
        data = read_any(args.path, chosen)
        sources = source_files(args.path)
    created = not args.db.exists()
    try:
        with Store.open(args.db, full_check=True) as store:
            warn(store)
            summary = store.import_study_data(data, sources=sources)
    except InputError:
        if created:
            _remove_study_file(args.db)
        raise
    print(f"{args.db}: {summary}")
    return 0


def _remove_study_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
