"""The flat table of a study (issue 17): one row per patient of an analysis set, the
reference arm first, declared variables with their levels, and the chosen endpoint; the
commands' functions run on it unchanged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from model.analyses.table import EVENT, TIME, analysis_table, covariate_names
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.editing.analysis_sets import AnalysisSet, SubgroupRecipe
from model.errors import InputError
from model.settings import StudySettings
from model.stats.cox_models import cox_document
from model.stats.forest import forest_document
from model.stats.table1 import table1


@pytest.fixture(scope="module")
def demo():
    return analyse(demo_study(), StudySettings())


def test_histology_group_and_ecog_are_factors_with_their_declared_levels(demo):
    table = analysis_table(demo)
    assert table.columns["histology_group"].levels == ("ICI-sensitive", "intermediate",
                                                       "ICI-resistant")  # fmt: skip
    assert table.columns["ecog"].kind == "categorical"
    assert table.columns["ecog"].levels == ("0", "1", "2")
    assert table.columns["pdl1"].kind == "numeric"
    assert len(table) == len(demo.data.patients)


def test_the_cox_model_has_a_term_per_level_below_the_reference(demo):
    table = analysis_table(demo)
    document = cox_document(table, TIME, EVENT, ["arm", "histology_group", "ecog"])
    terms = [(t["covariate"], t["level"]) for t in document["models"][0]["terms"]]
    assert terms == [
        ("arm", "Immunotherapy + dTACE"),
        ("histology_group", "intermediate"),
        ("histology_group", "ICI-resistant"),
        ("ecog", "1"),
        ("ecog", "2"),
    ]
    forest = forest_document(table, TIME, EVENT, "arm", ["histology_group", "ecog"])
    assert [i["df"] for i in forest["interactions"]] == [2, 2]
    assert table1(table, covariate_names(table)[1:])["groups"] == list(table.groups)


def test_the_reference_arm_is_a_setting_not_the_order_of_rows(demo):
    flipped = replace(demo, settings=StudySettings(reference_arm="Immunotherapy + dTACE"))
    table = analysis_table(flipped)
    assert table.groups == ("Immunotherapy + dTACE", "Immunotherapy")
    assert table.columns["arm"].reference == "Immunotherapy + dTACE"
    before = forest_document(analysis_table(demo), TIME, EVENT, "arm", [])["rows"][0]
    after = forest_document(table, TIME, EVENT, "arm", [])["rows"][0]
    assert after["hazard_ratio"] == pytest.approx(1 / before["hazard_ratio"])


def test_a_subgroup_and_an_endpoint_choose_the_rows_and_times(demo):
    saved = (AnalysisSet("ecog 0", SubgroupRecipe((), ("ecog:0",))),)
    table = analysis_table(demo, analysis_set="ecog 0", saved=saved, endpoint="OS")
    assert set(table.columns["ecog"].values) == {"0"}
    os_days = {e.patient_id: e.os_days for e in demo.endpoints}
    first = table.ids[0]
    assert table.columns[TIME].values[0] == pytest.approx(os_days[first] / 30.4375)
    responders = analysis_table(demo, endpoint="DoR").columns[TIME].values
    assert None in responders and any(v is not None for v in responders)


def test_an_unknown_endpoint_is_named():
    with pytest.raises(InputError, match="no endpoint 'EFS'"):
        analysis_table(analyse(demo_study(20), StudySettings()), endpoint="EFS")
