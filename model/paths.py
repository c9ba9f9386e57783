"""Where the default study lives, and opening it (with the demo cohort on first start).

The folder is the user's data directory (platformdirs), or NADIR_DATA_DIR
when set, so that tests and portable installs keep their studies elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from model.store.study import Store

#: Environment variable naming the folder of the default study (for tests).
DATA_DIR_VARIABLE = "NADIR_DATA_DIR"

#: File name of the default study.
DEFAULT_STUDY_NAME = "study.nadir"


def data_dir() -> Path:
    """Returns the folder of Nadir's own files: NADIR_DATA_DIR, else the user's data folder."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else user_data_path("Nadir", appauthor=False)


def default_study_path() -> Path:
    """Returns the path of the default study (it need not exist yet)."""
    return data_dir() / DEFAULT_STUDY_NAME


def open_default_study() -> Store:
    """Returns the default study, created with the demo cohort when it does not exist."""
    path = default_study_path()
    if path.exists():
        return Store.open(path)
    from model.demo.cohort import demo_study

    path.parent.mkdir(parents=True, exist_ok=True)
    # Build the study beside its final name, so that an interrupted first start
    # never leaves a half-filled default study behind.
    partial = path.with_name(f".{path.name}.partial")
    for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    with Store.open(partial) as store:
        store.import_study_data(demo_study())
    os.replace(partial, path)
    return Store.open(path)
