"""Tables of one row per patient, read as the analysis contract says.

shared/spec/analysis.md, "Tables of one row per patient": a UTF-8 CSV with a header; ids
from `--id` (default `patient_id` when present, else the data line number); a blank cell
or `NA` is missing; a column is numeric when every non-missing value is a finite decimal
number, unless listed in `--factors`; the levels of a categorical column sorted by code
point (numerically for a `--factors` column of numbers), the first the reference unless
`--ref COL=LEVEL` names another; groups in order of first appearance; time and event as
the `survival` command checks them. Every problem names file, line, column and value.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from model.errors import InputError, InputProblem

#: A finite decimal number: optional sign, digits, optional `.` and fraction, optional
#: exponent (`-1.5`, `2e3`).
NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
#: Cells that mean "missing" (after surrounding whitespace is removed).
MISSING = ("", "NA")
#: The default id column, used when present and no `--id` is given.
DEFAULT_ID = "patient_id"
#: At most this many problems are listed; a broken column would otherwise flood stderr.
MAX_PROBLEMS = 20

Value = float | str | None


@dataclass(frozen=True)
class Column:
    """One column: `kind` 'numeric' (float values) or 'categorical' (text values, `levels`
    with the reference first); None where the cell is missing. `texts` are the cells as
    written (without surrounding whitespace), for messages."""

    name: str
    kind: str
    values: tuple[Value, ...]
    levels: tuple[str, ...] = ()
    texts: tuple[str | None, ...] = ()

    @property
    def reference(self) -> str | None:
        """The reference level of a categorical column (None for a numeric one)."""
        return self.levels[0] if self.levels else None


@dataclass(frozen=True)
class PatientTable:
    """The columns asked for, one value per row; `lines` are the rows' lines in the file.

    `group` holds each row's group label and `groups` the labels in order of first
    appearance (both empty without a group column).
    """

    path: str
    ids: tuple[str, ...]
    lines: tuple[int, ...]
    columns: Mapping[str, Column]
    group: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.ids)

    def problem(self, row: int, column: str, message: str) -> InputProblem:
        """An InputProblem naming this file, the line of `row`, `column` and its cell."""
        text = self.columns[column].texts[row]
        return InputProblem(message, self.path, self.lines[row], column, text or "")


def is_number(text: str) -> bool:
    """Whether `text` is a finite decimal number by the contract's rule."""
    return NUMBER.fullmatch(text) is not None and math.isfinite(float(text))


def split_names(text: str | None) -> list[str]:
    """The column names of a comma-separated option (`A,B,...`), blanks dropped."""
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def parse_refs(items: Iterable[str] | None) -> dict[str, str]:
    """`--ref COL=LEVEL` options as {COL: LEVEL}; InputError if one is malformed or repeated."""
    refs: dict[str, str] = {}
    for item in items or ():
        column, equals, level = item.partition("=")
        column = column.strip()
        if not equals or not column:
            raise InputError(InputProblem("--ref must be COL=LEVEL", value=item))
        if column in refs:
            raise InputError(InputProblem("--ref given twice for a column", column=column))
        refs[column] = level.strip()
    return refs


def read_header(path: str) -> list[str]:
    """The column names of the CSV file at `path`; InputError if it cannot be read."""
    header, _ = _read_csv(path)
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
    """Read `columns` (and the `refs` columns, and `group`) of the CSV file at `path`.

    InputError, listing every problem, if a column named is not in the file, an id is
    missing or repeated, a row has the wrong number of cells, a `--ref` level does not
    occur (or names a numeric column), or a group is missing.
    """
    factors = tuple(factors)
    header, rows = _read_csv(path)
    wanted = list(dict.fromkeys([*columns, *refs, *([group] if group else [])]))
    _check_header(path, header, [*wanted, *factors, *([id_column] if id_column else [])])
    problems: list[InputProblem] = []
    rows = _complete_rows(path, header, rows, problems)
    cells = {name: [_cell(row[header.index(name)]) for _, row in rows] for name in wanted}
    lines = tuple(line for line, _ in rows)
    ids = _ids(path, header, rows, id_column, problems)
    built = {
        name: _column(path, name, cells[name], lines, name in factors, refs.get(name), problems)
        for name in wanted
    }
    labels = _group(path, group, cells.get(group, []), lines, problems) if group else ()
    _raise(path, problems)
    groups = tuple(dict.fromkeys(labels))
    return PatientTable(path, ids, lines, built, tuple(labels), groups)


def _read_csv(path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (line, cells) of each non-empty record."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            rows = [(reader.line_num, row) for row in reader if row]
    except OSError as error:
        raise InputError(InputProblem(f"cannot read the file: {error.strerror}", path)) from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise InputError(InputProblem(f"not a readable CSV file: {error}", path)) from error
    if not header:
        raise InputError(InputProblem("the file has no header", path, 1))
    if not rows:
        raise InputError(InputProblem("the table has no rows", path, 1))
    return header, rows


def _check_header(path: str, header: list[str], named: list[str]) -> None:
    """InputError for each column named that the header lacks or has twice."""
    found = ", ".join(header)
    problems = [
        InputProblem(f"no such column (columns: {found})", path, 1, name)
        for name in dict.fromkeys(named)
        if name not in header
    ]
    problems += [
        InputProblem("the header has this column twice", path, 1, name)
        for name in dict.fromkeys(named)
        if header.count(name) > 1
    ]
    if problems:
        raise InputError(problems)


def _complete_rows(path, header, rows, problems):
    """The rows with as many cells as the header; a problem for each other row."""
    good = []
    for line, row in rows:
        if len(row) == len(header):
            good.append((line, row))
        else:
            message = f"the row has {len(row)} cells; the header has {len(header)}"
            problems.append(InputProblem(message, path, line))
    return good


def _cell(text: str) -> str | None:
    """The cell's text without surrounding whitespace, or None when missing."""
    text = text.strip()
    return None if text in MISSING else text


def _ids(path, header, rows, id_column, problems) -> tuple[str, ...]:
    """Each row's id, noting missing and repeated ones."""
    column = id_column or (DEFAULT_ID if DEFAULT_ID in header else None)
    if column is None:
        return tuple(str(number) for number in range(1, len(rows) + 1))
    index, first_line, ids = header.index(column), {}, []
    for line, row in rows:
        text = row[index].strip()
        if text in MISSING:
            problems.append(InputProblem("the id is missing", path, line, column, text))
        elif text in first_line:
            message = f"duplicate id (first on line {first_line[text]})"
            problems.append(InputProblem(message, path, line, column, text))
        else:
            first_line[text] = line
        ids.append(text)
    return tuple(ids)


def _column(path, name, texts, lines, factor, ref, problems) -> Column:
    """The column `name` typed by the contract's rule, its levels ordered, `ref` first."""
    present = [t for t in texts if t is not None]
    if not factor and all(is_number(t) for t in present):
        if ref is not None:
            message = "--ref names a numeric column; list it in --factors"
            problems.append(InputProblem(message, path, None, name, ref))
        values = tuple(None if t is None else float(t) for t in texts)
        return Column(name, "numeric", values, (), tuple(texts))
    levels = sorted(set(present))
    if factor and all(is_number(t) for t in present):
        levels.sort(key=lambda t: (float(t), t))
    if ref is not None:
        if ref in levels:
            levels.remove(ref)
            levels.insert(0, ref)
        else:
            shown = ", ".join(levels)
            message = f"--ref level does not occur in the column (levels: {shown})"
            problems.append(InputProblem(message, path, None, name, ref))
    return Column(name, "categorical", tuple(texts), tuple(levels), tuple(texts))


def _group(path, column, texts, lines, problems) -> list[str]:
    """The group labels, noting missing ones (survival command's rule)."""
    for text, line in zip(texts, lines, strict=True):
        if text is None:
            problems.append(InputProblem("the group is missing", path, line, column, ""))
    return [text or "" for text in texts]


def survival_values(
    table: PatientTable, time: str, event: str, *, allow_missing: bool = False
) -> tuple[list[float | None], list[int | None]]:
    """Each row's time (>= 0) and event (1 or 0), as the `survival` command checks them.

    A missing time or event is an error unless `allow_missing` (the `cox` command leaves
    such rows out); then it is None.
    """
    problems: list[InputProblem] = []
    times, events = [], []
    time_texts, event_texts = table.columns[time].texts, table.columns[event].texts
    for row, (t, e) in enumerate(zip(time_texts, event_texts, strict=True)):
        if (t is None or e is None) and not allow_missing:
            which = time if t is None else event
            problems.append(table.problem(row, which, f"the {_kind(which, time)} is missing"))
        number = None if t is None else _number(t)
        if t is not None and (number is None or number < 0):
            problems.append(table.problem(row, time, "the time must be a number >= 0"))
        flag = None if e is None else _number(e)
        if e is not None and flag not in (0.0, 1.0):
            problems.append(table.problem(row, event, "the event must be 1 or 0"))
        times.append(number)
        events.append(None if flag not in (0.0, 1.0) else int(flag))
    _raise(table.path, problems)
    return times, events


def _kind(column: str, time: str) -> str:
    return "time" if column == time else "event"


def _number(text: str) -> float | None:
    """The number in `text`, or None if it is not one by the contract's rule."""
    return float(text) if is_number(text) else None


def _raise(path: str, problems: list[InputProblem]) -> None:
    """InputError listing at most MAX_PROBLEMS of `problems`, if any."""
    if problems:
        shown = problems[:MAX_PROBLEMS]
        extra = len(problems) - MAX_PROBLEMS
        if extra > 0:
            shown.append(InputProblem(f"and {extra} more problems", path))
        raise InputError(shown)
