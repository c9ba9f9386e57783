"""`python main.py report --db STUDY --out FOLDER`: the study's summary (summary.json and
summary.md) and, where a figure writer is available, its plots (issue #3 and #5).

The study is read without its lock (Store.open(read_only=True)): a report writes
nothing into it, so it is made as well of a study another Nadir has open for
editing (issue 15, item 3), from what that Nadir has saved, which is every edit.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from model.analysis import StudyAnalysis

from model.commands.privacy_options import add_privacy_arguments, study_to_write

HELP = "Write the study's summary (summary.json, summary.md), tables and figures into a folder."
#: The subfolder of the manuscript tables (Word, Excel, CSV; issue 18).
TABLES = "tables"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments of `report` (interchange spec, "Headless commands")."""
    parser.add_argument("--db", metavar="STUDY", type=Path, required=True, help="study file")
    parser.add_argument("--out", metavar="FOLDER", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--no-figures", action="store_true", help="write the summary only, without the plots"
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="also write report.pdf: title page, summary table, plots, per-patient appendix",
    )
    add_privacy_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Writes the report files and lists them on stdout; returns the exit status 0.

    The folder is written whole and put in place at once, owner-only
    (model/interchange/folders.py); with --pseudonymise the report shows codes,
    shifted dates and no override reasons, as a pseudonymised export does.
    The figures and the PDF need Qt, which model/ never imports: main.py hands
    the writers in as `args.write_figures(analysis, summary, folder) -> list[Path]` and
    `args.write_pdf(analysis, summary, path, study_name) -> Path`.
    """
    # Imported here so that building main.py's parser stays fast for every command.
    from model.collector import collector_paused

    # The analysed study is a heap of a million objects without cycles: every full collection
    # walked it again while the summary and the tables were built (issue 19).
    with collector_paused():
        analysis, summary, name = study_report(args.db, args)
        written = _write(args, analysis, summary, name)
    for path in written:
        print(path)
    return 0


def _write(
    args: argparse.Namespace, analysis: StudyAnalysis, summary: dict[str, Any], name: str
) -> list[Path]:
    """Writes the report's files into the folder args.out whole; their paths there."""
    from model.exports.report import write_summary
    from model.exports.report_outcomes import write_report_tables
    from model.interchange.folders import new_folder

    with new_folder(args.out) as partial:
        written = write_summary(summary, partial)
        written += write_report_tables(summary, partial / TABLES)
        write_figures = getattr(args, "write_figures", None)
        if write_figures is not None and not args.no_figures:
            written += write_figures(analysis, summary, partial)
        if args.pdf:
            written.append(args.write_pdf(analysis, summary, partial / "report.pdf", name))
    return [args.out / path.relative_to(partial) for path in written]


def study_report(
    db: Path, options: argparse.Namespace | None = None
) -> tuple[StudyAnalysis, dict[str, Any], str]:
    """Returns the study at `db` analysed, its summary (model/exports/report.py) and the name
    it goes by, pseudonymised when `options` ask (`report --pseudonymise`); read without
    taking the study's lock: also while another Nadir edits it."""
    from model.analysis import analyse
    from model.commands.json_output import warn
    from model.exports.report import study_summary
    from model.store.study import Store

    options = options or argparse.Namespace(db=db)
    # A report of a large study would pay the background checks' seconds and never hear of
    # them (issue 19): it takes the checks made on opening.
    with Store.open(db, create=False, read_only=True, background_checks=False) as store:
        warn(store)
        study = study_to_write(store, options)
        # A saved set names patients: a pseudonymised report leaves the sets out.
        saved = () if getattr(options, "pseudonymise", False) else store.analysis_sets()
    analysis = analyse(study.data, study.settings, *study.decisions)
    return analysis, study_summary(analysis, analysis_sets=saved), study.name
