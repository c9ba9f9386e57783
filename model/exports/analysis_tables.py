"""The analyses' manuscript tables (issue 17, item 5): Table 1, the Cox screen beside the
multivariable model, and the subgroup hazard ratios, written as .docx, .xlsx and .csv from
the Analysis page and `report` alike."""

from __future__ import annotations

from pathlib import Path

from model.analyses.results import AnalysisResults
from model.exports.manuscript import (
    Table,
    cox_table,
    forest_table,
    table1_table,
    write_csv,
    write_docx,
    write_xlsx,
)

#: The writer of each manuscript format, by file suffix.
WRITERS = {".docx": write_docx, ".xlsx": write_xlsx, ".csv": write_csv}


def analysis_tables(results: AnalysisResults) -> dict[str, Table]:
    """The tables of `results` by file stem: table1, then cox and forest when fitted."""
    references = {n: c.reference for n, c in results.table.columns.items() if c.levels}
    return document_tables(
        results.table1, results.univariable, results.multivariable, results.forest, references
    )


def document_tables(
    first: dict,
    univariable: dict | None,
    multivariable: dict | None,
    forest: dict | None,
    references: dict[str, str],
) -> dict[str, Table]:
    """The tables of the analysis documents by file stem (the page's and the report's)."""
    tables = {"table1": table1_table(first)}
    if univariable or multivariable:
        tables["cox"] = cox_table(multivariable, univariable=univariable, references=references)
    if forest:
        tables["forest"] = forest_table(forest)
    return tables


def write_table(table: Table, path: Path | str) -> Path:
    """Writes `table` in the format of `path`'s suffix (.docx, .xlsx or .csv); returns the
    path. ValueError naming the formats for another suffix."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"{path.name}: a table is written as {', '.join(WRITERS)}")
    writer(table, path)
    return path


def write_analysis_tables(results: AnalysisResults, folder: Path | str) -> list[Path]:
    """Writes every table of `results` into `folder` in every format; returns the paths."""
    folder = Path(folder)
    return [
        write_table(table, folder / f"{stem}{suffix}")
        for stem, table in analysis_tables(results).items()
        for suffix in WRITERS
    ]
