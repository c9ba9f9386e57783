"""R for the survival floor (benchmarks/floors/floor_survival.R): find Rscript, or install it.

The survival row of benchmarks/run.py compares `main.py survival` with the same summary
in R's survival package, each run end to end (issue 19).
"""

from __future__ import annotations

import os
import shutil
import subprocess

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
