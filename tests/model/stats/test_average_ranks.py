"""The rank tests' own average ranks are scipy.stats.rankdata's (issue 19: the report no longer
imports scipy.stats)."""

import numpy as np
import pytest
from scipy.stats import rankdata

from model.stats.group_tests import average_ranks


@pytest.mark.parametrize("seed", range(5))
def test_average_ranks_are_scipys_with_ties_and_without(seed):
    rng = np.random.default_rng(seed)
    for n in (0, 1, 2, 7, 50, 300):
        for values in (rng.normal(size=n), rng.integers(0, 4, n).astype(float)):
            assert np.array_equal(average_ranks(values), rankdata(values))


def test_a_nan_makes_every_rank_nan_as_in_scipy():
    values = np.array([3.0, np.nan, 1.0])
    assert np.array_equal(average_ranks(values), rankdata(values), equal_nan=True)
