"""Plain data behind the cohort plots: waterfall, spider, swimmer and Kaplan-Meier.

Each function takes model objects the cohort page has already filtered (arm,
histology, criteria) and returns frozen dataclasses that `gui/plots` draws on
screen and into files; `cohort_plot_data` makes all four from one
`StudyAnalysis`. One module per plot; this package re-exports their public
names, so callers import from `model.plot_data`.
"""

from model.plot_data.cohort import CohortPlotData, cohort_plot_data, survival_plot_data
from model.plot_data.common import (
    arm_order,
    arms_of,
    in_unit,
    shown_caption,
    start_dates_of,
)
from model.plot_data.kaplan_meier import (
    KMCurve,
    KMGroup,
    KMPlotData,
    format_p,
    km_curve,
    km_groups,
    km_plot_data,
    time_ticks,
)
from model.plot_data.spider import SpiderData, SpiderLine, spider_data
from model.plot_data.swimmer import (
    MARKER_KINDS,
    RESPONSE_CODES,
    SwimmerData,
    SwimmerLane,
    SwimmerMarker,
    swimmer_data,
)
from model.plot_data.waterfall import WaterfallBar, WaterfallData, waterfall_data

__all__ = [
    "MARKER_KINDS",
    "RESPONSE_CODES",
    "CohortPlotData",
    "KMCurve",
    "KMGroup",
    "KMPlotData",
    "SpiderData",
    "SpiderLine",
    "SwimmerData",
    "SwimmerLane",
    "SwimmerMarker",
    "WaterfallBar",
    "WaterfallData",
    "arm_order",
    "arms_of",
    "cohort_plot_data",
    "survival_plot_data",
    "format_p",
    "in_unit",
    "km_curve",
    "km_groups",
    "km_plot_data",
    "shown_caption",
    "spider_data",
    "start_dates_of",
    "swimmer_data",
    "time_ticks",
    "waterfall_data",
]
