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
    parser.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace patient ids by codes, shift each patient's dates by a secret offset and "
        "drop free text (model/exports/privacy.py); needs --key-file",
    )
    parser.add_argument(
        "--key-file",
        metavar="KEY",
        type=Path,
        help="secret key of --pseudonymise: the same key gives the same codes and offsets; "
        "a missing file is created with a new random key (keep it private)",
    )
    parser.add_argument(
        "--keep",
        metavar="FIELD",
        action="append",
        default=[],
        help="with --pseudonymise, keep this free-text field (histology, stage, detail or an "
        "x_ column); may be repeated",
    )


def run(args: argparse.Namespace) -> int:
    """Prints what was written; returns the exit status 0.

    Raises InputError (exit status 2) when STUDY is missing or not a Nadir study.
    The study is read read-only, so that it may be open in the app meanwhile.
    Files of an export that is not pseudonymised are readable by their owner only.
    """
    # Imported here: every command's module is loaded to build main.py's parser.
    from model.interchange.study_files import write_study, write_workbook
    from model.store.study import Store

    with Store.open(args.db, create=False, read_only=True) as store:
        data, settings = store.study_data(), store.settings()
        decisions = (store.overrides(), store.adjudications())
    data, decisions = _pseudonymised(data, decisions, args)
    if args.format == "redcap" or args.mapping or args.dictionary:
        return _export_redcap(data, args)
    if args.format is not None:
        return _export_analysed(data, settings, decisions, args)
    if args.xlsx:
        args.out.mkdir(parents=True, exist_ok=True)
        target = args.out / f"{args.db.stem}.xlsx"
        write_workbook(data, target)
        written = [target]
    else:
        written = write_study(data, args.out)
    _make_private(written, args)
    print(
        f"exported {len(data.patients)} patients, {len(data.measurements)} measurements, "
        f"{len(data.scans)} scans, {len(data.events)} events, "
        f"{len(data.adverse_events)} adverse events, {len(data.variables)} declared variables to "
        + ", ".join(str(path) for path in written)
    )
    return 0


def _export_redcap(data, args: argparse.Namespace) -> int:
    """Writes the study as a REDCap import-ready CSV for the mapping (issue 21)."""
    from model.errors import InputError
    from model.sources.redcap_mapping import read_mapping
    from model.sources.redcap_out import write_redcap

    if args.format != "redcap" or args.mapping is None:
        raise InputError("--format redcap and --mapping FILE go together")
    target = args.out / f"{args.db.stem}-redcap.csv"
    written = write_redcap(data, read_mapping(args.mapping), target, args.dictionary)
    _make_private([written], args)
    print(written)
    return 0


def _export_analysed(data, settings, decisions, args: argparse.Namespace) -> int:
    """Writes the study with its judged responses as SDTM or a workbook (issue #9); the
    readers' `decisions` (overrides, adjudications) count as in the app."""
    from model.analysis import analyse
    from model.exports.workbook import write_study_workbook
    from model.sdtm.datasets import study_id_for, write_sdtm

    analysis = analyse(data, settings, *decisions)
    if args.format == "sdtm":
        written = write_sdtm(analysis, args.out, study_id=study_id_for(args.db.stem))
    else:
        written = [write_study_workbook(analysis, args.out / f"{args.db.stem}-study.xlsx")]
    _make_private(written, args)
    for path in written:
        print(path)
    return 0


def _pseudonymised(data, decisions, args: argparse.Namespace):
    """Returns `data` and the readers' `decisions`, pseudonymised when asked (issue #8,
    part 6)."""
    from model.errors import InputError
    from model.exports.privacy import pseudonymise, pseudonymise_decisions, read_key

    if not args.pseudonymise:
        if args.key_file or args.keep:
            raise InputError("--key-file and --keep go with --pseudonymise")
        return data, decisions
    if args.key_file is None:
        raise InputError("--pseudonymise needs --key-file KEY (the secret of the codes)")
    key, created = read_key(args.key_file)
    if created:
        print(
            f"created a new key in {args.key_file}: keep it private, and reuse it for the "
            "same codes"
        )
    return pseudonymise(data, key, args.keep), tuple(
        pseudonymise_decisions(items, key) for items in decisions
    )


def _make_private(paths, args: argparse.Namespace) -> None:
    """Makes an identifiable export readable by its owner only."""
    if not args.pseudonymise:
        for path in paths:
            path.chmod(0o600)
