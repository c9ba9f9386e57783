"""`--docx`, `--xlsx` and `--csv`: the options that also write a command's document as a
manuscript table (issue 17, item 5; model/exports/manuscript)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Option -> what it writes.
FORMATS = {
    "docx": "also write the table as a Word document (a journal-style Word table)",
    "xlsx": "also write the table as an Excel workbook",
    "csv": "also write the table as CSV",
}


def add_table_file_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare --docx FILE, --xlsx FILE and --csv FILE on `parser`."""
    for name, help_text in FORMATS.items():
        parser.add_argument(f"--{name}", metavar="FILE", type=Path, help=help_text)


def write_table_files(args: argparse.Namespace, build: Callable[[], Any]) -> list[Path]:
    """Write the table `build()` returns in each format asked for; the paths written.

    Called before the document is printed, so that a file that cannot be written (an
    InputError naming it) leaves stdout empty.
    """
    asked = {name: getattr(args, name) for name in FORMATS if getattr(args, name) is not None}
    if not asked:
        return []
    # Imported here so that building main.py's parser does not load python-docx and lxml.
    from model.exports.manuscript import write_csv, write_docx, write_xlsx

    writers = {"docx": write_docx, "xlsx": write_xlsx, "csv": write_csv}
    table = build()
    return [writers[name](table, path) for name, path in asked.items()]
