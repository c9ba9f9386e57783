"""The example study in tests/data/interchange/example reads as written.

Source: interchange spec, the four files and their columns; the example uses
every column, fragments (P02 T1 at baseline), a node target, an equivocal new
lesion confirmed later, a baseline-only patient (P03, NED) and an x_ column.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from model.domain import Role, Status
from model.interchange.study_files import read_study, write_study

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "interchange" / "example"


def test_example_study_reads_every_table():
    """Interchange spec: patients, measurements, scans and events in one folder."""
    study = read_study(EXAMPLE)
    assert [len(study.patients), len(study.measurements), len(study.scans), len(study.events)] == [
        3,
        12,
        3,
        4,
    ]
    assert study.patients[0].extra == {"x_site": "Lyon"} and study.patients[2].extra == {}
    assert study.patients[1].death_date == date(2024, 8, 14)


def test_example_fragments_node_and_new_lesion_are_read_as_written():
    """Interchange spec, measurements.csv: fragments, lymph_node, statuses by role."""
    study = read_study(EXAMPLE)
    fragments = [m.diameter_mm for m in study.measurements if m.patient_id == "P02"][:2]
    node = study.measurements[1]
    new = [m for m in study.measurements if m.role is Role.NEW]
    assert fragments == [25.0, 12.0]
    assert (node.lesion_id, node.lymph_node, node.diameter_mm) == ("T2", True, 18.0)
    assert [m.status for m in new] == [Status.EQUIVOCAL, Status.PRESENT]


def test_example_study_round_trips(tmp_path):
    """Interchange spec: export then import gives the same study."""
    study = read_study(EXAMPLE)
    write_study(study, tmp_path)
    assert read_study(tmp_path) == study
