"""`python main.py export --db STUDY --out FOLDER`: write a study back as the interchange
files, so that export then import gives the same study (interchange spec, "Headless commands")."""

from __future__ import annotations

import argparse
from pathlib import Path

from model.commands.privacy_options import StudyToWrite, add_privacy_arguments, study_to_write

HELP = "Export a study file as CSV files (or an .xlsx workbook) that import reads back."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments of `export`."""
    parser.add_argument("--db", metavar="STUDY", type=Path, required=True, help="study file")
    parser.add_argument(
        "--out", metavar="FOLDER", type=Path, required=True, help="folder to write into"
    )
    # Two different workbooks: the interchange one reads back, the study one is for reading.
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--xlsx",
        action="store_true",
        help="write one interchange workbook FOLDER/<STUDY name>.xlsx (import reads it back) "
        "instead of CSV files",
    )
    what.add_argument(
        "--format",
        choices=("sdtm", "xlsx", "redcap"),
        help="instead of the interchange files: sdtm writes CDISC SDTM dm/tu/tr/rs .csv and "
        ".xpt (SAS transport v5); xlsx writes the whole study with responses and endpoints, "
        "for reading, as FOLDER/<STUDY name>-study.xlsx; redcap writes a REDCap import-ready "
        "FOLDER/<STUDY name>-redcap.csv for --mapping",
    )
    parser.add_argument(
        "--mapping",
        metavar="FILE",
        type=Path,
        help="with --format redcap: the project's mapping (JSON or YAML), as import reads it",
    )
    parser.add_argument(
        "--dictionary",
        metavar="FILE",
        type=Path,
        help="with --format redcap: the project's data dictionary, when the mapping names none",
    )
    add_privacy_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Prints what was written; returns the exit status 0.

    Raises InputError (exit status 2) when STUDY is missing or not a Nadir study.
    The study is read read-only, so that it may be open in the app meanwhile.
    Every file is readable by its owner only; CSV and SDTM exports are written
    as a whole folder put in place at once (model/interchange/folders.py).
    """
    # Imported here: every command's module is loaded to build main.py's parser.
    from model.commands.json_output import warn
    from model.interchange.folders import make_folder
    from model.interchange.study_files import write_study, write_workbook
    from model.store.study import Store

    with Store.open(args.db, create=False, read_only=True) as store:
        warn(store)
        study = study_to_write(store, args)
    data = study.data
    if args.format == "redcap" or args.mapping or args.dictionary:
        return _export_redcap(study, args)
    if args.format is not None:
        return _export_analysed(study, args)
    if args.xlsx:
        make_folder(args.out)
        target = args.out / f"{study.name}.xlsx"
        write_workbook(data, target)
        written = [target]
    else:
        written = write_study(data, args.out)
    print(
        f"exported {len(data.patients)} patients, {len(data.measurements)} measurements, "
        f"{len(data.scans)} scans, {len(data.events)} events, "
        f"{len(data.adverse_events)} adverse events, {len(data.variables)} declared variables to "
        + ", ".join(str(path) for path in written)
    )
    return 0


def _export_redcap(study: StudyToWrite, args: argparse.Namespace) -> int:
    """Writes the study as a REDCap import-ready CSV for the mapping (issue 21), owner-only."""
    from model.errors import InputError
    from model.interchange.folders import make_folder
    from model.sources.redcap_mapping import read_mapping
    from model.sources.redcap_out import write_redcap

    if args.format != "redcap" or args.mapping is None:
        raise InputError("--format redcap and --mapping FILE go together")
    make_folder(args.out)
    target = args.out / f"{study.name}-redcap.csv"
    written = write_redcap(study.data, read_mapping(args.mapping), target, args.dictionary)
    print(written)
    return 0


def _export_analysed(study: StudyToWrite, args: argparse.Namespace) -> int:
    """Writes the study with its judged responses as SDTM or a workbook (issue #9); the
    readers' decisions (overrides, adjudications) count as in the app."""
    from model.analysis import analyse
    from model.exports.workbook import write_study_workbook
    from model.interchange.folders import make_folder, new_folder
    from model.sdtm.datasets import study_id_for, write_sdtm

    analysis = analyse(study.data, study.settings, *study.decisions)
    if args.format == "sdtm":
        study_id = study_id_for(study.name)
        with new_folder(args.out) as partial:
            names = [path.name for path in write_sdtm(analysis, partial, study_id=study_id)]
        written = [args.out / name for name in names]
    else:
        make_folder(args.out)
        written = [write_study_workbook(analysis, args.out / f"{study.name}-study.xlsx")]
    for path in written:
        print(path)
    return 0
