"""Spider data: each patient's % change of the target sum from baseline over time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from model.domain import PatientAssessment
from model.plot_data.common import in_unit, shown_caption


@dataclass(frozen=True)
class SpiderLine:
    """One patient's % change of the target sum from baseline over time."""

    patient_id: str
    arm: str
    response: str
    times: tuple[float, ...]
    pct: tuple[float, ...]


@dataclass(frozen=True)
class SpiderData:
    """Lines of the spider plot, the patients left out, and the time unit."""

    lines: tuple[SpiderLine, ...]
    left_out: tuple[str, ...]
    unit: str

    def caption(self) -> str:
        """Lines under the plot: how many patients are shown and left out."""
        return shown_caption(len(self.lines), self.left_out)


def spider_data(
    assessments: Iterable[PatientAssessment],
    arms: Mapping[str, str] | None = None,
    origins: Mapping[str, date] | None = None,
    *,
    unit: str = "weeks",
) -> SpiderData:
    """Return one line per patient: 0 % at baseline, then each non-null change from baseline.

    Time runs from the patient's time origin (`origins`, e.g. the start dates
    or the endpoints' `time_origin`), or from the baseline scan when it is
    unknown. A patient without a post-baseline change is left out.
    """
    arms, origins = arms or {}, origins or {}
    lines, left_out = [], []
    for a in assessments:
        later = [p for p in a.timepoints[1:] if p.change_from_baseline_pct is not None]
        if not later:
            left_out.append(a.patient_id)
            continue
        baseline = a.timepoints[0].scan_date
        origin = origins.get(a.patient_id, baseline)
        dates = [baseline] + [p.scan_date for p in later]
        times = tuple(in_unit((d - origin).days, unit) for d in dates)
        pct = (0.0,) + tuple(p.change_from_baseline_pct for p in later)
        arm = arms.get(a.patient_id, "")
        lines.append(SpiderLine(a.patient_id, arm, a.best_overall_response, times, pct))
    return SpiderData(tuple(lines), tuple(left_out), unit)
