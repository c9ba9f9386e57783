"""Turning rows of cells into records, a chunk at a time.

A chunk of rows is converted column by column, each distinct cell text
parsed once (a study repeats its patient ids, dates, roles and statuses on
every row), which keeps a million rows within seconds. When anything in a
chunk is wrong, the chunk is converted again row by row, and that slow path
names every problem: file, line, column and value (interchange spec).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import repeat
from typing import Any

from model.interchange import values as v
from model.interchange.problems import Problems
from model.interchange.sources import Row
from model.interchange.tables import Table
from model.interchange.values import ValueProblem
from model.rules.records import CONTROL_CHARACTERS, text_problem

# The characters XML, and so .xlsx, cannot hold; tab and line breaks are fine.
_CONTROL = CONTROL_CHARACTERS

# Parsed values kept per column at most; past that the cache starts again, so
# that a column of all-different values cannot grow it without bound.
_CACHE_LIMIT = 50_000

#: Marks a cell text (or a row's key) that does not parse (or breaks a row rule).
_BAD = object()


@dataclass
class RowPlan:
    """How to turn the rows under one header into records."""

    table: Table
    label: str
    #: Normalised header names, by position ('' for a column without a name).
    names: list[str]
    #: (column, position, parser) of each known column in the header.
    fields: list[tuple[str, int, Any]]
    #: (name, position) of each `x_` column.
    extras: list[tuple[str, int]]
    #: Value of each known column missing from the header.
    defaults: dict[str, Any]
    #: The header has every required column, so records can be built.
    complete: bool
    _caches: dict[str, dict[str, Any]] = field(default_factory=dict)
    _checks: dict[tuple, Any] = field(default_factory=dict)
    #: Texts of each column that do not parse.
    _bad: dict[str, set[str]] = field(default_factory=dict)

    def convert(self, chunk: Sequence[Row], problems: Problems) -> tuple[list[Any], list[int]]:
        """The records of `chunk`'s rows and their lines; adds every problem, skips blank rows."""
        fast = self._fast(chunk) if self.complete else None
        if fast is not None:
            return list(map(self.table.record, *fast)), [line for line, _, _ in chunk]
        records, lines = [], []
        for row in chunk:
            record = self._convert_row(row, problems)
            if record is not None:
                records.append(record)
                lines.append(row[0])
        return records, lines

    def convert_columns(
        self, chunk: Sequence[Row], problems: Problems
    ) -> tuple[list[list[Any]], list[int]]:
        """As `convert`, the records given by columns: one list per field of the record."""
        fast = self._fast(chunk) if self.complete else None
        if fast is not None:
            return fast, [line for line, _, _ in chunk]
        records, lines = self.convert(chunk, problems)
        names = [f.name for f in fields(self.table.record)]
        return [[getattr(r, name) for r in records] for name in names], lines

    def _fast(self, chunk: Sequence[Row]) -> list[list[Any]] | None:
        """The fields of a chunk without any problem, by column; None when the slow path is
        needed."""
        width = len(self.names)
        rows = [cells for _, cells, cell_problems in chunk if not cell_problems]
        if len(rows) < len(chunk) or any(len(cells) > width for cells in rows):
            return None
        # A sheet leaves out a row's empty cells at its end; they are blank values.
        rows = [cells if len(cells) == width else _padded(cells, width) for cells in rows]
        if _CONTROL.search("".join(map("".join, rows))):
            return None
        columns = list(zip(*rows, strict=True))
        values: dict[str, Any] = {name: [v] * len(rows) for name, v in self.defaults.items()}
        for name, position, parse in self.fields:
            parsed = self._parse_column(name, columns[position], parse)
            if parsed is None:
                return None
            values[name] = parsed
        if self.table.check_columns and not self._check_columns(values):
            return None
        if any(any(c.strip() for c in columns[p]) for p, name in enumerate(self.names) if not name):
            return None
        return self._fields([line for line, _, _ in chunk], columns, values)

    def _parse_column(self, name: str, column: Sequence[str], parse: Any) -> list[Any] | None:
        """Parsed values of one column, each distinct text parsed once; None on a bad one.

        Equal texts give one value object, whose hash the rules across rows then reuse.
        """
        cache = self._caches.setdefault(name, {})
        bad = self._bad.setdefault(name, set())
        distinct = set(column)
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        for text in distinct - cache.keys():
            try:
                cache[text] = parse(text.strip())
            except ValueProblem:
                cache[text] = _BAD
                bad.add(text)
        if not bad.isdisjoint(distinct):
            return None
        return list(map(cache.__getitem__, column))

    def _check_columns(self, values: dict[str, Any]) -> bool:
        """Applies the table's row rule to every row, by distinct key; False when one fails."""
        names = self.table.check_columns
        keys = list(zip(*(values[name] for name in names), strict=True))
        distinct = set(keys)
        if len(self._checks) > _CACHE_LIMIT:
            self._checks.clear()
        for key in distinct - self._checks.keys():
            row = dict(zip(names, key, strict=True))
            failed = self.table.check_row(row)
            self._checks[key] = _BAD if failed else tuple(row[name] for name in names)
        if any(self._checks[key] is _BAD for key in distinct):
            return False
        checked = zip(*map(self._checks.__getitem__, keys), strict=True)
        values.update(zip(names, checked, strict=True))
        return True

    def _fields(
        self, lines: list[int], columns: list[tuple[str, ...]], values: dict[str, Any]
    ) -> list[list[Any]]:
        """The value of each field of the record, in its order, by row."""
        values["extra"] = self._extra_column(columns, len(lines))
        if self.table.has_source:
            values["source"] = list(zip(repeat(self.label), lines))
        return [values[f.name] for f in fields(self.table.record)]

    def _extra_column(self, columns: list[tuple[str, ...]], count: int) -> list[dict[str, str]]:
        if not self.extras:
            return [{} for _ in range(count)]
        texts = [
            [(name, v.free_text(cell.strip())) for cell in columns[p]] for name, p in self.extras
        ]
        return [{name: text for name, text in row if text} for row in zip(*texts, strict=True)]

    def _convert_row(self, row: Row, problems: Problems) -> Any | None:
        """The record of one row, or None when it is blank or has problems (all added)."""
        line, cells, cell_problems = row
        if not "".join(cells).strip():
            return None
        found = problems.count
        for message, column, value in self._cell_problems(cells, cell_problems):
            problems.add(message, self.label, line, column, value)
        values = dict(self.defaults)
        for name, position, parse in self.fields:
            raw = self._cell(cells, position)
            try:
                if position in cell_problems:
                    raise ValueProblem(cell_problems[position])
                values[name] = parse(raw.strip())
            except ValueProblem as error:
                problems.add(str(error), self.label, line, name, raw)
        for column, message in self.table.check_row(values):
            position = self.names.index(column) if column in self.names else len(cells)
            problems.add(message, self.label, line, column, self._cell(cells, position))
        if problems.count > found or not self.complete:
            return None
        columns = [(self._cell(cells, position),) for position in range(len(self.names))]
        fields_ = self._fields([line], columns, {k: [v] for k, v in values.items()})
        return self.table.record(*(column[0] for column in fields_))

    def _cell_problems(
        self, cells: list[str], cell_problems: dict[int, str]
    ) -> Iterator[tuple[str, str | None, str | None]]:
        """(message, column, value) of each problem of a row that no parser sees: values
        beyond the header, control characters, formulas outside known columns, values in a
        column without a name."""
        width = len(self.names)
        if len(cells) > width and "".join(cells[width:]).strip():
            yield f"more values than the {width} columns of the header", None, None
        parsed = {position for _, position, _ in self.fields}
        for position, cell in enumerate(cells):
            name = self._name(position)
            problem = text_problem(cell)
            if problem:
                yield problem, name, cell
            if position in cell_problems and position not in parsed:
                yield cell_problems[position], name, cell
            if name == "" and cell.strip():
                yield "value in a column without a name", None, cell

    def _cell(self, cells: list[str], position: int) -> str:
        return cells[position] if position < len(cells) else ""

    def _name(self, position: int) -> str | None:
        return self.names[position] if position < len(self.names) else None


def _padded(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))
