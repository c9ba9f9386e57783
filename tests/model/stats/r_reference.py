"""R's reference values for the analysis contract's `cox` and `forest` sections.

tests/data/analysis/cox_reference.R (R 4.2.2, survival 3.5-3) writes them to
cox_reference.csv as (case, quantity, term, value); `reference(case)` gives one case's
values as {(quantity, term): float}.

Tolerance: both fits stop when the log partial likelihood changes by less than 1e-9
relatively and take the same Newton-Raphson steps, so coefficients agree to about 1e-12;
REL = 1e-6 (the brief's tolerance) still fails a wrong tie correction (Breslow moves the
lung coefficients by about 1e-3) or a wrong variance. The contract's Wald interval uses
1.959964 where R's uses qnorm(0.975) = 1.95996398454: a relative 1e-9 apart.
"""

import csv
import functools
import json
from pathlib import Path

import main

DATA = Path(__file__).parents[2] / "data" / "analysis"
REL = 1e-6


@functools.cache
def _all() -> dict:
    values: dict = {}
    with open(DATA / "cox_reference.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            values.setdefault(row["case"], {})[(row["quantity"], row["term"])] = float(row["value"])
    return values


def reference(case: str) -> dict:
    """{(quantity, term): value} of one case of the R script."""
    return _all()[case]


def run_json(capsys, command: str, table: str, *options: str) -> dict:
    """Run `python main.py command DATA/table options --json` in-process; its document."""
    status = main.main([command, str(DATA / table), *options, "--json"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, ""), err
    return json.loads(out)


def data_rows(table: str) -> int:
    """Number of data rows of a CSV file in DATA."""
    with open(DATA / table, newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1
