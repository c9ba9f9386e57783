"""`forest` command: hazard ratios of two groups within subgroups, with interaction tests.

The JSON document's shape is the analysis contract's (shared/spec/analysis.md, `forest`);
the table is read by its rules for "Tables of one row per patient".
"""

from __future__ import annotations

import argparse

from model.commands.cox import add_table_arguments
from model.commands.json_output import dumps
from model.commands.table_files import add_table_file_arguments, write_table_files

HELP = "Hazard ratio of the second group against the first within each subgroup level."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments on `parser`."""
    parser.add_argument("table", metavar="TABLE", help="CSV file, one row per patient")
    parser.add_argument("--time", required=True, metavar="COL", help="column of times (>= 0)")
    parser.add_argument("--event", required=True, metavar="COL", help="column of events (1 or 0)")
    parser.add_argument("--group", required=True, metavar="COL", help="column of the two groups")
    parser.add_argument(
        "--subgroups", required=True, metavar="A,B,...", help="subgroup columns, in order"
    )
    add_table_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    add_table_file_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print the forest table; returns the exit status (InputError if bad)."""
    # Imported here so that building main.py's parser does not load numpy and scipy.
    from model.errors import InputError, InputProblem
    from model.stats.forest import forest_document
    from model.stats.patient_table import read_patient_table, split_names

    subgroups = split_names(args.subgroups)
    if not subgroups or len(set(subgroups)) < len(subgroups):
        raise InputError(
            InputProblem("--subgroups must name each column once", value=args.subgroups)
        )
    table = read_patient_table(
        args.table,
        id_column=args.id,
        columns=[args.time, args.event, *subgroups],
        factors=split_names(args.factors),
        group=args.group,
    )
    document = forest_document(table, args.time, args.event, args.group, subgroups)
    write_table_files(args, lambda: _manuscript_table(document))
    print(dumps(document) if args.json else as_text(document))
    return 0


def _manuscript_table(document: dict):
    """The subgroup hazard ratios as a manuscript table."""
    from model.exports.manuscript import forest_table

    return forest_table(document)


def as_text(document: dict) -> str:
    """A short human-readable rendering of the forest document."""
    first, second = document["groups"]
    lines = [f"hazard ratio of {second} against {first}"]
    for row in document["rows"]:
        name = "all" if row["subgroup"] is None else f"{row['subgroup']} = {row['level']}"
        lines.append(
            f"  {name}: n={row['n'][first]}/{row['n'][second]} HR {row['hazard_ratio']} "
            f"(95% CI {row['hr_ci_low']} to {row['hr_ci_high']}), p={row['p']}"
        )
    for test in document["interactions"]:
        lines.append(f"  interaction {test['subgroup']}: p={test['interaction_p']} df={test['df']}")
    return "\n".join(lines)
