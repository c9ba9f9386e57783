"""`cox` command: Cox proportional-hazards models on any covariates of a CSV table.

The JSON document's shape is the analysis contract's (shared/spec/analysis.md, `cox`);
the table is read by its rules for "Tables of one row per patient".
"""

from __future__ import annotations

import argparse

from model.commands.json_output import dumps
from model.commands.table_files import add_table_file_arguments, write_table_files

HELP = "Cox proportional-hazards models (Efron ties) on any covariates of a CSV table."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments on `parser`."""
    parser.add_argument("table", metavar="TABLE", help="CSV file, one row per patient")
    parser.add_argument("--time", required=True, metavar="COL", help="column of times (>= 0)")
    parser.add_argument("--event", required=True, metavar="COL", help="column of events (1 or 0)")
    parser.add_argument(
        "--covariates", required=True, metavar="A,B,...", help="covariate columns, in order"
    )
    add_table_arguments(parser)
    parser.add_argument(
        "--ref",
        action="append",
        metavar="COL=LEVEL",
        help="reference level of a categorical covariate (repeatable)",
    )
    parser.add_argument("--strata", metavar="COL", help="a separate baseline hazard per value")
    parser.add_argument("--univariable", action="store_true", help="one model per covariate alone")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    add_table_file_arguments(parser)


def add_table_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of every command on a table of one row per patient."""
    parser.add_argument("--id", metavar="COL", help="identifier column (default patient_id)")
    parser.add_argument(
        "--factors", metavar="A,B,...", help="columns to treat as categorical even if numeric"
    )


def run(args: argparse.Namespace) -> int:
    """Print the Cox models of the table; returns the exit status (InputError if bad)."""
    # Imported here so that building main.py's parser does not load numpy and scipy.
    from model.errors import InputError, InputProblem
    from model.stats.cox_models import cox_document
    from model.stats.patient_table import parse_refs, read_patient_table, split_names

    covariates = split_names(args.covariates)
    repeated = sorted({c for c in covariates if covariates.count(c) > 1})
    if not covariates or repeated:
        message = "--covariates must name each column once"
        raise InputError(InputProblem(message, value=",".join(repeated) or args.covariates))
    columns = [args.time, args.event, *covariates, *([args.strata] if args.strata else [])]
    table = read_patient_table(
        args.table,
        id_column=args.id,
        columns=columns,
        factors=split_names(args.factors),
        refs=parse_refs(args.ref),
    )
    document = cox_document(
        table, args.time, args.event, covariates, strata=args.strata, univariable=args.univariable
    )
    references = {c: table.columns[c].reference for c in covariates}
    write_table_files(args, lambda: _manuscript_table(document, args.univariable, references))
    print(dumps(document) if args.json else as_text(document))
    return 0


def _manuscript_table(document: dict, univariable: bool, references: dict):
    """The cox document as a manuscript table, its factors' reference levels shown."""
    from model.exports.manuscript import cox_table

    shown = {c: level for c, level in references.items() if level is not None}
    if univariable:
        return cox_table(univariable=document, references=shown)
    return cox_table(document, references=shown)


def as_text(document: dict) -> str:
    """A short human-readable rendering of the cox document."""
    lines = []
    for model in document["models"]:
        lines.append(
            f"n={model['n']} events={model['events']} dropped={model['dropped']} "
            f"loglik={model['loglik']} LR chi2={model['lr_chi2']} df={model['lr_df']} "
            f"p={model['lr_p']}"
        )
        for term in model["terms"]:
            name = term["covariate"] + ("" if term["level"] is None else f" = {term['level']}")
            lines.append(
                f"  {name}: HR {term['hazard_ratio']} (95% CI {term['hr_ci_low']} to "
                f"{term['hr_ci_high']}), p={term['p']}"
            )
        for covariate in model["covariates"]:
            lines.append(f"  {covariate['covariate']}: LR p={covariate['p']} df={covariate['df']}")
        lines.extend(f"  warning: {warning}" for warning in model["warnings"])
    return "\n".join(lines)
