"""The endpoints table (issue 18, item 4): per arm, duration of response among responders
and time to progression (Kaplan-Meier medians with their CIs), and the landmark
non-progression proportion among evaluable patients with its exact CI, from the report's
sections (model/exports/report_outcomes.py)."""

from __future__ import annotations

from model.exports.manuscript import formatting as fmt
from model.exports.manuscript.table import Row, Table

#: The table's title.
TITLE = "Duration of response, time to progression and non-progression by arm"


def endpoints_table(sections: dict, *, title: str = TITLE) -> Table:
    """Columns: the arms; rows: DoR and TTP (n, events, median), the landmark proportion."""
    mark = sections["landmark_non_progression"]
    arms = [row["arm"] for row in mark["arms"]]
    ci = fmt.ci_name(sections["duration_of_response"]["confidence_level"])
    rows = []
    for key, name in (("duration_of_response", "Duration of response (responders)"),
                      ("time_to_progression", "Time to progression")):  # fmt: skip
        by_arm = {row["arm"]: row for row in sections[key]["arms"]}
        rows.append(Row(name, ("",) * len(arms)))
        rows.append(Row("Patients, n (events)", tuple(
            f"{by_arm[a]['n']} ({by_arm[a]['events']})" for a in arms), indent=1))  # fmt: skip
        rows.append(Row(f"Median, months ({ci})", tuple(_median(by_arm[a]) for a in arms),
                        indent=1))  # fmt: skip
    rate_ci = fmt.ci_name(mark["confidence_level"], mark["one_sided"])
    rows.append(Row(f"Free of progression at {mark['landmark_months']:g} months, n/N (%)",
                    tuple(_share(r) for r in mark["arms"])))  # fmt: skip
    rows.append(Row(f"{rate_ci}, %", tuple(fmt.bounds(r["ci_low"], r["ci_high"],
                    mark["one_sided"]) for r in mark["arms"]), indent=1))  # fmt: skip
    notes = (
        "Duration of response: from the first complete or partial response to progression "
        "or death (RECIST 1.1, 4.4.3); time to progression: deaths without progression "
        "censored; both Kaplan-Meier, NR: not reached.",
        f"Non-progression at {mark['landmark_months']:g} months: among evaluable patients; "
        "a progression or death by then, or follow-up shorter than it, is a failure; "
        f"{rate_ci}: exact (Clopper-Pearson).",
    )
    return Table(title, "Endpoint", tuple(arms), tuple(rows), notes)


def _median(row: dict) -> str:
    if row["n"] == 0:
        return fmt.MISSING

    def show(value: float | None) -> str:
        return "NR" if value is None else f"{value:.1f}"

    low, high = show(row["median_ci_low"]), show(row["median_ci_high"])
    return f"{show(row['median'])} ({low}{fmt.DASH}{high})"


def _share(row: dict) -> str:
    if row["proportion"] is None:
        return fmt.MISSING
    return f"{row['successes']}/{row['evaluable']} ({100 * row['proportion']:.1f})"
