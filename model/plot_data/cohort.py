"""The four cohort plots' data from one analysed study, on one clock."""

from __future__ import annotations

from dataclasses import dataclass

from model.analysis import StudyAnalysis
from model.plot_data.common import arms_of, start_dates_of
from model.plot_data.kaplan_meier import (
    ENDPOINTS,
    KMPlotData,
    km_groups,
    km_groups_of,
    km_plot_data,
)
from model.plot_data.spider import SpiderData, spider_data
from model.plot_data.swimmer import SwimmerData, swimmer_data
from model.plot_data.waterfall import WaterfallData, waterfall_data
from model.stats.response_endpoints import duration_of_response, time_to_progression

#: How a figure names each endpoint.
ENDPOINT_NAMES = {"pfs": "PFS", "os": "OS", "ttp": "TTP", "dor": "DoR"}


@dataclass(frozen=True)
class CohortPlotData:
    """The data of all four cohort plots for one selection of patients."""

    waterfall: WaterfallData
    spider: SpiderData
    swimmer: SwimmerData
    kaplan_meier: KMPlotData


def cohort_plot_data(
    analysis: StudyAnalysis,
    *,
    endpoint: str = "pfs",
    unit: str | None = None,
    group_by_arm: bool = False,
) -> CohortPlotData:
    """Return the four plots' data of an analysed study, times in `unit` (default: the study's).

    The cohort page filters (arm, histology, ...) with
    `analysis.restricted_to(patient_ids)` and redraws every plot from this one
    result. The endpoints' time origins time the spider and swimmer plots too,
    so that all plots share one clock.
    """
    unit = unit or analysis.settings.time_unit
    data, assessments = analysis.data, analysis.assessments
    arms = arms_of(data)
    origins = start_dates_of(data) | {e.patient_id: e.time_origin for e in analysis.endpoints}
    return CohortPlotData(
        waterfall=waterfall_data(assessments, arms, group_by_arm=group_by_arm),
        spider=spider_data(assessments, arms, origins, unit=unit),
        swimmer=swimmer_data(data, assessments, origins, unit=unit),
        kaplan_meier=survival_plot_data(analysis, endpoint=endpoint, unit=unit),
    )


def survival_plot_data(
    analysis: StudyAnalysis, *, endpoint: str = "pfs", unit: str | None = None
) -> KMPlotData:
    """Return the Kaplan-Meier plot's data of `endpoint` per arm, alone: "pfs", "os", "ttp"
    (deaths censored) or "dor" (among responders; model/stats/response_endpoints.py), its
    band and CIs at the study's confidence level (settings: confidence_level)."""
    if endpoint not in ENDPOINTS:
        raise ValueError(f"endpoint must be one of {', '.join(ENDPOINTS)}, not {endpoint!r}")
    unit = unit or analysis.settings.time_unit
    if endpoint == "ttp":
        times = time_to_progression(analysis.data, analysis.assessments, analysis.settings.origins)
        groups = km_groups_of(times, unit=unit)
    elif endpoint == "dor":
        groups = km_groups_of(duration_of_response(analysis.data, analysis.assessments), unit=unit)
    else:
        groups = km_groups(analysis.endpoints, endpoint=endpoint, unit=unit)
    alpha = 1 - analysis.settings.confidence_level
    return km_plot_data(groups, endpoint=ENDPOINT_NAMES[endpoint], unit=unit, alpha=alpha)
