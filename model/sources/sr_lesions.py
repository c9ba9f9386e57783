"""The lesions of DICOM SR reports as a study knows them: matched to its lesions, and for a
lesion new to the study, the role proposed with its reason (issue 21).

Matching, first match wins: the report's Tracking UID (kept in the rows of
earlier imports), then its label (dcmqi's Tracking Identifier or OHIF's free
text) against the lesion_id, letter case ignored; otherwise the lesion is new
to the study. Within one import, the same Tracking UID or label is the same
lesion in every report.

Roles of new lesions (RECIST 1.1): one first seen after the patient's baseline
is `new` (section 4.3.2); at baseline the largest measurable ones are targets,
five at most and two per organ counting the targets already chosen (sections
3.1.1 and 3.3.1, model/criteria/target_choice.py), the rest non-targets
(section 3.3.2). A reader's choice overrides a proposal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from model.criteria.target_choice import (
    is_measurable,
    pick_within_limits,
    smallest_measurable_mm,
)
from model.criteria.timepoints import MAX_TARGETS, MAX_TARGETS_PER_SITE
from model.domain import Role, next_label
from model.editing.edits import PatientSnapshot, StoredLesion
from model.sources.dicom_sr import SrFinding, SrReport

#: The x_ field of a row written from a report that names the lesion's Tracking UID.
TRACKING_FIELD = "x_sr_tracking_uid"


@dataclass(frozen=True)
class PlannedLesion:
    """A lesion the reports measure, as the study will know it, and why it has its role."""

    patient_id: str
    #: How a role choice names it: `id:<lesion_id>` for a lesion of the study, else the
    #: Tracking UID or the report and group that first measured it.
    key: str
    lesion_id: str
    label: str
    site: str
    lymph_node: bool
    role: Role
    why: str
    #: How it was matched to a lesion of the study ('tracking UID', 'label'); '' when new.
    matched: str
    first_seen: date

    @property
    def is_new(self) -> bool:
        """Returns whether the lesion is new to the study (its role is a proposal)."""
        return not self.matched


@dataclass
class SeenLesion:
    """A lesion of one patient as the reports show it, while planning."""

    key: str
    finding: SrFinding
    first_seen: date
    stored: StoredLesion | None
    matched: str
    sizes: dict[date, tuple[SrFinding, SrReport]] = field(default_factory=dict)
    #: The lesion_id the reader gave a lesion new to the study ('' when none).
    name: str = ""


def match_lesions(
    snapshot: PatientSnapshot, reports: list[SrReport], names: Mapping[str, str] | None = None
) -> tuple[dict[str, SeenLesion], list[str]]:
    """Returns each lesion the reports measure, by key, and reports measuring one lesion twice.

    `names` holds the reader's name for a lesion new to the study, by its key: the
    lesion_id of a lesion of the study (or a label of the reports) matches it to that
    lesion; another name becomes its lesion_id.
    """
    names = names or {}
    stored = {lesion.uuid: lesion for lesion in snapshot.lesions}
    by_uid = {
        m.extra[TRACKING_FIELD]: f"id:{stored[m.lesion_uuid].lesion_id}"
        for m in snapshot.measurements
        if m.extra.get(TRACKING_FIELD) and m.lesion_uuid in stored
    }
    by_label = {x.lesion_id.casefold(): f"id:{x.lesion_id}" for x in snapshot.lesions}
    lesions = {f"id:{x.lesion_id}": x for x in snapshot.lesions}
    seen: dict[str, SeenLesion] = {}
    problems = []
    for report in reports:
        for finding in report.findings:
            key, how = _key(finding, report, by_uid, by_label)
            chosen = names.get(key, "").strip()
            if chosen and by_label.get(chosen.casefold(), key) != key:
                key, how = by_label[chosen.casefold()], "the reader's choice"
            elif chosen:
                by_label.setdefault(chosen.casefold(), key)
            if finding.tracking_uid:
                by_uid.setdefault(finding.tracking_uid, key)
            if finding.label:
                by_label.setdefault(finding.label.casefold(), key)
            entry = seen.setdefault(
                key, SeenLesion(key, finding, report.study_date, lesions.get(key), how)
            )
            entry.name = entry.name or (chosen if entry.stored is None else "")
            if report.study_date in entry.sizes:
                twice = entry.sizes[report.study_date][0]
                problems.append(
                    f"{report.name}: groups {twice.group} and {finding.group} measure the same "
                    f"lesion ({finding.name}); remove one from the report"
                )
            entry.sizes[report.study_date] = (finding, report)
    return seen, problems


def _key(
    finding: SrFinding, report: SrReport, by_uid: dict[str, str], by_label: dict[str, str]
) -> tuple[str, str]:
    if finding.tracking_uid in by_uid:
        return by_uid[finding.tracking_uid], "tracking UID"
    if finding.label and finding.label.casefold() in by_label:
        return by_label[finding.label.casefold()], "label"
    if finding.tracking_uid:
        return f"uid:{finding.tracking_uid}", ""
    return f"{report.sop_instance_uid}#{finding.group}", ""


def lesion_size(finding: SrFinding, lymph_node: bool) -> float | None:
    return finding.short_axis_mm if lymph_node else finding.long_axis_mm


def planned_lesions(
    pid: str,
    snapshot: PatientSnapshot,
    seen: dict[str, SeenLesion],
    baseline: date,
    roles: Mapping[tuple[str, str], Role],
) -> list[PlannedLesion]:
    """Returns the planned lesions in order of first appearance, roles and labels decided."""
    decided: dict[str, tuple[Role, str]] = {}
    candidates = []
    for key, entry in seen.items():
        if entry.stored is not None:
            decided[key] = entry.stored.role, f"in the study as {entry.stored.role}"
        elif (pid, key) in roles:
            decided[key] = Role(roles[(pid, key)]), "chosen by the reader"
        elif entry.first_seen > baseline:
            decided[key] = Role.NEW, f"first seen {entry.first_seen}, after the baseline {baseline}"
        else:
            candidates.append(entry)
    decided |= _baseline_roles(snapshot, seen, decided, candidates, baseline)
    taken = [lesion.lesion_id for lesion in snapshot.lesions]
    lesions = []
    for key, entry in seen.items():
        role, why = decided[key]
        finding, stored = entry.finding, entry.stored
        if stored is not None:
            lesion_id, site, node = stored.lesion_id, stored.site, stored.lymph_node
        else:
            wanted = entry.name or finding.label
            free = wanted and wanted.casefold() not in {t.casefold() for t in taken}
            lesion_id = wanted if free else next_label(role, taken)
            site, node = finding.site, finding.lymph_node
            taken.append(lesion_id)
        lesions.append(
            PlannedLesion(pid, key, lesion_id, finding.label, site, node, role, why,
                          entry.matched if stored is not None else "", entry.first_seen)
        )  # fmt: skip
    return lesions


def _baseline_roles(
    snapshot: PatientSnapshot,
    seen: dict[str, SeenLesion],
    decided: dict[str, tuple[Role, str]],
    candidates: list[SeenLesion],
    baseline: date,
) -> dict[str, tuple[Role, str]]:
    """Returns the proposed roles of lesions new at baseline: the largest measurable ones are
    targets within RECIST 1.1's limits (section 3.3.1), the others non-targets."""

    def site(site_text: str) -> str | None:
        return site_text.strip().casefold() or None

    def size(entry: SeenLesion) -> float | None:
        return lesion_size(entry.sizes[baseline][0], entry.finding.lymph_node)

    chosen_targets = [site(x.finding.site) for k, x in seen.items() if
                      x.stored is None and decided.get(k, (None,))[0] is Role.TARGET]  # fmt: skip
    taken = [site(x.site) for x in snapshot.lesions if x.role is Role.TARGET] + chosen_targets
    measurable = sorted(
        (x for x in candidates if is_measurable(size(x), x.finding.lymph_node)),
        key=lambda x: (-(size(x) or 0.0), x.finding.name),
    )
    picked = set(
        pick_within_limits(
            ((x.key, site(x.finding.site)) for x in measurable),
            limit=MAX_TARGETS,
            per_site=MAX_TARGETS_PER_SITE,
            taken=taken,
        )
    )
    roles = {}
    for entry in candidates:
        mm, node = size(entry), entry.finding.lymph_node
        what = "node short axis" if node else "size"
        if entry.key in picked:
            roles[entry.key] = Role.TARGET, f"measurable at baseline ({what} {mm:g} mm)"
        elif is_measurable(mm, node):
            roles[entry.key] = (
                Role.NON_TARGET,
                (
                    f"measurable, but RECIST 1.1 takes at most {MAX_TARGETS} targets, "
                    f"{MAX_TARGETS_PER_SITE} per organ"
                ),
            )
        elif mm is None:
            roles[entry.key] = Role.NON_TARGET, f"no {what} in the report"
        else:
            smallest = smallest_measurable_mm(node)
            roles[entry.key] = (
                Role.NON_TARGET,
                (f"{what} {mm:g} mm is below the measurable {smallest:g} mm"),
            )
    return roles
