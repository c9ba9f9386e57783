"""The rules one value of a study obeys, wherever it comes from: the interchange reader
(model/interchange/values.py and tables.py) and every edit (model/editing/edits.py,
model/editing/patient.py) ask these same functions, so that nothing an edit stores is refused
when the study's own export is imported again (issue 14, attack 12).

Each function returns what is wrong in words, or None (or an empty list) when the
value is fine; the caller says where (file, line and column, or the edit).

Source: interchange spec, patients.csv (age at start_date; dates), measurements.csv
(diameter_mm >= 0), events.csv (end_date not before start_date); "Column names
are case-insensitive and surrounding whitespace is ignored" (so a name with
surrounding spaces would come back without them, beside itself).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date

from model.errors import shortened

#: Largest diameter accepted, in mm. No lesion in a human body reaches 1 m;
#: a larger value is a typing or unit slip (a missing decimal point, microns).
MAX_DIAMETER_MM = 1000.0

#: Oldest age accepted, in years (the oldest documented human lived to 122).
MAX_AGE_YEARS = 120.0

#: Characters that are not text, and that XML (and so .xlsx) cannot hold; tab and line
#: breaks are text.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: (later, earlier): the dates of a patient that may not come before another.
PATIENT_DATE_ORDER = (
    ("death_date", "start_date"),
    ("last_contact_date", "start_date"),
    ("death_date", "last_contact_date"),
)

#: (later, earlier): an event's span cannot end before it starts.
EVENT_DATE_ORDER = (("end_date", "start_date"),)


def diameter_problem(value: float | None) -> str | None:
    """Returns what is wrong with a size in mm (0 to MAX_DIAMETER_MM, or None)."""
    if value is None:
        return None
    if not math.isfinite(value):
        return "expected a number of mm"
    if value < 0:
        return "a number of mm cannot be negative"
    if value > MAX_DIAMETER_MM:
        return f"over {MAX_DIAMETER_MM:g} mm, no lesion is that large"
    return None


def age_problem(value: float | None) -> str | None:
    """Returns what is wrong with an age in years (0 to MAX_AGE_YEARS, or None)."""
    if value is None:
        return None
    if not math.isfinite(value):
        return "expected a number of years"
    if value < 0:
        return "a number of years cannot be negative"
    if value > MAX_AGE_YEARS:
        return f"an age over {MAX_AGE_YEARS:g} years is not plausible"
    return None


def text_problem(text: str | None) -> str | None:
    """Returns what is wrong with free text: a control character, which is not text."""
    if text and CONTROL_CHARACTERS.search(text):
        return "contains a control character, which is not text"
    return None


def name_problem(text: str, *, required: bool = True) -> str | None:
    """Returns what is wrong with a name that identifies something (a patient, lesion, reader,
    arm or event kind): blank when `required`, spaces at its ends, a control character."""
    if not text.strip():
        if required:
            return "a value is required"
        return "is only spaces" if text else None
    if text != text.strip():
        return f"{shortened(text)} has spaces at its start or end, which an import would drop"
    return text_problem(text)


def date_order_problems(
    values: Mapping[str, date | None], order: tuple[tuple[str, str], ...]
) -> list[tuple[str, str]]:
    """Returns (column, what is wrong) for each date of `values` before one it must follow."""
    problems = []
    for later, earlier in order:
        first, second = values.get(earlier), values.get(later)
        if first is not None and second is not None and second < first:
            problems.append((later, f"is before {earlier} {first.isoformat()}"))
    return problems
