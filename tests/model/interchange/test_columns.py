"""measurements.csv read by columns (issue 19): the same rows, the same problems, as records;
and CSV blocks split without the csv module read as the csv module reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.domain import MeasurementColumns
from model.interchange import sources
from model.interchange.sources import csv_rows
from model.interchange.study_files import read_files
from tests.model.interchange.support import problems_of

HEADER = "patient_id,scan_date,lesion_id,role,site,diameter_mm,status,reader,x_note"
ROWS = [
    "P1,2024-01-01,T1,target,lung,20,,A,first",
    "P2,2024-01-01,T1,target,liver,31.5,measured,A,",
    "P1,2024-01-01,T1,target,lung,4.1,measured,A,fragment",
    "",
    "P1,2024-01-01,NT1,non-target,bone,,,A,",
    "P2,2024-02-01,T1,target,liver,12.3,,A,",
    "P1,2024-02-01,T1,target,lung,0,absent,A,",
    "P1,2024-02-01,NT1,non-target,bone,,present,A,",
]


def _write(folder: Path, lines: list[str], newline: str = "\n") -> Path:
    path = folder / "measurements.csv"
    path.write_bytes("".join(line + newline for line in [HEADER, *lines]).encode())
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_columns_hold_the_records_read(tmp_path, newline):
    path = _write(tmp_path, ROWS, newline)
    records = read_files(measurements=path).measurements
    columns = read_files(measurements=path, measurement_columns=True).measurements
    assert isinstance(columns, MeasurementColumns)
    assert columns == records and list(columns) == list(records)
    assert [r.source for r in columns] == [r.source for r in records]
    assert [r.extra for r in columns] == [r.extra for r in records]


def test_columns_name_the_same_problems(tmp_path):
    lines = [
        *ROWS,
        "P1,2024-02-01,T1,non-target,lung,,present,A,",
        "P2,2024-03-01,T1,target,x,?,,A,",
    ]
    path = _write(tmp_path, lines)
    by_records = problems_of(lambda: read_files(measurements=path))
    by_columns = problems_of(lambda: read_files(measurements=path, measurement_columns=True))
    assert [str(p) for p in by_columns] == [str(p) for p in by_records]
    assert len(by_records) == 3  # a bad size, a role changed, a repeated row


def test_columns_behave_as_a_sequence_of_records(tmp_path):
    records = read_files(measurements=_write(tmp_path, ROWS)).measurements
    columns = MeasurementColumns.of(records)
    assert MeasurementColumns.of(columns) is columns
    assert len(columns) == len(records) and columns[1] == records[1]
    assert columns[1:3] == records[1:3] and columns[-1] == records[-1]
    assert list(columns.take([2, 0])) == [records[2], records[0]]
    assert columns != records[:-1]


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    return [(line, cells) for line, cells, _ in csv_rows(path)]


def test_plain_blocks_read_as_the_csv_module_reads_them(tmp_path, monkeypatch):
    """Blocks split at commas give the rows and line numbers the csv module gives, and a
    block with a quote hands the rest of the file to the csv module."""
    lines = [*ROWS, 'P3,2024-01-01,T1,target,"lung, left",12,,A,"two\nlines"', *ROWS[:2]]
    path = _write(tmp_path, lines)
    monkeypatch.setattr(sources, "_BLOCK_CHARS", 1 << 20)
    whole = _rows(path)
    monkeypatch.setattr(sources, "_BLOCK_CHARS", 30)
    assert _rows(path) == whole
    monkeypatch.setattr(sources, "_NEEDS_CSV", sources.re.compile("."))
    assert _rows(path) == whole
    assert whole[-3] == (
        10,
        ["P3", "2024-01-01", "T1", "target", "lung, left", "12", "", "A", "two\nlines"],
    )
    assert [line for line, _ in whole][:5] == [1, 2, 3, 4, 6]
