"""The plain data behind the forest plot (issue 17): one line per row of a `forest` document
(shared/spec/analysis.md, `forest`), top to bottom, with what its label and hover show, its
numbers formatted as the manuscript tables print them (beside which it lives)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from model.exports.manuscript.formatting import hr_ci, p_value


@dataclass(frozen=True)
class ForestLine:
    """One line: its label (a subgroup's name carries the interaction p), y (0 at the top,
    growing downwards), the HR and CI (None where not estimable), n/events per arm, and
    `row` the index of the document row it shows (None for a subgroup's heading)."""

    label: str
    y: int
    hazard_ratio: float | None
    low: float | None
    high: float | None
    counts: str
    detail: str
    row: int | None


def forest_lines(document: dict, labels: dict[str, str] | None = None) -> list[ForestLine]:
    """The lines of the plot: the whole set, then per subgroup variable a heading with its
    interaction p and one line per level."""
    groups = document["groups"]
    interactions = {i["subgroup"]: i for i in document["interactions"]}
    lines: list[ForestLine] = []
    seen: set[str] = set()
    for index, row in enumerate(document["rows"]):
        subgroup = row["subgroup"]
        if subgroup is not None and subgroup not in seen:
            seen.add(subgroup)
            p = interactions.get(subgroup, {}).get("interaction_p")
            name = (labels or {}).get(subgroup, subgroup)
            heading = f"{name} (interaction p {p_value(p)})" if p is not None else name
            lines.append(ForestLine(heading, len(lines), None, None, None, "", heading, None))
        label = "All patients" if subgroup is None else f"   {row['level']}"
        counts = "   ".join(f"{row['events'][g]}/{row['n'][g]}" for g in groups)
        ratio = hr_ci(row["hazard_ratio"], row["hr_ci_low"], row["hr_ci_high"])
        detail = f"{label.strip()}: HR {ratio}, p {p_value(row['p'])}; events/n {counts}"
        lines.append(ForestLine(label, len(lines), row["hazard_ratio"], row["hr_ci_low"],
                                row["hr_ci_high"], counts, detail, index))  # fmt: skip
    return lines


def log_range(lines: list[ForestLine]) -> tuple[float, float]:
    """The log10 x range that holds every finite CI and 1, with a margin."""
    ends = [v for line in lines for v in (line.low, line.high) if v and math.isfinite(v)]
    low = math.log10(min([1.0, *ends]))
    high = math.log10(max([1.0, *ends]))
    margin = max(0.1, (high - low) * 0.08)
    return low - margin, high + margin
