"""Numbers in the commands' text output, rounded as R prints them (issue 20, item 5).

R prints an estimate with `digits = 7 - 3 = 4` significant digits
(print.survfit, summary.coxph: `max(getOption("digits") - 3, 3)`) and never
drops a digit of the integer part (12346, not 1.235e+04); a p-value with 3
(printCoefmat's `dig.tst`), and one below the machine epsilon as "< 2e-16"
(format.pval). A missing value prints as NA. The JSON output stays unrounded.
"""

from __future__ import annotations

import math

#: Significant digits of an estimate and of a p-value.
ESTIMATE_DIGITS, P_DIGITS = 4, 3

#: format.pval's `eps`: .Machine$double.eps, printed as "< 2e-16".
P_EPSILON = 2.220446049250313e-16


def r_number(value: float | None, digits: int = ESTIMATE_DIGITS) -> str:
    """Returns `value` with `digits` significant digits as R prints it; NA for None or NaN."""
    if value is None or math.isnan(value):
        return "NA"
    if math.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    if value != 0 and abs(value) >= 10**digits:
        return f"{value:.0f}"
    return f"{value:.{digits}g}"


def r_p_value(p: float | None) -> str:
    """Returns a p-value as R's summary tables print it: 3 digits, "< 2e-16" at the bottom."""
    if p is not None and not math.isnan(p) and p < P_EPSILON:
        return "< 2e-16"
    return r_number(p, P_DIGITS)
