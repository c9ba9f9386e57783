"""Edits of a study as values, and what an edit changed.

`Store.apply(edit)` validates an edit, writes it in one transaction and returns
`(Changes, inverse_edit)`; applying the inverse restores the previous state
exactly (same rows, same UUIDs). Edits name things by the keys a user sees
(patient_id, lesion_id, scan_date, reader), never by database ids, except
events, which have no natural key and are named by their UUID.

Design: shared/style.md, practices 4 (edits are values), 5 (changes come back
as data). The settings themselves are model/settings.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from model.domain import (
    OVERRIDE_CODES,
    STATUSES_BY_ROLE,
    Criteria,
    EventRecord,
    PatientRecord,
    Role,
    Status,
)
from model.editing.analysis_sets import SetAnalysisSet
from model.editing.checks import check_name, check_size
from model.editing.clinical import (
    AddAdverseEvent,
    RemoveAdverseEvent,
    SetPatientValue,
    SetVariable,
    StoredAdverseEvent,
    UpdateAdverseEvent,
)
from model.errors import InputError
from model.settings import StudySettings

#: Response codes a reader may set by override under some criteria (model/domain.py).
RESPONSE_CODES = frozenset(c for codes in OVERRIDE_CODES.values() for c in codes)


@dataclass(frozen=True)
class Changes:
    """What an edit or import changed, for views to re-read.

    `patients` names every patient whose rows changed (old and new id on a rename);
    `patient_list` is true when patients were added, removed, renamed or moved
    between arms; `settings` when the study's settings changed; `variables` when its
    variable declarations changed; `analysis_sets` when its saved analysis sets changed.
    """

    patients: frozenset[str] = frozenset()
    patient_list: bool = False
    settings: bool = False
    variables: bool = False
    analysis_sets: bool = False


@dataclass(frozen=True)
class StoredScan:
    """A scan row as stored, with its UUID."""

    uuid: str
    scan_date: date
    modality: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    #: From scans.csv or added by hand, not only implied by measurement rows.
    listed: bool = True


@dataclass(frozen=True)
class StoredLesion:
    """A lesion row as stored, with its UUID and its place in the patient's lesion order."""

    uuid: str
    lesion_id: str
    role: Role
    site: str = ""
    lymph_node: bool = False
    position: int = 0


@dataclass(frozen=True)
class StoredMeasurement:
    """A measurement row as stored; `fragment` numbers the fragments of one lesion at one scan."""

    uuid: str
    lesion_uuid: str
    scan_uuid: str
    reader: str
    fragment: int
    status: Status
    diameter_mm: float | None = None
    viable_mm: float | None = None
    irradiated: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredEvent:
    """An event with its UUID (how UpdateEvent and RemoveEvent name it)."""

    uuid: str
    record: EventRecord
    position: int = 0


@dataclass(frozen=True)
class Override:
    """A reader's decision against the rules at one scan, with its reason and time (UTC)."""

    uuid: str
    patient_id: str
    scan_date: date
    reader: str
    response: str
    reason: str
    time: str
    #: The rules' answer at the scan when the override was made (None: not known, as for
    #: overrides made before Nadir kept it): the override is stale once the rules answer
    #: otherwise (issue 15, item 1; model/criteria/assessment.py, `stale_overrides`).
    replaced: str | None = None


@dataclass(frozen=True)
class PatientSnapshot:
    """Every row of one patient, UUIDs included: what RestorePatient puts back."""

    uuid: str
    record: PatientRecord
    position: int
    scans: tuple[StoredScan, ...] = ()
    lesions: tuple[StoredLesion, ...] = ()
    measurements: tuple[StoredMeasurement, ...] = ()
    events: tuple[StoredEvent, ...] = ()
    overrides: tuple[Override, ...] = ()
    adverse_events: tuple[StoredAdverseEvent, ...] = ()


@dataclass(frozen=True)
class SetObservation:
    """Set what `reader` recorded for a lesion at a scan; status None removes the cell.

    The cell becomes one row (any fragments are replaced). The scan and the
    lesion must exist. `extra` (the row's `x_` fields) replaces the cell's;
    None keeps those of its first row.
    """

    patient_id: str
    lesion_id: str
    scan_date: date
    reader: str = ""
    status: Status | None = None
    diameter_mm: float | None = None
    viable_mm: float | None = None
    irradiated: bool = False
    extra: Mapping[str, str] | None = None

    def check_for(self, role: Role) -> None:
        """Returns None; raises InputError when the values do not fit a lesion of `role`."""
        check_name("reader", self.reader, required=False)
        if self.status is None:
            return
        if self.status not in STATUSES_BY_ROLE[role]:
            allowed = ", ".join(STATUSES_BY_ROLE[role])
            raise InputError(
                f"{self.lesion_id}: status {self.status} is not allowed for a {role} lesion "
                f"(allowed: {allowed})"
            )
        if self.status is Status.MEASURED and self.diameter_mm is None:
            raise InputError(f"{self.lesion_id}: a measured target needs a diameter")
        check_size("diameter", self.diameter_mm)
        check_size("viable diameter", self.viable_mm)


@dataclass(frozen=True)
class AddScan:
    """Add an imaging time point to a patient."""

    patient_id: str
    scan_date: date
    modality: str | None = None


@dataclass(frozen=True)
class RemoveScan:
    """Remove a scan and every measurement made on it."""

    patient_id: str
    scan_date: date


@dataclass(frozen=True)
class AddLesion:
    """Add a lesion (no measurements yet) after the patient's other lesions."""

    patient_id: str
    lesion_id: str
    role: Role
    site: str = ""
    lymph_node: bool = False


@dataclass(frozen=True)
class UpdateLesion:
    """Change a lesion's label, role, site or node flag; None keeps the current value.

    A new role must allow every status already recorded for the lesion.
    """

    patient_id: str
    lesion_id: str
    new_lesion_id: str | None = None
    role: Role | None = None
    site: str | None = None
    lymph_node: bool | None = None


@dataclass(frozen=True)
class RemoveLesion:
    """Remove a lesion and all its measurements."""

    patient_id: str
    lesion_id: str


@dataclass(frozen=True)
class AddPatient:
    """Add a patient (no scans yet) after the other patients."""

    record: PatientRecord


@dataclass(frozen=True)
class UpdatePatient:
    """Replace a patient's own fields; `record.patient_id` may rename the patient."""

    patient_id: str
    record: PatientRecord


@dataclass(frozen=True)
class RemovePatient:
    """Remove a patient with all their scans, lesions, measurements, events, overrides and
    adverse events."""

    patient_id: str


@dataclass(frozen=True)
class AddEvent:
    """Add a treatment or follow-up event; `uuid` None lets the store choose one."""

    record: EventRecord
    uuid: str | None = None


@dataclass(frozen=True)
class UpdateEvent:
    """Replace the event with this UUID by `record` (same patient)."""

    event_uuid: str
    record: EventRecord


@dataclass(frozen=True)
class RemoveEvent:
    """Remove the event with this UUID."""

    event_uuid: str


@dataclass(frozen=True)
class SetOverride:
    """Override the response at a scan with a reason; response None clears the override.

    The response must be one of the study criteria's codes (model/domain.OVERRIDE_CODES):
    no iRECIST code in a RECIST 1.1 study; the store checks it (`check_in_study`).
    """

    patient_id: str
    scan_date: date
    reader: str = ""
    response: str | None = None
    reason: str = ""
    #: The rules' answer the reader overrides, kept with the override to tell when it goes stale.
    replaced: str | None = None

    def check(self, criteria: Criteria | None = None) -> None:
        """Returns None; raises InputError on a code that `criteria` (None: any criteria)
        does not take, or a missing reason."""
        if self.response is None:
            return
        if self.response not in RESPONSE_CODES:
            raise InputError(f"override response {self.response!r} is not a response code")
        if criteria is not None:
            if self.response not in (allowed := OVERRIDE_CODES[Criteria(criteria)]):
                why = f"is not a {Criteria(criteria)} response (allowed: {', '.join(allowed)})"
                raise InputError(f"override response {self.response!r} {why}")
        if not self.reason.strip():
            raise InputError("an override needs a reason")


def check_in_study(edit: object, settings: StudySettings) -> None:
    """Returns None; raises InputError when `edit` does not fit the study's `settings`."""
    if isinstance(edit, SetOverride):
        edit.check(settings.criteria)


@dataclass(frozen=True)
class Adjudication:
    """Which reader's read counts for a patient (or, with `scan_date`, for one time point),
    why, who decided and when (UTC); issue #7, part 3."""

    uuid: str
    patient_id: str
    scan_date: date | None
    reader: str
    reason: str
    adjudicator: str
    time: str


@dataclass(frozen=True)
class SetAdjudication:
    """Choose `reader`'s read for a patient or one of its time points; reader None clears.

    `uuid` and `time` None let the store choose them; the inverse carries the
    previous ones, so that undo restores the same row.
    """

    patient_id: str
    reader: str | None
    reason: str = ""
    scan_date: date | None = None
    adjudicator: str = ""
    uuid: str | None = None
    time: str | None = None

    def check(self) -> None:
        """Returns None; raises InputError on a blank reader or a missing reason."""
        if self.reader is None:
            return
        if not self.reader.strip():
            raise InputError("an adjudication names the reader whose read counts")
        check_name("reader", self.reader)
        if not self.reason.strip():
            raise InputError("an adjudication needs a reason")


@dataclass(frozen=True)
class ReadSignOff:
    """A reader's declaration that their read of a patient's time point is complete (UTC)."""

    uuid: str
    patient_id: str
    scan_date: date
    reader: str
    time: str


@dataclass(frozen=True)
class SetReadComplete:
    """Sign off `reader`'s read of the scan as complete, or withdraw the sign-off.

    `uuid` and `time` None let the store choose them; the inverse carries the
    previous ones, so that undo restores the same row.
    """

    patient_id: str
    scan_date: date
    reader: str
    complete: bool = True
    uuid: str | None = None
    time: str | None = None


@dataclass(frozen=True)
class SetSettings:
    """Replace the study's settings."""

    settings: StudySettings


@dataclass(frozen=True)
class RestorePatient:
    """Make `patient_id` be exactly `snapshot` (None: remove the patient).

    This is the inverse that `Store.apply` returns for every patient-level edit.
    """

    patient_id: str
    snapshot: PatientSnapshot | None


#: Edits that change one existing patient's rows (model/editing/patient.py).
PatientEdit = (
    SetObservation
    | AddScan
    | RemoveScan
    | AddLesion
    | UpdateLesion
    | RemoveLesion
    | UpdatePatient
    | RemovePatient
    | AddEvent
    | UpdateEvent
    | RemoveEvent
    | SetOverride
    | SetPatientValue
    | AddAdverseEvent
    | UpdateAdverseEvent
    | RemoveAdverseEvent
)

#: Every kind of edit `Store.apply` accepts.
Edit = (
    PatientEdit
    | AddPatient
    | SetSettings
    | RestorePatient
    | SetAdjudication
    | SetReadComplete
    | SetVariable
    | SetAnalysisSet
)
