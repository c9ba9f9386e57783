"""A REDCap project's data dictionary: each field's form, type and coded choices (issue 21).

REDCap's "Data Dictionary" CSV (or the API's metadata, whose columns are named
field_name, form_name, ...) has one row per field: its name ("Variable /
Field Name"), form ("Form Name"), type ("Field Type"), choices ("Choices,
Calculations, OR Slider Labels", written `1, Male | 2, Female`) and validation
("Text Validation Type", e.g. `date_ymd`). A raw export holds the codes: a
radio or dropdown field its choice's code, a checkbox one column per choice
(`field___code`, 1 or 0), yesno and truefalse fields 1 or 0. This module turns
codes into labels and back.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from model.errors import InputError, InputProblem

#: Columns of the data dictionary that Nadir reads, by their meaning.
NAME, FORM, TYPE, CHOICES, VALIDATION = (
    "variable / field name",
    "form name",
    "field type",
    "choices, calculations, or slider labels",
    "text validation type or show slider number",
)
#: The same columns as the API's metadata names them (content=metadata, format=csv).
API_NAMES = {
    "field_name": NAME,
    "form_name": FORM,
    "field_type": TYPE,
    "select_choices_or_calculations": CHOICES,
    "text_validation_type_or_show_slider_number": VALIDATION,
}
#: Field types whose values are codes of choices.
CODED = {"radio", "dropdown", "checkbox", "yesno", "truefalse"}
#: The fixed choices of yesno and truefalse fields (REDCap's own codes).
FIXED_CHOICES = {"yesno": {"1": "Yes", "0": "No"}, "truefalse": {"1": "True", "0": "False"}}
#: Separator between a checkbox field and its choice's code in an export's column names.
CHECKBOX_SEPARATOR = "___"


@dataclass(frozen=True)
class FieldInfo:
    """One field of the dictionary."""

    name: str
    form: str
    type: str
    #: Code -> label, in the dictionary's order (empty for a field without choices).
    choices: dict[str, str] = field(default_factory=dict)
    validation: str = ""

    @property
    def is_checkbox(self) -> bool:
        """Returns whether the field is a checkbox (one export column per choice)."""
        return self.type == "checkbox"

    def label(self, value: str) -> str | None:
        """Returns the label of a coded `value` (a label given as such is kept; letter case
        ignored); the value itself for a field without choices; None for a code that is
        not a choice."""
        if not self.choices or not value:
            return value
        if value in self.choices:
            return self.choices[value]
        by_label = {label.casefold(): label for label in self.choices.values()}
        return by_label.get(value.casefold())

    def code(self, label: str) -> str | None:
        """Returns the code of `label` (letter case ignored; a code given as such is kept);
        the label itself for a field without choices; None for no such choice."""
        if not self.choices or not label:
            return label
        if label in self.choices:
            return label
        by_label = {text.casefold(): code for code, text in self.choices.items()}
        return by_label.get(label.casefold())

    def choices_text(self) -> str:
        """Returns the choices as REDCap writes them: `1, Male | 2, Female`."""
        return " | ".join(f"{code}, {label}" for code, label in self.choices.items())


@dataclass(frozen=True)
class Dictionary:
    """The fields of a REDCap project, by name, in the dictionary's order."""

    fields: dict[str, FieldInfo] = field(default_factory=dict)
    file: str = ""

    def get(self, name: str) -> FieldInfo | None:
        """Returns the field `name`; a checkbox choice column (`field___2`) is found as a
        yesno field of that choice; None for a field not in the dictionary."""
        found = self.fields.get(name)
        if found is not None:
            return found
        base, _, code = name.rpartition(CHECKBOX_SEPARATOR)
        box = self.fields.get(base)
        if box is not None and box.is_checkbox and code in box.choices:
            return FieldInfo(name, box.form, "yesno", dict(FIXED_CHOICES["yesno"]))
        return None


def read_dictionary(path: Path) -> Dictionary:
    """Returns the data dictionary in the CSV file `path`; InputError naming the file, line,
    column and value of every problem (a missing column, choices that do not parse)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(InputProblem(f"cannot be read as CSV ({error})", str(path))) from None
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    header = [API_NAMES.get(name, name) for name in header]
    missing = [name for name in (NAME, FORM, TYPE, CHOICES) if name not in header]
    if missing:
        message = "is not a REDCap data dictionary: it lacks the column(s) " + ", ".join(missing)
        raise InputError(InputProblem(message, str(path), 1))
    at = {name: header.index(name) for name in (NAME, FORM, TYPE, CHOICES, VALIDATION)
          if name in header}  # fmt: skip
    fields, problems = {}, []
    for line, row in enumerate(rows[1:], 2):
        cells = {name: row[i].strip() if i < len(row) else "" for name, i in at.items()}
        if not cells[NAME]:
            continue
        kind = cells[TYPE].lower()
        choices = dict(FIXED_CHOICES.get(kind, {}))
        if kind in ("radio", "dropdown", "checkbox"):
            try:
                choices = parse_choices(cells[CHOICES])
            except ValueError as error:
                problems.append(InputProblem(str(error), str(path), line, "choices",
                                             cells[CHOICES]))  # fmt: skip
        validation = cells.get(VALIDATION, "").lower()
        fields[cells[NAME]] = FieldInfo(cells[NAME], cells[FORM], kind, choices, validation)
    if problems:
        raise InputError(problems)
    return Dictionary(fields, str(path))


def parse_choices(text: str) -> dict[str, str]:
    """Returns {code: label} of REDCap's `1, Male | 2, Female`; ValueError on a choice
    without a comma or a code used twice."""
    choices: dict[str, str] = {}
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        code, comma, label = part.partition(",")
        if not comma or not code.strip():
            raise ValueError(f"the choice {part!r} is not written 'code, label'")
        if code.strip() in choices:
            raise ValueError(f"the code {code.strip()!r} is given twice")
        choices[code.strip()] = label.strip()
    if not choices:
        raise ValueError("a radio, dropdown or checkbox field needs its choices")
    return choices
