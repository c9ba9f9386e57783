"""Where the rows of a table come from: a UTF-8 CSV file or a sheet of an .xlsx workbook.

A source yields rows as (line, cells, cell_problems): the line (or sheet row)
number, each cell's text, and the problems of single cells that have no text
to check (an .xlsx formula). It raises FileProblem when the file as a whole
cannot be read, after the rows it could read. Files are streamed, never held
whole in memory.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from itertools import chain, compress, count, repeat
from operator import methodcaller
from pathlib import Path
from typing import Any

from model.interchange.values import format_number

#: One row of a source: line number, cell texts, {cell index: problem}.
Row = tuple[int, list[str], dict[int, str]]

_NO_PROBLEMS: dict[int, str] = {}
#: Characters read at a time; a block whose text has none of _NEEDS_CSV (quotes, carriage
#: returns, NUL) and no line over the csv module's field limit is split at commas and
#: newlines, as the csv module would, three times faster (issue 19).
_BLOCK_CHARS = 1 << 20
_NEEDS_CSV = re.compile('["\r\x00]')
_SPLIT = methodcaller("split", ",")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS = "save it as 'CSV UTF-8 (comma delimited)'"

#: Bytes a workbook may unpack to: a million-row sheet of a study unpacks to about 450 MB.
MAX_UNPACKED_BYTES = 1_000_000_000

#: How many times larger than its packed size a large part of a workbook may unpack to:
#: sheets of real studies unpack about 12 times; a zip bomb hundreds or thousands of times.
MAX_UNPACK_RATIO, RATIO_CHECKED_FROM = 100, 10_000_000


class FileProblem(Exception):
    """A whole file cannot be read as a table; `line` says where reading stopped."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def csv_rows(path: Path) -> Iterator[Row]:
    """Rows of a UTF-8 CSV file (a byte-order mark is accepted), blank lines skipped."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise FileProblem(f"cannot be opened: {error.strerror or error}") from None
    with handle:
        end = 0
        try:
            while block := handle.read(_BLOCK_CHARS):
                block += handle.readline()
                lines = block.split("\n")
                if _NEEDS_CSV.search(block) or max(map(len, lines)) > csv.field_size_limit():
                    yield from _parsed_rows(chain(io.StringIO(block, newline=""), handle), end)
                    return
                if not lines[-1]:
                    lines.pop()
                rows = zip(count(end + 1), map(_SPLIT, lines), repeat(_NO_PROBLEMS))
                yield from compress(rows, lines)  # blank lines are no rows
                end += len(lines)
        except UnicodeDecodeError:
            raise _encoding_problem(path) from None
        except OSError as error:
            raise FileProblem(f"cannot be read: {error.strerror or error}", end + 1) from None


def _parsed_rows(lines: Iterator[str], before: int) -> Iterator[Row]:
    """Rows of `lines` (the file after its first `before` lines) as the csv module reads them."""
    reader = csv.reader(lines, strict=True)
    end = before
    try:
        for cells in reader:
            start, end = end + 1, before + reader.line_num
            if cells:
                yield start, cells, _NO_PROBLEMS
    except csv.Error as error:
        raise FileProblem(f"is not valid CSV ({error})", end + 1) from None


def _encoding_problem(path: Path) -> FileProblem:
    """The first line that is not UTF-8, found by reading the bytes again (error path only)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number == 1 and raw.startswith(_UTF16_BOMS):
                return FileProblem(f"is UTF-16 text, not UTF-8; {_SAVE_AS}", 1)
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                byte = raw[error.start]
                return FileProblem(f"is not UTF-8 text (byte 0x{byte:02x}); {_SAVE_AS}", number)
    return FileProblem(f"is not UTF-8 text; {_SAVE_AS}")


@contextmanager
def open_workbook(path: Path) -> Iterator[Any]:
    """The workbook at `path`, read-only, formulas kept as formulas; closed on exit."""
    import openpyxl  # imported here: only workbook users pay for it

    _check_unpacked_size(path)
    try:
        with warnings.catch_warnings():
            # Notes on features openpyxl drops (data validation, styles) are not the user's
            # problem here: only cell values are read.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (OSError, zipfile.BadZipFile) as error:
        raise FileProblem(f"cannot be read as an .xlsx workbook ({error})") from None
    except Exception as error:  # openpyxl raises many types on malformed content
        raise FileProblem(f"cannot be read as an .xlsx workbook ({error!r})") from None
    try:
        yield book
    finally:
        book.close()


def _check_unpacked_size(path: Path) -> None:
    """Raises FileProblem when the workbook would unpack to more than it can hold (a zip bomb:
    issue 14, attack 13); nothing is unpacked to tell."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        raise FileProblem(f"cannot be read as an .xlsx workbook ({error})") from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(
            f"would unpack to {unpacked / 1e6:,.0f} MB, more than a workbook of a study "
            f"({MAX_UNPACKED_BYTES / 1e6:,.0f} MB); export it as CSV files instead"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_CHECKED_FROM and ratio > MAX_UNPACK_RATIO:
            raise FileProblem(
                f"its part {part.filename} would unpack {ratio:,.0f} times larger than it is "
                "packed, as no spreadsheet does (a zip bomb?)"
            )


def sheet_rows(sheet: Any) -> Iterator[Row]:
    """Rows of a worksheet, numbered like the sheet's rows, blank rows skipped."""
    number = 0
    try:
        # Read-only sheets trust the size the file declares; a wrong one would silently
        # drop rows or columns, so every row is read whatever it says.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(), 1):
            problems: dict[int, str] = {}
            cells = [_cell_text(cell, index, problems) for index, cell in enumerate(row)]
            if any(cells) or problems:
                yield number, cells, problems or _NO_PROBLEMS
    except Exception as error:  # malformed sheet XML surfaces here, in openpyxl's own types
        raise FileProblem(f"cannot be read as a worksheet ({error!r})", number + 1) from None


def _cell_text(cell: Any, index: int, problems: dict[int, str]) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        problems[index] = "is a formula; Nadir reads values only: paste the values instead"
    elif cell.data_type == "e":
        problems[index] = "is an Excel error value"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
