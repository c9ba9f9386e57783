"""What each edit of one patient does to that patient's rows: pure functions on snapshots.

The store reads the patient's snapshot, asks `edited` for the new one and
writes it in one transaction; the old snapshot is the exact inverse
(RestorePatient). Keeping the rules here keeps them testable without a
database and keeps SQL in model/store/study.py alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TypeVar

from model.domain import STATUSES_BY_ROLE, AdverseEvent, Role
from model.editing.checks import check_event, check_name, check_patient
from model.editing.clinical import (
    AddAdverseEvent,
    RemoveAdverseEvent,
    SetPatientValue,
    StoredAdverseEvent,
    UpdateAdverseEvent,
    check_adverse_event,
)
from model.editing.edits import (
    AddEvent,
    AddLesion,
    AddScan,
    Override,
    PatientEdit,
    PatientSnapshot,
    RemoveEvent,
    RemoveLesion,
    RemovePatient,
    RemoveScan,
    SetObservation,
    SetOverride,
    StoredEvent,
    StoredLesion,
    StoredMeasurement,
    StoredScan,
    UpdateEvent,
    UpdateLesion,
    UpdatePatient,
)
from model.errors import InputError
from model.rules.clinical import attribution_problem, variable_column

T = TypeVar("T")

#: Returns a new UUID as text.
NewUuid = Callable[[], str]


def edited(edit: PatientEdit, before: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot | None:
    """Returns the patient's rows after `edit` (None: removed); raises InputError if it misfits."""
    return _RULES[type(edit)](edit, before, new_uuid)


def _one(rows: Iterable[T], matches: Callable[[T], bool], missing: str) -> T:
    for row in rows:
        if matches(row):
            return row
    raise InputError(missing)


def lesion(snapshot: PatientSnapshot, lesion_id: str) -> StoredLesion:
    """Returns the patient's lesion `lesion_id`; raises InputError when there is none."""
    missing = f"{snapshot.record.patient_id} has no lesion {lesion_id!r}"
    return _one(snapshot.lesions, lambda x: x.lesion_id == lesion_id, missing)


def scan(snapshot: PatientSnapshot, scan_date: date) -> StoredScan:
    """Returns the patient's scan on `scan_date`; raises InputError when there is none."""
    missing = f"{snapshot.record.patient_id} has no scan on {scan_date}"
    return _one(snapshot.scans, lambda x: x.scan_date == scan_date, missing)


def _set_observation(e: SetObservation, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    target, at = lesion(s, e.lesion_id), scan(s, e.scan_date)
    e.check_for(target.role)
    cell = (target.uuid, at.uuid, e.reader)
    kept = tuple(m for m in s.measurements if (m.lesion_uuid, m.scan_uuid, m.reader) != cell)
    if e.status is None:
        return replace(s, measurements=kept)
    # The cell's first row keeps its UUID, so that the audit trail shows a changed value.
    first = next(
        (m for m in s.measurements if (m.lesion_uuid, m.scan_uuid, m.reader) == cell), None
    )
    extra = dict(e.extra) if e.extra is not None else dict(first.extra) if first else {}
    uuid = first.uuid if first else new_uuid()
    row = StoredMeasurement(
        uuid, *cell, 0, e.status, e.diameter_mm, e.viable_mm, e.irradiated, extra
    )
    return replace(s, measurements=(*kept, row))


def _add_scan(e: AddScan, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    check_name("modality", e.modality or "", required=False)
    if any(x.scan_date == e.scan_date for x in s.scans):
        raise InputError(f"{e.patient_id} already has a scan on {e.scan_date}")
    return replace(s, scans=(*s.scans, StoredScan(new_uuid(), e.scan_date, e.modality)))


def _remove_scan(e: RemoveScan, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    gone = scan(s, e.scan_date).uuid
    return replace(
        s,
        scans=tuple(x for x in s.scans if x.uuid != gone),
        measurements=tuple(m for m in s.measurements if m.scan_uuid != gone),
    )


def _check_new_lesion_id(s: PatientSnapshot, lesion_id: str) -> None:
    if not lesion_id.strip():
        raise InputError("a lesion needs a label (lesion_id)")
    check_name("lesion_id", lesion_id)
    if any(x.lesion_id == lesion_id for x in s.lesions):
        raise InputError(f"{s.record.patient_id} already has a lesion {lesion_id!r}")


def _add_lesion(e: AddLesion, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    _check_new_lesion_id(s, e.lesion_id)
    check_name("site", e.site, required=False)
    position = 1 + max((x.position for x in s.lesions), default=-1)
    added = StoredLesion(new_uuid(), e.lesion_id, Role(e.role), e.site, e.lymph_node, position)
    return replace(s, lesions=(*s.lesions, added))


def _update_lesion(e: UpdateLesion, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    old = lesion(s, e.lesion_id)
    new = replace(
        old,
        lesion_id=old.lesion_id if e.new_lesion_id is None else e.new_lesion_id,
        role=old.role if e.role is None else Role(e.role),
        site=old.site if e.site is None else e.site,
        lymph_node=old.lymph_node if e.lymph_node is None else e.lymph_node,
    )
    if new.lesion_id != old.lesion_id:
        _check_new_lesion_id(s, new.lesion_id)
    check_name("site", new.site, required=False)
    recorded = {m.status for m in s.measurements if m.lesion_uuid == old.uuid}
    misfits = sorted(recorded - set(STATUSES_BY_ROLE[new.role]))
    if misfits:
        raise InputError(
            f"{old.lesion_id} cannot become a {new.role} lesion:"
            f" it has rows marked {', '.join(misfits)}"
        )
    return replace(s, lesions=tuple(new if x is old else x for x in s.lesions))


def _remove_lesion(e: RemoveLesion, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    gone = lesion(s, e.lesion_id).uuid
    return replace(
        s,
        lesions=tuple(x for x in s.lesions if x.uuid != gone),
        measurements=tuple(m for m in s.measurements if m.lesion_uuid != gone),
    )


def _update_patient(e: UpdatePatient, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    check_patient(e.record)
    return replace(s, record=e.record)


def _remove_patient(e: RemovePatient, s: PatientSnapshot, new_uuid: NewUuid) -> None:
    return None


def _add_event(e: AddEvent, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    check_event(e.record)
    position = 1 + max((x.position for x in s.events), default=-1)
    added = StoredEvent(e.uuid or new_uuid(), e.record, position)
    return replace(s, events=(*s.events, added))


def _event(s: PatientSnapshot, event_uuid: str) -> StoredEvent:
    missing = f"no event {event_uuid} for {s.record.patient_id}"
    return _one(s.events, lambda x: x.uuid == event_uuid, missing)


def _update_event(e: UpdateEvent, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    old = _event(s, e.event_uuid)
    if e.record.patient_id != s.record.patient_id:
        raise InputError(
            f"an event of {s.record.patient_id} cannot be moved to {e.record.patient_id}"
        )
    check_event(e.record)
    new = replace(old, record=e.record)
    return replace(s, events=tuple(new if x is old else x for x in s.events))


def _remove_event(e: RemoveEvent, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    gone = _event(s, e.event_uuid)
    return replace(s, events=tuple(x for x in s.events if x is not gone))


def _set_override(e: SetOverride, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    e.check()
    check_name("reader", e.reader, required=False)
    scan(s, e.scan_date)
    kept = tuple(o for o in s.overrides if (o.scan_date, o.reader) != (e.scan_date, e.reader))
    if e.response is None:
        return replace(s, overrides=kept)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    override = Override(
        new_uuid(),
        e.patient_id,
        e.scan_date,
        e.reader,
        e.response,
        e.reason.strip(),
        now,
        e.replaced,
    )
    return replace(s, overrides=(*kept, override))


def _set_patient_value(
    e: SetPatientValue, s: PatientSnapshot, new_uuid: NewUuid
) -> PatientSnapshot:
    # The value is checked against the study's declarations by the store, which holds them.
    extra = {k: v for k, v in s.record.extra.items() if k != variable_column(e.name)}
    if e.value is not None and e.value.strip():
        extra[variable_column(e.name)] = e.value.strip()
    return replace(s, record=replace(s.record, extra=extra))


def _check_ae(record: AdverseEvent, s: PatientSnapshot, before: AdverseEvent | None) -> None:
    if record.patient_id != s.record.patient_id:
        raise InputError(
            f"an adverse event of {s.record.patient_id} cannot be moved to {record.patient_id}"
        )
    check_adverse_event(record)
    # An attribution already stored (an import may name anything) stays until changed.
    if before is None or before.attribution != record.attribution:
        problem = attribution_problem(record.attribution, (e.record for e in s.events))
        if problem:
            raise InputError(problem)


def _add_ae(e: AddAdverseEvent, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    _check_ae(e.record, s, None)
    position = 1 + max((x.position for x in s.adverse_events), default=-1)
    added = StoredAdverseEvent(e.uuid or new_uuid(), e.record, position)
    return replace(s, adverse_events=(*s.adverse_events, added))


def _adverse_event(s: PatientSnapshot, ae_uuid: str) -> StoredAdverseEvent:
    missing = f"no adverse event {ae_uuid} for {s.record.patient_id}"
    return _one(s.adverse_events, lambda x: x.uuid == ae_uuid, missing)


def _update_ae(e: UpdateAdverseEvent, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    old = _adverse_event(s, e.ae_uuid)
    _check_ae(e.record, s, old.record)
    new = replace(old, record=e.record)
    return replace(s, adverse_events=tuple(new if x is old else x for x in s.adverse_events))


def _remove_ae(e: RemoveAdverseEvent, s: PatientSnapshot, new_uuid: NewUuid) -> PatientSnapshot:
    gone = _adverse_event(s, e.ae_uuid)
    return replace(s, adverse_events=tuple(x for x in s.adverse_events if x is not gone))


_RULES: dict[type, Callable[..., PatientSnapshot | None]] = {
    SetObservation: _set_observation,
    AddScan: _add_scan,
    RemoveScan: _remove_scan,
    AddLesion: _add_lesion,
    UpdateLesion: _update_lesion,
    RemoveLesion: _remove_lesion,
    UpdatePatient: _update_patient,
    RemovePatient: _remove_patient,
    AddEvent: _add_event,
    UpdateEvent: _update_event,
    RemoveEvent: _remove_event,
    SetOverride: _set_override,
    SetPatientValue: _set_patient_value,
    AddAdverseEvent: _add_ae,
    UpdateAdverseEvent: _update_ae,
    RemoveAdverseEvent: _remove_ae,
}
