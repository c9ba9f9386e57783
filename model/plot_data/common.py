"""Time units and the patient lookups every cohort plot shares.

Times are in the unit the user chose: days, weeks, months of 30.4375 days or
years (shared/design.md, "Layers").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from model.domain import DAYS_PER_UNIT, StudyData


def in_unit(days: float, unit: str) -> float:
    """Return `days` expressed in `unit` ("days", "weeks", "months" or "years")."""
    if unit not in DAYS_PER_UNIT:
        raise ValueError(f"unknown time unit {unit!r}; expected one of {sorted(DAYS_PER_UNIT)}")
    return days / DAYS_PER_UNIT[unit]


def arms_of(data: StudyData) -> dict[str, str]:
    """Return each patient's arm by patient id."""
    return {p.patient_id: p.arm for p in data.patients}


def start_dates_of(data: StudyData) -> dict[str, date]:
    """Return each patient's start date by patient id (the default time origin)."""
    return {p.patient_id: p.start_date for p in data.patients}


def arm_order(arms: Iterable[str]) -> list[str]:
    """Return the distinct arms in order of first appearance."""
    return list(dict.fromkeys(arms))


def shown_caption(shown: int, left_out: Sequence[str]) -> str:
    """Return "n = 34" and, on a second line, how many have no post-baseline measurement."""
    text = f"n = {shown}"
    if left_out:
        text += f"\n{len(left_out)} not shown: no post-baseline measurement"
    return text
