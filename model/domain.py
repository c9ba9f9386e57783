"""The vocabulary of a Nadir study: lesion roles, statuses, criteria, and the
plain records that the importer, the store, the response rules and the GUI
pass between them.

Names and codes follow the interchange format (shared/spec/interchange.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from operator import attrgetter
from typing import Any, overload


class Role(StrEnum):
    """Role of a lesion, constant across scans (RECIST 1.1, section 3.3)."""

    TARGET = "target"
    NON_TARGET = "non-target"
    NEW = "new"


#: Prefix of suggested lesion labels, by role (interchange spec: T1, NT2, N1).
LABEL_PREFIX: Mapping[Role, str] = {Role.TARGET: "T", Role.NON_TARGET: "NT", Role.NEW: "N"}


def next_label(role: Role, taken: Iterable[str]) -> str:
    """Returns the first free label of the form T<n>, NT<n> or N<n> for `role` (letter case
    ignored), as the add-lesion dialog and imports suggest them."""
    taken = {label.upper() for label in taken}
    n = 1
    while f"{LABEL_PREFIX[role]}{n}" in taken:
        n += 1
    return f"{LABEL_PREFIX[role]}{n}"


class Status(StrEnum):
    """What a reader recorded for one lesion at one scan."""

    MEASURED = "measured"
    ABSENT = "absent"
    TOO_SMALL = "too-small"
    NOT_EVALUATED = "not-evaluated"
    PRESENT = "present"
    PROGRESSION = "progression"
    INCREASED = "increased"
    EQUIVOCAL = "equivocal"


#: Statuses allowed for each role (interchange format, measurements.csv).
STATUSES_BY_ROLE: Mapping[Role, tuple[Status, ...]] = {
    Role.TARGET: (Status.MEASURED, Status.ABSENT, Status.TOO_SMALL, Status.NOT_EVALUATED),
    Role.NON_TARGET: (
        Status.PRESENT,
        Status.ABSENT,
        Status.PROGRESSION,
        Status.INCREASED,
        Status.NOT_EVALUATED,
    ),
    Role.NEW: (Status.PRESENT, Status.EQUIVOCAL, Status.ABSENT, Status.INCREASED),
}

#: Status assumed when the status column is blank.
DEFAULT_STATUS: Mapping[Role, Status] = {
    Role.TARGET: Status.MEASURED,
    Role.NON_TARGET: Status.PRESENT,
    Role.NEW: Status.PRESENT,
}

#: Size in mm given to a target that is present but too small to measure
#: Units in which intervals are shown, and each one's length in days (shared/design.md:
#: a month is 365.25 / 12 = 30.4375 days).
DAYS_PER_UNIT: dict[str, float] = {"days": 1.0, "weeks": 7.0, "months": 30.4375, "years": 365.25}
TIME_UNITS = tuple(DAYS_PER_UNIT)

#: (RECIST 1.1, appendix I).
TOO_SMALL_MM = 5.0


class Criteria(StrEnum):
    """Response criteria a study is read by."""

    RECIST11 = "recist1.1"
    IRECIST = "irecist"
    MRECIST = "mrecist"


#: Each criteria's name as papers write it (and SDTM's RSCAT).
CRITERIA_NAMES: Mapping[Criteria, str] = {
    Criteria.RECIST11: "RECIST 1.1",
    Criteria.IRECIST: "iRECIST",
    Criteria.MRECIST: "mRECIST",
}


#: Overall responses a reader may decide by override, by criteria: the codes each criteria's
#: time points take (interchange spec, "Response codes"; iRECIST's i-prefixed codes;
#: mRECIST answers with RECIST 1.1's). The one vocabulary of overrides: the model refuses
#: any other code and the override dialog offers these.
OVERRIDE_CODES: Mapping[Criteria, tuple[str, ...]] = {
    Criteria.RECIST11: ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "NED"),
    Criteria.MRECIST: ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "NED"),
    Criteria.IRECIST: ("iCR", "iPR", "iSD", "NON-iCR/NON-iUPD", "iUPD", "iCPD", "NE", "NED"),
}

#: Name of the arm given to patients whose arm is blank.
DEFAULT_ARM = "All"


class EventKind(StrEnum):
    """Kinds of events.csv rows that rules look for (interchange, events.csv; other kinds,
    such as follow-up visits, are kept as written)."""

    TREATMENT = "treatment"
    PROCEDURE = "procedure"
    SURGERY = "surgery"


#: Event kinds that mean a patient received study treatment: the safety set (issue 17).
TREATMENT_KINDS = (EventKind.TREATMENT, EventKind.PROCEDURE)


@dataclass(frozen=True)
class PatientRecord:
    """One row of patients.csv: who the patient is and their key dates."""

    patient_id: str
    start_date: date
    arm: str = DEFAULT_ARM
    last_contact_date: date | None = None
    death_date: date | None = None
    sex: str | None = None
    age: float | None = None
    histology: str | None = None
    stage: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MeasurementRecord:
    """One row of measurements.csv: one lesion (or fragment) at one scan."""

    patient_id: str
    scan_date: date
    lesion_id: str
    role: Role
    status: Status
    site: str = ""
    lymph_node: bool = False
    diameter_mm: float | None = None
    viable_mm: float | None = None
    irradiated: bool = False
    reader: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)
    #: Where the row came from, for error messages ("measurements.csv", 12).
    source: tuple[str, int] | None = field(default=None, compare=False)


class MeasurementColumns(Sequence[MeasurementRecord]):
    """Measurement rows held by columns: an attribute per field of MeasurementRecord (a
    sequence, row i at index i of each); a Sequence of MeasurementRecord built when read.

    What the response engine reads (model/criteria/readings.py) and the rules across rows
    check (model/rules/measurements.py) without a Python object per row: 525,000 records
    cost a second to build (issue 19). Equal to any sequence of equal records. Records, once
    asked for, are built for every row and kept: a consumer that walks the rows again and
    again (the SDTM datasets, per patient) pays for them once.
    """

    #: The field names, in MeasurementRecord's order.
    FIELDS: tuple[str, ...] = tuple(f.name for f in fields(MeasurementRecord))
    __slots__ = (*FIELDS, "_records")

    def __init__(self, columns: Sequence[Sequence[Any]]):
        if len(columns) != len(self.FIELDS) or len({len(c) for c in columns}) > 1:
            raise ValueError("expected one column per field, all of one length")
        for name, column in zip(self.FIELDS, columns, strict=True):
            setattr(self, name, column)
        self._records: tuple[MeasurementRecord, ...] | None = None

    @classmethod
    def of(cls, records: Iterable[MeasurementRecord]) -> MeasurementColumns:
        """The rows of `records` by columns (`records` itself when it holds columns)."""
        if isinstance(records, cls):
            return records
        rows = tuple(records)
        return cls([list(map(attrgetter(name), rows)) for name in cls.FIELDS])

    @property
    def columns(self) -> tuple[Sequence[Any], ...]:
        """Every column, in the order of the fields."""
        return tuple(getattr(self, name) for name in self.FIELDS)

    def column(self, name: str) -> Sequence[Any]:
        """The values of the field `name`, by row."""
        return getattr(self, name)

    def take(self, rows: Iterable[int]) -> MeasurementColumns:
        """The rows at the indexes `rows`, in that order."""
        rows = list(rows)
        return MeasurementColumns([list(map(c.__getitem__, rows)) for c in self.columns])

    def __len__(self) -> int:
        return len(self.patient_id)

    @overload
    def __getitem__(self, index: int) -> MeasurementRecord: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[MeasurementRecord, ...]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if self._records is not None:
            return self._records[index]
        if isinstance(index, slice):
            return tuple(map(MeasurementRecord, *(c[index] for c in self.columns)))
        return MeasurementRecord(*(c[index] for c in self.columns))

    def __iter__(self) -> Iterator[MeasurementRecord]:
        if self._records is None:
            self._records = tuple(map(MeasurementRecord, *self.columns))
        return iter(self._records)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    # Joined with other rows as a tuple of records would be: the store's study_data()
    # hands out columns where it used to hand out a tuple.
    def __add__(self, other: Sequence[Any]) -> tuple[Any, ...]:
        return (*self, *other)

    def __radd__(self, other: Sequence[Any]) -> tuple[Any, ...]:
        return (*other, *self)

    def __repr__(self) -> str:
        return f"MeasurementColumns({len(self)} rows)"


@dataclass(frozen=True)
class ScanRecord:
    """One row of scans.csv: an imaging time point, possibly without findings."""

    patient_id: str
    scan_date: date
    modality: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EventRecord:
    """One row of events.csv: a treatment, procedure, surgery or follow-up event."""

    patient_id: str
    kind: str
    start_date: date
    end_date: date | None = None
    detail: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    #: Surgery outcome (interchange 1.1, events.csv): `curative` or `palliative`.
    intent: str | None = None
    #: Surgery outcome: resection margin `R0`, `R1` or `R2`.
    margin: str | None = None
    #: Surgery outcome: tumour necrosis in the specimen, 0 to 100 %.
    necrosis_pct: float | None = None


@dataclass(frozen=True)
class AdverseEvent:
    """One row of adverse_events.csv (interchange 1.1): a CTCAE adverse event of a patient."""

    patient_id: str
    term: str
    grade: int
    start_date: date
    end_date: date | None = None
    #: A drug or procedure of the patient's events, `unrelated`, or None (unknown).
    attribution: str | None = None
    serious: bool = False
    #: System organ class, free text.
    category: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


class VariableType(StrEnum):
    """Type of a baseline variable (interchange 1.1, variables.csv)."""

    NUMERIC = "numeric"
    CATEGORICAL = "categorical"


@dataclass(frozen=True)
class Variable:
    """One row of variables.csv: a declared baseline variable (the `x_` column of patients).

    `levels` are a categorical variable's values in order, the first the
    reference; empty means any value. `name` is without the `x_` prefix.
    """

    name: str
    type: VariableType
    levels: tuple[str, ...] = ()
    label: str | None = None
    unit: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StudyData:
    """The content of a study in interchange form: what import reads and export writes."""

    patients: tuple[PatientRecord, ...] = ()
    #: A tuple, or MeasurementColumns where a reader asked for columns (the `assess` command).
    measurements: Sequence[MeasurementRecord] = ()
    scans: tuple[ScanRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    #: Interchange 1.1: adverse_events.csv and variables.csv.
    adverse_events: tuple[AdverseEvent, ...] = ()
    variables: tuple[Variable, ...] = ()


@dataclass(frozen=True)
class Lesion:
    """A lesion as the response rules see it, the same at every scan."""

    lesion_id: str
    role: Role
    site: str = ""
    lymph_node: bool = False
    irradiated: bool = False


@dataclass(frozen=True)
class Observation:
    """One lesion at one scan, fragments already added up."""

    status: Status
    diameter_mm: float | None = None
    viable_mm: float | None = None


@dataclass(frozen=True)
class PatientReadings:
    """Everything the response rules need about one patient, for one reader.

    `scan_dates` is sorted and unique; its first date is the baseline.
    `observations` maps (lesion_id, scan_date) to what was recorded; a lesion
    without an entry at a later scan was not evaluated there.
    `reference_date` is where the minimum SD duration is counted from.
    """

    patient_id: str
    scan_dates: tuple[date, ...]
    lesions: tuple[Lesion, ...]
    observations: Mapping[tuple[str, date], Observation]
    reference_date: date


@dataclass(frozen=True)
class AssessmentSettings:
    """How a study judges response; stored with the study, or given on the command line."""

    criteria: Criteria = Criteria.RECIST11
    confirm: bool = False
    min_sd_days: int = 0
    exclude_irradiated: bool = False


#: Words, or a function of no arguments that writes them when they are first read.
Words = str | Callable[[], str]


def written(words: Words) -> str:
    """The text of `words`, written now if it was deferred."""
    return words if isinstance(words, str) else words()


class _WrittenWhenRead:
    """A dataclass field holding Words that reads as its text, written once on first read.

    A reason costs a fifth of judging a time point (Decimal formatting), and a cohort
    table, a plot or an endpoint never reads it (issue 19): the engine hands in a
    function and only the JSON, the patient page or the PDF pays for the words. A
    dataclass calls a descriptor default's __set__ from __init__, even when frozen.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> str:
        if instance is None:
            return ""
        words = instance.__dict__[self.name]
        if not isinstance(words, str):
            words = instance.__dict__[self.name] = words()
        return words

    def __set__(self, instance: object, words: Words) -> None:
        instance.__dict__[self.name] = words


@dataclass(frozen=True)
class TimepointResponse:
    """The judgement at one scan, with the reason in a radiologist's words.

    `reason` may be given as a function writing it; it reads as text either way.
    """

    scan_date: date
    target: str | None
    non_target: str | None
    new_lesions: bool
    overall: str | None
    sum_mm: float | None
    change_from_baseline_pct: float | None
    change_from_nadir_pct: float | None
    reason: str = _WrittenWhenRead()  # type: ignore[assignment]

    def __getstate__(self) -> dict:
        """The fields to pickle, the reason written (a function may not pickle)."""
        return {**self.__dict__, "reason": self.reason}


@dataclass(frozen=True)
class PatientAssessment:
    """All time points of one patient, their best overall response and baseline warnings."""

    patient_id: str
    criteria: Criteria
    timepoints: tuple[TimepointResponse, ...]
    best_overall_response: str
    best_pct_change: float | None
    warnings: tuple[str, ...] = ()
    #: Overrides gone stale, by scan date: the rules' answer there now, which differs from the
    #: answer the reader overrode (model/criteria/assessment.py; issue 15, item 1).
    stale_overrides: Mapping[date, str] = field(default_factory=dict)
