"""Small studies and a state dump for the store tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from model.domain import (
    EventRecord,
    MeasurementRecord,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    StudyData,
)
from model.editing.edits import PatientSnapshot
from model.settings import StudySettings
from model.store.study import Store

#: The project's root, where a child process finds the `model` package.
ROOT = Path(__file__).resolve().parents[3]

BASELINE, FOLLOW_UP, LATER = date(2024, 1, 10), date(2024, 3, 1), date(2024, 4, 20)


def measurement(
    patient_id: str,
    scan_date: date,
    lesion_id: str,
    status: Status,
    diameter_mm: float | None = None,
    **fields: object,
) -> MeasurementRecord:
    """Returns a measurement row; the role follows the lesion_id's prefix (T, NT, N)."""
    role = (
        Role.NON_TARGET
        if lesion_id.startswith("NT")
        else Role.NEW
        if lesion_id.startswith("N")
        else Role.TARGET
    )
    return MeasurementRecord(
        patient_id, scan_date, lesion_id, role, status, diameter_mm=diameter_mm, **fields
    )


def small_study() -> StudyData:
    """Returns two patients: P1 with fragments, a new lesion, extra fields; P2 with scans only."""
    m = Status.MEASURED
    return StudyData(
        patients=(
            PatientRecord(
                "P1",
                date(2024, 1, 3),
                "Immunotherapy",
                date(2024, 6, 1),
                None,
                "F",
                61.0,
                "leiomyosarcoma",
                "IV",
                {"x_site": "Berlin"},
            ),
            PatientRecord("P2", date(2024, 2, 1), "Immunotherapy + dTACE", sex="M"),
        ),
        measurements=(
            measurement("P1", BASELINE, "T1", m, 32.0, site="liver", viable_mm=30.0),
            measurement("P1", BASELINE, "T2", m, 18.0, site="mediastinal node", lymph_node=True),
            measurement("P1", BASELINE, "NT1", Status.PRESENT, site="bone", irradiated=True),
            measurement("P1", FOLLOW_UP, "T1", m, 14.0, site="liver", extra={"x_note": "split"}),
            measurement("P1", FOLLOW_UP, "T1", m, 9.0, site="liver"),
            measurement("P1", FOLLOW_UP, "T2", m, 12.0, site="mediastinal node", lymph_node=True),
            measurement("P1", FOLLOW_UP, "N1", Status.EQUIVOCAL, site="lung"),
        ),
        scans=(
            ScanRecord("P1", BASELINE, "CT", {"x_kv": "120"}),
            ScanRecord("P2", date(2024, 2, 5), "MRI"),
            ScanRecord("P2", date(2024, 3, 20)),
        ),
        events=(
            EventRecord("P1", "treatment", date(2024, 1, 3), date(2024, 5, 1), "pembrolizumab"),
            EventRecord("P1", "surgery", date(2024, 5, 20), None, "R0", {"x_by": "KL"}),
            EventRecord("P2", "procedure", date(2024, 2, 1), None, "dTACE"),
        ),
    )


def study_store(data: StudyData | None = None) -> Store:
    """Returns an in-memory study holding `data` (default: small_study())."""
    store = Store.in_memory()
    store.import_study_data(small_study() if data is None else data)
    return store


def state(store: Store) -> tuple[StudySettings, tuple[PatientSnapshot, ...]]:
    """Returns everything an edit can change: settings and every patient's rows with UUIDs."""
    return store.settings(), tuple(store.snapshot(pid) for pid in store.patient_ids())


#: A process that opens the study at argv[1] for writing, says "held", and keeps it open
#: until its standard input closes (or, with a second argument, ends without closing it).
_HOLDER = """
import sys
from model.store.study import Store
store = Store.open(sys.argv[1], user="dr_b")
print("held", flush=True)
sys.stdin.read()
if len(sys.argv) < 3:
    store.close()
"""


@contextmanager
def held_elsewhere(path: Path) -> Iterator[subprocess.Popen]:
    """Has another Nadir process hold the study at `path` open for writing meanwhile."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "held"
        yield process
    finally:
        process.stdin.close()
        process.wait()


def killed_holder(path: Path) -> None:
    """Leaves the study at `path` as a Nadir process killed while it had it open leaves it."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), "no-close"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "held"
    process.kill()
    process.wait()
