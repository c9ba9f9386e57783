"""`python main.py report --db STUDY --out FOLDER`: the study's summary (summary.json and
summary.md) and, where a figure writer is available, its plots (issue #3 and #5)."""

from __future__ import annotations

import argparse
from pathlib import Path

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


def run(args: argparse.Namespace) -> int:
    """Writes the report files and lists them on stdout; returns the exit status 0.

    The figures and the PDF need Qt, which model/ never imports: main.py hands
    the writers in as `args.write_figures(analysis, folder) -> list[Path]` and
    `args.write_pdf(analysis, summary, path, study_name) -> Path`.
    """
    # Imported here so that building main.py's parser stays fast for every command.
    from model.analysis import analyse
    from model.exports.report import study_summary, write_summary
    from model.exports.report_outcomes import write_report_tables
    from model.store.study import Store

    with Store.open(args.db, create=False) as store:
        analysis = analyse(
            store.study_data(), store.settings(), store.overrides(), store.adjudications()
        )
        saved = store.analysis_sets()
    summary = study_summary(analysis, analysis_sets=saved)
    written = write_summary(summary, args.out)
    written += write_report_tables(summary, args.out / TABLES)
    write_figures = getattr(args, "write_figures", None)
    if write_figures is not None and not args.no_figures:
        written += write_figures(analysis, args.out)
    if args.pdf:
        written.append(args.write_pdf(analysis, summary, args.out / "report.pdf", args.db.stem))
    for path in written:
        print(path)
    return 0
