"""The studies timed: the demo study at each size, as interchange CSVs and as a study file."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

from model.analysis import StudyAnalysis, analyse
from model.demo import demo_study
from model.interchange import read_study, write_study
from model.store import Store


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
    if not study.db.exists():
        with Store.open(study.db) as store:
            store.import_study_data(read_study(study.csv_dir))


def load_analysis(folder: Path) -> StudyAnalysis:
    """Return the study in `folder` analysed, from a pickle kept beside it after the first time.

    The plot probes start from an analysis; computing it afresh in every
    process would make the 20,000-patient run several minutes longer.
    """
    cached = folder / "analysis.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    with Store.open(folder / "study.nadir", create=False) as store:
        analysis = analyse(store.study_data(), store.settings(), store.overrides())
    cached.write_bytes(pickle.dumps(analysis))
    return analysis
