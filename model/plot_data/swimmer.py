"""Swimmer data: one lane per patient from the time origin, with responses and events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from model.domain import PatientAssessment, StudyData
from model.plot_data.common import in_unit
from model.rules.clinical import severe
from model.stats.endpoints import PROGRESSION_CODES, progression_scan

#: Overall responses that are an objective response (RECIST 1.1 section 4.3; iRECIST).
RESPONSE_CODES = frozenset({"CR", "PR", "iCR", "iPR"})

#: Kinds of swimmer-lane markers, in legend order; `adverse_event` marks the onset of an
#: adverse event of CTCAE grade 3 or higher (issue 16).
MARKER_KINDS = ("response", "progression", "death", "procedure", "surgery", "adverse_event")

#: Event kinds (interchange spec, events.csv) drawn as a marker of the same name.
_EVENT_MARKERS = frozenset({"procedure", "surgery"})


@dataclass(frozen=True)
class SwimmerMarker:
    """Something that happened on a lane: its kind (see MARKER_KINDS), time and label."""

    kind: str
    time: float
    label: str


@dataclass(frozen=True)
class SwimmerLane:
    """One patient's lane from the time origin to the last follow-up, with its markers."""

    patient_id: str
    arm: str
    end: float
    #: A treatment without an end date, in a patient alive and not off study.
    ongoing: bool
    markers: tuple[SwimmerMarker, ...]


@dataclass(frozen=True)
class SwimmerData:
    """Lanes sorted from the longest to the shortest, the time unit, and which patients."""

    lanes: tuple[SwimmerLane, ...]
    unit: str
    #: Who the lanes are, when not every patient: "patients with an objective response".
    subset: str = ""
    #: Patients before the subset was taken (0: the lanes are all of them).
    total: int = 0
    #: Events dated before the time origin, left off the lanes (a lane starts at 0).
    before_start: int = 0
    #: Which page of a figure in pages these lanes are ("page 2 of 4"), or "".
    page: str = ""
    #: Lanes of the whole figure, when these are one page of it (0: not a page).
    figure_lanes: int = 0

    def caption(self) -> str:
        """Line under the plot: how many lanes, out of how many patients, in what order, and
        how many events before time 0 are not drawn."""
        lanes = self.figure_lanes or len(self.lanes)
        shown = f"n = {lanes}"
        if self.subset:
            shown = f"{self.subset.capitalize()}: {lanes} of {self.total}"
        text = f"{shown}; sorted by time on study"
        if self.page:
            text += f"; {self.page}"
        if self.before_start:
            text += f"; {self.before_start} event(s) before time 0 not shown"
        return text


def swimmer_data(
    data: StudyData,
    assessments: Iterable[PatientAssessment] = (),
    origins: Mapping[str, date] | None = None,
    *,
    unit: str = "months",
) -> SwimmerData:
    """Return one lane per patient of `data`, sorted by duration, longest first.

    A lane ends at the latest of end of treatment, last contact, death, any
    event and any scan. Markers: the first objective response (CR/PR) and the
    first progression (dated as PFS dates it, or a `progression` event), death, every
    procedure and surgery, labelled with the event's detail (e.g. dTACE), and the onset of
    every adverse event of grade 3 or higher (CTCAE), labelled with its term and grade.
    """
    by_patient = {a.patient_id: a for a in assessments}
    events: dict[str, list] = {}
    for event in data.events:
        events.setdefault(event.patient_id, []).append(event)
    adverse: dict[str, list] = {}
    for ae in severe(data.adverse_events):
        adverse.setdefault(ae.patient_id, []).append(ae)
    lanes, before_start = [], 0
    for patient in data.patients:
        origin = (origins or {}).get(patient.patient_id, patient.start_date)
        mine = events.get(patient.patient_id, [])
        dated = _lane_markers(patient, by_patient.get(patient.patient_id), mine)
        dated += [
            ("adverse_event", ae.start_date, f"{ae.term} (grade {ae.grade})")
            for ae in adverse.get(patient.patient_id, ())
        ]
        ends = [d for d in (patient.last_contact_date, patient.death_date) if d is not None]
        ends += [e.end_date or e.start_date for e in mine] + [d for _, d, _ in dated]
        assessment = by_patient.get(patient.patient_id)
        ends += [p.scan_date for p in assessment.timepoints] if assessment else []
        days = max([(d - origin).days for d in ends] + [0])
        # A lane starts at the origin: what happened before it (a procedure before the start
        # of treatment) is counted in the caption, not drawn left of 0.
        markers = tuple(
            SwimmerMarker(k, in_unit((d - origin).days, unit), t)
            for k, d, t in dated
            if d >= origin
        )
        before_start += len(dated) - len(markers)
        ongoing = patient.death_date is None and _on_treatment(mine)
        lanes.append(
            SwimmerLane(patient.patient_id, patient.arm, in_unit(days, unit), ongoing, markers)
        )
    lanes.sort(key=lambda lane: (-lane.end, lane.patient_id))
    return SwimmerData(tuple(lanes), unit, before_start=before_start)


def _lane_markers(patient, assessment, events) -> list[tuple[str, date, str]]:
    """(kind, date, label) of each marker of one patient.

    Progression is dated as PFS dates it (`model.stats.endpoints.progression_scan`:
    iRECIST backdates an iCPD to its iUPD), or by a clinical progression event.
    """
    marks = [(e.kind.casefold(), e.start_date, e.detail or e.kind) for e in events]
    marks = [m for m in marks if m[0] in _EVENT_MARKERS]
    points = assessment.timepoints[1:] if assessment else ()
    response = next((p for p in points if p.overall in RESPONSE_CODES), None)
    if response is not None:
        marks.append(("response", response.scan_date, response.overall))
    progressions = [
        (e.start_date, "clinical") for e in events if e.kind.casefold() == "progression"
    ]
    scan = progression_scan(assessment)
    if scan is not None:
        overall = next(p.overall for p in points if p.scan_date == scan)
        progressions.append((scan, overall if overall in PROGRESSION_CODES else "iCPD"))
    if progressions:
        when, label = min(progressions)
        marks.append(("progression", when, label))
    if patient.death_date is not None:
        marks.append(("death", patient.death_date, "death"))
    return marks


def _on_treatment(events) -> bool:
    """True when a treatment has no end date and no off-study event was recorded."""
    kinds = {e.kind.casefold() for e in events}
    open_treatment = any(e.kind.casefold() == "treatment" and e.end_date is None for e in events)
    return open_treatment and "off-study" not in kinds


def responders(data: SwimmerData) -> SwimmerData:
    """Return the lanes of patients with an objective response (CR or PR) at any time point.

    Papers show a swimmer of the responders when a lane per patient would not
    fit a page; the caption then says so (RECIST 1.1 section 4.3 responses).
    """
    lanes = tuple(lane for lane in data.lanes if any(m.kind == "response" for m in lane.markers))
    subset = "patients with an objective response"
    return SwimmerData(lanes, data.unit, subset, len(data.lanes), data.before_start)


def page_of(data: SwimmerData, first: int, count: int, page: str) -> SwimmerData:
    """Return `count` lanes of `data` from lane `first`, as one page of a figure in pages.

    The caption keeps the whole figure's counts and adds `page` ("page 2 of 4").
    """
    lanes = data.lanes[first : first + count]
    return replace(data, lanes=lanes, page=page, figure_lanes=len(data.lanes))
