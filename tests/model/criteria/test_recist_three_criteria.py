"""One patient read by RECIST 1.1, iRECIST and mRECIST: three answers, each by its own
criteria (Eisenhauer 2009, section 4.3; Seymour 2017, Table 2; Lencioni and Llovet 2010)."""

import pytest

from model.domain import Criteria
from tests.model.engine_builders import assess, row

#: An HCC patient: the liver target loses its enhancement while its diameter barely changes,
#: a new lesion appears at day 100 and is gone by day 180.
ROWS = (
    row(0, "T1", 40, viable=30, site="liver"),
    row(0, "T2", 20, viable=20, site="lung"),
    row(0, "NT1"),
    row(56, "T1", 44, viable=10),
    row(56, "T2", 21, viable=21),
    row(56, "NT1"),
    row(100, "T1", 44, viable=10),
    row(100, "T2", 20, viable=20),
    row(100, "NT1"),
    row(100, "N1", 12),
    row(140, "T1", 40, viable=5),
    row(140, "T2", 18, viable=18),
    row(140, "NT1"),
    row(140, "N1", 12),
    row(180, "T1", 20, viable=0),
    row(180, "T2", 10, viable=10),
    row(180, "NT1"),
    row(180, "N1", "absent"),
)


@pytest.mark.parametrize(
    ("criteria", "overall", "best"),
    [
        (Criteria.RECIST11, ["SD", "PD", "PD", "PR"], "SD"),
        (Criteria.IRECIST, ["iSD", "iUPD", "iUPD", "iPR"], "iPR"),
        (Criteria.MRECIST, ["PR", "PD", "PD", "PR"], "PR"),
    ],
)
def test_same_patient_by_three_criteria(criteria, overall, best):
    """RECIST 1.1 stops at the first PD (best SD); iRECIST keeps the new lesion unconfirmed
    and resets to iPR once it is gone; mRECIST sees the viable tumour shrink (PR)."""
    result = assess(*ROWS, criteria=criteria)
    assert [t.overall for t in result.timepoints[1:]] == overall
    assert result.best_overall_response == best
