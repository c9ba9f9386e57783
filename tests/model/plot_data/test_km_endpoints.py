"""The Kaplan-Meier plot's endpoints TTP and DoR and its confidence level (issue 18, item 4)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from model.analysis import analyse
from model.demo.cohort import demo_study
from model.plot_data import survival_plot_data
from model.settings import StudySettings
from model.stats.response_endpoints import duration_of_response


@pytest.fixture(scope="module")
def analysis():
    return analyse(demo_study(40), StudySettings(confidence_level=0.9))


def test_dor_curves_hold_the_responders_only(analysis):
    data = survival_plot_data(analysis, endpoint="dor")
    responders = duration_of_response(analysis.data, analysis.assessments)
    assert sum(c.n for c in data.curves) == len(responders) > 0
    assert data.endpoint == "DoR"


def test_ttp_has_no_more_events_than_pfs(analysis):
    ttp = survival_plot_data(analysis, endpoint="ttp")
    pfs = survival_plot_data(analysis, endpoint="pfs")
    assert sum(c.events for c in ttp.curves) <= sum(c.events for c in pfs.curves)


def test_intervals_follow_the_study_confidence_level(analysis):
    data = survival_plot_data(analysis, endpoint="pfs")
    assert data.level == pytest.approx(0.9)
    assert "90 % CI" in data.caption()
    wider = survival_plot_data(replace(analysis, settings=StudySettings()), endpoint="pfs")
    assert "95 % CI" in wider.caption()


def test_unknown_endpoint_is_refused(analysis):
    with pytest.raises(ValueError, match="pfs, os, ttp, dor"):
        survival_plot_data(analysis, endpoint="efs")
