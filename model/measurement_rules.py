"""The rules a patient's measurement rows obey together: status by role, a lesion that keeps
its role and lymph_node, and repeated rows that are fragments of a measured target.

One implementation for every way rows arrive: the interchange reader
(model/interchange/check.py), the store's import plan (model/store/rows.py)
and, on one patient's rows after an edit, the edits themselves.

Source: interchange spec, measurements.csv: `status` by role; role "constant
for a lesion"; "Two rows with the same patient, scan, lesion_id and reader are
fragments of one target lesion: their diameters add up, and they must all be
`measured`. Any other repeated row is an error." The spec fixes no rule for
`site` across rows: a lesion's site is where it is first seen (iRECIST judges
new-lesion sites there), so a later row naming another site is no error.
"""

from __future__ import annotations

from collections.abc import Sequence

from model.domain import STATUSES_BY_ROLE, MeasurementRecord, Role, Status
from model.errors import InputError, InputProblem

#: File named in problems when a row does not say where it came from.
MEASUREMENTS_FILE = "measurements.csv"

#: A lesion: one reader's lesion_id in one patient. Blinded readers label their own
#: lesions, so two readers' `T2` may be different lesions (spec, "Readers").
LesionKey = tuple[str, str, str]


def lesion_key(record: MeasurementRecord) -> LesionKey:
    """Returns the key naming the lesion of `record`: (patient_id, lesion_id, reader)."""
    return record.patient_id, record.lesion_id, record.reader


def measurement_problems(records: Sequence[MeasurementRecord]) -> list[InputProblem]:
    """Returns the problems of `records` taken together; empty when they obey the rules.

    `records` may be a whole study's rows or one patient's (say, after an
    edit): the rules never look across patients. Each problem names the
    record's `source` (file and line) when it has one.
    """
    problems: list[InputProblem] = []
    # Per lesion: its first row, and the index of its first row at each scan date.
    lesions: dict[LesionKey, tuple[MeasurementRecord, dict]] = {}
    repeats: dict[int, list[MeasurementRecord]] = {}
    for index, record in enumerate(records):
        if record.status not in STATUSES_BY_ROLE[record.role]:
            problems.append(_status_problem(record))
        key = lesion_key(record)
        known = lesions.get(key)
        if known is None:
            lesions[key] = (record, {record.scan_date: index})
            continue
        first, by_scan = known
        if first.role != record.role or first.lymph_node != record.lymph_node:
            problems += _lesion_changes(first, record)
        same_scan = by_scan.setdefault(record.scan_date, index)
        if same_scan != index:
            repeats.setdefault(same_scan, [records[same_scan]]).append(record)
    for group in repeats.values():
        problems += _repeat_problems(group)
    return problems


def check_measurements(records: Sequence[MeasurementRecord]) -> None:
    """Returns None; raises InputError listing every problem of `measurement_problems`."""
    problems = measurement_problems(records)
    if problems:
        raise InputError(problems)


def is_fragment_group(group: Sequence[MeasurementRecord]) -> bool:
    """Returns whether rows of one lesion at one scan may stand together: one row, or
    fragments of a measured target (interchange spec, measurements.csv)."""
    return len(group) == 1 or all(
        r.role is Role.TARGET and r.status is Status.MEASURED for r in group
    )


def _status_problem(record: MeasurementRecord) -> InputProblem:
    allowed = ", ".join(STATUSES_BY_ROLE[record.role])
    message = f"not allowed for a {record.role} lesion; expected one of {allowed}"
    return _at(record, message, "status", str(record.status))


def _lesion_changes(first: MeasurementRecord, record: MeasurementRecord) -> list[InputProblem]:
    problems = []
    for column in ("role", "lymph_node"):
        before, now = getattr(first, column), getattr(record, column)
        if before != now:
            message = (
                f"{column} of lesion {record.lesion_id} differs from "
                f"{_shown(before)!r} {_on_line(first.source)}; "
                "it is the same in every row of a lesion"
                + (" (a blank lymph_node means no)" if column == "lymph_node" else "")
            )
            problems.append(_at(record, message, column, _shown(now)))
    return problems


def _repeat_problems(group: list[MeasurementRecord]) -> list[InputProblem]:
    """Problems of rows sharing patient, scan_date, lesion_id and reader."""
    if is_fragment_group(group):
        return []
    message = (
        f"repeated row: repeats the row {_on_line(group[0].source)} (same patient_id, "
        "scan_date, lesion_id and reader); only fragments of a measured target lesion may repeat"
    )
    return [_at(record, message, "lesion_id", record.lesion_id) for record in group[1:]]


def _at(record: MeasurementRecord, message: str, column: str, value: str) -> InputProblem:
    file, line = record.source or (MEASUREMENTS_FILE, None)
    return InputProblem(message, file, line, column, value)


def _on_line(source: tuple[str, int | None] | None) -> str:
    return f"on line {source[1]}" if source and source[1] is not None else "in an earlier row"


def _shown(value: object) -> str:
    """A lesion field as the interchange files write it (lymph_node as yes/no)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)
