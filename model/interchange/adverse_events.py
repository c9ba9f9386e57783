"""adverse_events.csv (interchange spec, "Version 1.1 additions"), read with every problem named.

Column names are case-insensitive with surrounding whitespace ignored, unknown
columns an error unless they start with `x_`, every bad value an error naming
file, line, column and value.
"""

from __future__ import annotations

import re
from pathlib import Path

from model.domain import AdverseEvent
from model.interchange import values as v
from model.interchange.problems import Problems
from model.interchange.sources import FileProblem, csv_rows

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
