"""RECIST 1.1 time-point rules (Eisenhauer et al., Eur J Cancer 2009; 45: 228-247)
as the interchange spec fixes them ("How a time point is judged")."""

import pytest

from tests.model.engine_builders import assess, overall, row

BASELINE = (row(0, "T1", 30), row(0, "T2", 20), row(0, "NT1"))

#: Target situations against the 50 mm baseline of BASELINE (RECIST 1.1, section 4.3.1).
TARGETS = {
    "CR": (row(60, "T1", "absent"), row(60, "T2", "absent")),
    "PR": (row(60, "T1", 15), row(60, "T2", 10)),
    "SD": (row(60, "T1", 28), row(60, "T2", 20)),
    "PD": (row(60, "T1", 40), row(60, "T2", 30)),
    "NE": (row(60, "T1", 28), row(60, "T2", "not-evaluated")),
}
#: Non-target situations at day 60 (RECIST 1.1, section 4.3.2).
NON_TARGETS = {
    "CR": (row(60, "NT1", "absent"),),
    "NON-CR/NON-PD": (row(60, "NT1", "present"),),
    "NE": (row(60, "NT1", "not-evaluated"),),
    "PD": (row(60, "NT1", "progression"),),
}
NEW = (row(60, "N1"),)


@pytest.mark.parametrize(
    ("target", "non_target", "new", "expected"),
    [
        ("CR", "CR", False, "CR"),
        ("CR", "NON-CR/NON-PD", False, "PR"),
        ("CR", "NE", False, "PR"),
        ("PR", "NON-CR/NON-PD", False, "PR"),
        ("PR", "NE", False, "PR"),
        ("SD", "NON-CR/NON-PD", False, "SD"),
        ("SD", "NE", False, "SD"),
        ("NE", "NON-CR/NON-PD", False, "NE"),
        ("PD", "NON-CR/NON-PD", False, "PD"),
        ("PD", "NE", True, "PD"),
        ("CR", "PD", False, "PD"),
        ("SD", "PD", True, "PD"),
        ("CR", "CR", True, "PD"),
        ("PR", "NE", True, "PD"),
    ],
)
def test_overall_response_table_1_targets_with_non_targets(target, non_target, new, expected):
    """RECIST 1.1, Table 1: time-point response for patients with target (+/- non-target)
    disease, each row through real measurements."""
    rows = BASELINE + TARGETS[target] + NON_TARGETS[non_target] + (NEW if new else ())
    point = assess(*rows).timepoints[1]
    assert (point.target, point.non_target, point.new_lesions) == (target, non_target, new)
    assert point.overall == expected


def test_overall_response_table_1_targets_without_non_targets_is_the_target_response():
    """RECIST 1.1, Table 1 (non-target "CR" or none): targets alone decide; the non_target
    field is null for a patient without non-targets (interchange spec)."""
    for code, rows in TARGETS.items():
        point = assess(row(0, "T1", 30), row(0, "T2", 20), *rows).timepoints[1]
        assert (point.non_target, point.overall) == (None, code)


@pytest.mark.parametrize(
    ("non_target", "new", "expected"),
    [
        ("CR", False, "CR"),
        ("NON-CR/NON-PD", False, "NON-CR/NON-PD"),
        ("NE", False, "NE"),
        ("PD", False, "PD"),
        ("PD", True, "PD"),
        ("CR", True, "PD"),
        ("NON-CR/NON-PD", True, "PD"),
    ],
)
def test_overall_response_table_2_non_target_only(non_target, new, expected):
    """RECIST 1.1, Table 2: time-point response for patients with non-target disease only."""
    rows = (row(0, "NT1"),) + NON_TARGETS[non_target] + (NEW if new else ())
    point = assess(*rows).timepoints[1]
    assert (point.target, point.non_target, point.sum_mm) == (None, non_target, None)
    assert point.overall == expected


def test_no_lesion_at_baseline_is_ned_or_pd_on_a_new_lesion():
    """RECIST 1.1, Table 2 footnote; interchange spec, scans.csv: a baseline scan without
    rows found no disease (NED), and a new lesion later is PD."""
    result = assess(row(90, "N1"), scans=(0, 45))
    assert [t.overall for t in result.timepoints] == [None, "NED", "PD"]
    assert result.best_overall_response == "NED"


def test_baseline_time_point_carries_null_responses_and_the_baseline_sum():
    """Interchange spec, "How a time point is judged": the baseline carries null responses."""
    point = assess(*BASELINE).timepoints[0]
    assert (point.target, point.non_target, point.overall) == (None, None, None)
    assert (point.sum_mm, point.change_from_baseline_pct, point.new_lesions) == (50.0, None, False)


def test_sum_counts_absent_as_0_too_small_as_5_and_adds_fragments():
    """RECIST 1.1, section 3.3 and appendix I (too small: 5 mm; fragments add up)."""
    rows = (
        row(0, "T1", 30),
        row(0, "T2", 20),
        row(0, "T3", 10),
        row(60, "T1", "absent"),
        row(60, "T2", "too-small"),
        row(60, "T3", 6.2),
        row(60, "T3", 4.1),
    )
    assert assess(*rows).timepoints[1].sum_mm == 15.3


def test_sum_is_null_when_a_target_is_not_evaluated_or_has_no_row():
    """Interchange spec: sum_mm is null when any target is not evaluated; a lesion without a
    row at a later scan is not evaluated."""
    rows = BASELINE + (row(60, "T1", 30), row(90, "T1", 30), row(90, "T2", "not-evaluated"))
    points = assess(*rows).timepoints
    assert [p.sum_mm for p in points] == [50.0, None, None]
    assert [p.target for p in points[1:]] == ["NE", "NE"]


def test_nadir_is_the_smallest_earlier_sum_including_baseline():
    """RECIST 1.1, section 4.3.1: PD is judged against the smallest sum on study."""
    rows = (row(0, "T1", 50), row(60, "T1", 40), row(90, "T1", 45), row(120, "T1", 48))
    points = assess(*rows).timepoints
    assert [p.change_from_nadir_pct for p in points[1:]] == [-20.0, 12.5, 20.0]
    assert [p.target for p in points[1:]] == ["SD", "SD", "PD"]


def test_pd_needs_20_percent_and_5_mm_over_the_nadir():
    """RECIST 1.1, section 4.3.1: +20 % alone is not PD without +5 mm in absolute terms."""
    assert overall(row(0, "T1", 20), row(60, "T1", 24)) == ["SD"]
    assert overall(row(0, "T1", 20), row(60, "T1", 25)) == ["PD"]
    assert overall(row(0, "T1", 30), row(60, "T1", 35.9)) == ["SD"]
    assert overall(row(0, "T1", 30), row(60, "T1", 36)) == ["PD"]


def test_pd_threshold_compares_exact_decimals():
    """Interchange spec: rules compare exact values; 1.2 x 40.1 mm is exactly 48.12 mm."""
    base = (row(0, "T1", 20.05), row(0, "T2", 20.05))
    assert overall(*base, row(60, "T1", 24.06), row(60, "T2", 24.06)) == ["PD"]
    assert overall(*base, row(60, "T1", 24.06), row(60, "T2", 24.05)) == ["SD"]


def test_pr_at_a_30_percent_decrease_from_baseline():
    """RECIST 1.1, section 4.3.1: PR at least 30 % below the baseline sum."""
    assert overall(row(0, "T1", 50), row(60, "T1", 35)) == ["PR"]
    assert overall(row(0, "T1", 50), row(60, "T1", 35.1)) == ["SD"]


def test_pd_when_evaluated_targets_alone_meet_it():
    """Interchange spec, Target response: PD also when the evaluated targets alone meet the
    PD rule while others are not evaluated; otherwise NE."""
    base = (row(0, "T1", 30), row(0, "T2", 20))
    assert overall(*base, row(60, "T1", 65), row(60, "T2", "not-evaluated")) == ["PD"]
    assert overall(*base, row(60, "T1", 40)) == ["NE"]


def test_cr_needs_nodes_below_10_mm_and_non_nodes_absent():
    """RECIST 1.1, section 4.3.1: CR when all non-nodal targets disappear and every target
    node has a short axis below 10 mm (the sum need not be 0)."""
    base = (row(0, "T1", 30), row(0, "T2", 18, node=True))
    cr = assess(*base, row(60, "T1", "absent"), row(60, "T2", 9.9, node=True)).timepoints[1]
    assert (cr.target, cr.sum_mm) == ("CR", 9.9)
    assert overall(*base, row(60, "T1", "absent"), row(60, "T2", 10, node=True)) == ["PR"]
    assert overall(*base, row(60, "T1", "too-small"), row(60, "T2", 5, node=True)) == ["PR"]


def test_target_reappearing_after_cr_is_pd():
    """Interchange spec, Target response; RECIST 1.1, section 4.3.1 note: a target back after
    an overall CR is PD even below the 5 mm rule (non-node above 0 or too-small)."""
    base = (row(0, "T1", 30), row(60, "T1", "absent"))
    assert overall(*base, row(90, "T1", 3)) == ["CR", "PD"]
    assert overall(*base, row(90, "T1", "too-small")) == ["CR", "PD"]
    assert overall(*base, row(90, "T1", "absent")) == ["CR", "CR"]


def test_node_reappearing_after_cr_needs_10_mm():
    """Interchange spec, Target response: a node target is back at 10 mm or more."""
    base = (row(0, "T1", 20, node=True), row(60, "T1", 6, node=True))
    assert overall(*base, row(90, "T1", 9.9, node=True)) == ["CR", "CR"]
    assert overall(*base, row(90, "T1", 10, node=True)) == ["CR", "PD"]


def test_reappearance_looks_back_past_ne_time_points():
    """Interchange spec: "the last time point that was not NE had an overall CR"."""
    rows = (row(0, "T1", 30), row(60, "T1", "absent"), row(90, "T1", "not-evaluated"))
    assert overall(*rows, row(120, "T1", 2)) == ["CR", "NE", "PD"]
    rows_pr = (row(0, "T1", 30), row(0, "NT1"), row(60, "T1", "absent"), row(60, "NT1"))
    assert overall(*rows_pr, row(120, "T1", 2), row(120, "NT1")) == ["PR", "PR"]


def test_non_target_present_again_after_cr_is_pd():
    """Interchange spec, Non-target response: present again after an overall CR is PD."""
    rows = (row(0, "NT1"), row(60, "NT1", "absent"), row(90, "NT1", "present"))
    assert overall(*rows) == ["CR", "PD"]


def test_non_target_increased_is_unequivocal_progression():
    """Interchange spec, measurements.csv: `increased` is also unequivocal progression."""
    assert overall(row(0, "NT1"), row(60, "NT1", "increased")) == ["PD"]


def test_equivocal_new_lesion_dates_back_when_confirmed():
    """RECIST 1.1, section 4.3.5: an equivocal new lesion later confirmed dates PD back to
    the scan where it was first seen."""
    rows = (row(0, "NT1"), row(30, "NT1"), row(30, "N1", "equivocal"), row(60, "NT1"))
    rows += (row(60, "N1", "equivocal"), row(90, "NT1"), row(90, "N1", "present"))
    assert overall(*rows) == ["PD", "PD", "PD"]
    assert "equivocal here, confirmed 2024-03-31" in assess(*rows).timepoints[1].reason


def test_equivocal_run_broken_by_a_scan_without_the_lesion():
    """Interchange spec, New lesions: a scan without a row for the lesion breaks the run."""
    rows = (row(0, "NT1"), row(30, "NT1"), row(30, "N1", "equivocal"), row(60, "NT1"))
    rows += (row(90, "NT1"), row(90, "N1", "present"))
    assert overall(*rows) == ["NON-CR/NON-PD", "NON-CR/NON-PD", "PD"]


def test_equivocal_lesion_never_confirmed_is_no_pd():
    """Interchange spec, New lesions: an equivocal lesion never confirmed makes no PD."""
    rows = (row(0, "NT1"), row(30, "NT1"), row(30, "N1", "equivocal"), row(60, "NT1"))
    rows += (row(60, "N1", "absent"),)
    assert overall(*rows) == ["NON-CR/NON-PD", "NON-CR/NON-PD"]


def test_every_time_point_is_judged_also_after_pd():
    """Interchange spec: every later time point is listed and judged, also after a PD."""
    rows = (row(0, "T1", 30), row(60, "T1", 40), row(90, "T1", 10))
    assert overall(*rows) == ["PD", "PR"]


def test_change_pcts_round_half_away_from_zero():
    """Interchange spec: output rounds half away from zero to one decimal (-35.48 -> -35.5;
    a float round() would give banker's or binary artefacts)."""
    point = assess(row(0, "T1", 62), row(60, "T1", 40)).timepoints[1]
    assert point.change_from_baseline_pct == -35.5
    point = assess(row(0, "T1", 80), row(60, "T1", 80.12)).timepoints[1]
    assert point.change_from_baseline_pct == 0.2


def test_change_from_nadir_is_null_when_the_nadir_is_0():
    """Interchange spec: changes are null when the reference is 0."""
    points = assess(row(0, "T1", 30), row(60, "T1", "absent"), row(90, "T1", 4)).timepoints
    assert [p.change_from_nadir_pct for p in points] == [None, -100.0, None]


def test_reason_states_the_pd_in_a_radiologists_words():
    """Design, "Each classification carries its reason": sum, % and mm over the nadir."""
    rows = (row(0, "T1", 60), row(60, "T1", 47), row(90, "T1", 58))
    assert assess(*rows).timepoints[2].reason == (
        "PD: sum 58 mm is +23.4 % and +11 mm over the nadir of 47 mm (2024-03-01)"
    )


def test_baseline_warnings_for_target_choice():
    """RECIST 1.1, sections 3.1.1 and 3.3.1: at most 5 targets, 2 per organ, measurable
    at 10 mm (node short axis 15 mm)."""
    rows = [row(0, f"T{i}", 20, site="Liver" if i < 4 else "lung") for i in range(1, 6)]
    rows += [row(0, "T6", 9), row(0, "T7", 14, node=True)]
    warnings = assess(*rows).warnings
    assert len(warnings) == 4
    assert "7 target lesions" in warnings[0] and "liver (T1, T2, T3)" in warnings[1]
    assert "T6 size 9 mm" in warnings[2] and "T7 node short axis 14 mm" in warnings[3]


def test_change_pct_rounding_to_zero_is_not_negative_zero():
    """Interchange spec: a change of -0.04 % rounds to 0.0 (not -0.0) in the output."""
    point = assess(row(0, "T1", 2500), row(60, "T1", 2499)).timepoints[1]
    assert str(point.change_from_baseline_pct) == "0.0"
