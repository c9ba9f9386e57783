"""What a REDCap export shows of its project, for making a mapping (issue 21): the fields
(checkboxes once, and each of their choices), the repeating instruments, the events, and
which event each form is filled in; and a first mapping from fields named like the
interchange columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from model.sources.redcap import EVENT, INSTANCE, INSTRUMENT, read_export
from model.sources.redcap_dictionary import CHECKBOX_SEPARATOR, Dictionary, read_dictionary
from model.sources.redcap_mapping import TABLE_COLUMNS, RedcapMapping, TableMapping

#: Columns of an export that are REDCap's own, not fields (nor the record id).
OWN_COLUMNS = {EVENT, INSTRUMENT, INSTANCE, "redcap_data_access_group", "redcap_survey_identifier"}


@dataclass(frozen=True)
class RedcapProject:
    """The shape of a project as its export (and dictionary) show it."""

    record_id: str
    #: Fields that a mapping may name: each field, a checkbox once and each of its choices.
    fields: tuple[str, ...]
    instruments: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    #: The one event in which each form has values, where there is one.
    form_events: dict[str, str] = field(default_factory=dict)


def read_project(export: Path, dictionary: Path | None = None) -> RedcapProject:
    """Returns the shape of the project of `export`; InputError when a file cannot be read."""
    header, rows = read_export(export)
    fields = read_dictionary(dictionary) if dictionary is not None else Dictionary()
    names: list[str] = []
    for name in header[1:]:
        base, separator, _ = name.rpartition(CHECKBOX_SEPARATOR)
        if separator and base not in names:
            names.append(base)
        if name not in OWN_COLUMNS and not name.endswith("_complete"):
            names.append(name)
    instruments = tuple(dict.fromkeys(row.instrument for row in rows if row.instrument))
    events = tuple(dict.fromkeys(row.event for row in rows if row.event))
    places: dict[str, set[str]] = {}
    for row in rows:
        for name, value in row.values.items():
            info = fields.get(name) if value and name != header[0] else None
            if info is not None and row.event:
                places.setdefault(info.form, set()).add(row.event)
    form_events = {form: next(iter(found)) for form, found in places.items() if len(found) == 1}
    return RedcapProject(header[0], tuple(names), instruments, events, form_events)


def first_mapping(project: RedcapProject, dictionary: str = "") -> RedcapMapping:
    """Returns a mapping to start from: each interchange column from the field of its name,
    measurements and adverse events from instruments of their names."""
    fields = set(project.fields)

    def table(name: str, instrument: str) -> TableMapping | None:
        columns = {c: c for c in TABLE_COLUMNS[name] if c in fields}
        found = instrument if instrument in project.instruments else ""
        return TableMapping(columns, found) if columns or found else None

    patients = table("patients", "") or TableMapping({})
    return RedcapMapping(
        record_id=project.record_id,
        dictionary=dictionary,
        patients=patients,
        measurements=table("measurements", "lesion_measurements"),
        adverse_events=table("adverse_events", "adverse_events"),
        form_events=dict(project.form_events),
    )
