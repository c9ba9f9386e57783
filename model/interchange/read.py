"""Reading one table of the interchange format: header, values, row rules, every problem.

Source: interchange spec, the introduction (header row, case-insensitive
column names, `x_` extra columns, errors naming file, line, column and value)
and the section of each file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, fields
from itertools import islice
from typing import Any

from model.interchange.problems import Problems
from model.interchange.rows import RowPlan
from model.interchange.sources import FileProblem, Row
from model.interchange.tables import EXTRA_PREFIX, Table

#: Rows converted together; large enough to share the parsing of repeated
#: values, small enough to keep memory flat on a file of any size.
CHUNK_ROWS = 4096

#: Separators that spreadsheets use instead of commas, and their names in messages.
_SEPARATORS = ((";", "semicolons"), ("\t", "tabs"))


@dataclass
class TableRead:
    """The records read from one table, the line each came from, and the file's label."""

    label: str
    #: A list, or the table's columns (`Table.columnar`) when read by columns.
    records: Sequence[Any] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    #: No problem was found in the table (so its records are all its rows).
    clean: bool = True
    #: The `x_` columns of the header, normalised.
    extras: list[str] = field(default_factory=list)


def read_rows(
    rows: Iterator[Row], table: Table, label: str, problems: Problems, by_columns: bool = False
) -> TableRead:
    """Records of `table` built from `rows` (header first); adds every problem to `problems`.

    With `by_columns`, a table that can be held by columns (`Table.columnar`) is: its
    records are then a Sequence built from the columns when read.
    """
    result = TableRead(label)
    found = problems.count
    with closing(rows):
        try:
            _read_records(rows, table, result, problems, by_columns)
        except FileProblem as error:
            problems.add(error.message, label, error.line)
    result.clean = problems.count == found
    return result


def _read_records(
    rows: Iterator[Row], table: Table, result: TableRead, problems: Problems, by_columns: bool
) -> None:
    header = next(rows, None)
    if header is None:
        problems.add("is empty: expected a header row naming the columns", result.label)
        return
    plan = _plan(header, table, result.label, problems)
    if plan is None:
        return
    result.extras = [name for name, _ in plan.extras]
    if not by_columns or table.columnar is None:
        while chunk := list(islice(rows, CHUNK_ROWS)):
            records, lines = plan.convert(chunk, problems)
            result.records += records
            result.lines += lines
        return
    columns: list[list[Any]] = [[] for _ in fields(table.record)]
    while chunk := list(islice(rows, CHUNK_ROWS)):
        values, lines = plan.convert_columns(chunk, problems)
        for column, chunk_values in zip(columns, values, strict=True):
            column += chunk_values
        result.lines += lines
    result.records = table.columnar(columns)


def _plan(header: Row, table: Table, label: str, problems: Problems) -> RowPlan | None:
    """The plan for the rows under `header`; None when the file cannot be read further."""
    line, cells, _ = header
    names = [cell.strip().lower() for cell in cells]
    known = [table.column(name) is not None or name.startswith(EXTRA_PREFIX) for name in names]
    unknown = [
        (cell, name) for cell, name, ok in zip(cells, names, known, strict=True) if name and not ok
    ]
    for cell, _ in unknown:
        for mark, word in _SEPARATORS:
            if mark in cell:
                message = f"expected comma-separated values; this header looks separated by {word}"
                problems.add(message, label, line, None, cell)
                return None
    found = problems.count
    expected = ", ".join(column.name for column in table.columns)
    for cell, name in unknown:
        message = f"unknown column; expected {expected}, or a name starting with {EXTRA_PREFIX}"
        problems.add(message, label, line, name, cell)
    for position, (cell, name) in enumerate(zip(cells, names, strict=True)):
        if name and name in names[:position]:
            problems.add("the column appears twice", label, line, name, cell)
    for column in table.columns:
        if column.required and column.name not in names:
            problems.add("a required column is missing", label, line, column.name)
    return RowPlan(
        table=table,
        label=label,
        names=names,
        fields=[(c.name, names.index(c.name), c.parse) for c in table.columns if c.name in names],
        extras=[(n, p) for p, n in enumerate(names) if n.startswith(EXTRA_PREFIX)],
        defaults={
            c.name: c.parse("") for c in table.columns if c.name not in names and not c.required
        },
        complete=problems.count == found,
    )
