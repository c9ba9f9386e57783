"""Errors caused by what a user gave Nadir: bad files, bad values, bad arguments.

They carry every problem found, each naming where it is, so that a command
can print them all and exit with status 2, and the GUI can list them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong in the input, and where: file, line, column and value."""

    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        if self.value is not None:
            where.append(f"value {shortened(self.value)}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


#: Characters of a value a message shows, at most: a 100 kB cell is named, not repeated.
MAX_SHOWN = 80


def shortened(value: str) -> str:
    """Returns `value` quoted as a message shows it: whole when short, else its start and how
    long it is (issue 14, attack 13)."""
    if len(value) <= MAX_SHOWN:
        return repr(value)
    return f"{value[: MAX_SHOWN - 20]!r}... ({len(value):,} characters)"


class InputError(Exception):
    """The input cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: list[InputProblem] | InputProblem | str):
        if isinstance(problems, str):
            problems = [InputProblem(problems)]
        elif isinstance(problems, InputProblem):
            problems = [problems]
        self.problems: tuple[InputProblem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
