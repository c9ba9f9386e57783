"""A manuscript table, neutral of any file format: what the Word, Excel and CSV writers lay
out (issue 17, item 5).

A table has a title, a stub header (the label column's), the data columns' headers, an
optional upper header level of spanners over runs of columns (an arm over its "Any grade",
"Grade 3-4", ...), rows of already formatted text with an indent level (a factor's levels
under its name), and footnotes naming the tests and abbreviations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One body row: its label, one text per data column, and its indent (0 a variable,
    1 a level or a sub-statistic under it)."""

    label: str
    cells: tuple[str, ...]
    indent: int = 0


@dataclass(frozen=True)
class Span:
    """A spanner of the upper header level over `width` adjacent data columns; an empty
    `text` leaves those columns without one."""

    text: str
    width: int


@dataclass(frozen=True)
class Table:
    """A formatted table; `spans` (empty for one header level) cover `columns` exactly.

    ValueError when a row's cells or the spanners do not fit the columns (a builder's bug,
    not the user's input)."""

    title: str
    stub: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r}: row {row.label!r} has {len(row.cells)} cells "
                    f"for {len(self.columns)} columns"
                )
        if self.spans and sum(s.width for s in self.spans) != len(self.columns):
            raise ValueError(f"table {self.title!r}: the spanners do not cover the columns")

    def header_rows(self) -> list[list[str]]:
        """The header as rows of texts, the stub first: the spanners' row (each text in its
        first column, blanks after it) when there are spanners, then the columns' row."""
        rows = []
        if self.spans:
            upper = [""]
            for span in self.spans:
                upper += [span.text] + [""] * (span.width - 1)
            rows.append(upper)
        rows.append([self.stub, *self.columns])
        return rows

    def span_ranges(self) -> list[tuple[str, int, int]]:
        """(text, first, last) data-column indices (0-based, inclusive) of each spanner
        with a text."""
        ranges, start = [], 0
        for span in self.spans:
            if span.text:
                ranges.append((span.text, start, start + span.width - 1))
            start += span.width
        return ranges
