"""Reading one table of the interchange format: header, values, row rules, every problem.

Source: interchange spec, the introduction (header row, case-insensitive
column names, `x_` extra columns, errors naming file, line, column and value)
and the section of each file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from model.errors import InputError, InputProblem
from model.interchange_sources import FileProblem, Row
from model.interchange_tables import EXTRA_PREFIX, Table
from model.interchange_values import ValueProblem

#: Problems listed in one error at most; the rest are counted. A file in the
#: wrong format can have a problem on each of a million rows, and a message
#: that long helps nobody.
MAX_LISTED_PROBLEMS = 1000

# The characters XML, and so .xlsx, cannot hold; tab and line breaks are fine.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Problems:
    """The problems found so far: the first MAX_LISTED_PROBLEMS kept, all counted."""

    def __init__(self) -> None:
        self.listed: list[InputProblem] = []
        self.count = 0

    def add(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        """Records one problem."""
        self.extend([InputProblem(message, file, line, column, value)])

    def extend(self, problems: Iterable[InputProblem]) -> None:
        """Records each of `problems`."""
        for problem in problems:
            self.count += 1
            if self.count <= MAX_LISTED_PROBLEMS:
                self.listed.append(problem)

    def raise_if_any(self) -> None:
        """Returns when nothing was found; raises InputError listing the problems otherwise."""
        if not self.count:
            return
        listed = list(self.listed)
        if self.count > len(listed):
            listed.append(InputProblem(f"... and {self.count - len(listed)} more problems"))
        raise InputError(listed)


@dataclass
class TableRead:
    """The records read from one table, the line each came from, and the file's label."""

    label: str
    records: list[Any] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    #: No problem was found in the table (so its records are all its rows).
    clean: bool = True


def read_rows(rows: Iterator[Row], table: Table, label: str, problems: Problems) -> TableRead:
    """Records of `table` built from `rows` (header first); adds every problem to `problems`."""
    result = TableRead(label)
    found = problems.count
    with closing(rows):
        try:
            _read_records(rows, table, result, problems)
        except FileProblem as error:
            problems.add(error.message, label, error.line)
    result.clean = problems.count == found
    return result


def _read_records(rows: Iterator[Row], table: Table, result: TableRead, problems: Problems) -> None:
    header = next(rows, None)
    if header is None:
        problems.add("is empty: expected a header row naming the columns", result.label)
        return
    plan = _plan(header, table, result.label, problems)
    if plan is None:
        return
    for row in rows:
        record = plan.convert(row, problems)
        if record is not None:
            result.records.append(record)
            result.lines.append(row[0])


@dataclass
class _Plan:
    """How to turn a row into a record, worked out once from the header."""

    table: Table
    label: str
    names: list[str]
    fields: list[tuple[str, int, Any]]
    extras: list[tuple[str, int]]
    unnamed: list[int]
    defaults: dict[str, Any]
    complete: bool

    def convert(self, row: Row, problems: Problems) -> Any | None:
        """The record of one row, or None when the row has problems (added) or is blank."""
        line, cells, cell_problems = row
        joined = "".join(cells)
        if not joined.strip():
            return None
        found = problems.count
        if len(cells) > len(self.names) and "".join(cells[len(self.names) :]).strip():
            message = f"more values than the {len(self.names)} columns of the header"
            problems.add(message, self.label, line)
        if _CONTROL.search(joined):
            self._control_characters(line, cells, problems)
        values = dict(self.defaults)
        for name, position, parse in self.fields:
            raw = cells[position] if position < len(cells) else ""
            try:
                if cell_problems and position in cell_problems:
                    raise ValueProblem(cell_problems[position])
                values[name] = parse(raw.strip())
            except ValueProblem as error:
                problems.add(str(error), self.label, line, name, raw)
        for column, message in self.table.check_row(values):
            problems.add(message, self.label, line, column, self._raw(cells, column))
        for position in self.unnamed:
            if position < len(cells) and cells[position].strip():
                problems.add(
                    "value in a column without a name", self.label, line, None, cells[position]
                )
        if problems.count > found or not self.complete:
            return None
        return self._record(line, cells, values)

    def _record(self, line: int, cells: list[str], values: dict[str, Any]) -> Any:
        extra = {}
        for name, position in self.extras:
            text = cells[position].strip() if position < len(cells) else ""
            if text:
                extra[name] = text
        if self.table.has_source:
            return self.table.record(**values, extra=extra, source=(self.label, line))
        return self.table.record(**values, extra=extra)

    def _raw(self, cells: list[str], column: str) -> str:
        position = self.names.index(column) if column in self.names else len(cells)
        return cells[position] if position < len(cells) else ""

    def _control_characters(self, line: int, cells: list[str], problems: Problems) -> None:
        for position, cell in enumerate(cells):
            if _CONTROL.search(cell):
                name = self.names[position] if position < len(self.names) else None
                problems.add("contains a control character", self.label, line, name, cell)


def _plan(header: Row, table: Table, label: str, problems: Problems) -> _Plan | None:
    """The plan for the rows under `header`; None when the file cannot be read further."""
    line, cells, _ = header
    names = [cell.strip().lower() for cell in cells]
    found = problems.count
    seen: set[str] = set()
    for cell, name in zip(cells, names, strict=True):
        if not name:
            continue
        if name in seen:
            problems.add("the column appears twice", label, line, name, cell)
        elif table.column(name) or name.startswith(EXTRA_PREFIX):
            seen.add(name)
        elif ";" in cell or "\t" in cell:
            problems.add(
                "expected comma-separated values; this header looks separated by "
                + ("semicolons" if ";" in cell else "tabs"),
                label,
                line,
                None,
                cell,
            )
            return None
        else:
            expected = ", ".join(column.name for column in table.columns)
            problems.add(
                f"unknown column; expected {expected}, or a name starting with {EXTRA_PREFIX}",
                label,
                line,
                name,
                cell,
            )
    for column in table.columns:
        if column.required and column.name not in seen:
            problems.add("a required column is missing", label, line, column.name)
    return _Plan(
        table=table,
        label=label,
        names=names,
        fields=[(c.name, names.index(c.name), c.parse) for c in table.columns if c.name in seen],
        extras=[(n, p) for p, n in enumerate(names) if n.startswith(EXTRA_PREFIX)],
        unnamed=[position for position, name in enumerate(names) if not name],
        defaults={
            c.name: c.parse("") for c in table.columns if c.name not in seen and not c.required
        },
        complete=problems.count == found,
    )
