"""A REDCap export read into a study through the project's mapping (issue 21).

REDCap's CSV export ("raw" codes or labels) has one row per record, event and
instance of a repeating instrument: `record_id`, `redcap_event_name`,
`redcap_repeat_instrument`, `redcap_repeat_instance`, then the fields (a
checkbox as one column per choice, `field___code`). The mapping
(model/sources/redcap_mapping.py) says which fields fill which interchange
columns; the data dictionary (model/sources/redcap_dictionary.py) turns codes
into labels. The rows become the interchange files (patients.csv,
measurements.csv, events.csv, adverse_events.csv), which are then read by the
interchange readers: one checker for every way a study comes in. Every
problem is named in the export's terms: its line, record, instrument,
instance and field.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from model.domain import Role, Status, StudyData
from model.errors import InputError, InputProblem
from model.interchange.study_files import read_study
from model.sources.redcap_dictionary import CHECKBOX_SEPARATOR, Dictionary, read_dictionary
from model.sources.redcap_mapping import CONSTANT, RedcapMapping, TableMapping, read_mapping

#: REDCap's own columns of an export.
EVENT, INSTRUMENT, INSTANCE = (
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
)
#: The x_ column of patients.csv keeping the REDCap record id, for writing back.
RECORD_COLUMN = "x_redcap_record_id"
#: Interchange columns that hold dates (a REDCap datetime keeps its date).
DATE_COLUMNS = {"start_date", "end_date", "scan_date", "last_contact_date", "death_date"}
#: Interchange columns that hold yes/no, and REDCap's words for them.
YES_NO_COLUMNS = {"lymph_node", "irradiated", "serious"}
_YES_NO = {"yes": "yes", "no": "no", "1": "yes", "0": "no", "checked": "yes",
           "unchecked": "no", "true": "yes", "false": "no"}  # fmt: skip
_SEXES = {"male": "M", "female": "F", "m": "M", "f": "F"}
#: The interchange's words of the columns with a fixed vocabulary.
_WORDS = {"role": {str(r) for r in Role}, "status": {str(s) for s in Status}}
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T][0-9:]+")
_OTHER_DATES = {"date_dmy": re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})"),
                "date_mdy": re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})")}  # fmt: skip
_FILES = {"patients": "patients.csv", "measurements": "measurements.csv",
          "events": "events.csv", "adverse_events": "adverse_events.csv"}  # fmt: skip


@dataclass(frozen=True)
class ExportRow:
    """One row of a REDCap export: where it is, whose, which event and instance."""

    line: int
    record: str
    event: str
    instrument: str
    instance: str
    values: dict[str, str]
    #: For a record's merged row: the line each value came from.
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class _Row:
    """One interchange row being built: each column's text and the export cell it came from."""

    cells: dict[str, str] = field(default_factory=dict)
    origin: dict[str, tuple[int, str]] = field(default_factory=dict)
    line: int = 0
    where: str = ""


@dataclass(frozen=True)
class RedcapImport:
    """What a REDCap export holds, read and checked as the interchange files."""

    data: StudyData
    records: int = 0


def read_redcap(
    export: Path,
    mapping: RedcapMapping | Path,
    dictionary: Path | None = None,
    keep: Path | None = None,
) -> RedcapImport:
    """Returns the study in the REDCap `export`, read through `mapping` (a file or a mapping)
    and the data dictionary (`dictionary`, else the one the mapping names).

    The interchange files are written into `keep` when given (else a temporary
    folder) and read back with the interchange readers. Raises InputError naming
    the export's line, record, instrument, instance and field of every problem.
    """
    if not isinstance(mapping, RedcapMapping):
        mapping = read_mapping(mapping)
    named = dictionary or mapping.dictionary_path()
    fields = read_dictionary(named) if named is not None else Dictionary()
    if keep is not None:
        return _read(export, mapping, fields, Path(keep))
    with tempfile.TemporaryDirectory(prefix="nadir-redcap-") as folder:
        return _read(export, mapping, fields, Path(folder))


def _read(export: Path, mapping: RedcapMapping, fields: Dictionary, folder: Path) -> RedcapImport:
    header, rows = read_export(export, mapping.record_id)
    _check_fields(mapping, fields, header, Path(export).name)
    tables = convert(rows, mapping, fields, header, Path(export).name)
    write_tables(tables, folder)
    try:
        data = read_study(folder)
    except InputError as error:
        raise InputError(
            [_translated(p, tables, Path(export).name) for p in error.problems]
        ) from None
    return RedcapImport(data, len({row.record for row in rows}))


def read_export(path: Path, record_id: str | None = None) -> tuple[list[str], list[ExportRow]]:
    """Returns the export's column names and rows, each row's record from the column
    `record_id` (REDCap's first column by default); InputError naming the file and line."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(InputProblem(f"cannot be read as CSV ({error})", str(path))) from None
    if not lines:
        raise InputError(
            InputProblem("is empty: expected REDCap's export with a header", str(path))
        )
    header = [name.strip() for name in lines[0]]
    rows = []
    for number, cells in enumerate(lines[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)}
        rows.append(
            ExportRow(number, values.get(record_id or header[0], ""), values.get(EVENT, ""),
                      values.get(INSTRUMENT, ""), values.get(INSTANCE, ""), values)
        )  # fmt: skip
    return header, rows


def _check_fields(mapping: RedcapMapping, fields: Dictionary, header: list[str], name: str) -> None:
    """Raises InputError for each mapped field that the export (or the dictionary) lacks."""
    problems = []
    columns = set(header)
    if mapping.record_id not in columns:
        problems.append(InputProblem(f"the record id field {mapping.record_id!r} is not a column "
                                     f"of {name}", mapping.file, column="record_id"))  # fmt: skip
    for table, spec in mapping.tables():
        for column, source in spec.columns.items():
            if source.startswith(CONSTANT):
                continue
            boxes = any(c.startswith(source + CHECKBOX_SEPARATOR) for c in columns)
            if source not in columns and not boxes:
                message = f"the field {source!r} is not a column of {name}"
                problems.append(
                    InputProblem(message, mapping.file, column=f"{table}.columns.{column}")
                )
            elif fields.fields and fields.get(source) is None:
                message = f"the field {source!r} is not in the data dictionary {fields.file}"
                problems.append(
                    InputProblem(message, mapping.file, column=f"{table}.columns.{column}")
                )
        if spec.instrument and INSTRUMENT not in columns:
            message = f"{name} has no {INSTRUMENT} column: the project has no repeating instrument"
            problems.append(InputProblem(message, mapping.file, column=f"{table}.instrument"))
    if problems:
        raise InputError(problems)


def convert(
    rows: list[ExportRow],
    mapping: RedcapMapping,
    fields: Dictionary,
    header: list[str],
    export: str,
) -> dict[str, list[_Row]]:
    """Returns the interchange rows of each table, each cell knowing its export line and
    field; InputError for a code that is no choice of its field."""
    problems: list[InputProblem] = []
    reader = _Reader(fields, header, export, problems)
    patients = _patients(rows, mapping, reader)
    patient_of = {record: row.cells["patient_id"] for record, row in patients.items()}
    tables: dict[str, list[_Row]] = {name: [] for name in _FILES}
    tables["patients"] = list(patients.values()) if mapping.patients else []
    for name, spec in mapping.tables():
        if name == "patients":
            continue
        for source, fallback in _source_rows(rows, spec):
            row = reader.row(spec, source, fallback)
            if row is not None:
                pid = patient_of.get(source.record, source.record)
                row.cells = {"patient_id": pid, **row.cells}
                tables[name].append(row)
    if problems:
        raise InputError(problems)
    return tables


def _patients(rows: list[ExportRow], mapping: RedcapMapping, reader: _Reader) -> dict[str, _Row]:
    """Returns the patients.csv row of each record (in order of first appearance), built from
    the record's non-repeating rows: each field's first value that is not blank."""
    spec = mapping.patients or TableMapping({})
    by_record: dict[str, list[ExportRow]] = {}
    for row in rows:
        if not row.instrument and (not spec.event or row.event == spec.event):
            by_record.setdefault(row.record, []).append(row)
    for row in rows:
        by_record.setdefault(row.record, [])
    patients = {}
    id_field = mapping.patient_id_field()
    for record, own in by_record.items():
        merged = _merged(own, record, rows)
        built = reader.row(spec, merged, None, keep_blank=True) or _Row()
        patient_id = merged.values.get(id_field, "") or record
        extra = {RECORD_COLUMN: record} if id_field != mapping.record_id else {}
        built.cells = {"patient_id": patient_id, **built.cells, **extra}
        built.origin.setdefault("patient_id", (merged.line, id_field))
        patients[record] = built
    return patients


def _merged(own: list[ExportRow], record: str, rows: list[ExportRow]) -> ExportRow:
    """Returns one row holding each field's first non-blank value among `own` (the line of
    the first of them); a record with no such row gets an empty row at its first line."""
    if not own:
        first = next(row for row in rows if row.record == record)
        return ExportRow(first.line, record, "", "", "", {})
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for row in own:
        for name, text in row.values.items():
            if text and not values.get(name):
                values[name], lines[name] = text, row.line
    return ExportRow(own[0].line, record, own[0].event, "", "", values, lines)


def _source_rows(
    rows: list[ExportRow], spec: TableMapping
) -> Iterator[tuple[ExportRow, ExportRow | None]]:
    """Yields the export rows a table takes, each with the non-repeating row of its record and
    event (where a field blank in a repeating row is looked up)."""
    plain = {(row.record, row.event): row for row in rows if not row.instrument}
    for row in rows:
        if spec.event and row.event != spec.event:
            continue
        if spec.instrument and row.instrument == spec.instrument:
            yield row, plain.get((row.record, row.event))
        elif not spec.instrument and not row.instrument:
            yield row, None


class _Reader:
    """Reads the mapped values of export rows: codes to labels, labels to interchange words."""

    def __init__(self, fields: Dictionary, header: list[str], export: str, problems: list):
        self.fields, self.export, self.problems = fields, export, problems
        self.boxes: dict[str, list[str]] = {}
        for name in header:
            base, separator, _ = name.rpartition(CHECKBOX_SEPARATOR)
            if separator:
                self.boxes.setdefault(base, []).append(name)

    def row(
        self, spec: TableMapping, source: ExportRow, fallback: ExportRow | None, keep_blank=False
    ) -> _Row | None:
        """Returns the interchange row of `source`; None when every mapped field is blank."""
        built = _Row(line=source.line, where=_where(source))
        for column, name in spec.columns.items():
            if name.startswith(CONSTANT):
                built.cells[column] = name[len(CONSTANT) :]
                continue
            row = source if self._raw(name, source) or fallback is None else fallback
            line = row.lines.get(name, row.line)
            built.origin[column] = (line, name)
            built.cells[column] = self._value(spec, column, name, row, line)
        if not keep_blank and not any(built.cells.get(c) for c in spec.field_columns()):
            return None
        return built

    def _raw(self, name: str, row: ExportRow) -> str:
        if name in self.boxes and name not in row.values:
            return "1" if any(row.values.get(c) for c in self.boxes[name]) else ""
        return row.values.get(name, "")

    def _value(self, spec: TableMapping, column: str, name: str, row: ExportRow, line: int) -> str:
        info = self.fields.get(name)
        if name in self.boxes and name not in row.values:
            ticked = [
                c for c in self.boxes[name] if _YES_NO.get(row.values.get(c, "").lower()) == "yes"
            ]
            codes = [c.rpartition(CHECKBOX_SEPARATOR)[2] for c in ticked]
            text = ", ".join((info.choices.get(code, code) if info else code) for code in codes)
        else:
            text = row.values.get(name, "")
            if info is not None and text:
                label = info.label(text)
                if label is None:
                    self.problems.append(InputProblem(
                        f"{_where(row)}: {text!r} is not a choice of {name} "
                        f"({info.choices_text()})", self.export, line, name, text))  # fmt: skip
                    return text
                text = _date(label, info.validation) if column in DATE_COLUMNS else label
        return _word(column, text, spec.values.get(column, {}))


def _date(text: str, validation: str) -> str:
    """Returns a REDCap date or datetime as the interchange's YYYY-MM-DD where it is one."""
    if match := _DATETIME.fullmatch(text):
        return match[1]
    pattern = _OTHER_DATES.get(validation)
    if pattern is not None and (match := pattern.fullmatch(text)):
        first, second, year = match.groups()
        day, month = (first, second) if validation == "date_dmy" else (second, first)
        return f"{year}-{month}-{day}"
    return text


def _word(column: str, label: str, values: dict[str, str]) -> str:
    """Returns the interchange value of a label: the mapping's word for it, else REDCap's
    usual words for yes/no and sex, else the label."""
    chosen = {key.casefold(): value for key, value in values.items()}.get(label.casefold())
    if chosen is not None:
        return chosen
    if column in YES_NO_COLUMNS:
        return _YES_NO.get(label.lower(), label)
    if column in _WORDS:
        # REDCap labels read "Too small" or "Non target" where the interchange has too-small.
        word = re.sub(r"[\s_]+", "-", label.strip().lower())
        return word if word in _WORDS[column] else label
    if column == "sex":
        return _SEXES.get(label.lower(), label)
    return label


def _where(row: ExportRow) -> str:
    where = f"record {row.record}"
    if row.event:
        where += f", event {row.event}"
    if row.instrument:
        where += f", {row.instrument} #{row.instance}"
    return where


def write_tables(tables: dict[str, list[_Row]], folder: Path) -> list[Path]:
    """Returns the interchange files written into `folder`, one per table with rows."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        if not rows:
            continue
        columns = list(dict.fromkeys(c for row in rows for c in row.cells))
        path = folder / _FILES[name]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([row.cells.get(c, "") for c in columns] for row in rows)
        written.append(path)
    return written


def _translated(problem: InputProblem, tables: dict[str, list[_Row]], export: str) -> InputProblem:
    """Returns an interchange file's problem named in the export's terms."""
    table = next((t for t, f in _FILES.items() if f == problem.file), None)
    if table is None or problem.line is None or not 2 <= problem.line <= len(tables[table]) + 1:
        return problem
    row = tables[table][problem.line - 2]
    line, name = row.origin.get(problem.column or "", (row.line, problem.column))
    message = f"{row.where}: {problem.message} (Nadir's {problem.file} column {problem.column})"
    return InputProblem(message, export, line, name, problem.value)
