"""Locally treated lesions (interchange spec, "Locally treated lesions"; RECIST 1.1,
section 3.1.3: previously irradiated lesions are not measurable unless they progress)."""

from tests.model.engine_builders import assess, row


def test_irradiated_lesion_is_left_out_at_every_time_point():
    """Interchange spec: a lesion with irradiated = yes in any row is left out everywhere."""
    rows = (row(0, "T1", 30), row(0, "T2", 20), row(60, "T1", 30), row(60, "T2", 40))
    rows += (row(90, "T1", 30), row(90, "T2", 40, irradiated=True))
    kept = assess(*rows, exclude_irradiated=True)
    assert [t.sum_mm for t in kept.timepoints] == [30.0, 30.0, 30.0]
    assert [t.overall for t in kept.timepoints[1:]] == ["SD", "SD"]
    assert all("T2 left out: locally treated" in t.reason for t in kept.timepoints)
    assert [t.overall for t in assess(*rows).timepoints[1:]] == ["PD", "PD"]


def test_left_with_non_targets_only_is_non_target_only_disease():
    """Interchange spec: a patient left with non-targets only is judged as such (Table 2)."""
    rows = (row(0, "T1", 30, irradiated=True), row(0, "NT1"), row(60, "T1", 60), row(60, "NT1"))
    point = assess(*rows, exclude_irradiated=True).timepoints[1]
    assert (point.target, point.non_target, point.overall) == (
        None,
        "NON-CR/NON-PD",
        "NON-CR/NON-PD",
    )


def test_left_with_no_lesion_is_ne_or_pd_on_a_new_lesion():
    """Interchange spec: a patient left with no lesion gets NE at every post-baseline time
    point, PD where a new lesion appears."""
    rows = (row(0, "T1", 30, irradiated=True), row(60, "T1", 20), row(90, "N1"))
    result = assess(*rows, exclude_irradiated=True)
    assert [t.overall for t in result.timepoints] == [None, "NE", "PD"]
    assert result.best_overall_response == "PD"
