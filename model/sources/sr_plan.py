"""DICOM SR measurement reports merged into a study: a plan the reader sees and confirms
(issue 21).

For each lesion a report measures, the plan names the patient, the scan and the
lesion of the study it fills, whether its row is new, changes a value or is
already there, and the role of a lesion new to the study; it lists the
study's lesions that a report leaves out. Nothing is decided silently: each
role carries its reason, and a reader's choice (`roles`) overrides a proposal.
The plan's `edits` (model/editing/edits.py) are written in one transaction: one undo step.

Matching and the roles proposed: model/sources/sr_lesions.py.

Audit: each row written carries the report's SOP Instance UID and the lesion's
Tracking UID in its `x_` fields: the audit trail records the row with them,
an export writes them as columns, and the next report finds the lesion by them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from model.domain import Role, Status
from model.editing.edits import (
    AddLesion,
    AddScan,
    Edit,
    PatientSnapshot,
    SetObservation,
    StoredLesion,
    StoredMeasurement,
)
from model.sources.dicom_sr import SrReport
from model.sources.sr_lesions import (
    TRACKING_FIELD,
    PlannedLesion,
    SeenLesion,
    lesion_size,
    match_lesions,
    planned_lesions,
)

#: The x_ field naming the report a row was written from (TRACKING_FIELD names the lesion).
SOP_FIELD = "x_sr_sop_instance_uid"


class Action(StrEnum):
    """What the import does to one cell (lesion at scan) of the study."""

    NEW = "new"
    UPDATE = "update"
    SAME = "unchanged"
    NOT_IN_REPORT = "not in report"


@dataclass(frozen=True)
class PlannedRow:
    """One cell of the preview: a lesion at a scan, what the report says and what it does."""

    patient_id: str
    scan_date: date
    lesion_id: str
    role: Role
    size_mm: float | None
    action: Action
    before: str = ""
    note: str = ""
    report: str = ""
    key: str = ""


@dataclass(frozen=True)
class SrPlan:
    """What confirming the import would write, with what keeps it from being written."""

    reports: tuple[SrReport, ...] = ()
    lesions: tuple[PlannedLesion, ...] = ()
    rows: tuple[PlannedRow, ...] = ()
    edits: tuple[Edit, ...] = ()
    #: Problems a confirmation cannot pass (a target without a size); fixable by a role.
    problems: tuple[str, ...] = ()
    #: What the reader should know: older versions left out, scans added, a new baseline.
    notes: tuple[str, ...] = ()

    def count(self, action: Action) -> int:
        """Returns how many rows of the preview take `action`."""
        return sum(1 for row in self.rows if row.action is action)

    def summary(self) -> str:
        """Returns the plan in one sentence: '3 new rows, 1 update, ... from 2 reports'."""
        parts = [f"{self.count(a)} {a.value}" for a in Action if self.count(a)]
        added = sum(1 for lesion in self.lesions if lesion.is_new)
        scans = sum(1 for edit in self.edits if isinstance(edit, AddScan))
        parts += [f"{added} lesion(s) new to the study"] if added else []
        parts += [f"{scans} scan(s) added"] if scans else []
        reports = f"{len(self.reports)} report(s)"
        return f"{', '.join(parts) or 'nothing'} from {reports}"


@dataclass(frozen=True)
class PatientState:
    """A patient of the study as the plan needs it: every row, and whose rows are edited."""

    snapshot: PatientSnapshot
    reader: str = ""


def plan_merge(
    reports: Sequence[SrReport],
    patients: Mapping[str, PatientState],
    patient_of: Mapping[str, str],
    roles: Mapping[tuple[str, str], Role] | None = None,
    names: Mapping[tuple[str, str], str] | None = None,
) -> SrPlan:
    """Returns the plan for `reports` against `patients` (by study patient_id).

    `patient_of` maps each report's file to the study's patient_id; `roles` and
    `names` map (patient_id, lesion key) to the reader's role and name for a
    lesion new to the study (a name of one of the study's lesions matches it to
    that lesion). Of two reports of one patient's scan, the newer (Content Date
    and Time) counts.
    """
    used, notes = _newest(reports, patient_of)
    parts = []
    for pid in dict.fromkeys(patient_of[r.file] for r in used):
        own = [r for r in used if patient_of[r.file] == pid]
        named = {key: name for (p, key), name in (names or {}).items() if p == pid}
        parts.append(_plan_patient(pid, patients[pid], own, roles, named))
    return SrPlan(
        reports=tuple(used),
        lesions=tuple(x for part in parts for x in part.lesions),
        rows=tuple(x for part in parts for x in part.rows),
        edits=tuple(x for part in parts for x in part.edits),
        problems=tuple(x for part in parts for x in part.problems),
        notes=tuple(notes) + tuple(x for part in parts for x in part.notes),
    )


def _newest(
    reports: Sequence[SrReport], patient_of: Mapping[str, str]
) -> tuple[list[SrReport], list[str]]:
    """Returns the reports that count, by scan date, and notes on the older versions left out."""
    newest: dict[tuple[str, date], SrReport] = {}
    notes = []
    for report in sorted(reports, key=lambda r: (r.written, r.file), reverse=True):
        scan = (patient_of[report.file], report.study_date)
        if scan in newest:
            notes.append(
                f"{report.name} is an older report of {scan[0]} on {scan[1]} than "
                f"{newest[scan].name}: left out"
            )
        else:
            newest[scan] = report
    return sorted(newest.values(), key=lambda r: (r.study_date, r.file)), notes


def _plan_patient(
    pid: str,
    state: PatientState,
    reports: list[SrReport],
    roles: Mapping[tuple[str, str], Role] | None,
    names: Mapping[str, str],
) -> SrPlan:
    snapshot = state.snapshot
    seen, problems = match_lesions(snapshot, reports, names)
    dates = {s.scan_date for s in snapshot.scans}
    baseline = min(dates | {r.study_date for r in reports})
    lesions = planned_lesions(pid, snapshot, seen, baseline, roles or {})
    by_key = {lesion.key: lesion for lesion in lesions}
    rows, edits = [], []
    added = sorted({r.study_date for r in reports} - dates)
    edits += [AddScan(pid, day) for day in added]
    edits += [
        AddLesion(pid, x.lesion_id, x.role, x.site, x.lymph_node) for x in lesions if x.is_new
    ]
    for report in reports:
        for entry in seen.values():
            if report.study_date in entry.sizes:
                row, edit, problem = _row(pid, state, entry, by_key[entry.key], report)
                rows.append(row)
                edits += [edit] if edit is not None else []
                problems += [problem] if problem else []
            elif entry.first_seen < report.study_date or (
                entry.stored is not None and _there(snapshot, entry.stored, report.study_date)
            ):
                lesion = by_key[entry.key]
                rows.append(_left_out(pid, state, lesion.lesion_id, lesion.role, report))
        for stored in snapshot.lesions:
            if f"id:{stored.lesion_id}" not in seen and _there(snapshot, stored, report.study_date):
                rows.append(_left_out(pid, state, stored.lesion_id, stored.role, report))
    notes = [f"adds {pid}'s scan of {day}" for day in added]
    if dates and baseline < min(dates):
        notes.append(f"{pid}: the report of {baseline} comes before the baseline of {min(dates)}")
    return SrPlan(tuple(reports), tuple(lesions), tuple(rows), tuple(edits), tuple(problems),
                  tuple(notes))  # fmt: skip


def _there(snapshot: PatientSnapshot, lesion: StoredLesion, day: date) -> bool:
    """Returns whether a lesion of the study is expected at a scan: always, except a new lesion
    before its first row (it appeared later)."""
    if lesion.role is not Role.NEW:
        return True
    scans = {scan.uuid: scan.scan_date for scan in snapshot.scans}
    seen = [scans[m.scan_uuid] for m in snapshot.measurements if m.lesion_uuid == lesion.uuid]
    return bool(seen) and min(seen) <= day


def _cell(state: PatientState, lesion_id: str, day: date) -> list[StoredMeasurement]:
    """Returns the rows of the patient's reader for a lesion at a scan (none when either is
    not in the study yet)."""
    snapshot = state.snapshot
    lesion = next((x for x in snapshot.lesions if x.lesion_id == lesion_id), None)
    scan = next((x for x in snapshot.scans if x.scan_date == day), None)
    if lesion is None or scan is None:
        return []
    return [
        m
        for m in snapshot.measurements
        if (m.lesion_uuid, m.scan_uuid, m.reader) == (lesion.uuid, scan.uuid, state.reader)
    ]


def _described(rows: list[StoredMeasurement]) -> str:
    if not rows:
        return ""
    sizes = [m.diameter_mm for m in rows if m.diameter_mm is not None]
    total = f" {sum(sizes):g} mm" if sizes else ""
    fragments = f" ({len(rows)} fragments)" if len(rows) > 1 else ""
    return f"{rows[0].status}{total}{fragments}"


def _row(
    pid: str, state: PatientState, entry: SeenLesion, lesion: PlannedLesion, report: SrReport
) -> tuple[PlannedRow, SetObservation | None, str]:
    """Returns the preview row of one measured lesion, its edit (None: unchanged) and the
    problem that keeps it from being written ('' when none)."""
    finding = entry.sizes[report.study_date][0]
    day, size = report.study_date, lesion_size(finding, lesion.lymph_node)
    before = _cell(state, lesion.lesion_id, day)
    status = Status.MEASURED if lesion.role is Role.TARGET else Status.PRESENT
    first = before[0] if before else None
    same = len(before) == 1 and (first.status, first.diameter_mm) == (status, size)
    action = Action.SAME if same else Action.UPDATE if before else Action.NEW
    note = f"matched by {lesion.matched}" if lesion.matched else "new to the study"
    note += f"; {lesion.why}" if lesion.is_new else ""
    row = PlannedRow(pid, day, lesion.lesion_id, lesion.role, size, action, _described(before),
                     note, report.name, lesion.key)  # fmt: skip
    if lesion.role is Role.TARGET and size is None:
        what = "short axis (a lymph node)" if lesion.lymph_node else "long axis or length"
        problem = (
            f"{report.name}, group {finding.group} ({finding.name}): {pid} {lesion.lesion_id} "
            f"on {day} is a target, but the report gives no {what}; make it a non-target"
        )
        return row, None, problem
    if same:
        return row, None, ""
    extra = dict(first.extra) if first else {}
    extra[SOP_FIELD] = report.sop_instance_uid
    if finding.tracking_uid:
        extra[TRACKING_FIELD] = finding.tracking_uid
    edit = SetObservation(pid, lesion.lesion_id, day, state.reader, status, size,
                          first.viable_mm if first else None,
                          first.irradiated if first else False, extra)  # fmt: skip
    return row, edit, ""


def _left_out(
    pid: str, state: PatientState, lesion_id: str, role: Role, report: SrReport
) -> PlannedRow:
    """Returns the preview row of a lesion of the patient that `report` does not measure."""
    before = _cell(state, lesion_id, report.study_date)
    note = "kept as it is" if before else "not evaluated at this scan unless entered by hand"
    return PlannedRow(pid, report.study_date, lesion_id, role, None, Action.NOT_IN_REPORT,
                      _described(before), note, report.name, f"id:{lesion_id}")  # fmt: skip
