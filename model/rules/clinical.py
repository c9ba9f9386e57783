"""The rules of a study's clinical data beyond lesions: baseline variables, adverse events and
surgery outcomes, one copy for import, edits and the store.

Source: interchange spec, "Version 1.1 additions" (adverse_events.csv, the surgery columns
of events.csv, variables.csv). Each rule returns problems as (column, message) pairs, so that
a file names its line and a dialog names the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from model.domain import (
    AdverseEvent,
    EventKind,
    EventRecord,
    PatientRecord,
    Variable,
    VariableType,
)

#: Prefix of a variable's column in patients.csv (interchange spec: `x_ecog` for `ecog`).
VARIABLE_PREFIX = "x_"

#: The event kind whose rows may carry surgery outcomes (interchange 1.1, events.csv).
SURGERY = EventKind.SURGERY.value
#: Surgical intent, resection margin (R classification) and the columns of an outcome.
INTENTS = ("curative", "palliative")
MARGINS = ("R0", "R1", "R2")
SURGERY_COLUMNS = ("intent", "margin", "necrosis_pct")

#: CTCAE grades (CTCAE v5.0: 1 mild to 5 death related to the adverse event).
GRADES = (1, 2, 3, 4, 5)
#: Grades marked as severe on the swimmer plot and counted apart in AE tables (CTCAE >= 3).
SEVERE_GRADE = 3
#: The attribution of an adverse event related to nothing the patient received.
UNRELATED = "unrelated"
#: Event kinds whose detail names something an adverse event can be attributed to.
ATTRIBUTABLE_KINDS = (EventKind.TREATMENT.value, EventKind.PROCEDURE.value, SURGERY)
#: What an attributed adverse event is attributed to (issue 18): a drug or a procedure.
DRUG, PROCEDURE = "drug", "procedure"
#: The cause an attribution names, by the kind of the patient's event naming it.
CAUSE_OF_KIND = {EventKind.TREATMENT.value: DRUG, EventKind.PROCEDURE.value: PROCEDURE,
                 SURGERY: PROCEDURE}  # fmt: skip

#: A name the GUI may give a new variable: lower-case letters, digits and `_`.
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
# Plain decimal notation, as the interchange parsers read numbers.
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

#: A problem found by a rule: (column, message).
Problem = tuple[str, str]


def variable_column(name: str) -> str:
    """Returns the patients.csv column (and PatientRecord.extra key) of variable `name`."""
    return VARIABLE_PREFIX + name


def variable_values(record: PatientRecord) -> dict[str, str]:
    """Returns the patient's variable values by variable name (its `x_` fields, no prefix)."""
    return {k.removeprefix(VARIABLE_PREFIX): v for k, v in record.extra.items() if v != ""}


def is_number(text: str) -> bool:
    """True when `text` is a number in plain decimal notation (`12`, `-0.5`)."""
    return bool(_NUMBER.fullmatch(text.strip()))


def value_problem(variable: Variable, text: str) -> str | None:
    """Returns why `text` cannot be a value of `variable` (interchange 1.1, variables.csv),
    None when it can; blank is always allowed."""
    if text == "":
        return None
    if variable.type is VariableType.NUMERIC and not is_number(text):
        return f"is not a number, and {variable.name} is numeric"
    if variable.levels and text not in variable.levels:
        return f"is not a level of {variable.name} ({', '.join(variable.levels)})"
    return None


def declaration_problems(variable: Variable) -> list[Problem]:
    """Returns what is wrong with a declaration itself: a blank name, levels on a numeric
    variable, a level blank, repeated or holding `|` (the separator of variables.csv)."""
    problems: list[Problem] = []
    if not variable.name.strip() or variable.name != variable.name.strip().lower():
        problems.append(("name", "a variable needs a name, in lower case without spaces around"))
    if variable.type is VariableType.NUMERIC and variable.levels:
        problems.append(("levels", "a numeric variable has no levels"))
    if any(not level.strip() or "|" in level for level in variable.levels):
        problems.append(("levels", "a level is blank or holds |"))
    if len(set(variable.levels)) < len(variable.levels):
        problems.append(("levels", "a level appears twice"))
    return problems


def value_pairs(patients: Iterable[PatientRecord]) -> list[tuple[str, str]]:
    """Returns (variable name, value) of every value of `patients`."""
    return [pair for p in patients for pair in variable_values(p).items()]


def effective_variables(
    declared: Sequence[Variable], values: Iterable[tuple[str, str]]
) -> tuple[Variable, ...]:
    """Returns the study's variables: the declared ones in their order, then each variable
    with values (name, value) but no declaration, numeric when every value is a number, else
    categorical (interchange 1.1, variables.csv), in order of first use."""
    names = {v.name for v in declared}
    seen: dict[str, bool] = {}
    for name, text in values:
        if name not in names:
            seen[name] = seen.get(name, True) and is_number(text)
    inferred = (
        Variable(name, VariableType.NUMERIC if numeric else VariableType.CATEGORICAL)
        for name, numeric in seen.items()
    )
    return (*declared, *inferred)


def ae_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Returns the problems of an adverse event's values: a grade outside 1-5, a blank term,
    a resolution before the onset (interchange 1.1, adverse_events.csv)."""
    problems: list[Problem] = []
    if "term" in values and not str(values["term"] or "").strip():
        problems.append(("term", "an adverse event needs a term"))
    if "grade" in values and values["grade"] not in GRADES:
        problems.append(("grade", "expected a CTCAE grade, an integer 1 to 5"))
    start, end = values.get("start_date"), values.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        problems.append(("end_date", f"is before start_date {start.isoformat()}"))
    return problems


def surgery_problems(values: Mapping[str, Any]) -> list[Problem]:
    """Returns the problems of an event's surgery outcome: one filled on an event of another
    kind, an intent, margin or necrosis % outside its values (interchange 1.1, events.csv)."""
    filled = [c for c in SURGERY_COLUMNS if values.get(c) is not None]
    kind = str(values.get("kind") or "")
    if filled and kind.strip().lower() != SURGERY:
        return [(c, f"only a surgery event has {c} filled, not a {kind} event") for c in filled]
    problems: list[Problem] = []
    if values.get("intent") not in (None, *INTENTS):
        problems.append(("intent", f"expected {' or '.join(INTENTS)}"))
    if values.get("margin") not in (None, *MARGINS):
        problems.append(("margin", f"expected {', '.join(MARGINS)}"))
    necrosis = values.get("necrosis_pct")
    if necrosis is not None and not 0 <= necrosis <= 100:
        problems.append(("necrosis_pct", "expected a percentage from 0 to 100"))
    return problems


def attributions(events: Iterable[EventRecord]) -> tuple[str, ...]:
    """Returns what a patient's adverse event can be attributed to: each drug or procedure
    named by the patient's treatment, procedure and surgery events (a combination `a + b` also
    as its parts), in order of first mention."""
    names: dict[str, None] = {}
    for event in events:
        if event.kind.strip().lower() in ATTRIBUTABLE_KINDS and event.detail:
            parts = [p.strip() for p in event.detail.split("+")]
            names.update(dict.fromkeys([event.detail.strip(), *(p for p in parts if p)]))
    return tuple(names)


def attribution_problem(attribution: str | None, events: Iterable[EventRecord]) -> str | None:
    """Returns why an adverse event of a patient with `events` cannot be attributed so, None
    when it can: to one of `attributions(events)`, `unrelated`, or nothing (unknown)."""
    if attribution is None or attribution.lower() == UNRELATED:
        return None
    allowed = attributions(events)
    if attribution.lower() in {a.lower() for a in allowed}:
        return None
    offered = ", ".join((*allowed, UNRELATED))
    return f"attribution {attribution!r} is none of the patient's drugs or procedures ({offered})"


def attribution_cause(attribution: str | None, events: Iterable[EventRecord]) -> str | None:
    """Returns DRUG or PROCEDURE: the cause named by the first of the patient's `events` whose
    detail (or a part of a combination `a + b`) the attribution names, compared
    case-insensitively (a `treatment` names a drug; a `procedure` or `surgery` a procedure,
    such as dTACE); None when blank, `unrelated` or named by none of them."""
    if attribution is None or attribution.strip().lower() in ("", UNRELATED):
        return None
    wanted = attribution.strip().lower()
    for event in events:
        cause = CAUSE_OF_KIND.get(event.kind.strip().lower())
        if cause and event.detail and wanted in _names(event.detail):
            return cause
    return None


def _names(detail: str) -> set[str]:
    """The lower-cased names a detail gives: itself and the parts of a combination."""
    return {detail.strip().lower()} | {p.strip().lower() for p in detail.split("+")}


def severe(events: Iterable[AdverseEvent]) -> list[AdverseEvent]:
    """Returns the events of grade 3 or higher (CTCAE), in their order."""
    return [e for e in events if e.grade >= SEVERE_GRADE]
