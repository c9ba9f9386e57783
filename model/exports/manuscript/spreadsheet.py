"""A manuscript table as an Excel sheet and as CSV (issue 17, item 5).

The sheet: the title in bold, the header rows bold (spanners merged over their columns,
a rule above the header, under it and under the table), labels indented by level, Arial
10 pt, the footnotes under the table. The CSV: one header row (a spanner's text joined to
each of its columns' headers: `ICI (n = 167): Any grade`), the body rows with each indent
level as two leading spaces, then an empty row and one row per footnote; UTF-8 with a
byte-order mark so that Excel reads the dashes and signs. The title is not in the CSV: its
first row is the header, as a program reading it expects.

Text that a spreadsheet would run as a formula (a leading =, +, @, tab or carriage return,
or - not starting a number; OWASP "CSV Injection") is kept as text: quote-prefixed in the
sheet, behind a leading apostrophe in the CSV.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from model.exports.manuscript.table import Table
from model.exports.workbook import FORMULA_STARTS
from model.interchange.folders import make_folder, private_file

#: Sheet names may not hold these characters, nor be longer than 31 characters (Excel).
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RULE = Side(style="thin", color="000000")
_NUMBER_START = re.compile(r"-[0-9.]")
MIN_WIDTH, MAX_LABEL_WIDTH = 8, 45
#: As the Word table's.
FONT = "Arial"
CSV_INDENT = "  "


def write_xlsx(table: Table, path: Path | str) -> Path:
    """Write `table` as one sheet of an .xlsx workbook at `path` (replaced whole, or left as
    it was); returns the path. InputError when it cannot be written."""
    path = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_FORBIDDEN.sub(" ", table.title)[:31].strip() or "Table"
    sheet.cell(1, 1, table.title).font = Font(name=FONT, bold=True, size=11)
    first_header = 3
    headers = table.header_rows()
    lines = [*headers, *([r.label, *r.cells] for r in table.rows)]
    for r, texts in enumerate(lines, start=first_header):
        for c, text in enumerate(texts, start=1):
            sheet.cell(r, c, text or None)
    for _, first, last in table.span_ranges():
        sheet.merge_cells(start_row=first_header, end_row=first_header,
                          start_column=first + 2, end_column=last + 2)  # fmt: skip
    body_start = first_header + len(headers)
    for r, row in enumerate(table.rows, start=body_start):
        sheet.cell(r, 1).alignment = Alignment(horizontal="left", indent=row.indent)
    _style(sheet, table, first_header, body_start)
    for r, note in enumerate(table.footnotes, start=body_start + len(table.rows) + 1):
        sheet.cell(r, 1, note).font = Font(name=FONT, size=10)
    sheet.freeze_panes = sheet.cell(body_start, 2)
    _widths(sheet, table)
    make_folder(path.parent, path)
    with private_file(path) as temporary:
        workbook.save(temporary)
    return path


def _style(sheet, table: Table, first_header: int, body_start: int) -> None:
    """Bold centred header, centred numbers, rules above and below the header and below
    the body, and formula-like text kept as text."""
    columns = len(table.columns) + 1
    last_row = body_start + len(table.rows) - 1
    # The style of each kind of cell, set through openpyxl once and then copied as indices:
    # its setters hash every style object each time (0.9 s for the report's tables at
    # 20,000 patients, issue 19).
    styled: dict[tuple[bool, bool, bool, bool], StyleArray] = {}
    for r in range(first_header, last_row + 1):
        for c in range(1, columns + 1):
            cell = sheet.cell(r, c)
            header = r < body_start
            top = r == first_header
            bottom = r in (body_start - 1, last_row)
            if header and r < body_start - 1 and _under_span(table, c):
                bottom = True
            kind = (header, c > 1, top, bottom)
            made = styled.get(kind)
            if made is None:
                cell.font = _font(header)
                if c > 1:
                    cell.alignment = _centred(header)
                cell.border = _border(top, bottom)
                styled[kind] = cell._style
            else:
                _copy_style(made, cell, alignment=c > 1)
            if isinstance(cell.value, str) and _formula_like(cell.value):
                cell.data_type, cell.quotePrefix = "s", True


def _copy_style(made: StyleArray, cell, *, alignment: bool) -> None:
    """Give `cell` the font and border (and alignment) indices of `made`."""
    if cell._style is None:
        cell._style = StyleArray()
    cell._style.fontId, cell._style.borderId = made.fontId, made.borderId
    if alignment:
        cell._style.alignmentId = made.alignmentId


# One style object per kind, shared by the cells: a new one per cell cost openpyxl a hash
# and a comparison each, 0.25 s for a listing of 850 surgeries (issue 19).
@cache
def _font(bold: bool) -> Font:
    return Font(name=FONT, size=10, bold=bold)


@cache
def _centred(wrap: bool) -> Alignment:
    return Alignment(horizontal="center", wrap_text=wrap)


@cache
def _border(top: bool, bottom: bool) -> Border:
    return Border(top=_RULE if top else None, bottom=_RULE if bottom else None)


def _under_span(table: Table, column: int) -> bool:
    """Whether sheet column `column` (1 the labels) lies under a spanner with a text."""
    return any(first + 2 <= column <= last + 2 for _, first, last in table.span_ranges())


def _widths(sheet, table: Table) -> None:
    """The label column as wide as its longest label (capped); the others as their longest
    cell or header word."""
    label = max([len(table.stub)] + [len(r.label) + 2 * r.indent for r in table.rows])
    sheet.column_dimensions["A"].width = min(MAX_LABEL_WIDTH, max(MIN_WIDTH, label + 2))
    for j, header in enumerate(table.columns):
        longest = max([len(w) for w in header.split()] + [len(r.cells[j]) for r in table.rows])
        sheet.column_dimensions[get_column_letter(j + 2)].width = max(MIN_WIDTH, longest + 2)


def write_csv(table: Table, path: Path | str) -> Path:
    """Write `table` as CSV at `path` (replaced whole, or left as it was); returns the path.
    InputError when it cannot be written."""
    path = Path(path)
    make_folder(path.parent, path)
    with private_file(path) as temporary:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            for row in csv_rows(table):
                writer.writerow([_csv_safe(text) for text in row])
    return path


def csv_rows(table: Table) -> list[list[str]]:
    """The CSV's rows: the one header row, the body, an empty row and the footnotes."""
    header = [table.stub, *table.columns]
    start = 0
    for span in table.spans:
        for j in range(start, start + span.width):
            if span.text:
                header[j + 1] = f"{span.text}: {table.columns[j]}"
        start += span.width
    rows = [header]
    rows += [[CSV_INDENT * r.indent + r.label, *r.cells] for r in table.rows]
    if table.footnotes:
        rows.append([])
        rows += [[note] for note in table.footnotes]
    return rows


def _formula_like(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula (a negative number is not)."""
    if text.startswith("-"):
        return _NUMBER_START.match(text) is None
    return text.startswith(FORMULA_STARTS)


def _csv_safe(text: str) -> str:
    return f"'{text}" if _formula_like(text) else text
