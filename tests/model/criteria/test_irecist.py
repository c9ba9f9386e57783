"""iRECIST (Seymour et al., Lancet Oncol 2017; 18: e143-e152) as the interchange spec fixes
it ("iRECIST"). Table 2 of the paper is reproduced row by row: the column "no previous iUPD"
by the first follow-up, the column "previous iUPD" by a later one."""

from datetime import timedelta

import pytest

from model.criteria.best_response import best_overall_response
from model.criteria.irecist import IRECIST_CODES, confirmed_iupds, new_lesion_targets
from model.criteria.readings import readings_by_patient
from model.domain import Criteria
from tests.model.engine_builders import BASE, assess, row, study

IRECIST = {"criteria": Criteria.IRECIST}
#: Baseline 50 mm over two targets, and one non-target.
BASELINE = (row(0, "T1", 30), row(0, "T2", 20), row(0, "NT1"))


def irecist(*rows, **options):
    return assess(*rows, **IRECIST, **options)


def overall(*rows, **options):
    return [t.overall for t in irecist(*rows, **options).timepoints[1:]]


def scan(n, t1, t2, nt="present", *new):
    """Rows of one follow-up scan at day n: targets, NT1 and new lesions (id, status, mm)."""
    rows = [row(n, "T1", t1), row(n, "T2", t2), row(n, "NT1", nt)]
    return (*rows, *(row(n, lid, status, mm=mm) for lid, status, mm in new))


@pytest.mark.parametrize(
    ("target", "non_target", "expected"),
    [
        (("absent", "absent"), "absent", ("iCR", "iCR", "iCR")),
        (("absent", "absent"), "present", ("iCR", "NON-iCR/NON-iUPD", "iPR")),
        ((15, 10), "present", ("iPR", "NON-iCR/NON-iUPD", "iPR")),
        ((28, 20), "present", ("iSD", "NON-iCR/NON-iUPD", "iSD")),
    ],
)
def test_table_2_rows_1_to_4_without_iupd_are_recist_with_the_i_prefix(
    target, non_target, expected
):
    """Seymour 2017, Table 2 rows 1-4 (iCR, iPR, iPR, iSD), both columns: before any PD each
    time point gets the RECIST 1.1 answer with the i-prefix, also after a reset iUPD."""
    point = irecist(*BASELINE, *scan(60, *target, non_target)).timepoints[1]
    assert (point.target, point.non_target, point.overall) == expected
    after_reset = (*scan(60, 28, 20, "present", ("N1", "present", 5)), *scan(100, 28, 20))
    later = irecist(*BASELINE, *after_reset, *scan(140, *target, non_target)).timepoints
    assert [t.overall for t in later[1:3]] == ["iUPD", "iSD"]
    assert later[3].overall == expected[2]


def test_table_2_row_5_new_lesions_confirm_by_growth_or_number():
    """Seymour 2017, Table 2 row 5 (previous iUPD, new lesions): iCPD when new lesions grow
    (>= 5 mm in the new-lesion target sum, any increase of a new-lesion non-target) or
    another appears; unchanged new lesions stay iUPD."""
    iupd = (*BASELINE, *scan(60, 28, 20, "present", ("N1", "present", 12), ("N2", "present", 5)))
    assert overall(*iupd, *scan(100, 28, 20, "present", ("N1", "present", 16))) == ["iUPD"] * 2
    assert overall(*iupd, *scan(100, 28, 20, "present", ("N1", "present", 17))) == [
        "iUPD",
        "iCPD",
    ]
    assert overall(*iupd, *scan(100, 28, 20, "present", ("N2", "increased", None)))[1] == "iCPD"
    assert overall(*iupd, *scan(100, 28, 20, "present", ("N3", "present", 4)))[1] == "iCPD"


def test_table_2_row_6_non_target_iupd_needs_a_further_increase():
    """Seymour 2017, Table 2 row 6 (targets iSD/iPR/iCR, non-targets iUPD): iUPD; then it
    remains iUPD unless non-target disease increases further (`increased`)."""
    iupd = (*BASELINE, *scan(60, 28, 20, "progression"))
    assert overall(*iupd, *scan(100, 15, 10, "progression")) == ["iUPD", "iUPD"]
    assert overall(*iupd, *scan(100, 15, 10, "increased")) == ["iUPD", "iCPD"]
    assert overall(*iupd, *scan(100, 15, 10, "present")) == ["iUPD", "iPR"]


def test_table_2_row_7_target_iupd_needs_5_mm_more():
    """Seymour 2017, Table 2 row 7 (targets iUPD, non-targets non-iCR/non-iUPD or iCR): iUPD;
    then iCPD on a further increase of the sum by 5 mm or more, else it remains iUPD while
    the targets stay at PD, and resets below it."""
    iupd = (*BASELINE, *scan(60, 40, 30))
    assert overall(*iupd, *scan(100, 44, 30)) == ["iUPD", "iUPD"]
    assert overall(*iupd, *scan(100, 45, 30)) == ["iUPD", "iCPD"]
    assert overall(*iupd, *scan(100, 28, 20)) == ["iUPD", "iSD"]


def test_table_2_row_8_target_and_non_target_iupd():
    """Seymour 2017, Table 2 row 8 (targets and non-targets iUPD): iCPD on 5 mm more in the
    target sum or a further non-target increase; otherwise iUPD."""
    iupd = (*BASELINE, *scan(60, 40, 30, "progression"))
    assert overall(*iupd, *scan(100, 42, 30, "progression")) == ["iUPD", "iUPD"]
    assert overall(*iupd, *scan(100, 45, 30, "progression")) == ["iUPD", "iCPD"]
    assert overall(*iupd, *scan(100, 40, 30, "increased")) == ["iUPD", "iCPD"]


def test_table_2_row_9_every_category_with_new_lesions():
    """Seymour 2017, Table 2 row 9 (targets, non-targets iUPD, new lesions): iCPD on any of
    the three kinds of further increase; unchanged, it remains iUPD."""
    iupd = (*BASELINE, *scan(60, 40, 30, "progression", ("N1", "present", 12)))
    same = scan(100, 40, 30, "progression", ("N1", "present", 12))
    assert overall(*iupd, *same) == ["iUPD", "iUPD"]
    assert overall(*iupd, *scan(100, 40, 30, "increased", ("N1", "present", 12)))[1] == "iCPD"
    assert overall(*iupd, *scan(100, 40, 30, "progression", ("N1", "present", 17)))[1] == "iCPD"


def test_table_2_row_10_new_lesions_only_remain_iupd_while_present():
    """Seymour 2017, Table 2 row 10 (targets, non-targets not iUPD, new lesions): iUPD; it
    remains iUPD while the new lesion is there, and resets when it is gone."""
    iupd = (*BASELINE, *scan(60, 15, 10, "present", ("N1", "present", 8)))
    assert overall(*iupd, *scan(100, 15, 10, "present", ("N1", "present", 8))) == ["iUPD"] * 2
    assert overall(*iupd, *scan(100, 15, 10, "present", ("N1", "absent", None))) == [
        "iUPD",
        "iPR",
    ]


def test_increases_count_cumulatively_from_the_iupd():
    """Interchange spec, iRECIST: increases count from the iUPD time point, cumulatively
    across time points that stay iUPD."""
    rows = (*BASELINE, *scan(60, 40, 30), *scan(100, 43, 30), *scan(140, 45, 30))
    assert overall(*rows) == ["iUPD", "iUPD", "iCPD"]


def test_target_growth_counts_over_targets_evaluated_at_both():
    """Interchange spec, iRECIST: the 5 mm is over the targets evaluated at both."""
    rows = (*BASELINE, *scan(60, 40, 30), *scan(100, 45, "not-evaluated"))
    assert overall(*rows) == ["iUPD", "iCPD"]


def test_targets_meeting_pd_confirm_an_iupd_they_did_not_trigger():
    """Interchange spec, iRECIST: if targets did not trigger the iUPD, targets now meeting
    RECIST 1.1 PD confirm it."""
    rows = (*BASELINE, *scan(60, 28, 20, "progression"), *scan(100, 40, 30, "progression"))
    assert overall(*rows) == ["iUPD", "iCPD"]


def test_non_target_progression_where_present_at_the_iupd_confirms():
    """Interchange spec, iRECIST: a non-target `progression` where it was `present` or
    `absent` at the iUPD confirms it."""
    rows = (*BASELINE, *scan(60, 40, 30, "present"), *scan(100, 40, 30, "progression"))
    assert overall(*rows) == ["iUPD", "iCPD"]


def test_before_28_days_only_a_new_lesion_confirms():
    """Interchange spec, iRECIST: an evaluable assessment less than 28 days after the iUPD
    only confirms by a new lesion not seen before; otherwise it stays iUPD whatever it
    shows (NE stays NE), and the next assessment may confirm."""
    iupd = (*BASELINE, *scan(60, 40, 30))
    assert overall(*iupd, *scan(80, 50, 30)) == ["iUPD", "iUPD"]
    assert overall(*iupd, *scan(80, 10, 10)) == ["iUPD", "iUPD"]
    assert overall(*iupd, *scan(80, 40, 30, "present", ("N1", "present", 4)))[1] == "iCPD"
    assert overall(*iupd, *scan(80, 40, "not-evaluated")) == ["iUPD", "NE"]
    assert overall(*iupd, *scan(80, 40, 30), *scan(100, 45, 30)) == ["iUPD", "iUPD", "iCPD"]


def test_ne_neither_confirms_nor_resets():
    """Interchange spec, iRECIST: an NE time point neither confirms nor resets."""
    rows = (*BASELINE, *scan(60, 40, 30), *scan(100, 40, "not-evaluated"), *scan(140, 45, 30))
    assert overall(*rows) == ["iUPD", "NE", "iCPD"]


def test_assessment_more_than_8_weeks_after_the_iupd_is_a_warning():
    """Interchange spec, iRECIST; Seymour 2017: confirmation 4-8 weeks after the iUPD; a
    later next assessment is a warning."""
    on_time = irecist(*BASELINE, *scan(60, 40, 30), *scan(116, 45, 30))
    late = irecist(*BASELINE, *scan(60, 40, 30), *scan(117, 45, 30))
    assert on_time.warnings == ()
    assert len(late.warnings) == 1 and "57 days later" in late.warnings[0]


def test_reset_makes_a_later_pd_an_iupd_again():
    """Interchange spec, iRECIST: the i-prefixed answer resets; a later PD is iUPD again and
    needs confirmation again."""
    rows = (*BASELINE, *scan(60, 40, 30), *scan(100, 28, 20), *scan(140, 40, 30))
    rows += scan(180, 45, 30)
    assert overall(*rows) == ["iUPD", "iSD", "iUPD", "iCPD"]


def test_equivocal_lesion_dated_back_makes_the_earlier_scan_the_iupd():
    """Interchange spec, iRECIST; RECIST 1.1, section 4.3.5: an equivocal lesion dated back
    makes the earlier scan the iUPD, counts as seen from there, and the clocks run from
    there."""
    rows = (*BASELINE, *scan(60, 28, 20, "present", ("N1", "equivocal", None)))
    rows += scan(100, 28, 20, "present", ("N1", "present", 8))
    assert overall(*rows) == ["iUPD", "iUPD"]


def test_new_lesion_targets_first_five_measurable_two_per_site():
    """Interchange spec, iRECIST: new lesions measurable at 10 mm (node 15 mm); the first
    five, at most two per site (case-insensitive, blank sites one site), by first
    appearance then lesion_id as text."""
    rows = [*BASELINE]
    rows += [row(30, lid, 12, site=site) for lid, site in (("N9", "Liver"), ("N10", "liver"))]
    rows += [row(30, "N11", 12, site="LIVER"), row(30, "N2", 9, site="lung")]
    rows += [row(30, "N3", 14, site="node", node=True), row(30, "N4", 15, site="node", node=True)]
    rows += [row(60, lid, 10) for lid in ("N5", "N6", "N7", "N8")]
    (readings,) = readings_by_patient(study(*rows))
    assert new_lesion_targets(readings, readings.lesions) == ("N10", "N11", "N4", "N5", "N6")


def test_time_points_after_the_first_icpd_are_listed():
    """Interchange spec, iRECIST: time points after the first iCPD are listed."""
    rows = (*BASELINE, *scan(60, 40, 30), *scan(100, 45, 30), *scan(140, 10, 10))
    assert len(irecist(*rows).timepoints) == 4


def test_patient_without_non_targets_has_null_non_target_field():
    """Interchange spec, iRECIST: the null rule for a patient without non-targets stands."""
    result = irecist(row(0, "T1", 30), row(60, "T1", 40), row(100, "T1", 50))
    assert [(t.target, t.non_target) for t in result.timepoints[1:]] == [
        ("iUPD", None),
        ("iUPD", None),
    ]
    assert [t.overall for t in result.timepoints[1:]] == ["iUPD", "iCPD"]


def best(*codes):
    """Best iRECIST response of post-baseline `codes` 42 days apart."""
    days = [BASE + timedelta(days=42 * (i + 1)) for i in range(len(codes))]
    points = list(zip(days, confirmed_iupds(codes), strict=True))
    return best_overall_response(points, BASE, IRECIST_CODES)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (("iCR", "iPR", "iUPD", "iUPD", "iCPD"), "iCR"),
        (("iUPD", "iPR", "iCR", "NE", "iCPD"), "iCR"),
        (("iUPD", "iPR", "iSD", "iUPD", "iCPD"), "iPR"),
        (("iUPD", "NE", "iPR", "iSD", "iCPD"), "iPR"),
        (("iUPD", "iSD", "iUPD", "NE", "iCPD"), "iSD"),
        (("iUPD", "iCPD", "iCR", "iCR", "iCR"), "iCPD"),
        (("iUPD", "iUPD", "iCPD", "iCR", "iCR"), "iCPD"),
        (("iUPD", "NE", "NE", "NE", "NE"), "iUPD"),
    ],
)
def test_best_overall_response_table_3_examples(codes, expected):
    """Seymour 2017, Table 3 (scenarios of best overall response, examples 1-8) and the
    interchange spec: an iUPD followed by iCPD without a reset counts as iCPD."""
    assert best(*codes) == expected


def test_best_overall_response_counts_an_iupd_confirmed_later_as_icpd():
    """Interchange spec, iRECIST: iUPD then iCPD gives iCPD; iUPD then only NE gives iUPD;
    best_pct_change over the time points up to the first iCPD."""
    confirmed = irecist(*BASELINE, *scan(60, 40, 30), *scan(100, 45, 30), *scan(140, 5, 5))
    assert (confirmed.best_overall_response, confirmed.best_pct_change) == ("iCPD", 40.0)
    pending = irecist(*BASELINE, *scan(60, 40, 30), *scan(100, 40, "not-evaluated"))
    assert pending.best_overall_response == "iUPD"


def test_best_pct_change_includes_the_first_icpd_time_point():
    """Interchange spec, iRECIST: best_pct_change is taken over the time points up to and
    including the first iCPD, even though the iUPD it confirms ranks as iCPD; so a change at
    the iCPD smaller than any before counts (issue 13). Without an iCPD all time points count."""
    iupd = (*BASELINE, *scan(60, 37.5, 25))
    confirmed = irecist(*iupd, *scan(100, 20, 20, "present", ("N1", "present", 12)))
    assert [t.change_from_baseline_pct for t in confirmed.timepoints[1:]] == [25.0, -20.0]
    assert [t.overall for t in confirmed.timepoints[1:]] == ["iUPD", "iCPD"]
    assert (confirmed.best_overall_response, confirmed.best_pct_change) == ("iCPD", -20.0)
    reset = irecist(*iupd, *scan(100, 20, 20))
    assert (reset.best_overall_response, reset.best_pct_change) == ("iSD", -20.0)
