"""Writing a study in the interchange format: a folder of CSV files or one .xlsx workbook,
so that reading it back gives the same StudyData.

Source: interchange spec ("export then import gives the same study").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from model.domain import StudyData
from model.errors import InputError, InputProblem
from model.interchange.folders import new_folder, private_file
from model.interchange.tables import EXTRA_PREFIX, MEASUREMENTS, PATIENTS, TABLES, Table
from model.interchange.values import format_value
from model.rules.clinical import variable_column

#: Data rows one worksheet can hold (Excel's limit of 1,048,576 rows, less the header).
MAX_SHEET_ROWS = 1_048_575

#: Characters one cell can hold (Excel's limit); Excel cuts longer text without a word.
MAX_CELL_CHARACTERS = 32_767

_WIDTH_SAMPLE = 200
_MIN_WIDTH, _MAX_WIDTH = 8, 40


def write_study(data: StudyData, folder: Path) -> list[Path]:
    """The CSV files written, one per table with rows, as the new content of `folder`.

    The folder is written whole beside its place and then put there, owner-only;
    one holding files Nadir did not write is refused (model/interchange/folders.py).
    """
    folder = Path(folder)
    names = []
    with new_folder(folder) as partial:
        for table, records in _tables_to_write(data):
            columns = table_columns(table, records, _declared_columns(data, table))
            with open(partial / table.file_name, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(columns)
                writer.writerows([format_value(v) for v in _values(r, columns)] for r in records)
            names.append(table.file_name)
    return [folder / name for name in names]


def write_workbook(data: StudyData, path: Path) -> None:
    """Writes `data` as one .xlsx workbook, a sheet per table with rows, header bold and frozen.

    Dates are date cells shown YYYY-MM-DD, numbers are numbers, yes/no stay
    text. Raises InputError when a table has more rows than a sheet holds.
    """
    import openpyxl  # imported here: only workbook users pay for it

    tables = list(_tables_to_write(data))
    for table, records in tables:
        if len(records) > MAX_SHEET_ROWS:
            message = f"{len(records)} rows do not fit an .xlsx sheet (at most {MAX_SHEET_ROWS})"
            raise InputError(InputProblem(message + "; export CSV files instead", table.name))
    problems = []
    for table, records in tables:
        columns = table_columns(table, records, _declared_columns(data, table))
        rows = (_values(record, columns) for record in records)
        problems += too_long_for_a_cell(table.name, columns, rows)
    if problems:
        raise InputError(problems)
    # The file is opened first: openpyxl leaves its sheets half-written if saving fails.
    with private_file(Path(path)) as temporary, open(temporary, "wb") as handle:
        book = openpyxl.Workbook(write_only=True)
        for table, records in tables:
            columns = table_columns(table, records, _declared_columns(data, table))
            _write_sheet(book.create_sheet(table.name), columns, records)
        book.save(handle)


def too_long_for_a_cell(
    sheet: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[InputProblem]:
    """Returns a problem for each text of `rows` longer than an .xlsx cell holds, naming the
    sheet, its row and column: refused rather than cut short (issue 14, attack 10)."""
    problems = []
    for line, row in enumerate(rows, start=2):
        for column, value in zip(columns, row, strict=False):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                message = (
                    f"{len(value):,} characters do not fit an .xlsx cell (at most "
                    f"{MAX_CELL_CHARACTERS:,}); export CSV files instead, or shorten the text"
                )
                problems.append(InputProblem(message, sheet, line, column, value))
    return problems


def table_columns(table: Table, records: Sequence[Any], declared: Sequence[str] = ()) -> list[str]:
    """Columns to write for `records`: the required ones, those holding a value other than
    the blank default, then the `x_` extra columns: those `declared` (a study's variables,
    written even when blank, interchange 1.1), then the others in order of first use."""
    columns = [
        column.name
        for column in table.columns
        if column.required
        or column.always_written
        or any(getattr(record, column.name) != column.parse("") for record in records)
    ]
    extras = dict.fromkeys([*declared, *(name for record in records for name in record.extra)])
    return columns + list(extras)


def _declared_columns(data: StudyData, table: Table) -> list[str]:
    """The `x_` columns of the study's declared variables, for patients.csv."""
    return [variable_column(v.name) for v in data.variables] if table is PATIENTS else []


def _tables_to_write(data: StudyData) -> Iterator[tuple[Table, Sequence[Any]]]:
    """Each table with rows; an empty study still gets a measurements table, so that it
    reads back (a study needs patients or measurements)."""
    for table in TABLES:
        records = getattr(data, table.name)
        empty_study = table is MEASUREMENTS and not data.patients and not data.measurements
        if records or empty_study:
            yield table, records


def _values(record: Any, columns: list[str]) -> list[Any]:
    extra = record.extra
    return [
        extra.get(name) if name.startswith(EXTRA_PREFIX) else getattr(record, name)
        for name in columns
    ]


def _write_sheet(sheet: Any, columns: list[str], records: Sequence[Any]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for index, name in enumerate(columns, 1):
        sample = [format_value(_values(r, [name])[0]) for r in records[:_WIDTH_SAMPLE]]
        width = max([len(name), *(len(text) for text in sample)]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(width, _MIN_WIDTH), _MAX_WIDTH
        )
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = header_font, header_fill
        header.append(cell)
    sheet.append(header)
    for record in records:
        sheet.append(
            [_sheet_value(sheet, value, WriteOnlyCell) for value in _values(record, columns)]
        )


def _sheet_value(sheet: Any, value: Any, cell_type: type) -> Any:
    """The cell for `value`: dates as date cells, text kept as text even when it starts
    with '=' (openpyxl would otherwise store it as a formula)."""
    if isinstance(value, bool | tuple):
        return format_value(value)
    if isinstance(value, date):
        cell = cell_type(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        if not value.startswith("="):
            return str(value)
        cell = cell_type(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _cannot_write(path: Path, error: OSError) -> InputError:
    return InputError(InputProblem(f"cannot be written: {error.strerror or error}", str(path)))
