"""Adverse events by arm (analysis.md, `ae`) and the adverse_events.csv they come from.

The file is interchange.md's "Version 1.1 additions" / adverse_events.csv: column names
case-insensitive with surrounding whitespace ignored, unknown columns an error unless they
start with `x_`, every bad value an error naming file, line, column and value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from model import interchange_values as v
from model.domain import PatientRecord
from model.interchange_problems import Problems
from model.interchange_sources import FileProblem, csv_rows

#: Columns of adverse_events.csv: name -> (parser, required).
AE_COLUMNS = {
    "patient_id": (v.required_text, True),
    "term": (v.required_text, True),
    "grade": (None, True),  # parsed by _grade
    "start_date": (v.required_date, True),
    "end_date": (v.optional_date, False),
    "attribution": (v.optional_text, False),
    "serious": (v.yes_no, False),
    "category": (v.optional_text, False),
}
_GRADE = re.compile(r"[1-5]")
#: The attribution that does not count under --related (compared case-insensitively).
UNRELATED = "unrelated"


@dataclass(frozen=True)
class AdverseEvent:
    """One row of adverse_events.csv."""

    patient_id: str
    term: str
    grade: int
    start_date: date
    end_date: date | None = None
    attribution: str | None = None
    serious: bool = False
    category: str | None = None


def read_adverse_events(path: Path, patient_ids: set[str] | None = None) -> list[AdverseEvent]:
    """The events of adverse_events.csv at `path`; InputError listing every problem.

    With `patient_ids`, an event's patient must be one of them (patients.csv was given).
    """
    problems = Problems()
    label = Path(path).name
    events: list[AdverseEvent] = []
    try:
        rows = csv_rows(Path(path))
        header = next(rows, None)
        if header is None:
            problems.add("is empty: expected a header row naming the columns", label)
        else:
            plan = _plan(header[1], label, problems)
            if plan is not None:
                for line, cells, _ in rows:
                    event = _event(plan, cells, label, line, patient_ids, problems)
                    if event is not None:
                        events.append(event)
    except FileProblem as error:
        problems.add(error.message, label, error.line)
    problems.raise_if_any()
    return events


def _plan(header: list[str], label: str, problems: Problems) -> dict[str, int] | None:
    """{column: index} of the known columns; None after noting header problems."""
    names = [name.strip().lower() for name in header]
    found = problems.count
    for i, name in enumerate(names):
        if name not in AE_COLUMNS and not name.startswith("x_"):
            problems.add("unknown column (extra columns must start with x_)", label, 1, header[i])
        elif name in names[:i]:
            problems.add("the column appears twice", label, 1, header[i])
    for name, (_, required) in AE_COLUMNS.items():
        if required and name not in names:
            problems.add("a required column is missing", label, 1, name)
    if problems.count > found:
        return None
    return {name: names.index(name) for name in AE_COLUMNS if name in names}


def _event(plan, cells, label, line, patient_ids, problems) -> AdverseEvent | None:
    """The event of one row, or None after noting its problems."""
    values, found = {}, problems.count
    for name, index in plan.items():
        text = cells[index].strip() if index < len(cells) else ""
        try:
            values[name] = _grade(text) if name == "grade" else AE_COLUMNS[name][0](text)
        except v.ValueProblem as problem:
            problems.add(str(problem), label, line, name, text)
    if problems.count > found:
        return None
    event = AdverseEvent(**values)
    if event.end_date is not None and event.end_date < event.start_date:
        text = event.end_date.isoformat()
        problems.add("the end_date is before the start_date", label, line, "end_date", text)
        return None
    if patient_ids is not None and event.patient_id not in patient_ids:
        problems.add("no such patient in patients.csv", label, line, "patient_id", event.patient_id)
        return None
    return event


def _grade(text: str) -> int:
    """The CTCAE grade, an integer 1 to 5."""
    if not _GRADE.fullmatch(text):
        raise v.ValueProblem("expected a CTCAE grade, an integer 1 to 5")
    return int(text)


def counts(events: Sequence[AdverseEvent], related: bool) -> list[AdverseEvent]:
    """The events that count: all, or with `related` those attributed to something."""
    if not related:
        return list(events)
    return [e for e in events if e.attribution and e.attribution.lower() != UNRELATED]


def ae_table(
    patients: Sequence[PatientRecord], events: Sequence[AdverseEvent], *, related: bool = False
) -> dict:
    """The `ae` JSON document (analysis.md, `ae`): per arm and per term, patient counts at the
    patient's highest grade."""
    arm_of = {p.patient_id: p.arm for p in patients}
    arms = list(dict.fromkeys(p.arm for p in patients))
    size = Counter(p.arm for p in patients)
    counted = counts(events, related)
    worst: dict[str, int] = {}
    by_term: dict[str, dict[str, int]] = {}
    shown: dict[str, str] = {}
    for event in counted:
        worst[event.patient_id] = max(worst.get(event.patient_id, 0), event.grade)
        key = event.term.casefold()
        shown.setdefault(key, event.term)
        term = by_term.setdefault(key, {})
        term[event.patient_id] = max(term.get(event.patient_id, 0), event.grade)
    return {
        "arms": [
            _arm_row(arm, size[arm], grades)
            for arm, grades in _by_arm(worst, arms, arm_of).items()
        ],
        "terms": [
            {"term": shown[key], "arms": _term_arms(by_term[key], arms, size, arm_of)}
            for key in sorted(by_term, key=lambda k: (-len(by_term[k]), k))
        ],
    }


def _count(n: int, total: int) -> dict:
    return {"n": n, "pct": 100 * n / total}


def _by_arm(worst: dict[str, int], arms, arm_of) -> dict[str, list[int]]:
    """Patients' highest grades, per arm."""
    grades: dict[str, list[int]] = {arm: [] for arm in arms}
    for patient, grade in worst.items():
        grades[arm_of[patient]].append(grade)
    return grades


def _arm_row(arm: str, n: int, grades: list[int]) -> dict:
    """An arm's patients with any AE, with grade 3 or higher, and with grade 5."""
    return {
        "arm": arm,
        "n": n,
        "any": _count(len(grades), n),
        "grade_3_plus": _count(sum(g >= 3 for g in grades), n),
        "grade_5": _count(sum(g == 5 for g in grades), n),
    }


def _term_arms(worst: dict[str, int], arms, size, arm_of) -> dict:
    """Per arm, the term's patients by their highest grade for it."""
    result = {}
    for arm, grades in _by_arm(worst, arms, arm_of).items():
        n = size[arm]
        result[arm] = {
            "any_grade": _count(len(grades), n),
            "grade_1_2": _count(sum(g <= 2 for g in grades), n),
            "grade_3_4": _count(sum(3 <= g <= 4 for g in grades), n),
            "grade_5": _count(sum(g == 5 for g in grades), n),
        }
    return result
