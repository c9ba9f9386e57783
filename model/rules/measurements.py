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
from itertools import compress, repeat
from operator import and_, is_, not_

from model.domain import STATUSES_BY_ROLE, MeasurementColumns, MeasurementRecord, Role, Status
from model.errors import InputError, InputProblem
from model.settings import StudySettings

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
    if _obey_rules(MeasurementColumns.of(records)):
        return []
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


#: (role, status) pairs the rules allow.
_ALLOWED = frozenset(
    (role, status) for role, allowed in STATUSES_BY_ROLE.items() for status in allowed
)


def _obey_rules(rows: MeasurementColumns) -> bool:
    """Whether `rows` break none of `measurement_problems`' rules, told over whole columns.

    A study's rows mostly obey them: the rows are looked at one by one, to name each
    problem, only when this says they do not (issue 19: 525,000 rows in a fifth of the time).
    """
    ids, role, status = rows.patient_id, rows.role, rows.status
    if not _ALLOWED.issuperset(zip(role, status, strict=True)):
        return False
    # A lesion is (patient_id, lesion_id, reader); the reader is left out when there is one.
    one_reader = len(set(rows.reader)) <= 1
    lesion = (ids, rows.lesion_id) if one_reader else (ids, rows.lesion_id, rows.reader)
    lesions = len(set(zip(*lesion, strict=True)))
    if len(set(zip(*lesion, role, rows.lymph_node, strict=True))) != lesions:
        return False  # a lesion changes its role or lymph_node
    at_scan = list(zip(*lesion, rows.scan_date, strict=True))
    if len(set(at_scan)) == len(at_scan):
        return True
    # Rows that repeat must all be fragments: measured targets.
    fragment = list(
        map(and_, map(is_, role, repeat(Role.TARGET)), map(is_, status, repeat(Status.MEASURED)))
    )
    others = list(compress(at_scan, map(not_, fragment)))
    distinct = set(others)
    return len(distinct) == len(others) and distinct.isdisjoint(compress(at_scan, fragment))


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


#: Largest diameter in mm a study takes without asking, unless its settings say otherwise
#: (the largest soft-tissue sarcomas measure some 300 mm; issue 15, item 1).
MAX_DIAMETER_MM: float = StudySettings.max_diameter_mm
#: A size this many times the lesion's own nearest size at another scan is asked about.
GROWTH_FACTOR = 4.0
#: ... when it is also this many mm larger (a 4 mm node read 17 mm is no typing slip).
GROWTH_MIN_MM = 20.0
#: Sizes are read to 0.1 mm; more decimals are asked about ("12.345").
DECIMALS = 1


def implausible_size(
    lesion_id: str,
    diameter_mm: float,
    other_sizes: Sequence[float],
    baseline_mm: float | None = None,
    limit_mm: float = MAX_DIAMETER_MM,
) -> str | None:
    """Returns the question to ask before keeping `diameter_mm`, None when it is plausible.

    `other_sizes` are the lesion's sizes in mm at its other scans and
    `baseline_mm` its size at baseline (None when not measured there or
    being typed there). A size is asked about (once, by whoever types it)
    when it is given to more than DECIMALS decimals, is above `limit_mm`, or
    is far above every other size of the lesion (more than GROWTH_FACTOR
    times and GROWTH_MIN_MM mm over the largest). Nothing is refused: growth
    is possible, so the reader decides (issue 15, item 1: "a size far outside
    the lesion's own history or above a study limit asks once").
    """
    said = f"{lesion_id} {diameter_mm:g} mm"
    if round(diameter_mm, DECIMALS) != diameter_mm:
        return f"{said}: sizes are read to 0.1 mm. Keep {diameter_mm:g}?"
    if diameter_mm > limit_mm:
        return f"{said}, above the study's limit of {limit_mm:g} mm: keep?"
    largest = max((mm for mm in other_sizes if mm > 0), default=None)
    if largest is None:
        return None
    if diameter_mm > GROWTH_FACTOR * largest and diameter_mm - largest >= GROWTH_MIN_MM:
        if baseline_mm:
            return f"{said}, {diameter_mm / baseline_mm:.0f}x its baseline: keep?"
        return f"{said}, {diameter_mm / largest:.0f}x its largest size ({largest:g} mm): keep?"
    return None
