"""The study summary a PI puts in a paper: per arm n, ORR and DCR with exact CIs, median
PFS and OS with CIs, landmark rates, and the between-arm tests (issue #3, `report`).

`study_summary` builds plain JSON-ready data from a `StudyAnalysis`; `summary_markdown`
renders the same numbers as a table. Times are in months (days / 30.4375).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from model.analysis import DAYS_PER_MONTH, StudyAnalysis
from model.domain import AdverseEvent
from model.editing.analysis_sets import AnalysisSet
from model.errors import InputError
from model.exports.manuscript.formatting import ci_name
from model.exports.report_analyses import analysis_markdown, analysis_section
from model.exports.report_matching import matched_markdown, matched_sections
from model.exports.report_outcomes import outcome_markdown, outcome_sections
from model.rules.clinical import effective_variables, severe, value_pairs
from model.stats import survival
from model.stats.cox import present
from model.stats.response_rates import Comparison, Proportion, response_rates

#: Landmark times (months) at which PFS and OS rates are reported.
LANDMARK_MONTHS = (6, 12, 24)
#: Baseline covariates tried beside the arm in the multivariable Cox model, when recorded.
COX_COVARIATES = ("age", "sex")


def study_summary(
    analysis: StudyAnalysis,
    *,
    landmarks: Sequence[float] = LANDMARK_MONTHS,
    analysis_sets: Sequence[AnalysisSet] = (),
) -> dict[str, Any]:
    """Every figure of the report, as JSON-ready data (None where not estimable); with the
    study's saved `analysis_sets`, each matched set compared before and after matching."""
    settings = analysis.settings
    alpha = 1 - settings.confidence_level
    best_by_arm = analysis.best_responses_by_arm()
    rates = response_rates(best_by_arm, alpha=alpha, one_sided=settings.one_sided)
    endpoints = _endpoint_frame(analysis)
    arms = []
    for arm_rates in rates.arms:
        arm_frame = _rows(endpoints, endpoints["arm"] == arm_rates.arm)
        arms.append(
            {
                "arm": arm_rates.arm,
                "n": arm_rates.n,
                "orr": _proportion(arm_rates.orr),
                "dcr": _proportion(arm_rates.dcr),
                "best_response_counts": _counts(best_by_arm[arm_rates.arm]),
                "pfs": _km_summary(
                    arm_frame["pfs_months"], arm_frame["pfs_event"], landmarks, alpha
                ),  # fmt: skip
                "os": _km_summary(arm_frame["os_months"], arm_frame["os_event"], landmarks, alpha),
            }
        )
    follow_up = survival.median_follow_up(endpoints["os_months"], endpoints["os_event"])
    return (
        {
            "study": _study_facts(analysis, landmarks),
            "arms": arms,
            "comparisons": {
                "orr": _comparison(rates.orr_comparison),
                "dcr": _comparison(rates.dcr_comparison),
                "pfs": _between_arms(endpoints, "pfs_months", "pfs_event", alpha),
                "os": _between_arms(endpoints, "os_months", "os_event", alpha),
            },
            "median_follow_up_months": {
                "median": follow_up.median,
                "ci_low": follow_up.ci_low,
                "ci_high": follow_up.ci_high,
                "method": "reverse Kaplan-Meier",
            },
        }
        | outcome_sections(analysis)
        | analysis_section(analysis, analysis_sets)
        | {"matched_sets": matched_sections(analysis, analysis_sets)}
    )


def write_summary(summary: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write summary.json and summary.md into `out_dir`; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "summary.json", out_dir / "summary.md"
    json_path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(summary_markdown(summary), encoding="utf-8")
    return [json_path, md_path]


def summary_markdown(summary: dict[str, Any]) -> str:
    """The summary as a Markdown document with one table row per arm."""
    study = summary["study"]
    rate_ci = ci_name(study["confidence_level"], study["one_sided"])
    ci = ci_name(study["confidence_level"])
    lines = [
        "# Study summary",
        "",
        f"{study['patients']} patients; response by {study['criteria']}"
        f"{', confirmed' if study['confirm'] else ''}; times in months.",
        "",
        f"| Arm | n | ORR ({rate_ci}) | DCR ({rate_ci}) | Median PFS ({ci}) | Median OS ({ci}) |",
        "| --- | ---: | --- | --- | --- | --- |",
    ]
    for arm in summary["arms"]:
        lines.append(
            f"| {arm['arm']} | {arm['n']} | {_rate_text(arm['orr'], study['one_sided'])} "
            f"| {_rate_text(arm['dcr'], study['one_sided'])} "
            f"| {_median_text(arm['pfs'])} | {_median_text(arm['os'])} |"
        )
    if study["not_evaluable"]:
        lines += ["", "## Not evaluable", "", "Counted in n, without a best response:", ""]
        lines += [f"- {p['patient_id']}: {p['reason']}" for p in study["not_evaluable"]]
    lines += _variable_lines(study["variables"])
    lines += ["", "## Landmark rates", "", f"| Arm | Endpoint | Month | Rate ({ci}) | At risk |"]
    lines.append("| --- | --- | ---: | --- | ---: |")
    for arm in summary["arms"]:
        for endpoint in ("pfs", "os"):
            for mark in arm[endpoint]["landmarks"]:
                lines.append(
                    f"| {arm['arm']} | {endpoint.upper()} | {mark['months']:g} "
                    f"| {_rate_text(mark)} | {mark['at_risk']} |"
                )
    lines += ["", "## Between arms", ""] + _comparison_lines(summary["comparisons"])
    follow = summary["median_follow_up_months"]
    lines += ["", f"Median follow-up (reverse Kaplan-Meier): {_interval_text(follow)} months."]
    lines += outcome_markdown(summary) + analysis_markdown(summary)
    lines += matched_markdown(summary.get("matched_sets", []))
    return "\n".join(lines + [""])


def _variable_lines(variables: list[dict[str, Any]]) -> list[str]:
    if not variables:
        return []
    lines = [
        "",
        "## Baseline variables",
        "",
        "| Variable | Type | Levels | Patients with a value |",
    ]
    lines.append("| --- | --- | --- | ---: |")
    for v in variables:
        name = v["name"] + (f" ({v['label']})" if v["label"] else "")
        unit = f" ({v['unit']})" if v["unit"] else ""
        levels = " < ".join(v["levels"]) or ("declared" if v["declared"] else "inferred")
        lines.append(f"| {name} | {v['type']}{unit} | {levels} | {v['patients_with_value']} |")
    return lines


def _study_facts(analysis: StudyAnalysis, landmarks: Sequence[float]) -> dict[str, Any]:
    settings = analysis.settings
    return {
        "patients": len(analysis.data.patients),
        "arms": list(analysis.arms),
        "criteria": str(settings.criteria),
        "confirm": settings.confirm,
        "min_sd_days": settings.min_sd_days,
        "exclude_irradiated": settings.exclude_irradiated,
        "reader": settings.reader,
        "time_origins": [
            {"arm": o.arm, "kind": o.kind, "detail": o.detail} for o in settings.origins
        ],
        "time_unit": "months",
        "confidence_level": settings.confidence_level,
        "one_sided": settings.one_sided,
        "landmarks_months": list(landmarks),
        "not_evaluable": [
            {"patient_id": pid, "reason": why} for pid, why in analysis.not_evaluable.items()
        ],
        "variables": _variables_found(analysis),
        "adverse_events": {
            "events": len(analysis.data.adverse_events),
            "patients": len({a.patient_id for a in analysis.data.adverse_events}),
            "patients_grade_3_plus": len(
                {a.patient_id for a in severe(analysis.data.adverse_events)}
            ),
        },
    }


def _adverse_events_found(events: Sequence[AdverseEvent]) -> dict[str, int]:
    return {
        "events": len(events),
        "patients": len({a.patient_id for a in events}),
        "patients_grade_3_plus": len({a.patient_id for a in severe(events)}),
    }


def _variables_found(analysis: StudyAnalysis) -> list[dict[str, Any]]:
    """The study's baseline variables, declared then inferred (interchange 1.1), each with how
    many patients have a value."""
    data = analysis.data
    pairs = value_pairs(data.patients)
    counts = Counter(name for name, _ in pairs)
    declared = {v.name for v in data.variables}
    return [
        {"name": v.name, "type": str(v.type), "levels": list(v.levels), "label": v.label,
         "unit": v.unit, "declared": v.name in declared, "patients_with_value": counts[v.name]}
        for v in effective_variables(data.variables, pairs)
    ]  # fmt: skip


#: Columns of one row per patient, as numpy arrays: a pandas DataFrame cost `report` the
#: 0.35 s of importing pandas (issue 19).
Frame = dict[str, np.ndarray]


def _endpoint_frame(analysis: StudyAnalysis) -> Frame:
    """One row per patient: arm, PFS and OS in months with their events, and the covariates;
    each column typed as pandas would make it of the values (model/stats/cox.py reads them).

    Built column by column: a dict per row allocates 20,000 objects the cyclic
    collector walks, with the whole analysed study, again and again (2.2 s at 20,000
    patients, issue 19).
    """
    endpoints = analysis.endpoints
    people = {p.patient_id: p for p in analysis.data.patients}
    patients = [people[e.patient_id] for e in endpoints]
    return {
        "patient_id": _objects([e.patient_id for e in endpoints]),
        "arm": _objects([e.arm for e in endpoints]),
        "pfs_months": np.array([e.pfs_days / DAYS_PER_MONTH for e in endpoints], float),
        "pfs_event": np.array([int(e.pfs_event) for e in endpoints], np.int64),
        "os_months": np.array([e.os_days / DAYS_PER_MONTH for e in endpoints], float),
        "os_event": np.array([int(e.os_event) for e in endpoints], np.int64),
        "age": _numbers([p.age for p in patients]),
        "sex": _objects([p.sex for p in patients]),
    }


def _objects(values: list) -> np.ndarray:
    array = np.empty(len(values), object)
    array[:] = values
    return array


def _numbers(values: list[float | None]) -> np.ndarray:
    """Numbers (None: NaN) as floats, as pandas types them; all missing: objects."""
    if all(v is None for v in values):
        return _objects(values)
    return np.array([np.nan if v is None else v for v in values], float)


def _rows(frame: Frame, mask: np.ndarray) -> Frame:
    return {name: column[mask] for name, column in frame.items()}


def _km_summary(months, events, landmarks: Sequence[float], alpha: float) -> dict[str, Any]:
    if len(months) == 0:
        return {"events": 0, "median": None, "median_ci_low": None, "median_ci_high": None,
                "landmarks": []}  # fmt: skip
    km = survival.kaplan_meier(months, events, alpha=alpha)
    return {
        "events": km.n_events,
        "median": km.median,
        "median_ci_low": km.median_ci_low,
        "median_ci_high": km.median_ci_high,
        "landmarks": [
            {
                "months": e.time,
                "rate": e.survival,
                "ci_low": e.ci_low,
                "ci_high": e.ci_high,
                "at_risk": e.at_risk,
            }  # fmt: skip
            for e in survival.survival_at(km, landmarks)
        ],
    }


def _between_arms(
    frame: Frame, months: str, event: str, alpha: float = 0.05
) -> dict[str, Any] | None:
    """Log-rank over all arms, HR of each arm against the first, and a multivariable Cox."""
    arm_of = frame["arm"]
    arms = list(dict.fromkeys(arm_of.tolist()))
    if len(arms) < 2:
        return None
    test = survival.logrank(frame[months], frame[event], arm_of)
    ratios = []
    for arm in arms[1:]:
        pair = _rows(frame, (arm_of == arms[0]) | (arm_of == arm))
        hr = survival.cox_two_groups(pair[months], pair[event], pair["arm"], alpha=alpha)
        ratios.append(
            {
                "arm": arm,
                "reference": arms[0],
                "hazard_ratio": hr.hazard_ratio,
                "ci_low": hr.ci_low,
                "ci_high": hr.ci_high,
                "p": hr.p,
            }  # fmt: skip
        )
    return {
        "logrank": {"chi2": test.chi2, "df": test.df, "p": test.p},
        "hazard_ratios": ratios,
        "cox_multivariable": _multivariable_cox(frame, months, event, arms[0]),
    }


def _multivariable_cox(frame: Frame, months: str, event: str, reference: str):
    """Arm plus the baseline covariates that were recorded; None when the fit does not exist."""
    covariates = ["arm"] + [c for c in COX_COVARIATES if present(frame[c]).any()]
    if len(covariates) == 1:
        return None
    try:
        fit = survival.cox(frame, months, event, covariates, references={"arm": reference})
    except InputError as error:
        return {"covariates": covariates, "terms": [], "note": str(error)}
    return {
        "covariates": covariates,
        "n": fit.n,
        "events": fit.n_events,
        "terms": [
            {
                "term": t.name,
                "hazard_ratio": t.hazard_ratio,
                "ci_low": t.ci_low,
                "ci_high": t.ci_high,
                "p": t.p,
            }  # fmt: skip
            for t in fit.terms
        ],
    }


def _proportion(p: Proportion) -> dict[str, Any]:
    return {"k": p.k, "n": p.n, "rate": p.rate, "ci_low": p.ci_low, "ci_high": p.ci_high}


def _comparison(c: Comparison | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"test": c.test, "statistic": c.statistic, "df": c.df, "p": c.p}


def _counts(codes: Sequence[str | None]) -> dict[str, int]:
    return dict(Counter("not assessed" if c is None else c for c in codes))


def _rate_text(rate: dict[str, Any], one_sided: bool = False) -> str:
    if rate["rate"] is None:
        return "n/a"
    low, high = rate["ci_low"], rate["ci_high"]
    if one_sided:
        return f"{100 * rate['rate']:.1f} % (\u2265{100 * low:.1f})"
    return f"{100 * rate['rate']:.1f} % ({100 * low:.1f}-{100 * high:.1f})"


def _median_text(km: dict[str, Any]) -> str:
    return _interval_text(
        {"median": km["median"], "ci_low": km["median_ci_low"], "ci_high": km["median_ci_high"]}
    )


def _interval_text(value: dict[str, Any]) -> str:
    def show(x: float | None) -> str:
        return "NR" if x is None else f"{x:.1f}"

    return f"{show(value['median'])} ({show(value['ci_low'])}-{show(value['ci_high'])})"


def _comparison_lines(comparisons: dict[str, Any]) -> list[str]:
    lines = []
    for name in ("orr", "dcr"):
        c = comparisons[name]
        if c is not None:
            lines.append(f"- {name.upper()}: {c['test']}, p = {c['p']:.3g}")
    for name in ("pfs", "os"):
        c = comparisons[name]
        if c is None:
            continue
        lr = c["logrank"]
        lines.append(f"- {name.upper()}: log-rank chi2 = {lr['chi2']:.2f}, df = {lr['df']}, "
                     f"p = {lr['p']:.3g}")  # fmt: skip
        for hr in c["hazard_ratios"]:
            if hr["hazard_ratio"] is not None:
                lines.append(
                    f"  - HR {hr['arm']} vs {hr['reference']}: {hr['hazard_ratio']:.2f} "
                    f"({hr['ci_low']:.2f}-{hr['ci_high']:.2f}), p = {hr['p']:.3g}"
                )
    return lines
