"""One implementation of the rules a patient's measurement rows obey together, shared by the
interchange reader and the store's import plan (issue 13, item 5).

Source: interchange spec, measurements.csv: `status` by role; role "constant for a
lesion"; "Two rows with the same patient, scan, lesion_id and reader are fragments of
one target lesion ... Any other repeated row is an error". No rule fixes `site`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.errors import InputError
from model.interchange.check import check_study
from model.rules.measurements import check_measurements, measurement_problems
from model.store.study import Store

BASELINE, LATER = date(2024, 1, 5), date(2024, 3, 1)


def row(lesion="T1", when=BASELINE, role=Role.TARGET, status=Status.MEASURED, mm=10.0, **kw):
    return MeasurementRecord("P1", when, lesion, role, status, diameter_mm=mm, **kw)


#: (name, rows, whether the rules accept them)
CASES = [
    ("fragments of a measured target", [row(mm=6.0), row(mm=4.0)], True),
    (
        "a repeated non-target",
        [row("NT1", role=Role.NON_TARGET, status=Status.PRESENT, mm=None)] * 2,
        False,
    ),  # fmt: skip
    ("fragments not all measured", [row(), row(status=Status.TOO_SMALL, mm=None)], False),
    ("two readers at one scan", [row(reader="A"), row(reader="B")], True),
    (
        "a lesion changing role",
        [row(), row(when=LATER, role=Role.NON_TARGET, status=Status.PRESENT, mm=None)],
        False,
    ),  # fmt: skip
    ("a lesion changing lymph_node", [row(), row(when=LATER, lymph_node=True)], False),
    ("a lesion changing site", [row(site="liver"), row(when=LATER, site="lung")], True),
    ("a status its role does not take", [row(status=Status.PRESENT, mm=None)], False),
]


def _store_accepts(rows: list[MeasurementRecord]) -> bool:
    data = StudyData(patients=(PatientRecord("P1", date(2024, 1, 1)),), measurements=tuple(rows))
    try:
        Store.in_memory().import_study_data(data)
    except InputError:
        return False
    return True


@pytest.mark.parametrize(("rows", "accepted"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_reader_the_store_and_the_rules_agree(rows, accepted):
    """Interchange spec, measurements.csv: the same rows are accepted, or refused, everywhere."""
    data = StudyData(measurements=tuple(rows))
    assert (not measurement_problems(rows)) is accepted
    assert (not check_study(data, patients_given=False)) is accepted
    assert _store_accepts(rows) is accepted


def test_one_patients_rows_are_checked_alone():
    """The rules never look across patients: an edit can check its one patient's rows."""
    other = replace(row("NT1", role=Role.NON_TARGET, status=Status.PRESENT, mm=None),
                    patient_id="P2")  # fmt: skip
    assert measurement_problems([row(), other]) == []
    with pytest.raises(InputError, match="repeated row"):
        check_measurements([row(status=Status.ABSENT, mm=None), row(status=Status.ABSENT, mm=None)])


def test_problems_name_the_row_by_its_source():
    rows = [row(source=("m.csv", 2)), row(when=LATER, lymph_node=True, source=("m.csv", 9))]
    (problem,) = measurement_problems(rows)
    assert (problem.file, problem.line, problem.column) == ("m.csv", 9, "lymph_node")


def test_the_store_refuses_readers_labels_it_cannot_keep_apart_and_says_why():
    """A study file keeps one lesion per lesion_id; two readers' different lesions under one
    label are valid interchange (model/rules/measurements.py) but cannot be stored."""
    rows = [row(reader="A"), row(reader="B", role=Role.NON_TARGET, status=Status.PRESENT, mm=None)]
    assert measurement_problems(rows) == []
    data = StudyData(patients=(PatientRecord("P1", date(2024, 1, 1)),), measurements=tuple(rows))
    with pytest.raises(InputError, match="different labels"):
        Store.in_memory().import_study_data(data)
