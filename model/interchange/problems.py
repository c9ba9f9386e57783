"""The problems found in an import, all collected before the import fails."""

from __future__ import annotations

from collections.abc import Iterable

from model.errors import InputError, InputProblem

#: Problems listed in one error at most; the rest are counted. A file in the
#: wrong format can have a problem on each of a million rows, and a message
#: that long helps nobody.
MAX_LISTED_PROBLEMS = 1000


class Problems:
    """The problems found so far: the first MAX_LISTED_PROBLEMS kept, all counted."""

    def __init__(self) -> None:
        self.listed: list[InputProblem] = []
        self.count = 0

    def add(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        """Records one problem."""
        self.extend([InputProblem(message, file, line, column, value)])

    def extend(self, problems: Iterable[InputProblem]) -> None:
        """Records each of `problems`."""
        for problem in problems:
            self.count += 1
            if self.count <= MAX_LISTED_PROBLEMS:
                self.listed.append(problem)

    def raise_if_any(self) -> None:
        """Returns when nothing was found; raises InputError listing the problems otherwise."""
        if not self.count:
            return
        listed = list(self.listed)
        if self.count > len(listed):
            listed.append(InputProblem(f"... and {self.count - len(listed)} more problems"))
        raise InputError(listed)
