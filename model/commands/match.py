"""`match` command: propensity score matching (analysis.md, `match`)."""

from __future__ import annotations

import argparse
import math

from model.commands.json_output import dumps, number
from model.commands.table_files import add_table_file_arguments, write_table_files
from model.errors import InputError, InputProblem

HELP = "Propensity score matching: 1:1 nearest neighbour on a logistic score, with balance."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments on `parser`."""
    parser.add_argument("table", metavar="TABLE", help="CSV file, one row per patient")
    parser.add_argument("--treatment", required=True, metavar="COL", help="column of treatment")
    parser.add_argument(
        "--treated",
        required=True,
        metavar="VALUE",
        help="the treatment column's value of the treated",
    )
    parser.add_argument(
        "--covariates", required=True, metavar="A,B,...", help="columns of the propensity model"
    )
    parser.add_argument(
        "--factors", metavar="A,B,...", help="columns to treat as categorical even when numeric"
    )
    parser.add_argument(
        "--ref",
        action="append",
        default=[],
        metavar="COL=LEVEL",
        help="reference level of a categorical covariate (repeatable)",
    )
    parser.add_argument(
        "--id", metavar="COL", help="identifier column (default patient_id when present)"
    )
    parser.add_argument("--caliper", type=float, metavar="W", help="absolute caliper width")
    parser.add_argument(
        "--caliper-sd",
        type=float,
        metavar="K",
        help="caliper of K standard deviations of the score",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    add_table_file_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print the match; returns the exit status (InputError on bad input)."""
    _check_caliper(args.caliper, args.caliper_sd)
    # Imported here so that building main.py's parser does not load numpy and scipy.
    from model.stats.matching import match_document
    from model.stats.patient_table import parse_refs, read_patient_table, split_names

    covariates = split_names(args.covariates)
    if not covariates:
        raise InputError(InputProblem("--covariates names no column", value=args.covariates))
    table = read_patient_table(
        args.table,
        id_column=args.id,
        columns=[args.treatment, *covariates],
        factors=[args.treatment, *split_names(args.factors)],
        refs=parse_refs(args.ref),
    )
    document = match_document(table, args.treatment, args.treated, covariates,
                              caliper=args.caliper, caliper_sd=args.caliper_sd)  # fmt: skip
    write_table_files(args, lambda: _manuscript_table(document))
    print(dumps(document) if args.json else _as_text(document))
    return 0


def _manuscript_table(document: dict):
    """The balance before and after matching as a manuscript table."""
    from model.exports.manuscript import balance_table

    return balance_table(document)


def _check_caliper(caliper: float | None, caliper_sd: float | None) -> None:
    """InputError for both calipers at once, or a width that is not a number >= 0."""
    if caliper is not None and caliper_sd is not None:
        raise InputError("--caliper and --caliper-sd cannot be used together")
    for option, value in (("--caliper", caliper), ("--caliper-sd", caliper_sd)):
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise InputError(InputProblem(f"{option} must be a number >= 0", value=str(value)))


def _as_text(document: dict) -> str:
    """A short human-readable rendering of the match document."""
    lines = [
        f"treated {document['n_treated']}, control {document['n_control']}, "
        f"dropped {document['dropped']}, caliper {number(document['caliper'])}",
        f"pairs {len(document['pairs'])}, unmatched treated {len(document['unmatched_treated'])}",
        "balance (SMD before -> after):",
    ]
    for row in document["balance"]:
        name = row["covariate"] + (f" = {row['level']}" if row["level"] is not None else "")
        lines.append(f"  {name}: {number(row['smd_before'])} -> {number(row['smd_after'])}")
    return "\n".join(lines)
