"""A REDCap project's mapping to the interchange files, written once per project (issue 21).

A JSON (or YAML) object:

    {"nadir_redcap_mapping": 1,
     "dictionary": "dictionary.csv",          # the data dictionary, beside the mapping
     "record_id": "record_id",                # the project's record id field
     "form_events": {"demographics": "enrolment_arm_1", ...},   # longitudinal projects
     "patients": {"columns": {"patient_id": "subject_code", "start_date": "tx_start", ...},
                  "values": {"sex": {"Male": "M"}}},
     "measurements": {"instrument": "lesion_measurements", "columns": {...}},
     "adverse_events": {"instrument": "adverse_events", "columns": {...}},
     "events": [{"event": "enrolment_arm_1",
                 "columns": {"kind": "=treatment", "start_date": "tx_start"}}]}

Each of `columns` maps an interchange column (or an `x_` column) to a REDCap
field, to one choice of a checkbox (`flags___2`: yes when ticked), or to a
constant written `=text`. A coded field's value is its label in the data
dictionary, then `values` may turn a label into the interchange's word. A
table with an `instrument` takes the rows of that repeating instrument; one
without takes the record's other rows (`event` picks one event). patient_id
is the record's: `patients.columns.patient_id`, by default the record id.
`form_events` names the event of each form, which writing back to a
longitudinal project needs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.errors import InputError, InputProblem
from model.interchange.tables import ADVERSE_EVENTS, EVENTS, MEASUREMENTS, PATIENTS

#: The key that marks a mapping file, and the version of its shape.
MARK, VERSION = "nadir_redcap_mapping", 1
#: The interchange columns each table of a mapping may fill.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "patients": tuple(c.name for c in PATIENTS.columns),
    "measurements": tuple(c.name for c in MEASUREMENTS.columns if c.name != "patient_id"),
    "adverse_events": tuple(c.name for c in ADVERSE_EVENTS.columns if c.name != "patient_id"),
    "events": tuple(c.name for c in EVENTS.columns if c.name != "patient_id"),
}
#: The columns each table needs (patient_id comes from the record).
REQUIRED: dict[str, tuple[str, ...]] = {
    "patients": tuple(c.name for c in PATIENTS.columns if c.required and c.name != "patient_id"),
    "measurements": tuple(c.name for c in MEASUREMENTS.columns if c.required)[1:],
    "adverse_events": tuple(c.name for c in ADVERSE_EVENTS.columns if c.required)[1:],
    "events": tuple(c.name for c in EVENTS.columns if c.required)[1:],
}
#: A source written `=text` is that text in every row.
CONSTANT = "="


@dataclass(frozen=True)
class TableMapping:
    """Where one interchange table's columns come from in a REDCap export."""

    columns: dict[str, str]
    instrument: str = ""
    event: str = ""
    #: Per column, a label of the dictionary (letter case ignored) -> the interchange value.
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def fields(self) -> list[str]:
        """Returns the REDCap fields this table reads (constants left out), in column order."""
        return [source for source in self.columns.values() if not source.startswith(CONSTANT)]

    def field_columns(self) -> list[str]:
        """Returns the columns filled from a REDCap field (not from a constant)."""
        return [c for c, source in self.columns.items() if not source.startswith(CONSTANT)]

    def as_json(self) -> dict[str, Any]:
        """Returns the table's mapping as the file holds it."""
        found: dict[str, Any] = {}
        if self.instrument:
            found["instrument"] = self.instrument
        if self.event:
            found["event"] = self.event
        found["columns"] = dict(self.columns)
        if self.values:
            found["values"] = {k: dict(v) for k, v in self.values.items()}
        return found


@dataclass(frozen=True)
class RedcapMapping:
    """A whole mapping: the record id field, the dictionary, and each table's mapping."""

    record_id: str = "record_id"
    dictionary: str = ""
    patients: TableMapping | None = None
    measurements: TableMapping | None = None
    adverse_events: TableMapping | None = None
    events: tuple[TableMapping, ...] = ()
    form_events: dict[str, str] = field(default_factory=dict)
    #: The file it was read from ('' for one made in memory): a dictionary is found beside it.
    file: str = ""

    def tables(self) -> Iterator[tuple[str, TableMapping]]:
        """Yields (interchange table name, its mapping) for each table mapped."""
        for name in ("patients", "measurements", "adverse_events"):
            table = getattr(self, name)
            if table is not None:
                yield name, table
        for table in self.events:
            yield "events", table

    def patient_id_field(self) -> str:
        """Returns the field that gives a record's patient_id (the record id by default)."""
        given = self.patients.columns.get("patient_id", "") if self.patients else ""
        return given or self.record_id

    def dictionary_path(self) -> Path | None:
        """Returns the data dictionary named by the mapping, beside the mapping file."""
        if not self.dictionary:
            return None
        return Path(self.file).parent / self.dictionary if self.file else Path(self.dictionary)

    def as_json(self) -> dict[str, Any]:
        """Returns the mapping as its file holds it."""
        found: dict[str, Any] = {MARK: VERSION}
        if self.dictionary:
            found["dictionary"] = self.dictionary
        found["record_id"] = self.record_id
        if self.form_events:
            found["form_events"] = dict(self.form_events)
        for name in ("patients", "measurements", "adverse_events"):
            table = getattr(self, name)
            if table is not None:
                found[name] = table.as_json()
        if self.events:
            found["events"] = [table.as_json() for table in self.events]
        return found


def read_mapping(path: Path) -> RedcapMapping:
    """Returns the mapping in the JSON or YAML file `path`; InputError naming the file and the
    key of every problem (an unknown column, a required column missing, a wrong shape)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(InputProblem(f"cannot be read ({error})", str(path))) from None
    document = _parsed(text, path)
    problems: list[InputProblem] = []
    mapping = _mapping(document, str(path), problems)
    if problems or mapping is None:
        raise InputError(problems)
    return mapping


def mapping_problems(mapping: RedcapMapping) -> list[InputProblem]:
    """Returns what keeps `mapping` from being read back (the checks of read_mapping)."""
    problems: list[InputProblem] = []
    _mapping(mapping.as_json(), mapping.file, problems)
    return problems


def write_mapping(mapping: RedcapMapping, path: Path) -> None:
    """Writes `mapping` to `path` as JSON (YAML for a .yaml or .yml file); returns None."""
    document = mapping.as_json()
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        import yaml

        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    else:
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    Path(path).write_text(text, encoding="utf-8")


def _parsed(text: str, path: Path) -> Any:
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            message = "a YAML mapping needs PyYAML: pip install 'nadir[redcap]', or use JSON"
            raise InputError(InputProblem(message, str(path))) from None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            raise InputError(
                InputProblem(f"is not valid YAML ({error})", str(path), line)
            ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problem = InputProblem(f"is not valid JSON ({error.msg})", str(path), error.lineno)
        raise InputError(problem) from None


def _mapping(document: Any, file: str, problems: list[InputProblem]) -> RedcapMapping | None:
    if not isinstance(document, dict) or document.get(MARK) != VERSION:
        message = f"is not a Nadir REDCap mapping: expected an object with {MARK}: {VERSION}"
        problems.append(InputProblem(message, file))
        return None
    known = {MARK, "dictionary", "record_id", "form_events", "events", *TABLE_COLUMNS}
    for key in document:
        if key not in known:
            problems.append(_at(file, key, f"unknown key; expected {', '.join(sorted(known))}"))
    tables = {
        name: _table(document[name], name, file, problems)
        for name in ("patients", "measurements", "adverse_events")
        if document.get(name) is not None
    }
    events = document.get("events") or []
    if not isinstance(events, list):
        problems.append(_at(file, "events", "expected a list of event mappings"))
        events = []
    return RedcapMapping(
        record_id=_text(document.get("record_id", "record_id"), file, "record_id", problems),
        dictionary=_text(document.get("dictionary", ""), file, "dictionary", problems),
        events=tuple(
            t
            for i, e in enumerate(events)
            if (t := _table(e, "events", file, problems, f"events[{i}]"))
        ),
        form_events=_strings(document.get("form_events", {}), file, "form_events", problems),
        file=file,
        **tables,
    )


def _table(
    value: Any, name: str, file: str, problems: list[InputProblem], key: str = ""
) -> TableMapping | None:
    key = key or name
    if not isinstance(value, dict) or not isinstance(value.get("columns"), dict):
        problems.append(_at(file, key, "expected an object with its columns"))
        return None
    columns = _strings(value["columns"], file, f"{key}.columns", problems)
    allowed = TABLE_COLUMNS[name]
    for column, source in columns.items():
        if column not in allowed and not column.startswith("x_"):
            message = f"not a column of {name}.csv; expected {', '.join(allowed)} or x_..."
            problems.append(_at(file, f"{key}.columns.{column}", message))
        elif not source.strip():
            problems.append(_at(file, f"{key}.columns.{column}", "names no REDCap field"))
    for column in REQUIRED[name]:
        if column not in columns:
            problems.append(_at(file, f"{key}.columns", f"the required column {column} is missing"))
    values = value.get("values", {})
    if not isinstance(values, dict):
        problems.append(_at(file, f"{key}.values", "expected an object per column"))
        values = {}
    return TableMapping(
        columns=columns,
        instrument=_text(value.get("instrument", ""), file, f"{key}.instrument", problems),
        event=_text(value.get("event", ""), file, f"{key}.event", problems),
        values={c: _strings(v, file, f"{key}.values.{c}", problems) for c, v in values.items()},
    )


def _strings(value: Any, file: str, key: str, problems: list[InputProblem]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(_at(file, key, "expected an object of names to texts"))
        return {}
    found = {}
    for name, text in value.items():
        if isinstance(text, str | int | float) and not isinstance(text, bool):
            found[str(name).strip()] = str(text).strip()
        else:
            problems.append(_at(file, f"{key}.{name}", "expected a text"))
    return found


def _text(value: Any, file: str, key: str, problems: list[InputProblem]) -> str:
    if isinstance(value, str):
        return value.strip()
    problems.append(_at(file, key, "expected a text"))
    return ""


def _at(file: str, key: str, message: str) -> InputProblem:
    return InputProblem(message, file, column=key)
