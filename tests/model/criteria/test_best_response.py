"""Best overall response (RECIST 1.1, section 4.4 and Table 3; interchange spec, "Best
overall response")."""

from datetime import timedelta

import pytest

from model.criteria.best_response import RECIST_CODES, best_overall_response
from tests.model.engine_builders import BASE, assess, row


def best(*codes: str, gap: int = 42, confirm: bool = False, min_sd_days: int = 0) -> str:
    """Best response of `codes` at every `gap` days after BASE, the reference date."""
    points = [(BASE + timedelta(days=gap * (i + 1)), c) for i, c in enumerate(codes)]
    return best_overall_response(
        points, BASE, RECIST_CODES, confirm=confirm, min_sd_days=min_sd_days
    )


def test_ranking_cr_pr_sd_non_cr_non_pd_ned_pd_ne():
    """Interchange spec: CR > PR > SD > NON-CR/NON-PD > NED > PD > NE."""
    ranking = ["CR", "PR", "SD", "NON-CR/NON-PD", "NED", "PD", "NE"]
    for better, worse in zip(ranking, ranking[1:], strict=False):
        assert best(better, worse) == better
        assert best("NE", worse) == worse
        if worse != "PD":
            assert best(worse, better) == better


def test_no_post_baseline_time_point_is_ne():
    """Interchange spec: a patient with no post-baseline time point is NE."""
    assert best() == "NE"
    assert assess(row(0, "T1", 30)).best_overall_response == "NE"


def test_only_time_points_up_to_the_first_pd_count():
    """Interchange spec: over the time points up to and including the first PD."""
    assert best("SD", "PD", "CR") == "SD"
    assert best("PD", "PR") == "PD"


def test_minimum_sd_duration():
    """Interchange spec, Minimum SD duration (RECIST 1.1, section 4.4.2): SD too early then
    PD gives PD; SD too early then nothing gives NE; in time it counts."""
    assert best("SD", "PD", gap=30, min_sd_days=42) == "PD"
    assert best("SD", gap=30, min_sd_days=42) == "NE"
    assert best("SD", gap=42, min_sd_days=42) == "SD"
    assert best("NON-CR/NON-PD", "NE", gap=30, min_sd_days=42) == "NE"


def test_minimum_sd_duration_counts_from_start_date_when_patients_are_given():
    """Interchange spec: the reference date is start_date with patients.csv, else baseline."""
    rows = (row(0, "T1", 30), row(50, "T1", 28))
    assert assess(*rows, min_sd_days=56).best_overall_response == "NE"
    assert assess(*rows, min_sd_days=56, starts={"P1": -10}).best_overall_response == "SD"


@pytest.mark.parametrize(
    ("first", "then", "expected", "expected_short_sd"),
    [
        ("CR", "CR", "CR", "CR"),
        ("CR", "PR", "SD", "NE"),
        ("CR", "SD", "SD", "NE"),
        ("CR", "PD", "SD", "PD"),
        ("CR", "NE", "SD", "NE"),
        ("PR", "CR", "PR", "PR"),
        ("PR", "PR", "PR", "PR"),
        ("PR", "SD", "SD", "NE"),
        ("PR", "PD", "SD", "PD"),
        ("PR", "NE", "SD", "NE"),
        ("NE", "NE", "NE", "NE"),
    ],
)
def test_confirmation_table_3(first, then, expected, expected_short_sd):
    """RECIST 1.1, Table 3: best response when CR and PR need confirmation, with the minimum
    SD duration met (28 days) and not met (100 days). CR then PR is SD or PD: disease
    after a true CR is PD (footnote a)."""
    assert best(first, then, gap=28, confirm=True, min_sd_days=28) == expected
    assert best(first, then, gap=28, confirm=True, min_sd_days=100) == expected_short_sd


def test_confirmation_needs_28_days():
    """Interchange spec, Confirmation: the confirming time point is at least 28 days later."""
    assert best("PR", "PR", gap=27, confirm=True) == "SD"
    assert best("PR", "PR", "PR", gap=27, confirm=True) == "PR"


def test_confirmation_allows_one_ne_in_between():
    """Interchange spec, Confirmation: only CR (PR, CR) and at most one NE in between."""
    assert best("CR", "NE", "CR", gap=20, confirm=True) == "CR"
    assert best("CR", "NE", "NE", "CR", gap=20, confirm=True) == "SD"
    assert best("CR", "PR", "CR", gap=20, confirm=True) == "SD"
    assert best("PR", "CR", "NE", "PR", gap=10, confirm=True) == "PR"
    assert best("PR", "SD", "PR", gap=20, confirm=True) == "SD"


def test_without_confirmation_a_single_cr_counts():
    """Interchange spec: confirmation applies only with --confirm."""
    assert best("CR", "PD") == "CR"


def test_best_pct_change_over_the_same_time_points():
    """Interchange spec: the smallest non-null change from baseline up to the first PD."""
    rows = (row(0, "T1", 50), row(60, "T1", 40), row(90, "T1", 60), row(120, "T1", 10))
    result = assess(*rows)
    assert (result.best_overall_response, result.best_pct_change) == ("SD", -20.0)
    assert assess(row(0, "NT1"), row(60, "NT1")).best_pct_change is None
