"""The commands' text output rounds as R prints and names each method (issue 20, item 5).

R's own output is the reference: `print(x, digits = 4)` for estimates (the
digits of print.survfit and summary.coxph), format.pval for p-values, and on
R's `aml` data (tests/data/survival/export_datasets.R):

    > survfit(Surv(time, status) ~ x, aml, conf.type = "log-log")
                     n events median 0.95LCL 0.95UCL
    x=Maintained    11      7     31      13      NA
    x=Nonmaintained 12     11     23       5      33
    > summary(coxph(Surv(time, status) ~ x, aml))
                   exp(coef) exp(-coef) lower .95 upper .95
    xNonmaintained     2.498     0.4003    0.9159     6.813
    (Pr(>|z|) 0.0737)
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import main
from model.commands.text_output import r_number, r_p_value

AML = Path(__file__).resolve().parents[2] / "data" / "survival" / "aml.csv"


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (2.49810532617214, "2.498"),  # print(2.49810532617214, digits = 4)
        (0.9159072574364079, "0.9159"),
        (31.0, "31"),
        (-35.483870967741936, "-35.48"),
        (12345.6, "12346"),  # R keeps every digit of the integer part
        (0.0001234, "0.0001234"),
        (0.00001234, "1.234e-05"),
        (0.0, "0"),
        (None, "NA"),
        (math.nan, "NA"),
        (math.inf, "Inf"),
    ],
)
def test_estimates_print_with_four_significant_digits_as_r(value, printed):
    assert r_number(value) == printed


@pytest.mark.parametrize(
    ("p", "printed"),
    [(0.07371486063904585, "0.0737"), (0.0014912292048807766, "0.00149"), (1e-20, "< 2e-16")],
)
def test_p_values_print_as_r_summary_tables(p, printed):
    assert r_p_value(p) == printed


def test_survival_text_names_each_method_and_rounds_as_r(capsys):
    args = ["survival", str(AML), "--time", "time", "--event", "event", "--group", "x"]
    assert main.main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Kaplan-Meier median per group, log-log 95 % CI")
    assert lines[2].split() == ["Maintained", "11", "7", "31", "13", "to", "NA"]
    assert lines[3].split() == ["Nonmaintained", "12", "11", "23", "5", "to", "33"]
    assert lines[4].startswith("Log-rank test: chi-square 3.396 on 1 df, p = 0.0653")
    assert lines[5] == (
        "Cox hazard ratio, Nonmaintained vs Maintained (Wald CI, Efron ties): "
        "2.498 (95 % CI 0.9159 to 6.813), Wald p = 0.0737"
    )
