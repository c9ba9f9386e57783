"""Nadir's Efron Cox fit against lifelines' CoxPHFitter: `python -m benchmarks.cox_fit`.

Times one fit of the same simulated data (three covariates: a 0/1 arm, a normal age,
a three-valued score; 70 % events) at 2,000, 20,000 and 200,000 rows, with times in
whole months (few distinct times, heavily tied) and in days (thousands of distinct
times: lifelines' Efron loop walks them in Python), and prints the best wall time of
each over `--repeat` runs and how far apart the two fits' coefficients are. lifelines
is told R's stop (the relative change of the log-likelihood below 1e-9), as
model/cox.py does.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from model.stats.cox_fit import fit_cox


def simulated(n: int, seed: int = 1, unit: float = 30) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(times, events, covariates) of `n` patients; times rounded up to `unit` days."""
    rng = np.random.default_rng(seed)
    x = np.column_stack([rng.integers(0, 2, n), rng.normal(60, 10, n), rng.integers(0, 3, n)])
    x = x.astype(float)
    months = np.ceil(rng.exponential(300 * np.exp(-0.3 * x[:, 0] + 0.01 * (x[:, 1] - 60))) / unit)
    return months, (rng.random(n) < 0.7).astype(float), x


def best_of(repeat: int, fit) -> tuple[float, object]:
    """The best wall time of `repeat` calls of `fit`, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fit()
        times.append(time.perf_counter() - start)
    return min(times), result


def lifelines_fit(t: np.ndarray, e: np.ndarray, x: np.ndarray) -> np.ndarray:
    """lifelines' Efron fit of the same model; its coefficients."""
    import pandas as pd
    from lifelines import CoxPHFitter

    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(x.shape[1])])
    frame["T"], frame["E"] = t, e
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter = CoxPHFitter().fit(
            frame, "T", "E", fit_options={"precision": 0.0, "r_precision": 1e-9, "step_size": 1.0}
        )
    return fitter.params_.to_numpy()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        "| rows | times in | Nadir fit_cox | lifelines CoxPHFitter | ratio | max rel. coef diff |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for n, unit in [(n, unit) for n in args.sizes for unit in (30, 1)]:
        t, e, x = simulated(n, unit=unit)
        fit_cox(t, e, x)  # warm-up: imports and first-call costs
        ours, fit = best_of(args.repeat, lambda t=t, e=e, x=x: fit_cox(t, e, x))
        lifelines_fit(t[:100], e[:100], x[:100])
        theirs, coef = best_of(args.repeat, lambda t=t, e=e, x=x: lifelines_fit(t, e, x))
        difference = float(np.max(np.abs(coef / fit.coef - 1)))
        name = "months" if unit == 30 else "days"
        ratio = theirs / ours
        print(
            f"| {n:,} | {name} | {ours:.4f} s | {theirs:.4f} s | {ratio:.1f}x | {difference:.1e} |"
        )


if __name__ == "__main__":
    main()
