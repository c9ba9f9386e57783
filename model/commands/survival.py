"""`survival` command: Kaplan-Meier medians, log-rank and Cox hazard ratio from a CSV table.

The JSON document's shape is the interchange spec's ("Headless commands", survival).
"""

from __future__ import annotations

import argparse
import csv
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.commands.json_output import dumps
from model.commands.text_output import r_number, r_p_value
from model.errors import InputError, InputProblem

if TYPE_CHECKING:
    import numpy as np

HELP = "Kaplan-Meier medians per group, log-rank test and Cox hazard ratio from a CSV table."

#: Group name when no --group column is given (interchange spec, survival command).
ALL_ROWS = "All"
#: At most this many bad values are listed; a broken column would otherwise flood stderr.
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class SurvivalTable:
    """Durations, 0/1 events and group labels read from one CSV file, one row per patient."""

    durations: np.ndarray
    events: np.ndarray
    groups: tuple[str, ...]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments on `parser`."""
    parser.add_argument("table", metavar="TABLE", help="CSV file, one row per patient")
    parser.add_argument("--time", required=True, metavar="COL", help="column of times (>= 0)")
    parser.add_argument("--event", required=True, metavar="COL", help="column of events (1 or 0)")
    parser.add_argument("--group", metavar="COL", help="column of group labels (default: one)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace) -> int:
    """Print the survival summary of the table; returns the exit status (InputError if bad)."""
    table = read_table(args.table, args.time, args.event, args.group)
    document = summarise(table)
    print(dumps(document) if args.json else _as_text(document))
    return 0


def read_table(path: str, time: str, event: str, group: str | None) -> SurvivalTable:
    """The durations, events and groups in the CSV file at `path`; InputError if any is bad.

    The cells are read once with the csv module and the columns converted by numpy
    at once; only when a value is bad are the rows walked one by one, to name each
    problem's line.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            columns = _positions(path, header, (time, event, group))
            rows, lines = [], []
            for row in reader:
                if row:
                    rows.append(row)
                    lines.append(reader.line_num)
    except OSError as error:
        raise InputError(InputProblem(f"cannot read the file: {error.strerror}", path)) from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise InputError(InputProblem(f"not a readable CSV file: {error}", path)) from error
    if not rows:
        raise InputError(InputProblem("the table has no rows", path, 1))
    width = max(columns.values()) + 1
    if any(len(row) < width for row in rows):
        # csv.DictReader's reading of a short row: its missing cells are empty.
        rows = [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
    cells = {name: [row[position] for row in rows] for name, position in columns.items()}
    table = _converted(cells, time, event, group)
    if table is None:
        _raise_problems(path, lines, cells, time, event, group)
    return table


def _positions(path: str, header: list[str], names) -> dict[str, int]:
    """The position of each named column in `header` (the last of a repeated name, as
    csv.DictReader reads it); InputError naming every absent column."""
    absent = [name for name in names if name is not None and name not in header]
    if absent:
        found = ", ".join(header) or "none"
        problem = "no such column (columns: {})"
        raise InputError([InputProblem(problem.format(found), path, 1, c) for c in absent])
    last = {name: position for position, name in enumerate(header)}
    return {name: last[name] for name in names if name is not None}


def _converted(cells, time: str, event: str, group: str | None) -> SurvivalTable | None:
    """The table of the cells, converted column by column; None when any value is bad."""
    import numpy as np

    try:
        durations = np.array(list(map(float, cells[time])))
        events = np.array(list(map(float, cells[event])))
    except ValueError:
        return None
    if not (np.isfinite(durations).all() and (durations >= 0).all()):
        return None
    if not ((events == 0) | (events == 1)).all():
        return None
    if group is None:
        groups = (ALL_ROWS,) * durations.size
    else:
        labels = {text: text.strip() for text in set(cells[group])}
        if not all(labels.values()):
            return None
        groups = tuple(map(labels.__getitem__, cells[group]))
    return SurvivalTable(durations, events.astype(int), groups)


def _raise_problems(path, lines, cells, time, event, group) -> None:
    """Raise InputError naming each bad value's line, column and text (at most MAX_PROBLEMS)."""
    problems = []
    for index, line in enumerate(lines):
        _duration(cells[time][index], path, line, time, problems)
        _event(cells[event][index], path, line, event, problems)
        if group is not None and not cells[group][index].strip():
            problems.append(InputProblem("the group is missing", path, line, group, ""))
    extra = len(problems) - MAX_PROBLEMS
    shown = problems[:MAX_PROBLEMS]
    if extra > 0:
        shown.append(InputProblem(f"and {extra} more problems", path))
    raise InputError(shown)


def _duration(text, path, line, column, problems) -> None:
    """Note why `text` is not a time >= 0, if it is not."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        problems.append(InputProblem("the time is not a number", path, line, column, text or ""))
        return
    if not math.isfinite(value) or value < 0:
        problems.append(InputProblem("the time must be a number >= 0", path, line, column, text))


def _event(text, path, line, column, problems) -> None:
    """Note that `text` is not an event (1 event, 0 censored), if it is not."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    if value not in (0, 1):
        problems.append(InputProblem("the event must be 1 or 0", path, line, column, text or ""))


def summarise(table: SurvivalTable) -> dict:
    """The survival command's JSON document for `table` (interchange spec, survival command)."""
    # Imported here so that building main.py's parser does not load numpy and scipy.
    import numpy as np

    from model.stats.survival import cox_two_groups, kaplan_meier, logrank

    labels = list(dict.fromkeys(table.groups))
    code_of = {label: code for code, label in enumerate(labels)}
    codes = np.fromiter(map(code_of.__getitem__, table.groups), dtype=int, count=len(table.groups))
    summaries = []
    for code, label in enumerate(labels):
        mine = codes == code
        curve = kaplan_meier(table.durations[mine], table.events[mine])
        summaries.append(
            {
                "group": label,
                "n": curve.n,
                "events": curve.n_events,
                "median": curve.median,
                "median_ci_low": curve.median_ci_low,
                "median_ci_high": curve.median_ci_high,
            }
        )
    arrays = (table.durations, table.events, table.groups)
    test = logrank(*arrays) if len(labels) > 1 else None
    ratio = cox_two_groups(*arrays) if len(labels) == 2 else None
    return {
        "groups": summaries,
        "logrank": None if test is None else {"chi2": test.chi2, "df": test.df, "p": test.p},
        "cox": None
        if ratio is None
        else {
            "hazard_ratio": ratio.hazard_ratio,
            "hr_ci_low": ratio.ci_low,
            "hr_ci_high": ratio.ci_high,
            "hr_p": ratio.p,
        },
    }


def _as_text(document: dict) -> str:
    """The survival document for reading: numbers rounded as R prints them (text_output.py),
    each statistic named with its method."""
    groups = document["groups"]
    rows = [("group", "n", "events", "median", "95 % CI")]
    rows += [
        (
            str(g["group"]),
            str(g["n"]),
            str(g["events"]),
            r_number(g["median"]),
            f"{r_number(g['median_ci_low'])} to {r_number(g['median_ci_high'])}",
        )
        for g in groups
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ['Kaplan-Meier median per group, log-log 95 % CI (R survfit, conf.type = "log-log")']
    lines += [
        "  "
        + "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    if document["logrank"]:
        test = document["logrank"]
        lines.append(
            f"Log-rank test: chi-square {r_number(test['chi2'])} on {test['df']} df, "
            f"p = {r_p_value(test['p'])}"
        )
    if document["cox"]:
        cox = document["cox"]
        lines.append(
            f"Cox hazard ratio, {groups[1]['group']} vs {groups[0]['group']} "
            f"(Wald CI, Efron ties): {r_number(cox['hazard_ratio'])} "
            f"(95 % CI {r_number(cox['hr_ci_low'])} to {r_number(cox['hr_ci_high'])}), "
            f"Wald p = {r_p_value(cox['hr_p'])}"
        )
    return "\n".join(lines)
