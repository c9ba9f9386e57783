"""mRECIST (Lencioni and Llovet, Semin Liver Dis 2010; 30: 52-60) as the interchange spec
fixes it ("mRECIST")."""

import pytest

from model.domain import Criteria
from model.errors import InputError
from tests.model.engine_builders import assess, row

MRECIST = {"criteria": Criteria.MRECIST}


def overall(*rows):
    return [t.overall for t in assess(*rows, **MRECIST).timepoints[1:]]


def test_target_sizes_are_viable_diameters():
    """Lencioni and Llovet 2010, target lesions: the viable (enhancing) diameter is summed."""
    rows = (row(0, "T1", 50, viable=40), row(60, "T1", 50, viable=20))
    points = assess(*rows, **MRECIST).timepoints
    assert [p.sum_mm for p in points] == [40.0, 20.0]
    assert points[1].overall == "PR"


def test_lymph_node_target_keeps_its_short_axis():
    """Interchange spec, mRECIST: lymph-node targets keep their short axis (diameter_mm)."""
    rows = (row(0, "T1", 30, viable=30), row(0, "T2", 20, node=True))
    rows += (row(60, "T1", 30, viable=0), row(60, "T2", 9, node=True))
    point = assess(*rows, **MRECIST).timepoints[1]
    assert (point.sum_mm, point.target) == (9.0, "CR")


def test_measured_target_without_viable_size_is_not_evaluated():
    """Interchange spec, mRECIST: a measured target without viable_mm is not evaluated."""
    rows = (row(0, "T1", 50, viable=40), row(60, "T1", 50))
    assert overall(*rows) == ["NE"]


def test_baseline_target_without_viable_size_is_an_error():
    """Interchange spec, mRECIST: a measured baseline target without viable_mm is an error
    naming file, line, column."""
    with pytest.raises(InputError) as error:
        assess(row(0, "T1", 50, line=2), **MRECIST)
    (problem,) = error.value.problems
    assert (problem.file, problem.line, problem.column) == ("measurements.csv", 2, "viable_mm")


def test_cr_wins_over_the_pd_ratio():
    """Interchange spec, mRECIST: CR when no viable tumour is left wins over the PD ratio
    (nodes below 10 mm may have grown by 20 %)."""
    rows = (row(0, "T1", 30, viable=30), row(0, "T2", 16, node=True))
    rows += (row(60, "T1", 30, viable=0), row(60, "T2", 5, node=True))
    rows += (row(90, "T1", 30, viable=0), row(90, "T2", 9, node=True))
    assert overall(*rows) == ["CR", "CR"]


def test_pd_at_20_percent_without_the_5_mm_rule():
    """Interchange spec, mRECIST: PD at sum >= 1.2 x nadir, no 5 mm minimum."""
    assert overall(row(0, "T1", 20, viable=20), row(60, "T1", 20, viable=24)) == ["PD"]
    assert overall(row(0, "T1", 20, viable=20), row(60, "T1", 20, viable=23.9)) == ["SD"]


def test_pd_ratio_needs_a_nadir_above_0_and_reappearance_after_cr_is_pd():
    """Interchange spec, mRECIST: the ratio needs a nadir above 0; after an overall CR a
    target with viable tumour (too-small included) is PD."""
    base = (row(0, "T1", 20, viable=20), row(60, "T1", 20, viable=0))
    assert overall(*base, row(90, "T1", 20, viable=2)) == ["CR", "PD"]
    assert overall(*base, row(90, "T1", "too-small")) == ["CR", "PD"]


def test_non_target_and_new_lesion_rules_are_recist_1_1():
    """Interchange spec, mRECIST: non-target, new-lesion and overall rules are RECIST 1.1's."""
    rows = (row(0, "T1", 40, viable=40), row(0, "NT1"), row(60, "T1", 40, viable=20))
    assert overall(*rows, row(60, "NT1")) == ["PR"]
    assert overall(*rows, row(60, "NT1", "progression")) == ["PD"]
    assert overall(*rows, row(60, "NT1"), row(60, "N1")) == ["PD"]


def test_irradiated_baseline_target_left_out_needs_no_viable_size():
    """Interchange spec, Locally treated lesions: a lesion left out is left out at every
    time point, so mRECIST does not ask for its viable size."""
    rows = (row(0, "T1", 40, viable=30), row(0, "T2", 20, irradiated=True), row(60, "T1", 40))
    with pytest.raises(InputError):
        assess(*rows, **MRECIST)
    result = assess(*rows, **MRECIST, exclude_irradiated=True)
    assert [t.sum_mm for t in result.timepoints] == [30.0, None]
