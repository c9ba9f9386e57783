"""`python main.py export --db STUDY --out FOLDER`: write a study back as the interchange
files, so that export then import gives the same study (interchange spec, "Headless commands")."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "Export a study file as CSV files (or an .xlsx workbook) that import reads back."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments of `export`."""
    parser.add_argument("--db", metavar="STUDY", type=Path, required=True, help="study file")
    parser.add_argument(
        "--out", metavar="FOLDER", type=Path, required=True, help="folder to write into"
    )
    parser.add_argument(
        "--xlsx",
        action="store_true",
        help="write one workbook FOLDER/<STUDY name>.xlsx instead of CSV files",
    )
    parser.add_argument(
        "--format",
        choices=("sdtm", "xlsx"),
        help="instead of the interchange files: sdtm writes CDISC SDTM dm/tu/tr/rs .csv and "
        ".xpt (SAS transport v5); xlsx writes the whole study with responses and endpoints, "
        "for reading, as FOLDER/<STUDY name>-study.xlsx",
    )


def run(args: argparse.Namespace) -> int:
    """Prints what was written; returns the exit status 0.

    Raises InputError (exit status 2) when STUDY is missing or not a Nadir study.
    """
    # Imported here: every command's module is loaded to build main.py's parser.
    from model.interchange import write_study, write_workbook
    from model.store import Store

    with Store.open(args.db, create=False) as store:
        data, settings = store.study_data(), store.settings()
    if args.format is not None:
        return _export_analysed(data, settings, args)
    if args.xlsx:
        args.out.mkdir(parents=True, exist_ok=True)
        target = args.out / f"{args.db.stem}.xlsx"
        write_workbook(data, target)
        written = [target]
    else:
        written = write_study(data, args.out)
    print(
        f"exported {len(data.patients)} patients, {len(data.measurements)} measurements, "
        f"{len(data.scans)} scans, {len(data.events)} events to "
        + ", ".join(str(path) for path in written)
    )
    return 0


def _export_analysed(data, settings, args: argparse.Namespace) -> int:
    """Writes the study with its judged responses as SDTM or a workbook (issue #9)."""
    from model.analysis import analyse
    from model.sdtm import study_id_for, write_sdtm
    from model.workbook import write_study_workbook

    analysis = analyse(data, settings)
    if args.format == "sdtm":
        written = write_sdtm(analysis, args.out, study_id=study_id_for(args.db.stem))
    else:
        written = [write_study_workbook(analysis, args.out / f"{args.db.stem}-study.xlsx")]
    for path in written:
        print(path)
    return 0
