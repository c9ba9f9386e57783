"""What the grid asks about before keeping a size (model/rules/measurements.py; issue 15, item
1).
"""

from __future__ import annotations

from model.rules.measurements import implausible_size


def test_a_size_above_the_study_limit_is_asked_about():
    assert implausible_size("T2", 9999, [48], 48) == (
        "T2 9999 mm, above the study's limit of 300 mm: keep?"
    )
    assert implausible_size("T2", 350, [], None, limit_mm=400) is None


def test_a_size_far_over_the_lesions_own_history_names_its_baseline():
    assert implausible_size("T2", 250, [50, 45], 50) == "T2 250 mm, 5x its baseline: keep?"


def test_growth_a_small_lesion_can_make_is_not_asked_about():
    # 4 mm to 17 mm is more than 4 times, but only 13 mm: growth, not a slip.
    assert implausible_size("N1", 17, [4], 4) is None
    assert implausible_size("T1", 60, [50], 50) is None


def test_a_size_typed_to_more_than_a_tenth_of_a_mm_is_asked_about():
    assert implausible_size("T1", 12.345, [12], 12) == (
        "T1 12.345 mm: sizes are read to 0.1 mm. Keep 12.345?"
    )
    assert implausible_size("T1", 12.3, [12], 12) is None


def test_without_a_baseline_the_largest_other_size_is_named():
    assert implausible_size("T1", 200, [30, 10], None) == (
        "T1 200 mm, 7x its largest size (30 mm): keep?"
    )
