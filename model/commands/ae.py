"""`ae` command: adverse events by arm (analysis.md, `ae`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from model.commands.json_output import dumps
from model.commands.table_files import add_table_file_arguments, write_table_files

HELP = "Adverse events by arm: patients at their highest grade, overall and per term."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments on `parser`."""
    parser.add_argument("adverse_events", metavar="ADVERSE_EVENTS", help="adverse_events.csv")
    parser.add_argument(
        "--patients",
        required=True,
        metavar="PATIENTS",
        help="patients.csv (the arms and their patients)",
    )
    parser.add_argument(
        "--related",
        action="store_true",
        help="count only events attributed to something (not blank, not unrelated)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    add_table_file_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print the adverse-event table; returns the exit status (InputError on bad input)."""
    from model.interchange.study_files import read_files
    from model.stats.adverse_events import ae_table

    data = read_files(patients=Path(args.patients), adverse_events=Path(args.adverse_events))
    document = ae_table(data.patients, data.adverse_events, related=args.related)
    write_table_files(args, lambda: _manuscript_table(document, args.related))
    print(dumps(document) if args.json else _as_text(document))
    return 0


def _manuscript_table(document: dict, related: bool):
    """The adverse-event table as a manuscript table."""
    from model.exports.manuscript import ae_table as manuscript_ae_table

    return manuscript_ae_table(document, related=related)


def _as_text(document: dict) -> str:
    """A short human-readable rendering of the ae document."""
    lines = []
    for arm in document["arms"]:
        lines.append(
            f"{arm['arm']} (n={arm['n']}): any {arm['any']['n']}, "
            f"grade >= 3 {arm['grade_3_plus']['n']}, grade 5 {arm['grade_5']['n']}"
        )
    for term in document["terms"]:
        cells = ", ".join(
            f"{arm} {c['any_grade']['n']} ({c['grade_1_2']['n']}/{c['grade_3_4']['n']}/"
            f"{c['grade_5']['n']})"
            for arm, c in term["arms"].items()
        )
        lines.append(f"  {term['term']}: {cells}")
    return "\n".join(lines)
