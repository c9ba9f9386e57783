"""Arbitrary input never crashes the readers: every outcome is a StudyData or an InputError.

Source: interchange spec, headless commands: "on bad input it prints a clear
message on stderr naming file, line, column and value ... and exits with
status 2" (never a traceback).

Inputs tried per run (max_examples below): 150 byte strings as CSV, 150
tables of plausible and implausible cells, 40 byte strings as .xlsx, and
40 workbooks of arbitrary cells: 380 in all, about 9 s on a busy two-core
machine. A run with ten times as many found nothing more; in it, 50 of the
3,300 generated folders and workbooks were valid studies, the rest InputErrors.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from tempfile import TemporaryDirectory

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from model.domain import StudyData
from model.errors import InputError
from model.interchange.study_files import read_study
from model.interchange.tables import TABLES

#: Cells that mean something somewhere, so that generated rows often get far.
_MEANINGFUL = st.sampled_from(
    ["", " ", "P1", "P2", "T1", "NT1", "2024-01-05", "2024-02-31", "12", "-1", "1e3", "12,5",
     "target", "non-target", "new", "measured", "absent", "present", "equivocal", "too-small",
     "yes", "No", "F", "m", "=1+1", "x", "\x00", "\ufeff", '"', "\n", "\r"]
)  # fmt: skip
_CELLS = _MEANINGFUL | st.text(max_size=5)
_COLUMNS = sorted({column.name for table in TABLES for column in table.columns}) + [
    "x_note",
    "Patient_ID ",
    "unknown",
    "",
]
_TABLE_NAMES = [table.name for table in TABLES]


def _outcome(path: Path) -> StudyData | InputError:
    """What reading `path` gives; any other exception fails the test."""
    try:
        return read_study(path)
    except InputError as error:
        assert error.problems and all(str(p) for p in error.problems)
        return error


#: Valid cells by column, so that generated tables are often a valid study.
_VALID = {
    "patient_id": ["P1", "P2"],
    "lesion_id": ["T1", "NT1"],
    "role": ["target", "non-target", "new"],
    "diameter_mm": ["12", "0", "4.5"],
    "kind": ["surgery"],
    "start_date": ["2024-01-01"],
    "scan_date": ["2024-01-05", "2024-03-01"],
}


def _cell(column: str) -> st.SearchStrategy[str]:
    """Mostly a valid cell for `column`, one time in eight anything."""
    valid, anything = st.sampled_from(_VALID.get(column, [""])), _CELLS
    return st.integers(0, 7).flatmap(lambda roll: anything if roll == 0 else valid)


@st.composite
def _tables(draw, name: str | None = None) -> list[list[str]]:
    """A header and rows: the table's columns in any order and case, or anything at all."""
    table = next((t for t in TABLES if t.name == name), None)
    if table is None or draw(st.integers(0, 4)) == 0:
        header = draw(st.lists(st.sampled_from(_COLUMNS), max_size=8))
    else:
        header = draw(st.permutations([c.name for c in table.columns]))
        header = [draw(st.sampled_from([n, n.upper(), f" {n} "])) for n in header]
    columns = [name.strip().lower() for name in header]
    rows = st.tuples(*(_cell(column) for column in columns)).map(list)
    return [header] + draw(st.lists(rows, max_size=6))


def _files(draw_tables) -> st.SearchStrategy[dict[str, list[list[str]]]]:
    names = st.lists(st.sampled_from(_TABLE_NAMES), min_size=1, max_size=4, unique=True)
    return names.flatmap(lambda ns: st.fixed_dictionaries({n: draw_tables(n) for n in ns}))


@settings(max_examples=150, deadline=None)
@given(files=st.dictionaries(st.sampled_from(_TABLE_NAMES), st.binary(max_size=300), min_size=1))
def test_arbitrary_bytes_as_csv_files_give_a_study_or_an_input_error(files):
    """Interchange spec: bad files get a clear message, never a traceback."""
    with TemporaryDirectory() as folder:
        for name, content in files.items():
            (Path(folder) / f"{name}.csv").write_bytes(content)
        _outcome(Path(folder))


@settings(max_examples=150, deadline=None)
@given(files=_files(_tables))
def test_arbitrary_rows_as_csv_files_give_a_study_or_an_input_error(files):
    """Interchange spec: every value is checked; a bad one is an InputError naming it."""
    with TemporaryDirectory() as folder:
        for name, rows in files.items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            (Path(folder) / f"{name}.csv").write_text(text.getvalue(), encoding="utf-8")
        _outcome(Path(folder))


@settings(max_examples=40, deadline=None)
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_as_a_workbook_give_an_input_error(content):
    """Interchange spec: an unreadable .xlsx gets a clear message, never a traceback."""
    with TemporaryDirectory() as folder:
        path = Path(folder) / "study.xlsx"
        path.write_bytes(content)
        assert isinstance(_outcome(path), InputError)


_SHEET_CELLS = (
    _CELLS | st.integers(-5, 5000) | st.floats(allow_nan=True) | st.booleans() | st.dates()
)


@settings(max_examples=40, deadline=None)
@given(
    sheets=st.dictionaries(
        st.sampled_from([*_TABLE_NAMES, "Sheet1", "x_notes"]),
        _tables().flatmap(
            lambda rows: st.just(rows) | st.lists(st.lists(_SHEET_CELLS, max_size=5), max_size=4)
        ),
        min_size=1,
    )
)
def test_arbitrary_workbooks_give_a_study_or_an_input_error(sheets):
    """Interchange spec: a workbook's cells are checked like CSV values, whatever their type."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_storable(cell) for cell in row])
    with TemporaryDirectory() as folder:
        path = Path(folder) / "study.xlsx"
        book.save(path)
        _outcome(path)


def _storable(cell: object) -> object:
    """The cell as openpyxl can store it (it refuses control characters in text)."""
    if isinstance(cell, str):
        return openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("?", cell)
    return cell
