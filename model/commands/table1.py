"""`table1` command: baseline characteristics by group (analysis.md, `table1`)."""

from __future__ import annotations

import argparse

from model.commands.json_output import dumps, number
from model.commands.table_files import add_table_file_arguments, write_table_files
from model.errors import InputError, InputProblem

HELP = "Table 1: baseline characteristics by group, with tests and standardised differences."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments on `parser`."""
    parser.add_argument("table", metavar="TABLE", help="CSV file, one row per patient")
    parser.add_argument("--group", required=True, metavar="COL", help="column of groups")
    parser.add_argument(
        "--vars",
        metavar="A,B,...",
        help="variables in order (default: every column but the id and group)",
    )
    parser.add_argument(
        "--factors", metavar="A,B,...", help="columns to treat as categorical even when numeric"
    )
    parser.add_argument(
        "--id", metavar="COL", help="identifier column (default patient_id when present)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    add_table_file_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print the table; returns the exit status (InputError on bad input)."""
    # Imported here so that building main.py's parser does not load numpy and scipy.
    from model.stats.patient_table import (
        DEFAULT_ID,
        read_header,
        read_patient_table,
        split_names,
    )
    from model.stats.table1 import OVERALL, table1

    header = read_header(args.table)
    id_column = args.id or (DEFAULT_ID if DEFAULT_ID in header else None)
    names = split_names(args.vars) or [c for c in header if c not in (id_column, args.group)]
    table = read_patient_table(args.table, id_column=args.id, columns=names,
                               factors=split_names(args.factors), group=args.group)  # fmt: skip
    for name in (OVERALL, "level"):
        if name in table.groups:
            message = f"a group may not be named {name!r}: the document uses it as a key"
            raise InputError(InputProblem(message, args.table, None, args.group, name))
    document = table1(table, names)
    write_table_files(args, lambda: _manuscript_table(document))
    print(dumps(document) if args.json else _as_text(document))
    return 0


def _manuscript_table(document: dict):
    """Table 1 as a manuscript table (model/exports/manuscript)."""
    from model.exports.manuscript import table1_table

    return table1_table(document)


def _as_text(document: dict) -> str:
    """A short human-readable rendering of the table1 document."""
    keys = [*document["groups"], "overall"]
    lines = ["n: " + ", ".join(f"{k}={document['n'][k]}" for k in keys)]
    for variable in document["variables"]:
        test = f"{variable['test']} p={number(variable['p'])}" if variable["test"] else "no test"
        lines.append(f"{variable['name']} ({variable['type']}): {test}, "
                     f"SMD={number(variable['smd'])}")  # fmt: skip
        if variable["type"] == "numeric":
            for k in keys:
                s = variable["summary"][k]
                lines.append(f"  {k}: n={s['n']} mean={number(s['mean'])} sd={number(s['sd'])} "
                             f"median={number(s['median'])} "
                             f"[{number(s['q1'])}, {number(s['q3'])}]")  # fmt: skip
        else:
            for level in variable["levels"]:
                cells = ", ".join(f"{k} {level[k]['n']} ({number(level[k]['pct'], 3)}%)"
                                  for k in keys)  # fmt: skip
                lines.append(f"  {level['level']}: {cells}")
    return "\n".join(lines)
