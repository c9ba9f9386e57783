"""The settings a study carries: criteria, confirmation, reader, time unit, time origins.

Each setting is declared once, with its default and help text, by `StudySettings`;
`SETTINGS` lists them for the store, the settings dialog and the README's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from model.domain import TIME_UNITS, AssessmentSettings, Criteria
from model.errors import InputError


@dataclass(frozen=True)
class TimeOrigin:
    """Where an arm's time origin for PFS and OS lies, when not the patient's start_date.

    The origin is the patient's first event of `kind` (and of `detail`, when given).
    """

    arm: str
    kind: str
    detail: str | None = None


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class StudySettings:
    """Per-study choices stored in the study file; every field carries its help text."""

    criteria: Criteria = _setting(Criteria.RECIST11, "Response criteria the study is read by.")
    confirm: bool = _setting(False, "CR and PR count only when confirmed 28 days or more later.")
    min_sd_days: int = _setting(
        0, "SD counts for best response only this many days or more after the reference date."
    )
    exclude_irradiated: bool = _setting(
        False, "Leave out lesions that received local therapy, at every time point."
    )
    reader: str | None = _setting(
        None, "Reader whose measurements count; none means the study's single reader."
    )
    readers_required: int = _setting(
        1, "Readers who read each scan: 1, or 2 for blinded double reading with adjudication."
    )
    time_unit: str = _setting(
        "months", "Unit in which intervals are shown: " + ", ".join(TIME_UNITS)
    )
    confidence_level: float = _setting(
        0.95, "Confidence level of every interval: 0.95, or e.g. 0.90 for a phase 2 report."
    )
    one_sided: bool = _setting(
        False, "Give proportions' intervals as one-sided lower bounds (phase 2 reports)."
    )
    landmark_months: float = _setting(
        6.0, "Landmark of the non-progression proportion, in months (a Simon two-stage endpoint)."
    )
    origins: tuple[TimeOrigin, ...] = _setting(
        (), "Per arm, the event that starts the clock; other arms use each patient's start_date."
    )

    @property
    def assessment(self) -> AssessmentSettings:
        """The settings the response rules take."""
        return AssessmentSettings(
            criteria=self.criteria,
            confirm=self.confirm,
            min_sd_days=self.min_sd_days,
            exclude_irradiated=self.exclude_irradiated,
        )

    def check(self) -> None:
        """Returns None; raises InputError when a value is out of range."""
        problems = []
        if self.time_unit not in TIME_UNITS:
            problems.append(f"time unit {self.time_unit!r} is not one of {', '.join(TIME_UNITS)}")
        if self.min_sd_days < 0:
            problems.append(f"minimum SD duration {self.min_sd_days} days is negative")
        if not 0.5 < self.confidence_level < 1:
            problems.append(f"confidence level {self.confidence_level} is not between 0.5 and 1")
        if not self.landmark_months > 0:
            problems.append(f"landmark {self.landmark_months} months is not positive")
        if self.readers_required not in (1, 2):
            problems.append(f"readers required {self.readers_required} is not 1 or 2")
        arms = [origin.arm for origin in self.origins]
        if len(set(arms)) != len(arms):
            problems.append("an arm has more than one time origin")
        if any(not origin.kind.strip() for origin in self.origins):
            problems.append("a time origin needs an event kind")
        if problems:
            raise InputError("; ".join(problems))


#: Each study setting: (name, default, help), declared once by StudySettings.
SETTINGS: tuple[tuple[str, Any, str], ...] = tuple(
    (f.name, f.default, f.metadata["help"]) for f in fields(StudySettings)
)
