"""Tables of one row per patient, read as analysis.md ("Tables of one row per patient") says.

A UTF-8 CSV with a header. The id is `--id COL`, else `patient_id` when present, else the
data line number (1 for the first row after the header). A blank cell or `NA` is missing.
A column is numeric when every non-missing value is a finite decimal number, unless it is
listed in `factors`; otherwise categorical, with its levels sorted by code point (numerically
when a factor's values are all numbers). `Column.levels[0]` is the reference: the first level,
or the one `refs` names; the other levels follow in level order.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from model.errors import InputError, InputProblem

#: The default id column when the file has it (analysis.md, Tables of one row per patient).
DEFAULT_ID = "patient_id"
#: Cell texts that mean "missing" (after stripping surrounding whitespace).
MISSING = frozenset({"", "NA"})
#: A decimal number: optional sign, digits with an optional `.` and fraction, an optional
#: exponent (analysis.md: `-1.5`, `2e3`).
NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
#: At most this many bad values are listed, as in the survival command.
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Column:
    """One column: kind 'numeric' (values float or None) or 'categorical' (str or None).

    `levels` is empty for a numeric column; for a categorical one the reference comes first.
    """

    kind: str
    values: tuple
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class PatientTable:
    """The rows of one table: ids, the columns asked for, and the groups.

    `groups` lists the distinct groups in order of first appearance (empty without a group
    column); `group_values` holds each row's group. `lines` are the rows' file line numbers.
    """

    path: str
    ids: tuple[str, ...]
    columns: dict[str, Column]
    groups: tuple[str, ...] = ()
    group_values: tuple[str, ...] | None = None
    lines: tuple[int, ...] = ()


def is_number(text: str) -> bool:
    """True when `text` is a finite decimal number in the contract's sense."""
    return NUMBER.fullmatch(text) is not None and math.isfinite(float(text))


def read_header(path: str) -> list[str]:
    """The column names of the CSV file at `path`; InputError if it cannot be read."""
    header, _ = _read_rows(path)
    return header


def read_patient_table(
    path: str,
    *,
    id_column: str | None = None,
    columns: Sequence[str],
    factors: Iterable[str] = (),
    refs: Mapping[str, str] = {},  # noqa: B006 - read only
    group: str | None = None,
) -> PatientTable:
    """The table at `path` with `columns`, as analysis.md's "Tables of one row per patient".

    InputError (naming file, line, column and value) for a named column absent from the file,
    a duplicated or blank id, a missing group, or a `refs` level that does not occur.
    """
    header, rows = _read_rows(path)
    factors = tuple(factors)
    named = [id_column, group, *columns, *factors, *refs]
    absent = list(dict.fromkeys(c for c in named if c is not None and c not in header))
    if absent:
        found = ", ".join(header) or "none"
        raise InputError([InputProblem(f"no such column (columns: {found})", path, 1, c)
                          for c in absent])  # fmt: skip
    if id_column is None and DEFAULT_ID in header:
        id_column = DEFAULT_ID
    index = {name: i for i, name in reversed(list(enumerate(header)))}
    lines = tuple(line for line, _ in rows)
    problems: list[InputProblem] = []
    ids = _ids(path, rows, id_column, index, problems)
    group_values = _groups(path, rows, group, index, problems) if group else None
    _raise_if(problems, path)
    parsed = {
        name: _column(path, name, _cells(rows, index[name]), name in factors, refs.get(name))
        for name in dict.fromkeys(columns)
    }
    groups = tuple(dict.fromkeys(group_values)) if group_values is not None else ()
    return PatientTable(path, ids, parsed, groups, group_values, lines)


def _read_rows(path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (line, cells) of every non-blank data row."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except OSError as error:
        raise InputError(InputProblem(f"cannot read the file: {error.strerror}", path)) from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise InputError(InputProblem(f"not a readable CSV file: {error}", path)) from error
    if not header:
        raise InputError(InputProblem("the file has no header", path, 1))
    if not rows:
        raise InputError(InputProblem("the table has no rows", path, 2))
    return header, rows


def _cells(rows: list[tuple[int, list[str]]], i: int) -> list[str]:
    """Column i's stripped cells (a short row's absent cells are blank)."""
    try:
        return [row[i].strip() for _, row in rows]
    except IndexError:
        return [row[i].strip() if i < len(row) else "" for _, row in rows]


def _ids(path, rows, id_column, index, problems) -> tuple[str, ...]:
    """Each row's id, noting blank and duplicated ones."""
    if id_column is None:
        return tuple(str(n) for n in range(1, len(rows) + 1))
    ids = _cells(rows, index[id_column])
    first_line: dict[str, int] = {}
    for (line, _), value in zip(rows, ids, strict=True):
        if value in MISSING:
            problems.append(InputProblem("the id is missing", path, line, id_column, value))
        elif value in first_line:
            message = f"duplicated id (first on line {first_line[value]})"
            problems.append(InputProblem(message, path, line, id_column, value))
        else:
            first_line[value] = line
    return tuple(ids)


def _groups(path, rows, group, index, problems) -> tuple[str, ...]:
    """Each row's group, noting missing ones (an error, as in `survival`)."""
    values = _cells(rows, index[group])
    for (line, _), value in zip(rows, values, strict=True):
        if value in MISSING:
            problems.append(InputProblem("the group is missing", path, line, group, value))
    return tuple(values)


def _column(path: str, name: str, cells: list[str], factor: bool, ref: str | None) -> Column:
    """One column, numeric or categorical, with its levels (reference first)."""
    distinct = set(cells) - MISSING
    numbers = all(is_number(c) for c in distinct)
    if numbers and not factor:
        if ref is not None:
            message = "--ref names a numeric column (list it in --factors)"
            raise InputError(InputProblem(message, path, None, name, ref))
        value = {c: float(c) for c in distinct} | dict.fromkeys(MISSING)
        return Column("numeric", tuple(value[c] for c in cells))
    key = (lambda t: (float(t), t)) if numbers else None
    levels = sorted(distinct, key=key)
    if ref is not None:
        if ref not in distinct:
            found = ", ".join(levels) or "none"
            message = f"--ref names a level that does not occur (levels: {found})"
            raise InputError(InputProblem(message, path, None, name, ref))
        levels.remove(ref)
        levels.insert(0, ref)
    value = {c: c for c in distinct} | dict.fromkeys(MISSING)
    return Column("categorical", tuple(value[c] for c in cells), tuple(levels))


def _raise_if(problems: list[InputProblem], path: str) -> None:
    """Raise InputError listing at most MAX_PROBLEMS of `problems`, if there are any."""
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(InputProblem(f"and {len(problems) - MAX_PROBLEMS} more problems", path))
        raise InputError(shown)


def parse_refs(texts: Iterable[str]) -> dict[str, str]:
    """`--ref COL=LEVEL` options as {COL: LEVEL}; InputError for one without `=`."""
    refs: dict[str, str] = {}
    for text in texts:
        column, sep, level = text.partition("=")
        if not sep or not column:
            raise InputError(InputProblem("--ref must be COL=LEVEL", value=text))
        refs[column] = level
    return refs


def split_names(text: str | None) -> list[str]:
    """A comma-separated list of column names (`--vars A,B`); empty for None."""
    if not text:
        return []
    return [name.strip() for name in text.split(",") if name.strip()]
