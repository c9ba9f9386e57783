"""Moving a study in and out of Nadir: a folder of CSV files, or one .xlsx workbook,
read into StudyData with every problem collected, and written back.

Source: interchange spec (shared/spec/interchange.md), version 1. Readers
raise InputError listing every problem, each naming file, line, column and
value; they never return part of a study.
"""

from __future__ import annotations

from pathlib import Path

from model.collector import collector_paused
from model.domain import (
    AdverseEvent,
    EventRecord,
    MeasurementRecord,
    PatientRecord,
    ScanRecord,
    StudyData,
    Variable,
)
from model.errors import InputError, InputProblem
from model.interchange.check import check_study
from model.interchange.problems import Problems
from model.interchange.read import TableRead, read_rows
from model.interchange.sources import FileProblem, csv_rows, open_workbook, sheet_rows
from model.interchange.tables import (
    ADVERSE_EVENTS,
    EVENTS,
    MEASUREMENTS,
    PATIENTS,
    SCANS,
    TABLES,
    VARIABLES,
    Table,
)
from model.interchange.write import write_study, write_workbook

__all__ = [
    "check_study",
    "read_adverse_events",
    "read_events",
    "read_files",
    "read_measurements",
    "read_patients",
    "read_scans",
    "read_study",
    "read_variables",
    "write_study",
    "write_workbook",
]

_TABLES_BY_NAME = {table.name: table for table in TABLES}
_EXPECTED = "expected a folder of CSV files or an .xlsx workbook"
#: What to do with files that are close to a study but not one.
_NOT_A_STUDY = {
    ".csv": f"{_EXPECTED}: give the folder that holds this file",
    ".xls": f"{_EXPECTED}: save this older Excel file as .xlsx",
    ".ods": f"{_EXPECTED}: save this spreadsheet as .xlsx",
}
_UNKNOWN_SHEET = (
    "unknown sheet; expected patients, measurements, scans, events, adverse_events, variables,"
    " or a name starting with x_"
)


def read_patients(path: Path) -> tuple[PatientRecord, ...]:
    """Patients of patients.csv (or an .xlsx's patients sheet); InputError on any problem."""
    return _read_single(path, PATIENTS)


def read_measurements(path: Path) -> tuple[MeasurementRecord, ...]:
    """Measurement rows of measurements.csv, each with its `source` (file, line)."""
    return _read_single(path, MEASUREMENTS)


def read_scans(path: Path) -> tuple[ScanRecord, ...]:
    """Scans of scans.csv (or an .xlsx's scans sheet); InputError on any problem."""
    return _read_single(path, SCANS)


def read_events(path: Path) -> tuple[EventRecord, ...]:
    """Events of events.csv (or an .xlsx's events sheet); InputError on any problem."""
    return _read_single(path, EVENTS)


def read_adverse_events(path: Path) -> tuple[AdverseEvent, ...]:
    """Adverse events of adverse_events.csv (interchange 1.1); InputError on any problem."""
    return _read_single(path, ADVERSE_EVENTS)


def read_variables(path: Path) -> tuple[Variable, ...]:
    """Declarations of variables.csv (interchange 1.1); InputError on any problem."""
    return _read_single(path, VARIABLES)


@collector_paused()
def read_files(
    *,
    patients: Path | None = None,
    measurements: Path | None = None,
    scans: Path | None = None,
    events: Path | None = None,
    adverse_events: Path | None = None,
    variables: Path | None = None,
    measurement_columns: bool = False,
) -> StudyData:
    """The study in the given files, checked within and across files.

    For commands that name each file (`assess MEASUREMENTS --patients ...`):
    a patient_id must exist in `patients` only when `patients` is given.
    With `measurement_columns`, the measurements are MeasurementColumns, what the
    response engine reads fastest (model/domain.py). Raises InputError listing every
    problem in every file.
    """
    problems = Problems()
    given = {
        PATIENTS: patients,
        MEASUREMENTS: measurements,
        SCANS: scans,
        EVENTS: events,
        ADVERSE_EVENTS: adverse_events,
        VARIABLES: variables,
    }
    reads = {
        table.name: _read_path(Path(path), table, problems, measurement_columns)
        for table, path in given.items()
        if path is not None
    }
    return _checked_study(reads, problems)


def read_study(path: Path) -> StudyData:
    """The study in a folder of CSV files or in one .xlsx workbook; InputError on any problem.

    A folder holds patients.csv, measurements.csv, scans.csv and events.csv, and
    version 1.1's adverse_events.csv and variables.csv (file names in any letter
    case; other files are ignored); a workbook has
    one sheet per table, named like the files. Each table is optional, but
    patients or measurements must be there.
    """
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        raise InputError(InputProblem("no such folder or file", str(path)))
    if path.suffix.lower() != ".xlsx":
        raise InputError(InputProblem(_NOT_A_STUDY.get(path.suffix.lower(), _EXPECTED), str(path)))
    return _read_workbook(path)


@collector_paused()
def _read_single(path: Path, table: Table) -> tuple:
    problems = Problems()
    read = _read_path(Path(path), table, problems)
    return getattr(_checked_study({table.name: read}, problems), table.name)


def _read_path(path: Path, table: Table, problems: Problems, by_columns: bool = False) -> TableRead:
    """Records of `table` from a CSV file, or from the sheet named like it in an .xlsx."""
    if path.suffix.lower() != ".xlsx":
        return read_rows(csv_rows(path), table, path.name, problems, by_columns)
    try:
        with open_workbook(path) as book:
            for sheet in book.worksheets:
                if _table_of_sheet(sheet.title) is table:
                    label = f"{path.name}[{sheet.title}]"
                    return read_rows(sheet_rows(sheet), table, label, problems)
    except FileProblem as error:
        problems.add(error.message, path.name, error.line)
        return TableRead(path.name)
    problems.add(f"has no sheet named {table.name}", path.name)
    return TableRead(path.name)


def _read_folder(folder: Path) -> StudyData:
    try:
        files = {entry.name.lower(): entry for entry in folder.iterdir() if entry.is_file()}
    except OSError as error:
        raise InputError(InputProblem(f"cannot be read: {error.strerror}", str(folder))) from None
    found = {table.name: files.get(table.file_name) for table in TABLES}
    if found["patients"] is None and found["measurements"] is None:
        message = "holds neither patients.csv nor measurements.csv"
        raise InputError(InputProblem(message, str(folder)))
    return read_files(**found)


@collector_paused()
def _read_workbook(path: Path) -> StudyData:
    problems = Problems()
    reads: dict[str, TableRead] = {}
    try:
        with open_workbook(path) as book:
            for sheet in book.worksheets:
                label = f"{path.name}[{sheet.title}]"
                table = _table_of_sheet(sheet.title)
                if table is None:
                    if not sheet.title.strip().lower().startswith("x_"):
                        if next(sheet_rows(sheet), None) is not None:
                            problems.add(_UNKNOWN_SHEET, label)
                elif table.name in reads:
                    problems.add(f"a second sheet for {table.name}", label)
                else:
                    reads[table.name] = read_rows(sheet_rows(sheet), table, label, problems)
    except FileProblem as error:
        problems.add(error.message, path.name, error.line)
    if not problems.count and PATIENTS.name not in reads and MEASUREMENTS.name not in reads:
        problems.add("has neither a patients nor a measurements sheet", path.name)
    return _checked_study(reads, problems)


def _table_of_sheet(title: str) -> Table | None:
    return _TABLES_BY_NAME.get(title.strip().lower().removesuffix(".csv"))


def _checked_study(reads: dict[str, TableRead], problems: Problems) -> StudyData:
    """The study read, after the rules across rows and files; InputError on any problem."""
    data = StudyData(
        **{
            name: tuple(read.records) if isinstance(read.records, list) else read.records
            for name, read in reads.items()
        }
    )
    patients = reads.get(PATIENTS.name)
    # Patients dropped for a bad value would make their rows elsewhere look unknown.
    patients_given = patients is not None and patients.clean
    origins = {name: (read.label, read.lines) for name, read in reads.items()}
    columns = patients.extras if patients is not None else ()
    problems.extend(
        check_study(data, patients_given=patients_given, origins=origins, patient_columns=columns)
    )
    problems.raise_if_any()
    return data
