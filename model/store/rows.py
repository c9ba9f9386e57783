"""Rows of a study file as plain tuples, built from interchange data or from a snapshot.

The store (model/store/study.py) writes these tuples with one INSERT per table;
building them here keeps the store to SQL and the checks that need no
database apart from it. Column orders match model/store/migrations.py.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from model.domain import (
    AdverseEvent,
    EventRecord,
    MeasurementRecord,
    PatientRecord,
    ScanRecord,
    StudyData,
)
from model.editing.edits import PatientSnapshot
from model.errors import InputError, InputProblem
from model.rules.clinical import variable_values
from model.rules.measurements import measurement_problems

#: Column names of each table, in the order of the row tuples.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "patients": (
        "uuid",
        "patient_id",
        "arm",
        "start_date",
        "last_contact_date",
        "death_date",
        "sex",
        "age",
        "histology",
        "stage",
        "extra",
        "position",
    ),
    "scans": ("uuid", "patient_uuid", "scan_date", "modality", "extra", "listed"),
    "lesions": ("uuid", "patient_uuid", "lesion_id", "role", "site", "lymph_node", "position"),
    "measurements": (
        "uuid",
        "lesion_uuid",
        "scan_uuid",
        "reader",
        "fragment",
        "status",
        "diameter_mm",
        "viable_mm",
        "irradiated",
        "extra",
    ),
    "events": (
        "uuid",
        "patient_uuid",
        "kind",
        "start_date",
        "end_date",
        "detail",
        "extra",
        "position",
        "intent",
        "margin",
        "necrosis_pct",
    ),
    "overrides": (
        "uuid",
        "patient_uuid",
        "scan_date",
        "reader",
        "response",
        "reason",
        "time",
        "replaced",
    ),
    "patient_values": ("uuid", "patient_uuid", "name", "value"),
    "adverse_events": (
        "uuid",
        "patient_uuid",
        "term",
        "grade",
        "start_date",
        "end_date",
        "attribution",
        "serious",
        "category",
        "extra",
        "position",
    ),
}

#: The version digit and 12-bit counter of each UUID made in one millisecond.
_COUNTERS = tuple(f"7{counter:03x}" for counter in range(4096))

#: The variant digit (RFC 9562: binary 10xx) a random hex digit gives.
_VARIANT = {digit: "89ab"[int(digit, 16) % 4] for digit in "0123456789abcdef"}


def new_uuids() -> Iterator[str]:
    """Yields version-7 UUIDs (RFC 9562) as text, each greater than the one before.

    They start with the time in milliseconds, and a 12-bit counter orders
    those made in the same millisecond (RFC 9562, section 6.2, method 1);
    62 random bits keep them unique across machines. Rows created together
    get neighbouring keys, so a large import appends to its indexes instead
    of scattering writes over them. Made a millisecond's worth at a time.
    """
    millis = time.time_ns() // 1_000_000
    while True:
        yield from _of_millisecond(millis, _COUNTERS)
        millis += 1


def new_uuid() -> str:
    """Returns one new version-7 UUID as text, its 12 counter bits random (see new_uuids)."""
    counter = _COUNTERS[int.from_bytes(os.urandom(2), "big") % 4096]
    return _of_millisecond(time.time_ns() // 1_000_000, (counter,))[0]


def _of_millisecond(millis: int, counters: Sequence[str]) -> list[str]:
    """Returns the UUIDs of millisecond `millis`, one per version-and-counter text."""
    stamp = f"{millis:012x}"
    head = f"{stamp[:8]}-{stamp[8:]}-"
    digits = os.urandom(8 * len(counters)).hex()
    return [
        f"{head}{counter}-{_VARIANT[digits[i]]}{digits[i + 1 : i + 4]}-{digits[i + 4 : i + 16]}"
        for i, counter in zip(range(0, len(digits), 16), counters, strict=True)
    ]


def to_json(extra: Mapping[str, str]) -> str | None:
    """Returns the extra fields as a JSON object, or None when there are none."""
    return json.dumps(dict(extra), ensure_ascii=False) if extra else None


def iso(value: date | None) -> str | None:
    """Returns the date as ISO text, or None."""
    return None if value is None else value.isoformat()


def patient_row(uuid: str, record: PatientRecord, position: int) -> tuple:
    """Returns the patients row of `record`; its `x_` fields go to value_rows instead."""
    return (
        uuid,
        record.patient_id,
        record.arm,
        record.start_date.isoformat(),
        iso(record.last_contact_date),
        iso(record.death_date),
        record.sex,
        record.age,
        record.histology,
        record.stage,
        None,
        position,
    )


def value_rows(uuid: str, record: PatientRecord) -> list[tuple]:
    """Returns the patient_values rows of the patient's `x_` fields (migrations.py, issue 16)."""
    return [
        (f"{uuid}:{name}", uuid, name, value) for name, value in variable_values(record).items()
    ]


def adverse_event_row(uuid: str, patient_uuid: str, record: AdverseEvent, position: int) -> tuple:
    """Returns the adverse_events row of `record`."""
    return (
        uuid,
        patient_uuid,
        record.term,
        record.grade,
        record.start_date.isoformat(),
        iso(record.end_date),
        record.attribution,
        int(record.serious),
        record.category,
        to_json(record.extra),
        position,
    )


@dataclass
class Rows:
    """Rows to insert, per table, plus the arms and readers they name."""

    patients: list[tuple] = field(default_factory=list)
    scans: list[tuple] = field(default_factory=list)
    lesions: list[tuple] = field(default_factory=list)
    measurements: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    overrides: list[tuple] = field(default_factory=list)
    patient_values: list[tuple] = field(default_factory=list)
    adverse_events: list[tuple] = field(default_factory=list)
    #: Arm and reader names, in order of first mention (dicts keep that order).
    arms: dict[str, None] = field(default_factory=dict)
    readers: dict[str, None] = field(default_factory=dict)


def snapshot_rows(snapshot: PatientSnapshot) -> Rows:
    """Returns the rows that make up `snapshot`, UUIDs unchanged."""
    uuid = snapshot.uuid
    return Rows(
        patients=[patient_row(uuid, snapshot.record, snapshot.position)],
        scans=[
            (s.uuid, uuid, s.scan_date.isoformat(), s.modality, to_json(s.extra), int(s.listed))
            for s in snapshot.scans
        ],
        lesions=[
            (x.uuid, uuid, x.lesion_id, x.role.value, x.site, int(x.lymph_node), x.position)
            for x in snapshot.lesions
        ],
        measurements=[
            (
                m.uuid,
                m.lesion_uuid,
                m.scan_uuid,
                m.reader,
                m.fragment,
                m.status.value,
                m.diameter_mm,
                m.viable_mm,
                int(m.irradiated),
                to_json(m.extra),
            )
            for m in snapshot.measurements
        ],
        events=[event_row(e.uuid, uuid, e.record, e.position) for e in snapshot.events],
        overrides=[
            (
                o.uuid,
                uuid,
                o.scan_date.isoformat(),
                o.reader,
                o.response,
                o.reason,
                o.time,
                o.replaced,
            )
            for o in snapshot.overrides
        ],
        patient_values=value_rows(uuid, snapshot.record),
        adverse_events=[
            adverse_event_row(a.uuid, uuid, a.record, a.position) for a in snapshot.adverse_events
        ],
        arms={snapshot.record.arm: None},
        readers=dict.fromkeys(
            [m.reader for m in snapshot.measurements] + [o.reader for o in snapshot.overrides]
        ),
    )


def event_row(uuid: str, patient_uuid: str, record: EventRecord, position: int) -> tuple:
    """Returns the events row of `record`."""
    return (
        uuid,
        patient_uuid,
        record.kind,
        record.start_date.isoformat(),
        iso(record.end_date),
        record.detail,
        to_json(record.extra),
        position,
        record.intent,
        record.margin,
        record.necrosis_pct,
    )


@dataclass
class ImportPlan:
    """What an import writes: the rows, the existing patients it replaces, how many are new."""

    rows: Rows
    replaced: list[str]
    added: int


class _Planner:
    """Builds the rows of an import, collecting every problem before raising them together."""

    def __init__(self, existing: Mapping[str, tuple[str, int]], next_position: int):
        self.existing = existing
        self.next_position = next_position
        self.uuid: Callable[[], str] = new_uuids().__next__
        self.rows = Rows()
        self.problems: list[InputProblem] = []
        self.patients: dict[str, str] = {}
        self.replaced: dict[str, None] = {}
        self.scans: dict[tuple[str, date], str] = {}
        #: (patient, lesion_id) -> (lesion UUID, its earliest row, index in rows.lesions)
        self.lesions: dict[tuple[str, str], tuple[str, MeasurementRecord, int]] = {}
        self.lesion_count: dict[str, int] = {}
        #: (lesion, scan, reader) -> fragment number of its last row
        self.cells: dict[tuple[str, str, str], int] = {}
        self.event_count: dict[str, int] = {}
        self.ae_count: dict[str, int] = {}

    def add_patient(self, line: int, record: PatientRecord) -> None:
        pid = record.patient_id
        if pid in self.patients:
            self.problem("patient listed twice", "patients.csv", line, "patient_id", pid)
            return
        if pid in self.existing:
            uuid, position = self.existing[pid]
            self.replaced[uuid] = None
        else:
            uuid, position = self.uuid(), self.next_position
            self.next_position += 1
        self.patients[pid] = uuid
        self.rows.patients.append(patient_row(uuid, record, position))
        self.rows.patient_values += value_rows(uuid, record)
        self.rows.arms[record.arm] = None

    def patient_uuid(self, pid: str, file: str, line: int) -> str | None:
        uuid = self.patients.get(pid)
        if uuid is None and pid in self.existing:
            uuid = self.patients[pid] = self.existing[pid][0]
            self.replaced[uuid] = None
        if uuid is None:
            self.problem(
                "patient is neither in patients.csv nor in the study", file, line, "patient_id", pid
            )
        return uuid

    def scan_uuid(self, patient_uuid: str, scan_date: date) -> str:
        key = (patient_uuid, scan_date)
        uuid = self.scans.get(key)
        if uuid is None:
            uuid = self.scans[key] = self.uuid()
            self.rows.scans.append((uuid, patient_uuid, scan_date.isoformat(), None, None, 0))
        return uuid

    def add_scan(self, line: int, record: ScanRecord) -> None:
        patient_uuid = self.patient_uuid(record.patient_id, "scans.csv", line)
        if patient_uuid is None:
            return
        key = (patient_uuid, record.scan_date)
        iso_date = record.scan_date.isoformat()
        if key in self.scans:
            self.problem("scan listed twice", "scans.csv", line, "scan_date", iso_date)
            return
        uuid = self.scans[key] = self.uuid()
        self.rows.scans.append(
            (uuid, patient_uuid, iso_date, record.modality, to_json(record.extra), 1)
        )

    def lesion_uuid(self, patient_uuid: str, m: MeasurementRecord) -> str | None:
        """Returns the UUID of the lesion row of `m`, None when the file cannot hold it.

        The study file keeps one lesion row per patient and lesion_id, shared by
        the readers; the rules (model/rules/measurements.py) judge each reader's
        lesion apart. The row's site is that of the lesion's earliest row, where
        the engine takes it (model/criteria/readings.py).
        """
        key = (patient_uuid, m.lesion_id)
        known = self.lesions.get(key)
        if known is None:
            position = self.lesion_count.get(patient_uuid, 0)
            self.lesion_count[patient_uuid] = position + 1
            uuid = self.uuid()
            self.lesions[key] = (uuid, m, len(self.rows.lesions))
            self.rows.lesions.append(
                (uuid, patient_uuid, m.lesion_id, m.role.value, m.site, int(m.lymph_node), position)
            )
            return uuid
        uuid, first, index = known
        if (first.role, first.lymph_node) != (m.role, m.lymph_node):
            if first.reader != m.reader:
                self._shared_lesion_problem(first, m)
            return None  # the same reader's lesion changing role: a rule problem, reported
        if m.scan_date < first.scan_date:
            self.lesions[key] = (uuid, m, index)
            self.rows.lesions[index] = (*self.rows.lesions[index][:4], m.site,
                                        *self.rows.lesions[index][5:])  # fmt: skip
        return uuid

    def _shared_lesion_problem(self, first: MeasurementRecord, m: MeasurementRecord) -> None:
        column = "role" if first.role != m.role else "lymph_node"
        file, line = m.source or ("measurements.csv", None)
        message = (
            f"reader {m.reader or 'blank'}'s {m.lesion_id} differs in {column} from reader "
            f"{first.reader or 'blank'}'s; a study file keeps one lesion per lesion_id, "
            "so give the two readers' lesions different labels"
        )
        self.problem(message, file, line, column, str(getattr(m, column)))

    def add_measurement(self, m: MeasurementRecord) -> None:
        file, line = m.source or ("measurements.csv", None)
        patient_uuid = self.patient_uuid(m.patient_id, file, line)
        if patient_uuid is None:
            return
        lesion_uuid = self.lesion_uuid(patient_uuid, m)
        if lesion_uuid is None:
            return
        scan_uuid = self.scan_uuid(patient_uuid, m.scan_date)
        cell = (lesion_uuid, scan_uuid, m.reader)
        fragment = self.cells[cell] = self.cells.get(cell, -1) + 1
        self.rows.readers[m.reader] = None
        self.rows.measurements.append(
            (
                self.uuid(),
                lesion_uuid,
                scan_uuid,
                m.reader,
                fragment,
                m.status.value,
                m.diameter_mm,
                m.viable_mm,
                int(m.irradiated),
                to_json(m.extra),
            )
        )

    def add_event(self, line: int, record: EventRecord) -> None:
        patient_uuid = self.patient_uuid(record.patient_id, "events.csv", line)
        if patient_uuid is None:
            return
        position = self.event_count.get(patient_uuid, 0)
        self.event_count[patient_uuid] = position + 1
        self.rows.events.append(event_row(self.uuid(), patient_uuid, record, position))

    def add_adverse_event(self, line: int, record: AdverseEvent) -> None:
        patient_uuid = self.patient_uuid(record.patient_id, "adverse_events.csv", line)
        if patient_uuid is None:
            return
        position = self.ae_count.get(patient_uuid, 0)
        self.ae_count[patient_uuid] = position + 1
        row = adverse_event_row(self.uuid(), patient_uuid, record, position)
        self.rows.adverse_events.append(row)

    def problem(self, message: str, file: str, line: int, column: str, value: str) -> None:
        self.problems.append(InputProblem(message, file, line, column, value))


def _located(records: Sequence[MeasurementRecord]) -> Sequence[MeasurementRecord]:
    """Returns `records`, each without a `source` given its line in measurements.csv."""
    if all(r.source is not None for r in records):
        return records
    return [
        r if r.source else replace(r, source=("measurements.csv", line))
        for line, r in enumerate(records, start=2)
    ]


def plan_import(
    data: StudyData, existing: Mapping[str, tuple[str, int]], next_position: int
) -> ImportPlan:
    """Returns the rows that import `data`; raises InputError listing every problem.

    `existing` maps the study's patient_ids to their (uuid, position). Rows
    without a `source` are located by their place in `data` (the line of a
    CSV file with a header row).
    """
    planner = _Planner(existing, next_position)
    for line, record in enumerate(data.patients, start=2):
        planner.add_patient(line, record)
    for line, scan in enumerate(data.scans, start=2):
        planner.add_scan(line, scan)
    measurements = _located(data.measurements)
    planner.problems += measurement_problems(measurements)
    for measurement in measurements:
        planner.add_measurement(measurement)
    for line, event in enumerate(data.events, start=2):
        planner.add_event(line, event)
    for line, adverse_event in enumerate(data.adverse_events, start=2):
        planner.add_adverse_event(line, adverse_event)
    if planner.problems:
        raise InputError(planner.problems)
    added = len(planner.patients) - len(planner.replaced)
    return ImportPlan(planner.rows, list(planner.replaced), added)
