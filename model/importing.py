"""Which reader a study to import needs: the interchange files or SDTM datasets (issue 13).

The one place that tells the formats apart, for `python main.py import` and
the GUI's import wizard alike: a folder holding interchange files
(patients.csv or measurements.csv) or an .xlsx workbook is read as the
interchange format (interchange spec, "Headless commands"); a folder holding
SDTM datasets (dm, tu, tr as .csv or .xpt) and no interchange file as SDTM
(model/sdtm/read.py).
"""

from __future__ import annotations

from pathlib import Path

from model.domain import StudyData
from model.errors import InputError, InputProblem
from model.interchange.tables import MEASUREMENTS, PATIENTS
from model.sdtm.files import sdtm_datasets

INTERCHANGE, SDTM = "interchange", "sdtm"
#: The formats `import --format` accepts; None (the default) detects the format.
FORMATS = (INTERCHANGE, SDTM)
_NEITHER = (
    "holds neither patients.csv nor measurements.csv (the interchange format), "
    "nor SDTM datasets (dm, tu and tr as .csv or .xpt)"
)


def read_any(path: Path, format: str | None = None) -> StudyData:
    """The study at `path`, in `format` or, when None, the format `detect_format` finds.

    Raises InputError listing every problem, each naming its file.
    """
    path = Path(path)
    if format not in (None, *FORMATS):
        raise InputError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    # Imported here: main.py loads this module to build its parser, which needs no pandas.
    from model.interchange.study_files import read_study
    from model.sdtm.read import read_sdtm

    chosen = format or detect_format(path)
    return read_sdtm(path) if chosen == SDTM else read_study(path)


def detect_format(path: Path) -> str:
    """SDTM for a folder with a dm, tu or tr dataset and no patients.csv or measurements.csv;
    the interchange format for a folder with either, and for a file (whose reader names
    what is wrong with it). InputError for a folder with neither."""
    path = Path(path)
    if not path.is_dir():
        return INTERCHANGE
    try:
        names = {entry.name.lower() for entry in path.iterdir() if entry.is_file()}
    except OSError as error:
        raise InputError(InputProblem(f"cannot be read: {error.strerror}", str(path))) from None
    # A folder with interchange files stays interchange, as it was before SDTM was read.
    if names & {PATIENTS.file_name, MEASUREMENTS.file_name}:
        return INTERCHANGE
    if set(sdtm_datasets(path)) & {"dm", "tu", "tr"}:
        return SDTM
    raise InputError(InputProblem(_NEITHER, str(path)))
