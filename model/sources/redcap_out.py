"""A study written back as a REDCap import-ready CSV for the project's mapping (issue 21).

The mapping (model/sources/redcap_mapping.py) read the other way: each mapped
interchange column goes back into its field, a label into its code of the data
dictionary (a `values` word into its label first), a checkbox into its
`field___code` columns (1 or 0); patients into the record's row (the record id
kept as `x_redcap_record_id` on import, else the patient_id), measurements and
the other tables with an instrument into numbered instances of that repeating
instrument, tables without into the record's row. A longitudinal project
(one whose mapping names events) needs the event of each form: the table's
`event`, else the mapping's `form_events`. Dates are written YYYY-MM-DD, which
REDCap's Data Import Tool takes for every date field.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from model.domain import StudyData
from model.errors import InputError, InputProblem
from model.interchange.values import format_value
from model.sources.redcap import EVENT, INSTANCE, INSTRUMENT, RECORD_COLUMN
from model.sources.redcap_dictionary import CHECKBOX_SEPARATOR, Dictionary, read_dictionary
from model.sources.redcap_mapping import CONSTANT, RedcapMapping, TableMapping

#: (record, event, repeating instrument, instance): the key of a row of a REDCap import.
RowKey = tuple[str, str, str, int]
_REDCAP_WORDS = {"M": "Male", "F": "Female", "yes": "Yes", "no": "No"}


def write_redcap(
    data: StudyData,
    mapping: RedcapMapping,
    out: Path,
    dictionary: Path | None = None,
) -> Path:
    """Returns `out`, after writing the study there as a REDCap import-ready CSV file.

    InputError (nothing written) when a value has no code in the dictionary, or
    a longitudinal project's form has no event.
    """
    named = dictionary or mapping.dictionary_path()
    fields = read_dictionary(named) if named is not None else Dictionary()
    header, rows = redcap_rows(data, mapping, fields)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([row.get(name, "") for name in header] for row in rows)
    return out


def redcap_rows(
    data: StudyData,
    mapping: RedcapMapping,
    fields: Dictionary,
) -> tuple[list[str], list[dict[str, str]]]:
    """Returns the header and rows of the REDCap import of `data`; InputError naming each
    value without a code and each form without an event."""
    writer = _Writer(mapping, fields)
    records = {}
    for patient in data.patients:
        record = patient.extra.get(RECORD_COLUMN) or patient.patient_id
        records[patient.patient_id] = record
        if mapping.patients is not None:
            writer.put(mapping.patients, record, patient, f"patient {patient.patient_id}")
    tables: list[tuple[TableMapping | None, Sequence[Any], str]] = [
        (mapping.measurements, data.measurements, "measurements"),
        (mapping.adverse_events, data.adverse_events, "adverse events"),
    ]
    tables += [(spec, _of_kind(data.events, spec), "events") for spec in mapping.events]
    for spec, items, name in tables:
        if spec is None:
            continue
        for item in items:
            record = records.get(item.patient_id, item.patient_id)
            writer.put(spec, record, item, f"{name} of {item.patient_id}")
    writer.raise_if_any()
    return writer.header(), writer.rows()


def _of_kind(events: Sequence[Any], spec: TableMapping) -> list[Any]:
    kind = spec.columns.get("kind", "")
    if kind.startswith(CONSTANT):
        return [event for event in events if event.kind == kind[len(CONSTANT) :]]
    return list(events)


class _Writer:
    """The rows of a REDCap import being built, by key, and the problems found."""

    def __init__(self, mapping: RedcapMapping, fields: Dictionary):
        self.mapping, self.fields = mapping, fields
        self.longitudinal = bool(mapping.form_events) or any(t.event for _, t in mapping.tables())
        self.repeating = any(t.instrument for _, t in mapping.tables())
        self.by_key: dict[RowKey, dict[str, str]] = {}
        self.instances: dict[tuple[str, str, str], int] = {}
        self.problems: list[InputProblem] = []
        self.unplaced: set[str] = set()
        #: Every mapped field, so that the file names them all (checkboxes by choice).
        self.columns: dict[str, None] = {}
        for _, spec in mapping.tables():
            for source in spec.fields():
                info = fields.get(source)
                if info is not None and info.is_checkbox:
                    names = [f"{source}{CHECKBOX_SEPARATOR}{code}" for code in info.choices]
                else:
                    names = [source]
                self.columns |= dict.fromkeys(names)

    def put(self, spec: TableMapping, record: str, item: Any, what: str) -> None:
        """Adds the mapped values of `item` (a record of model/domain.py) to the record's rows:
        a repeating instrument's fields to a new instance, other fields to their event's row."""
        instance = 0
        if spec.instrument:
            counter = (record, self._event(spec.instrument, spec, what), spec.instrument)
            instance = self.instances[counter] = self.instances.get(counter, 0) + 1
        for column, source in spec.columns.items():
            if source.startswith(CONSTANT) or source == self.mapping.record_id:
                continue  # the record id is the row's key
            extra = getattr(item, "extra", {})
            value = extra.get(column) if column.startswith("x_") else getattr(item, column)
            info = self.fields.get(source)
            form = info.form if info is not None else ""
            if spec.instrument and form in ("", spec.instrument):
                key = (record, self._event(spec.instrument, spec, what), spec.instrument, instance)
            else:
                key = (record, self._event(form, spec, what), "", 0)
            self._set(self.by_key.setdefault(key, {}), source, value, spec, column, what)

    def _event(self, form: str, spec: TableMapping, what: str) -> str:
        """Returns the event of `form`: the table's, else the mapping's form_events ('' for a
        project without events); notes a longitudinal project's form without one."""
        if not self.longitudinal:
            return ""
        event = spec.event or self.mapping.form_events.get(form, "")
        if not event and form not in self.unplaced:
            self.unplaced.add(form)
            message = f"{what}: the form {form or '(unknown)'} has no event; name it in form_events"
            self.problems.append(InputProblem(message, self.mapping.file, column="form_events"))
        return event

    def _set(self, row, source, value, spec: TableMapping, column: str, what: str) -> None:
        """Puts one interchange value into `row` as REDCap's code (a checkbox as its choices)."""
        text = format_value(value)
        if text:
            labels = {v.casefold(): k for k, v in spec.values.get(column, {}).items()}
            text = labels.get(text.casefold(), _REDCAP_WORDS.get(text, text))
        info = self.fields.get(source)
        if info is not None and info.is_checkbox:
            ticked = {label.strip().casefold() for label in text.split(",") if label.strip()}
            for code, label in info.choices.items():
                name = f"{source}{CHECKBOX_SEPARATOR}{code}"
                row[name] = "1" if label.casefold() in ticked or code in ticked else "0"
            return
        code = info.code(text) if info is not None else text
        if code is None:
            message = f"{what}: {text!r} ({column}) is not a choice of {source} "
            message += f"({info.choices_text()})"
            self.problems.append(
                InputProblem(message, self.mapping.file, column=source, value=text)
            )
        elif row.get(source, code) != code:
            message = (
                f"{what}: {source} holds one value per record and event, and {row[source]!r} "
                "is there already; a table giving several needs a repeating instrument"
            )
            self.problems.append(
                InputProblem(message, self.mapping.file, column=source, value=code)
            )
        elif code:
            row[source] = code

    def header(self) -> list[str]:
        """Returns the columns: the record id, REDCap's own columns in use, then the fields."""
        own = [self.mapping.record_id]
        own += [EVENT] if self.longitudinal else []
        own += [INSTRUMENT, INSTANCE] if self.repeating else []
        return own + [name for name in self.columns if name not in own]

    def rows(self) -> list[dict[str, str]]:
        """Returns the rows, each record's together: its own row first, then its instances."""
        first: dict[object, int] = {}
        for record, event, instrument, _ in self.by_key:
            for part in (record, (record, event), instrument):
                first.setdefault(part, len(first))
        keys = sorted(self.by_key, key=lambda k: (first[k[0]], first[(k[0], k[1])],
                                                  k[2] != "", first[k[2]], k[3]))  # fmt: skip
        rows = []
        for record, event, instrument, instance in keys:
            own = {self.mapping.record_id: record, EVENT: event, INSTRUMENT: instrument,
                   INSTANCE: str(instance) if instance else ""}  # fmt: skip
            rows.append({**self.by_key[(record, event, instrument, instance)], **own})
        return rows

    def raise_if_any(self) -> None:
        """Raises InputError listing the problems found; returns when there are none."""
        if self.problems:
            raise InputError(self.problems)
