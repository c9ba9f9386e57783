"""The least any program could do to assess a study: `python floor_assess.py MEASUREMENTS`.

Reads measurements.csv with pandas and, with vectorised sums per time point, prints
each time point's sum of target diameters and its change from baseline and from the
nadir before it, as JSON: the numbers behind every RECIST answer, without the rules,
the checks or the reasons. The assess row of benchmarks/run.py is measured against
this, in the same run (issue 19).
"""

import sys

import pandas as pd


def main(path: str) -> None:
    """Print every (patient, scan)'s target sum and changes from baseline and nadir."""
    rows = pd.read_csv(path, usecols=["patient_id", "scan_date", "role", "diameter_mm"])
    size = rows["diameter_mm"].where(rows["role"] == "target", 0.0).fillna(0.0)
    sums = size.groupby([rows["patient_id"], rows["scan_date"]]).sum().rename("sum_mm")
    sums = sums.reset_index()
    by_patient = sums.groupby("patient_id")["sum_mm"]
    sums["from_baseline_pct"] = 100 * (sums["sum_mm"] / by_patient.transform("first") - 1)
    nadir = by_patient.cummin().groupby(sums["patient_id"]).shift()
    sums["from_nadir_pct"] = 100 * (sums["sum_mm"] / nadir - 1)
    sums.to_json(sys.stdout, orient="records")
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
