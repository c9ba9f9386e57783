"""The studies timed: the demo study at each size, as interchange CSVs and as a study file.

    python -m benchmarks.studies N ROOT [--import]

writes the demo study of N patients under ROOT (and imports it into its study
file with --import) in a process of its own, and prints its shape as JSON.
The model is imported only there: the benchmark's parent process must stay
small, because a child's peak RSS starts from its parent's (Linux keeps the
high-water mark of the memory a vfork-ed child replaces at exec).
"""

from __future__ import annotations

import json
import pickle
import sys
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class BenchStudy:
    """A demo study of `n` patients written once, and its shape per patient."""

    n: int
    folder: Path
    scans_per_patient: float
    lesions_per_patient: float
    measurement_rows: int

    @property
    def csv_dir(self) -> Path:
        """Return the folder of interchange CSV files (what `import` reads)."""
        return self.folder / "csv"

    @property
    def db(self) -> Path:
        """Return the study file the analyses, the report and the GUI read."""
        return self.folder / "study.nadir"


def prepare(n: int, root: Path) -> BenchStudy:
    """Return the demo study of `n` patients written as interchange CSVs.

    The study file is the first timed import's (or `import_directly`'s).
    """
    from model.demo.cohort import demo_study
    from model.interchange.study_files import write_study

    folder = root / f"n{n}"
    folder.mkdir(parents=True, exist_ok=True)
    data = demo_study(n_patients=n)
    write_study(data, folder / "csv")
    rows = data.measurements
    return BenchStudy(
        n=n,
        folder=folder,
        scans_per_patient=len({(m.patient_id, m.scan_date) for m in rows}) / n,
        lesions_per_patient=len({(m.patient_id, m.lesion_id) for m in rows}) / n,
        measurement_rows=len(rows),
    )


def import_directly(study: BenchStudy) -> None:
    """Import the study's CSVs into its study file in this process, when it has none yet."""
    from model.interchange.study_files import read_study
    from model.store.study import Store

    if not study.db.exists():
        with Store.open(study.db) as store:
            store.import_study_data(read_study(study.csv_dir))


def load_analysis(folder: Path):
    """Return the study in `folder` analysed (a StudyAnalysis), from a pickle kept beside it
    after the first time.

    The plot probes start from an analysis; computing it afresh in every
    process would make the 20,000-patient run several minutes longer.
    """
    from model.analysis import analyse
    from model.store.study import Store

    cached = folder / "analysis.pickle"
    # Streamed both ways, so that no copy in bytes adds to the probe's peak memory.
    if cached.exists():
        with cached.open("rb") as stream:
            return pickle.load(stream)
    with Store.open(folder / "study.nadir", create=False) as store:
        analysis = analyse(store.study_data(), store.settings(), store.overrides())
    with cached.open("wb") as stream:
        pickle.dump(analysis, stream)
    return analysis


def main(argv: list[str]) -> int:
    """Write (and with --import, import) the study of argv's size; prints its shape as JSON."""
    study = prepare(int(argv[0]), Path(argv[1]))
    if "--import" in argv:
        import_directly(study)
    print(json.dumps(asdict(study) | {"folder": str(study.folder)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
