"""A time point's reason is written when first read (issue 19: a cohort table never reads
it, the JSON, the patient page and the PDF do), and reads as the same text as before."""

import dataclasses
import pickle
from datetime import date

import pytest

from model.criteria.assessment import assess_study
from model.demo.cohort import demo_study
from model.domain import AssessmentSettings, Criteria, TimepointResponse


def point(reason) -> TimepointResponse:
    return TimepointResponse(date(2024, 3, 1), "PR", None, False, "PR", 40.0, -30.0, -30.0, reason)


def test_a_reason_given_as_a_function_reads_as_its_text_written_once():
    calls = []

    def write() -> str:
        calls.append(1)
        return "PR: sum 40 mm is -30.0 % from the baseline of 57 mm"

    deferred = point(write)
    assert deferred.reason == point(write()).reason
    assert deferred.reason is deferred.reason and len(calls) == 2  # once here, once above
    assert deferred == point("PR: sum 40 mm is -30.0 % from the baseline of 57 mm")
    assert hash(deferred) == hash(point(deferred.reason))
    assert "reason='PR: sum 40 mm" in repr(deferred)


def test_a_deferred_reason_pickles_copies_and_stays_frozen():
    deferred = point(lambda: "SD: sum 50 mm")
    assert pickle.loads(pickle.dumps(deferred)).reason == "SD: sum 50 mm"
    assert dataclasses.replace(deferred, overall="NE").reason == "SD: sum 50 mm"
    with pytest.raises(dataclasses.FrozenInstanceError):
        deferred.reason = "PD"
    assert TimepointResponse(date(2024, 1, 1), *[None] * 7).reason == ""


@pytest.mark.parametrize("criteria", list(Criteria))
def test_assessing_a_study_writes_no_reason_until_one_is_read(criteria):
    """The engine hands the words in deferred; reading gives the rules' full reason. (iRECIST
    writes the words of an iUPD, iCPD or NE step at once: they are few and short.)"""
    settings = AssessmentSettings(criteria=criteria)
    assessments = assess_study(demo_study(n_patients=10), settings)
    later = [t for a in assessments for t in a.timepoints[1:]]
    if criteria is Criteria.IRECIST:
        later = [t for t in later if t.overall not in ("iUPD", "iCPD", "NE")]
    assert later and not any(isinstance(t.__dict__["reason"], str) for t in later)
    assert all(t.reason.startswith(f"{t.overall}:") for t in later)
    assert all(isinstance(t.__dict__["reason"], str) for t in later)
