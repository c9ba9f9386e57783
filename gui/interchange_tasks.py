"""The long interchange jobs the GUI runs on a worker thread: check, import and export.

Each opens its own Store on the worker thread and closes it before returning:
a SQLite connection belongs to the thread that made it (style practice 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gui.tasks import TaskProgress
from model.domain import StudyData
from model.importing import read_any
from model.interchange.study_files import write_study, write_workbook
from model.store.backups import backup_now
from model.store.imports import ImportSummary
from model.store.study import Store


def check_files(path: Path, progress: TaskProgress) -> StudyData:
    """Return the study in `path`, interchange files or SDTM datasets alike (model/importing.py);
    InputError lists every problem."""
    progress.report(0, 0, f"Reading {path.name}…")
    return read_any(path)


def import_into(
    study: Path, data: StudyData, progress: TaskProgress, sources: Sequence[Path] = ()
) -> tuple[ImportSummary, Path]:
    """Return what was written and the backup taken first, after importing `data`, read from
    the files `sources`, into the study file, all or nothing (issue 15, item 2: "takes a
    backup first"); the audit trail names the files."""
    with Store.open(study, create=False) as store:
        progress.report(0, 0, "Backing up the study…")
        backup = backup_now(store, "import")
        return store.import_study_data(data, progress, sources), backup


def export_to(study: Path, target: Path, progress: TaskProgress) -> list[Path]:
    """Return the files written: CSV files into folder `target`, or one workbook `*.xlsx`."""
    progress.report(0, 0, "Reading the study…")
    with Store.open(study, create=False) as store:
        data = store.study_data()
    progress.check()
    progress.report(0, 0, f"Writing {target.name}…")
    if target.suffix.lower() == ".xlsx":
        write_workbook(data, target)
        return [target]
    return write_study(data, target)
