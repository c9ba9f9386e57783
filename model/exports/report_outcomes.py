"""The report's sections beyond response and survival (issue 18): adverse events by arm (all,
related, and by cause: drug or procedure), surgery by arm with its listing, duration of
response and time to progression (Kaplan-Meier medians per arm), and the landmark
non-progression proportion per arm with its exact CI.

Every interval is at the study's confidence level and sidedness (model.settings:
confidence_level, one_sided, landmark_months); times are in months (days / 30.4375).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from model.analysis import DAYS_PER_MONTH, StudyAnalysis
from model.exports.manuscript import formatting as fmt
from model.rules.clinical import DRUG, PROCEDURE
from model.stats import survival
from model.stats.adverse_events import ae_by_cause, ae_table
from model.stats.response_endpoints import (
    TimeToEvent,
    duration_of_response,
    landmark_non_progression,
    time_to_progression,
)
from model.stats.surgery import surgery_document, surgery_outcomes


def outcome_sections(analysis: StudyAnalysis) -> dict[str, Any]:
    """The sections, as JSON-ready data, keyed as summary.json holds them."""
    return {
        "adverse_events_by_arm": adverse_event_section(analysis),
        "surgery": surgery_section(analysis),
    } | endpoint_sections(analysis)


def endpoint_sections(analysis: StudyAnalysis) -> dict[str, Any]:
    """Duration of response, time to progression (medians per arm) and the landmark
    non-progression proportion per arm, keyed as summary.json holds them."""
    data, settings = analysis.data, analysis.settings
    level = settings.confidence_level
    return {
        "duration_of_response": _medians(
            duration_of_response(data, analysis.assessments), analysis.arms, level
        ),
        "time_to_progression": _medians(
            time_to_progression(data, analysis.assessments, settings.origins),
            analysis.arms,
            level,
        ),
        "landmark_non_progression": _landmark(analysis),
    }


def adverse_event_section(analysis: StudyAnalysis) -> dict[str, Any]:
    """The `ae` documents of all events, the treatment-related ones, and those attributed to
    a drug and to a procedure (model/stats/adverse_events.py)."""
    data = analysis.data
    return {
        "all": ae_table(data.patients, data.adverse_events),
        "related": ae_table(data.patients, data.adverse_events, related=True),
        "by_cause": ae_by_cause(data.patients, data.adverse_events, data.events),
    }


def surgery_section(analysis: StudyAnalysis) -> dict[str, Any]:
    """Surgery by arm and the listing (model/stats/surgery.py), PFS and OS in months."""
    settings = analysis.settings
    outcomes = surgery_outcomes(
        analysis.data,
        analysis.endpoints,
        analysis.best_response_before,
        level=settings.confidence_level,
        one_sided=settings.one_sided,
    )
    document = surgery_document(outcomes)
    for row in document["listing"]:
        row["pfs_months"] = row.pop("pfs_days") / DAYS_PER_MONTH
        row["os_months"] = row.pop("os_days") / DAYS_PER_MONTH
    return document


def _medians(times: Sequence[TimeToEvent], arms: Sequence[str], level: float) -> dict[str, Any]:
    """Per arm, n, events and the Kaplan-Meier median (months) with its CI at `level`."""
    rows = []
    for arm in arms:
        mine = [t for t in times if t.arm == arm]
        row = {"arm": arm, "n": len(mine), "events": sum(t.event for t in mine),
               "median": None, "median_ci_low": None, "median_ci_high": None}  # fmt: skip
        if mine:
            km = survival.kaplan_meier(
                [t.days / DAYS_PER_MONTH for t in mine],
                [int(t.event) for t in mine],
                alpha=1 - level,
            )
            row |= {"median": km.median, "median_ci_low": km.median_ci_low,
                    "median_ci_high": km.median_ci_high}  # fmt: skip
        rows.append(row)
    return {"confidence_level": level, "arms": rows}


def _landmark(analysis: StudyAnalysis) -> dict[str, Any]:
    """Per arm, the non-progression proportion at the study's landmark among evaluable
    patients, with its exact CI (model/stats/response_endpoints.py)."""
    settings = analysis.settings
    days = round(settings.landmark_months * DAYS_PER_MONTH)
    rows = []
    for arm in analysis.arms:
        ids = {p.patient_id for p in analysis.data.patients if p.arm == arm}
        result = landmark_non_progression(
            [e for e in analysis.endpoints if e.patient_id in ids],
            [a for a in analysis.assessments if a.patient_id in ids],
            days,
            level=settings.confidence_level,
            one_sided=settings.one_sided,
        )
        rows.append({"arm": arm, "successes": result.successes, "evaluable": result.evaluable,
                     "proportion": result.proportion, "ci_low": result.ci_low,
                     "ci_high": result.ci_high})  # fmt: skip
    return {
        "landmark_months": settings.landmark_months,
        "landmark_days": days,
        "confidence_level": settings.confidence_level,
        "one_sided": settings.one_sided,
        "arms": rows,
    }


def outcome_markdown(summary: dict[str, Any]) -> list[str]:
    """The sections as Markdown lines, after the report's own."""
    study = summary["study"]
    level, one_sided = study["confidence_level"], study["one_sided"]
    ci = fmt.ci_name(level, one_sided)
    lines = ["", "## Adverse events by arm", ""]
    lines += [
        "| Arm | n | Any AE | Grade 3+ | Grade 5 | Related: any | Related: grade 3+ |",
        "| --- | ---: | --- | --- | --- | --- | --- |",
    ]
    ae = summary["adverse_events_by_arm"]
    for every, related in zip(ae["all"]["arms"], ae["related"]["arms"], strict=True):
        cells = [_n_pct(every[k]) for k in ("any", "grade_3_plus", "grade_5")]
        cells += [_n_pct(related[k]) for k in ("any", "grade_3_plus")]
        lines.append(f"| {every['arm']} | {every['n']} | " + " | ".join(cells) + " |")
    lines += _surgery_lines(summary["surgery"], ci, one_sided)
    lines += ["", "## Duration of response and time to progression", ""]
    lines += [
        f"| Arm | Endpoint | n | Events | Median, months ({fmt.ci_name(level)}) |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for key, name in (("duration_of_response", "DoR"), ("time_to_progression", "TTP")):
        for row in summary[key]["arms"]:
            median = _median(row)
            lines.append(f"| {row['arm']} | {name} | {row['n']} | {row['events']} | {median} |")
    mark = summary["landmark_non_progression"]
    lines += ["", f"## Non-progression at {mark['landmark_months']:g} months", ""]
    lines += [
        f"| Arm | Free of progression / evaluable | Rate ({ci}) |",
        "| --- | --- | --- |",
    ]
    for row in mark["arms"]:
        rate = _rate(row["proportion"], row["ci_low"], row["ci_high"], one_sided)
        lines.append(f"| {row['arm']} | {row['successes']} / {row['evaluable']} | {rate} |")
    return lines


def _surgery_lines(surgery: dict[str, Any], ci: str, one_sided: bool) -> list[str]:
    lines = ["", "## Surgery", "", f"| Arm | Operated ({ci}) | R0 ({ci}) | MPR ({ci}) |",
             "| --- | --- | --- | --- |"]  # fmt: skip
    for arm in surgery["arms"]:
        cells = [
            f"{p['k']}/{p['n']}, {_rate(p['rate'], p['ci_low'], p['ci_high'], one_sided)}"
            for p in (arm["operated"], arm["r0"], arm["mpr"])
        ]
        lines.append(f"| {arm['arm']} | " + " | ".join(cells) + " |")
    if surgery["comparison"] is not None:
        test = surgery["comparison"]
        lines += ["", f"Rate of surgery between arms: {test['test']}, p = {test['p']:.3g}."]
    lines += ["", f"MPR: necrosis of {surgery['mpr_necrosis_pct']:g} % or more of the specimen."]
    return lines


def _n_pct(count: dict[str, Any]) -> str:
    return fmt.n_pct(count["n"], count["pct"])


def _rate(rate: float | None, low: float | None, high: float | None, one_sided: bool) -> str:
    if rate is None:
        return "n/a"
    return f"{100 * rate:.1f} % ({fmt.bounds(low, high, one_sided)})"


def _median(row: dict[str, Any]) -> str:
    def show(x: float | None) -> str:
        return "NR" if x is None else f"{x:.1f}"

    if row["n"] == 0:
        return "n/a"
    return f"{show(row['median'])} ({show(row['median_ci_low'])}-{show(row['median_ci_high'])})"


def report_tables(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary's manuscript tables (model.exports.manuscript.Table) by file name:
    response, adverse events (all, treatment-related, attributed to a drug, to a
    procedure), surgery and its listing."""
    # Imported here: python-docx and lxml load only when tables are written.
    from model.exports.manuscript import ae_table as manuscript_ae
    from model.exports.manuscript import (
        endpoints_table,
        response_table,
        surgery_listing_table,
        surgery_table,
    )
    from model.exports.report_matching import matched_tables

    ae = summary["adverse_events_by_arm"]
    return {
        "response": response_table(summary),
        "adverse_events": manuscript_ae(ae["all"]),
        "adverse_events_related": manuscript_ae(
            ae["related"], related=True, title="Treatment-related adverse events by arm"
        ),
        "adverse_events_drug": manuscript_ae(
            ae["by_cause"][DRUG], related=True, title="Adverse events attributed to a drug"
        ),
        "adverse_events_procedure": manuscript_ae(
            ae["by_cause"][PROCEDURE], related=True,
            title="Adverse events attributed to a procedure",
        ),
        "surgery": surgery_table(summary["surgery"]),
        "endpoints": endpoints_table(summary),
        "surgery_listing": surgery_listing_table(summary["surgery"]),
    } | matched_tables(summary.get("matched_sets", [])) | _analysis_tables(summary)  # fmt: skip


def _analysis_tables(summary: dict[str, Any]) -> dict[str, Any]:
    """Table 1, the Cox models and the subgroups of the summary's `analyses` (issue 17)."""
    from model.exports.analysis_tables import document_tables

    section = summary.get("analyses")
    if not section:
        return {}
    return document_tables(
        section["table1"],
        section["cox_univariable"],
        section["cox_multivariable"],
        section["forest"],
        section["references"],
    )


def write_report_tables(summary: dict[str, Any], folder: Path) -> list[Path]:
    """Write each of `report_tables` into `folder` as Word, Excel and CSV; the paths."""
    from model.exports.manuscript import write_csv, write_docx, write_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in report_tables(summary).items():
        written += [
            write_docx(table, folder / f"{name}.docx"),
            write_xlsx(table, folder / f"{name}.xlsx"),
            write_csv(table, folder / f"{name}.csv"),
        ]
    return written
