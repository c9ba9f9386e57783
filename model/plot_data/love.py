"""The love plot's data (issue 18, item 1): per covariate level and the propensity score,
the absolute standardised mean difference before and after matching, from the `match`
document (spec/analysis.md, `match`, "balance")."""

from __future__ import annotations

from dataclasses import dataclass

#: The |SMD| under which a covariate is usually called balanced (Austin 2009).
BALANCED_SMD = 0.1


@dataclass(frozen=True)
class LoveRow:
    """One line of the plot: `covariate` or `covariate: level`, |SMD| before and after
    (None where the contract's SMD is null)."""

    label: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class LoveData:
    """The rows top to bottom (the document's order, the score last) and the caption."""

    rows: tuple[LoveRow, ...]
    pairs: int

    def caption(self) -> str:
        """Words under the plot: the pairs and the reference line."""
        return (f"{self.pairs} matched pairs; absolute standardised mean difference before "
                f"(open) and after (filled) matching; dashed line at {BALANCED_SMD}.")  # fmt: skip


def love_data(document: dict) -> LoveData:
    """Return the plot's rows from a `match` document."""
    rows = tuple(
        LoveRow(
            "propensity score" if b["covariate"] == "score" else
            b["covariate"] + ("" if b["level"] is None else f": {b['level']}"),
            b["smd_before"],
            b["smd_after"],
        )
        for b in document["balance"]
    )  # fmt: skip
    return LoveData(rows, sum(1 for p in document["pairs"] if p["control"]))
