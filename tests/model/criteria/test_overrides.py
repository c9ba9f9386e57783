"""A reader's override of a time-point response is what counts (shared/design.md, "Layers":
what a reader decides against the rules is stored as data) — for the time point, the best
overall response, and so for ORR and PFS."""

from model.criteria.assessment import assess_study
from model.domain import AssessmentSettings, Criteria, StudyData
from model.editing.edits import Override
from tests.model.engine_builders import day, row

#: Target 50 mm at baseline, then 32 (PR, -36 %), then 36 (SD: -28 % from baseline).
ROWS = (row(0, "T1", 50), row(42, "T1", 32), row(84, "T1", 36))


def _override(n: int, response: str, reader: str = "", time: str = "2024-06-01T10:00:00Z"):
    return Override("u-" + time, "P1", day(n), reader, response, "pseudoprogression", time)


def _assess(overrides=(), reader=None, criteria=Criteria.RECIST11, confirm=False):
    settings = AssessmentSettings(criteria=criteria, confirm=confirm)
    (a,) = assess_study(StudyData(measurements=ROWS), settings, reader=reader, overrides=overrides)
    return a


def test_override_replaces_the_overall_response_and_keeps_the_rules_in_the_reason():
    """The decided answer is shown with the reader's reason and what the rules said."""
    point = _assess([_override(84, "PD")]).timepoints[2]
    assert point.overall == "PD"
    assert point.target == "SD"  # the component verdicts stay those of the rules
    assert "override" in point.reason and "pseudoprogression" in point.reason
    assert "the rules said SD" in point.reason


def test_best_overall_response_is_taken_over_the_decided_answers():
    """RECIST 1.1 section 4.4: best response over time points, here as the reader decided."""
    assert _assess().best_overall_response == "PR"
    assert _assess([_override(42, "SD")]).best_overall_response == "SD"


def test_override_to_pd_ends_the_best_response_window():
    """Interchange spec: best response counts time points up to and including the first PD."""
    assessment = _assess([_override(42, "PD")])
    assert assessment.best_overall_response == "PD"


def test_confirmation_applies_to_the_decided_answers():
    """RECIST 1.1 Table 3: a PR confirmed by a later decided PR counts as PR."""
    assert _assess(confirm=True).best_overall_response == "SD"
    assert _assess([_override(84, "PR")], confirm=True).best_overall_response == "PR"


def test_the_latest_override_at_a_scan_wins():
    """An override edited later replaces the earlier decision."""
    first = _override(42, "SD", time="2024-06-01T10:00:00Z")
    later = _override(42, "CR", time="2024-06-02T10:00:00Z")
    assert _assess([later, first]).timepoints[1].overall == "CR"


def test_with_a_reader_only_that_readers_overrides_count():
    """Readers (interchange spec): with --reader only that reader's decisions count."""
    rows = tuple(r.__class__(**{**r.__dict__, "reader": "Ann"}) for r in ROWS)
    settings = AssessmentSettings()
    overrides = [_override(42, "SD", reader="Bob")]
    (a,) = assess_study(StudyData(measurements=rows), settings, reader="Ann", overrides=overrides)
    assert a.timepoints[1].overall == "PR"


def test_irecist_best_response_is_taken_over_the_decided_answers():
    """iRECIST (Seymour 2017): an iUPD decided by the reader, then confirmed, ranks as iCPD."""
    assessment = _assess([_override(42, "iUPD"), _override(84, "iCPD")], criteria=Criteria.IRECIST)
    assert [p.overall for p in assessment.timepoints[1:]] == ["iUPD", "iCPD"]
    assert assessment.best_overall_response == "iCPD"
