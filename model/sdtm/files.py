"""Where a folder's SDTM datasets are: the file of each domain Nadir reads (issue #9).

Kept apart from the reader, which needs pandas, so that telling an SDTM folder
from an interchange one (model/importing.py) stays cheap.
"""

from __future__ import annotations

from pathlib import Path

from model.errors import InputError, InputProblem

#: The domains read, by their file names (without .csv or .xpt).
DOMAINS = ("dm", "tu", "tr", "supptu")


def sdtm_datasets(folder: Path) -> dict[str, Path]:
    """The files of the domains Nadir reads in `folder`, by lower-case domain name.

    A domain's `.csv` is taken before its `.xpt`; names compare in any letter case.
    """
    try:
        files = {entry.name.lower(): entry for entry in folder.iterdir() if entry.is_file()}
    except OSError as error:
        raise InputError(InputProblem(f"cannot be read: {error.strerror}", str(folder))) from None
    found = {}
    for name in DOMAINS:
        path = files.get(f"{name}.csv") or files.get(f"{name}.xpt")
        if path is not None:
            found[name] = path
    return found
