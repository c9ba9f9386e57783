"""Helpers for the interchange tests: small files written on the fly, problems caught.

No tests here; the name keeps the file with the interchange tests it serves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from model.errors import InputError, InputProblem

#: A measurements.csv header with the columns most tests need.
MEASUREMENTS_HEADER = "patient_id,scan_date,lesion_id,role,diameter_mm,status"


def write(folder: Path, name: str, *lines: str) -> Path:
    """The path of a file `name` in `folder` holding `lines` (UTF-8, one per line)."""
    path = folder / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def problems_of(call: Callable[[], object]) -> tuple[InputProblem, ...]:
    """The problems of the InputError that `call` raises (the test fails if it raises none)."""
    with pytest.raises(InputError) as caught:
        call()
    return caught.value.problems


def only_problem(call: Callable[[], object]) -> InputProblem:
    """The single problem of the InputError that `call` raises."""
    problems = problems_of(call)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_names(problem: InputProblem, file: str, line: int | None, column: str | None, value):
    """Checks that `problem` names this file, line, column and value (interchange spec)."""
    assert (problem.file, problem.line, problem.column, problem.value) == (
        file,
        line,
        column,
        value,
    ), str(problem)
