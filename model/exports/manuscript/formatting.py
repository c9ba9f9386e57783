"""Numbers as journals print them in tables (issue 17, item 5).

- p: `<0.001` below 0.001; three decimals from 0.001 to below 0.01; otherwise two
  decimals (`>0.99` above 0.99), except that a p whose two decimals would read 0.05 gets
  three (0.046, 0.054), so that the reader sees on which side of 0.05 it lies (AMA Manual
  of Style, 11th ed., 19.5; the NEJM's instructions to authors).
- mean (SD) and median [Q1, Q3] with the decimals that give the larger of |mean| and SD three
  significant digits (0 to 3 decimals); n (%) with one decimal of %; a hazard ratio
  (95% CI) with two decimals, two significant digits below 0.1.
- A value that does not exist (null in the document) is an em dash; an estimate that
  cannot be made (a hazard ratio with no event in a group) is `NE`.
"""

from __future__ import annotations

import math

#: Shown for a value the document has as null.
MISSING = "\u2014"
#: Shown for an estimate that could not be made (footnoted by the table).
NOT_ESTIMABLE = "NE"
#: Between the two ends of an interval or a range.
DASH = "\u2013"
#: Decimals at most for a summary statistic.
MAX_DECIMALS = 3


def p_value(p: float | None) -> str:
    """p by the journal rule of this module's docstring; MISSING for null."""
    if p is None or not math.isfinite(p):
        return MISSING
    if p < 0.001:
        return "<0.001"
    if p < 0.01:
        return f"{p:.3f}"
    if p > 0.99:
        return ">0.99"
    if f"{p:.2f}" == "0.05":
        return f"{p:.3f}"
    return f"{p:.2f}"


def decimals_for(spread: float | None, significant: int = 3) -> int:
    """Decimals that give `spread` (an SD, a mean) `significant` digits, within 0..3."""
    if spread is None or not math.isfinite(spread) or spread == 0:
        return 1
    digits = significant - 1 - math.floor(math.log10(abs(spread)))
    return min(MAX_DECIMALS, max(0, digits))


def fixed(value: float | None, decimals: int) -> str:
    """`value` with `decimals` decimals; MISSING for null."""
    if value is None or not math.isfinite(value):
        return MISSING
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def mean_sd(mean: float | None, sd: float | None, decimals: int) -> str:
    """`mean (SD)`; the SD a dash when it does not exist (a single value)."""
    if mean is None:
        return MISSING
    return f"{fixed(mean, decimals)} ({fixed(sd, decimals)})"


def median_iqr(median: float | None, q1: float | None, q3: float | None, decimals: int) -> str:
    """`median [Q1, Q3]`."""
    if median is None:
        return MISSING
    return f"{fixed(median, decimals)} [{fixed(q1, decimals)}, {fixed(q3, decimals)}]"


def n_pct(n: int, pct: float | None) -> str:
    """`n (%)` with one decimal of %; a bare `0` for none, `n` alone when % is undefined."""
    if n == 0:
        return "0"
    if pct is None:
        return str(n)
    return f"{n} ({pct:.1f})"


def ratio(value: float | None) -> str:
    """A hazard ratio or its bound: two decimals, two significant digits below 0.1."""
    if value is None or not math.isfinite(value):
        return NOT_ESTIMABLE if value is None else MISSING
    if 0 < abs(value) < 0.1:
        return f"{value:.{1 - math.floor(math.log10(abs(value)))}f}"
    return f"{value:.2f}"


def hr_ci(hr: float | None, low: float | None, high: float | None) -> str:
    """`HR (low-high)`, or NE when the hazard ratio could not be estimated."""
    if hr is None:
        return NOT_ESTIMABLE
    return f"{ratio(hr)} ({ratio(low)}{DASH}{ratio(high)})"


def interval(low: float | None, high: float | None, scale: float = 1.0, decimals: int = 1) -> str:
    """`low-high` of an interval multiplied by `scale` (100 for a % of a proportion)."""
    if low is None or high is None:
        return MISSING
    return f"{low * scale:.{decimals}f}{DASH}{high * scale:.{decimals}f}"


def smd(value: float | None) -> str:
    """A standardised mean difference with two decimals."""
    return fixed(value, 2)


def label(name: str, labels: dict[str, str] | None) -> str:
    """The printed name of a variable: its label when one is given, else the name."""
    return (labels or {}).get(name, name)
