"""Two readers side by side (issue #7, part 2): per time point and per patient, the
disagreements flagged, and the study's agreement on best overall response."""

from __future__ import annotations

import pytest

from model.domain import AssessmentSettings
from model.double_reading.comparison import compare_readers
from model.errors import InputError
from tests.model.double_reading.builders import BASELINE, FOLLOW_UP, double_read, target

#: A hand-made study of 14 patients: (A's BOR, B's BOR) by RECIST 1.1.
#: Table A x B over CR, PR, SD, PD: [[2,1,0,0],[0,3,1,0],[0,1,2,0],[0,0,1,3]]:
#: p_o = 10/14; p_e = (3*2 + 4*5 + 3*4 + 4*3) / 196 = 50/196; kappa = (140-50)/(196-50)
#: = 90/146 = 0.616438...; SE 0.161700687758 (FCE 1969, computed by hand in R as in
#: tests/model/stats/test_agreement.py).
HAND_MADE = {
    "P01": ("CR", "CR"),
    "P02": ("CR", "CR"),
    "P03": ("CR", "PR"),
    "P04": ("PR", "PR"),
    "P05": ("PR", "PR"),
    "P06": ("PR", "PR"),
    "P07": ("PR", "SD"),
    "P08": ("SD", "PR"),
    "P09": ("SD", "SD"),
    "P10": ("SD", "SD"),
    "P11": ("PD", "SD"),
    "P12": ("PD", "PD"),
    "P13": ("PD", "PD"),
    "P14": ("PD", "PD"),
}


def test_agreement_on_best_response_of_a_hand_made_study():
    """Cohen (1960) kappa by hand (see HAND_MADE) on the readers' RECIST 1.1 BOR."""
    found = compare_readers(double_read(HAND_MADE), AssessmentSettings())
    agreement = found.agreement
    assert agreement.n == 14
    assert agreement.percent_agreement == pytest.approx(100 * 10 / 14)
    assert agreement.kappa == pytest.approx(90 / 146)
    assert agreement.se == pytest.approx(0.161700687758, abs=1e-9)


def test_disagreements_are_flagged_per_time_point_best_response_and_progression():
    """Issue #7: different overall response, BOR and date of progression are each listed."""
    found = compare_readers(
        double_read({"P1": ("PD", "SD"), "P2": ("PR", "PR")}), AssessmentSettings()
    )
    p1, p2 = found.patients
    assert p1.best == ("PD", "SD")
    assert p1.progression == (FOLLOW_UP, None)
    assert p1.timepoints[1].sums == (70.0, 45.0)
    assert p1.disagreements == (
        f"overall response on {FOLLOW_UP}: A PD, B SD",
        "best overall response: A PD, B SD",
        f"date of progression: A {FOLLOW_UP}, B none",
    )
    assert p2.disagreements == ()


def test_different_target_selection_at_baseline_is_flagged():
    """Issue #7: the readers chose different target lesions at baseline."""
    data = double_read({"P1": ("PR", "PR")})
    extra = (target("P1", "B", BASELINE, 20.0, "T2"), target("P1", "B", FOLLOW_UP, 12.0, "T2"))
    data = type(data)(data.patients, (*data.measurements, *extra))
    (p1,) = compare_readers(data, AssessmentSettings()).patients
    assert p1.targets == (("T1",), ("T1", "T2"))
    assert p1.disagreements == ("target lesions at baseline: A T1, B T1, T2",)


def test_a_patient_read_once_is_listed_but_left_out_of_agreement():
    """Issue #7: agreement is over patients read by both readers."""
    data = double_read({"P1": ("PR", "PR"), "P2": ("SD", "PD")})
    only_a = tuple(m for m in data.measurements if m.patient_id == "P1" or m.reader == "A")
    found = compare_readers(type(data)(data.patients, only_a), AssessmentSettings())
    assert [p.read_by_both for p in found.patients] == [True, False]
    assert found.patients[1].disagreements == ("not read by B yet",)
    assert found.agreement.n == 1


def test_comparing_needs_two_readers():
    """Issue #7: a comparison is of two reads."""
    data = double_read({"P1": ("PR", "PR")})
    with pytest.raises(InputError):
        compare_readers(data, AssessmentSettings(), readers=("A", "A"))
