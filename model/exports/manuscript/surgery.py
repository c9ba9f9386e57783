"""The surgery table (operated, R0 and MPR per arm with exact CIs) and the listing of operated
patients, from the report's `surgery` section (issue 18, item 3; model/stats/surgery.py)."""

from __future__ import annotations

from model.exports.manuscript import formatting as fmt
from model.exports.manuscript.table import Row, Table

#: The listing's columns: (key of a listing row, header).
LISTING_COLUMNS = (
    ("arm", "Arm"), ("surgery_date", "Date"), ("histology", "Histology"), ("site", "Site"),
    ("intent", "Intent"), ("margin", "Margin"), ("necrosis_pct", "Necrosis, %"),
    ("best_response_before", "Best response before surgery"), ("pfs_months", "PFS, months"),
    ("os_months", "OS, months"),
)  # fmt: skip


def surgery_table(section: dict, *, title: str = "Surgery by arm") -> Table:
    """Per arm the operated patients n (%), the R0 resections and the major pathological
    responses as n/N (%), each with its exact CI at the section's level, and the p of the
    rate of surgery between arms."""
    arms = section["arms"]
    tested = len(arms) > 1
    columns = tuple(a["arm"] for a in arms) + ("p",) * tested
    ci = fmt.ci_name(section["confidence_level"], section["one_sided"])
    p = (fmt.p_value(None if section["comparison"] is None else section["comparison"]["p"]),)
    rows = []
    for key, name in (("operated", "Surgery, n (%)"), ("r0", "R0 resection, n/N (%)"),
                      ("mpr", "Major pathological response, n/N (%)")):  # fmt: skip
        cells = [_count(a[key], with_total=key != "operated") for a in arms]
        rows.append(Row(name, (*cells, *(p * tested if key == "operated" else ("",) * tested))))
        bounds = [fmt.bounds(a[key]["ci_low"], a[key]["ci_high"], section["one_sided"])
                  for a in arms]  # fmt: skip
        rows.append(Row(f"{ci}, %", (*bounds, *("",) * tested), indent=1))
    notes = (
        "R0: among operated patients with a recorded margin; major pathological response: "
        f"necrosis of {section['mpr_necrosis_pct']:g}% or more of the specimen, among "
        "operated patients with a recorded necrosis.",
        f"{ci}: exact (Clopper-Pearson)."
        + (f" p: {section['comparison']['test']}." if section["comparison"] else ""),
    )
    return Table(title, "Surgery", columns, tuple(rows), notes)


def _count(p: dict, *, with_total: bool) -> str:
    pct = None if p["rate"] is None else 100 * p["rate"]
    if not with_total:
        return fmt.n_pct(p["k"], pct)
    return f"{p['k']}/{p['n']}" + ("" if pct is None else f" ({pct:.1f})")


def surgery_listing_table(section: dict, *, title: str = "Operated patients") -> Table:
    """One row per operation: the patient, the outcome, the best response before it, and
    PFS and OS (months, + censored)."""
    rows = [
        Row(row["patient_id"], tuple(_cell(row, key) for key, _ in LISTING_COLUMNS))
        for row in section["listing"]
    ]
    notes = ("PFS and OS from the time origin; + censored.",)
    columns = tuple(header for _, header in LISTING_COLUMNS)
    return Table(title, "Patient", columns, tuple(rows), notes)


def _cell(row: dict, key: str) -> str:
    value = row[key]
    if key in ("pfs_months", "os_months"):
        event = row[key.replace("months", "event")]
        return f"{value:.1f}" + ("" if event else "+")
    if key == "necrosis_pct":
        return fmt.MISSING if value is None else f"{value:g}"
    return fmt.MISSING if value is None else str(value)
