"""Cell values of the interchange files: text to typed values and back.

Each parser takes a cell's text with surrounding whitespace removed and
returns the typed value, or raises ValueProblem saying what the column expects
(interchange spec: "A value that does not fit its column is an error").
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

from model.domain import DEFAULT_ARM, Role, Status, VariableType
from model.rules.clinical import GRADES, INTENTS, MARGINS
from model.rules.records import MAX_AGE_YEARS, MAX_DIAMETER_MM, age_problem, diameter_problem

__all__ = ["MAX_AGE_YEARS", "MAX_DIAMETER_MM"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Plain decimal notation only: float() would also take "1_0", "1e3", "nan", "inf".
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ROLES = {role.value: role for role in Role}
_STATUSES = {status.value: status for status in Status}
_SEXES = {"f": "F", "m": "M"}
_BOOLEANS = {"yes": True, "no": False}
_GRADES = {str(g): g for g in GRADES}


class ValueProblem(ValueError):
    """A cell's text does not fit its column; the message says what was expected."""


def _choices(values: object) -> str:
    return ", ".join(str(value) for value in values)


def free_text(text: str) -> str:
    """The text with each line break written as a single '\\n'.

    A spreadsheet cell may hold CRLF or CR line breaks; .xlsx keeps only LF,
    so reading them all as LF lets a study survive export and import unchanged.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def required_text(text: str) -> str:
    """The text itself; blank is an error."""
    if not text:
        raise ValueProblem("a value is required")
    return free_text(text)


def text_or_blank(text: str) -> str:
    """The text itself, blank kept as ''."""
    return free_text(text)


def optional_text(text: str) -> str | None:
    """The text itself, or None when blank."""
    return free_text(text) or None


def arm(text: str) -> str:
    """The arm name; blank means the single arm `All` (interchange spec, patients.csv)."""
    return free_text(text) or DEFAULT_ARM


@lru_cache(maxsize=8192)
def required_date(text: str) -> date:
    """The ISO date YYYY-MM-DD; anything else, or a day that does not exist, is an error."""
    if not text:
        raise ValueProblem("a date is required")
    if not _DATE.fullmatch(text):
        raise ValueProblem("expected a date written YYYY-MM-DD")
    try:
        return date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        raise ValueProblem("not a real date (YYYY-MM-DD)") from None


def optional_date(text: str) -> date | None:
    """The ISO date, or None when blank."""
    return required_date(text) if text else None


def _number(text: str, unit: str) -> float:
    if not _NUMBER.fullmatch(text):
        if _NUMBER.fullmatch(text.replace(",", ".", 1)):
            raise ValueProblem(f"expected a number of {unit} with a point as decimal separator")
        raise ValueProblem(f"expected a number of {unit}")
    # Excel keeps 15 significant digits; reading no more lets a study survive .xlsx.
    value = float(f"{float(text):.15g}")
    if value < 0:
        raise ValueProblem(f"a number of {unit} cannot be negative")
    return value


def diameter(text: str) -> float | None:
    """A size in mm, 0 to MAX_DIAMETER_MM, or None when blank."""
    if not text:
        return None
    value = _number(text, "mm")
    problem = diameter_problem(value)
    if problem:
        raise ValueProblem(problem)
    return value


def age(text: str) -> float | None:
    """An age in years, 0 to MAX_AGE_YEARS, or None when blank."""
    if not text:
        return None
    value = _number(text, "years")
    problem = age_problem(value)
    if problem:
        raise ValueProblem(problem)
    return value


def sex(text: str) -> str | None:
    """`F` or `M` (either case accepted), or None when blank."""
    if not text:
        return None
    try:
        return _SEXES[text.lower()]
    except KeyError:
        raise ValueProblem("expected F, M or blank") from None


def yes_no(text: str) -> bool:
    """True for `yes`, False for `no` or blank (any letter case)."""
    if not text:
        return False
    try:
        return _BOOLEANS[text.lower()]
    except KeyError:
        raise ValueProblem("expected yes, no or blank") from None


def role(text: str) -> Role:
    """The lesion role (any letter case); blank is an error."""
    try:
        return _ROLES[text.lower()]
    except KeyError:
        if not text:
            raise ValueProblem("a role is required") from None
        raise ValueProblem(f"expected one of {_choices(Role)}") from None


def status(text: str) -> Status | None:
    """The lesion status (any letter case), or None when blank (the role's default applies)."""
    if not text:
        return None
    try:
        return _STATUSES[text.lower()]
    except KeyError:
        raise ValueProblem(f"expected one of {_choices(Status)}") from None


def grade(text: str) -> int:
    """A CTCAE grade, an integer 1 to 5 (interchange 1.1, adverse_events.csv)."""
    if text not in _GRADES:
        raise ValueProblem("expected a CTCAE grade, an integer 1 to 5")
    return _GRADES[text]


def intent(text: str) -> str | None:
    """A surgery's intent, `curative` or `palliative` (any letter case), or None when blank."""
    if not text:
        return None
    if text.lower() not in INTENTS:
        raise ValueProblem(f"expected {' or '.join(INTENTS)}")
    return text.lower()


def margin(text: str) -> str | None:
    """A resection margin, `R0`, `R1` or `R2` (any letter case), or None when blank."""
    if not text:
        return None
    if text.upper() not in MARGINS:
        raise ValueProblem(f"expected {_choices(MARGINS)}")
    return text.upper()


def percent(text: str) -> float | None:
    """A percentage from 0 to 100, or None when blank."""
    if not text:
        return None
    value = _number(text, "percent")
    if value > 100:
        raise ValueProblem("expected a percentage from 0 to 100")
    return value


def variable_name(text: str) -> str:
    """A variable's name: its patients.csv column without `x_`, in lower case as columns are
    read (interchange 1.1, variables.csv); an `x_` given anyway is taken off."""
    if not text:
        raise ValueProblem("a value is required")
    name = text.lower().removeprefix("x_")
    if not name or "|" in name:
        raise ValueProblem("expected the name of an x_ column of patients.csv, without x_")
    return name


def variable_type(text: str) -> VariableType:
    """`numeric` or `categorical` (any letter case)."""
    try:
        return VariableType(text.lower())
    except ValueError:
        if not text:
            raise ValueProblem("a type is required") from None
        raise ValueProblem(f"expected one of {_choices(VariableType)}") from None


def levels(text: str) -> tuple[str, ...]:
    """The levels of a categorical variable separated by `|`, the first the reference."""
    if not text:
        return ()
    found = tuple(free_text(level.strip()) for level in text.split("|"))
    if any(not level for level in found):
        raise ValueProblem("a level is blank (levels are separated by |)")
    if len(set(found)) < len(found):
        raise ValueProblem("a level appears twice")
    return found


def format_value(value: object) -> str:
    """The cell text for a value: ISO dates, yes/no, plain decimal numbers, levels joined by
    `|`, '' for None."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "|".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def format_number(value: float) -> str:
    """The shortest plain decimal text that reads back as exactly `value` (no exponent)."""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")
