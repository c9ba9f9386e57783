"""The same survival statistics in R's survival package, for the Nadir / R ratio.

R reads endpoints.csv (written by the survival probe), then times, inside R,
what the survival probe times in Nadir: for PFS and OS, survfit per arm with
R's log-log band and its median table, survdiff, and coxph of the two arms
(Efron ties) with its summary. R's start-up and loading the package are not
inside that figure; the whole Rscript run is reported beside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from benchmarks.child import ChildRun, run_child

#: The R program: arguments are the endpoints CSV and the number of repetitions.
R_PROGRAM = """
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(survival))
d <- read.csv(args[1])
fit_both <- function() {
  for (endpoint in c("pfs", "os")) {
    s <- Surv(d[[paste0(endpoint, "_days")]], d[[paste0(endpoint, "_event")]])
    summary(survfit(s ~ d$arm, conf.type = "log-log"))$table
    survdiff(s ~ d$arm)
    summary(coxph(s ~ d$arm, ties = "efron"))
  }
}
for (i in seq_len(as.integer(args[2]))) {
  t <- system.time(fit_both())
  cat(sprintf("%.6f %.6f\\n", t[["elapsed"]], t[["user.self"]] + t[["sys.self"]]))
}
"""

#: Debian packages that bring Rscript and the survival package.
R_PACKAGES = ("r-base-core", "r-cran-survival")


def ensure_r() -> str | None:
    """Return the path of Rscript, installing R with apt-get first when it is missing.

    Installs only as root on a machine with apt-get; returns None (and says
    why) when R is still absent, so that the R row is skipped.
    """
    if found := shutil.which("Rscript"):
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Rscript not found: installing", " ".join(R_PACKAGES), "with apt-get")
        quiet = {"stdout": subprocess.DEVNULL, "check": False}
        subprocess.run(["apt-get", "update"], **quiet)
        subprocess.run(["apt-get", "install", "-y", *R_PACKAGES], **quiet)
    if found := shutil.which("Rscript"):
        return found
    print("Rscript not found and not installable here: the R comparison is skipped")
    return None


def time_r(rscript: str, endpoints_csv: Path, repeat: int) -> tuple[dict, ChildRun]:
    """Return R's wall and CPU seconds for the survival statistics, each repetition
    ({"wall": [...], "cpu": [...]}), and the whole run."""
    program = endpoints_csv.with_name("survival_bench.R")
    program.write_text(R_PROGRAM)
    run = run_child([rscript, "--vanilla", str(program), str(endpoints_csv), str(repeat)])
    pairs = [line.split() for line in run.stdout.splitlines() if line.strip()]
    return {"wall": [float(w) for w, _ in pairs], "cpu": [float(c) for _, c in pairs]}, run
