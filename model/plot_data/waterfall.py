"""Waterfall data: each patient's best % change of the target sum from baseline, as bars."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from model.domain import PatientAssessment
from model.plot_data.common import arm_order, shown_caption


@dataclass(frozen=True)
class WaterfallBar:
    """One patient's bar: best % change of the target sum from baseline."""

    patient_id: str
    arm: str
    response: str
    pct_change: float
    #: The height drawn: `pct_change`, capped at the plot's cap.
    shown_pct: float

    @property
    def capped(self) -> bool:
        """True when the bar is cut at the cap and needs a mark."""
        return self.pct_change > self.shown_pct


@dataclass(frozen=True)
class WaterfallData:
    """Bars in drawing order, and the patients left out for lack of a post-baseline sum."""

    bars: tuple[WaterfallBar, ...]
    left_out: tuple[str, ...]
    cap_pct: float

    def caption(self) -> str:
        """Lines under the plot: how many patients are shown, left out and capped."""
        lines = [shown_caption(len(self.bars), self.left_out)]
        capped = sum(bar.capped for bar in self.bars)
        if capped:
            lines.append(f"{capped} capped at +{self.cap_pct:g} % (\u25b2)")
        return "\n".join(lines)


def waterfall_data(
    assessments: Iterable[PatientAssessment],
    arms: Mapping[str, str] | None = None,
    *,
    cap_pct: float = 100.0,
    group_by_arm: bool = False,
) -> WaterfallData:
    """Return the waterfall's bars, sorted from worst (highest) to best change.

    The height is `best_pct_change` (interchange spec, "Best overall
    response"); a patient without one has no post-baseline sum and is left
    out. With `group_by_arm` the bars run arm by arm, arms in the order of
    `arms` (the study's patient order), each arm sorted on its own.
    """
    arms = arms or {}
    bars, left_out = [], []
    for a in assessments:
        if a.best_pct_change is None:
            left_out.append(a.patient_id)
            continue
        shown = min(a.best_pct_change, cap_pct)
        arm = arms.get(a.patient_id, "")
        bars.append(
            WaterfallBar(a.patient_id, arm, a.best_overall_response, a.best_pct_change, shown)
        )
    bars.sort(key=lambda b: (-b.pct_change, b.patient_id))
    if group_by_arm:
        order = {
            arm: i for i, arm in enumerate(arm_order([*arms.values(), *(b.arm for b in bars)]))
        }
        bars.sort(key=lambda b: order[b.arm])
    return WaterfallData(tuple(bars), tuple(left_out), cap_pct)
