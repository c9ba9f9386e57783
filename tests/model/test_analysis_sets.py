"""Analysis sets (issue 17): the built-in sets computed from the study, saved subgroups and
matched sets stored with an exact inverse, refused when they do not fit, and merged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from model.analyses.sets import analysis_of_set, pair_numbers, set_ids, set_names
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.domain import EventRecord, PatientRecord, StudyData
from model.editing.analysis_sets import (
    AnalysisSet,
    MatchRecipe,
    SetAnalysisSet,
    SetMember,
    SubgroupRecipe,
)
from model.editing.edits import UpdatePatient
from model.errors import InputError
from model.merge.study import merge_studies
from model.settings import StudySettings
from model.store.study import Store

START = date(2024, 1, 10)
ECOG_1 = AnalysisSet("ECOG 1 on ICI", SubgroupRecipe(("ICI",), ("ecog:1",)))
MATCH = MatchRecipe("ICI + dTACE", ("age", "ecog"), date(2024, 6, 1), "nurse", caliper_sd=0.2)
MATCHED = AnalysisSet("matched", MATCH, (SetMember("P1", 1), SetMember("P3", 1)))


def _study() -> StudyData:
    return StudyData(
        patients=(
            PatientRecord("P1", START, "ICI", extra={"x_ecog": "1"}),
            PatientRecord("P2", START, "ICI", extra={"x_ecog": "0"}),
            PatientRecord("P3", START, "ICI + dTACE", extra={"x_ecog": "1"}),
        ),
        events=(
            EventRecord("P1", "Treatment", START, detail="pembrolizumab"),
            EventRecord("P3", "procedure", START, detail="dTACE"),
            EventRecord("P2", "follow-up", START),
        ),
    )


@pytest.fixture
def store():
    with Store.in_memory() as opened:
        opened.import_study_data(_study())
        yield opened


def test_safety_is_who_had_a_treatment_or_procedure_event():
    analysis = analyse(_study(), StudySettings())
    assert set_ids(analysis, "safety", ()) == {"P1", "P3"}
    assert set_ids(analysis, "all", ()) == {"P1", "P2", "P3"}


def test_evaluable_is_who_has_an_adequate_post_baseline_assessment():
    analysis = analyse(demo_study(), StudySettings())
    evaluable = set_ids(analysis, "evaluable", ())
    assessed = {a.patient_id for a in analysis.assessments if len(a.timepoints) > 1}
    assert evaluable and evaluable <= assessed
    assert len(analysis_of_set(analysis, "evaluable", ()).data.patients) == len(evaluable)


def test_a_subgroup_keeps_its_arms_and_filter_words():
    analysis = analyse(_study(), StudySettings())
    assert set_ids(analysis, ECOG_1.name, (ECOG_1,)) == {"P1"}
    everyone_ecog_1 = AnalysisSet("e1", SubgroupRecipe((), ("ECOG:1",)))
    assert set_ids(analysis, "e1", (everyone_ecog_1,)) == {"P1", "P3"}


def test_an_unknown_set_is_named_with_the_known_ones():
    analysis = analyse(_study(), StudySettings())
    with pytest.raises(InputError, match="no analysis set 'x'.*all, evaluable, safety, e1"):
        set_ids(analysis, "x", (AnalysisSet("e1", SubgroupRecipe()),))


def test_a_saved_subgroup_is_stored_renamed_and_undone_exactly(store):
    changes, undo_add = store.apply(SetAnalysisSet(ECOG_1.name, ECOG_1))
    assert changes.analysis_sets and store.analysis_sets() == (ECOG_1,)
    renamed = replace(ECOG_1, name="ecog 1")
    _, undo_rename = store.apply(SetAnalysisSet(ECOG_1.name, renamed))
    assert store.analysis_sets() == (renamed,)
    store.apply(undo_rename)
    assert store.analysis_sets() == (ECOG_1,)
    store.apply(undo_add)
    assert store.analysis_sets() == ()


def test_a_matched_set_keeps_its_recipe_and_pairs_through_a_rename_of_a_patient(store):
    store.apply(SetAnalysisSet("matched", MATCHED))
    assert store.analysis_sets() == (MATCHED,)
    assert pair_numbers("matched", store.analysis_sets()) == {"P1": 1, "P3": 1}
    store.apply(UpdatePatient("P3", replace(store.patient("P3"), patient_id="P3b")))
    assert store.analysis_sets()[0].members == (SetMember("P1", 1), SetMember("P3b", 1))
    _, undo = store.apply(SetAnalysisSet("matched", None))
    assert store.analysis_sets() == ()
    store.apply(undo)
    assert store.analysis_sets()[0].recipe == MATCH


@pytest.mark.parametrize(
    ("analysis_set", "message"),
    [
        (AnalysisSet("safety", SubgroupRecipe()), "built-in"),
        (AnalysisSet(" x", SubgroupRecipe()), "without surrounding blanks"),
        (AnalysisSet("x", SubgroupRecipe(("Chemo",))), "no arm 'Chemo'"),
        (AnalysisSet("x", SubgroupRecipe((), ("ecog: 1",))), "one word"),
        (AnalysisSet("x", MATCH, (SetMember("P9", 1),)), "no patient 'P9'"),
        (AnalysisSet("x", MATCH, (SetMember("P1", 1), SetMember("P1", 2))), "matched twice"),
        (AnalysisSet("x", replace(MATCH, caliper=0.1)), "not both"),
    ],
)
def test_a_set_that_does_not_fit_is_refused_and_nothing_written(store, analysis_set, message):
    with pytest.raises(InputError, match=message):
        store.apply(SetAnalysisSet(analysis_set.name, analysis_set))
    assert store.analysis_sets() == ()


def test_a_set_cannot_take_the_name_of_another(store):
    store.apply(SetAnalysisSet(ECOG_1.name, ECOG_1))
    store.apply(SetAnalysisSet("matched", MATCHED))
    with pytest.raises(InputError, match="already has an analysis set 'matched'"):
        store.apply(SetAnalysisSet(ECOG_1.name, replace(ECOG_1, name="matched")))
    assert set_names(store.analysis_sets())[3:] == (ECOG_1.name, "matched")


def test_sets_saved_in_a_copy_are_merged_and_the_merge_undone(tmp_path):
    nurse = Store.open(tmp_path / "study.nadir")
    nurse.import_study_data(_study())
    nurse.apply(SetAnalysisSet(ECOG_1.name, ECOG_1))
    nurse.backup(tmp_path / "copy.nadir")
    clinic = Store.open(tmp_path / "copy.nadir")
    try:
        clinic.apply(SetAnalysisSet("matched", MATCHED))
        wider = replace(ECOG_1, recipe=SubgroupRecipe((), ("ecog:1",)))
        clinic.apply(SetAnalysisSet(ECOG_1.name, wider))
        report = merge_studies(nurse, clinic)
        assert report.conflicts == () and report.changes.analysis_sets
        assert nurse.analysis_sets() == (wider, MATCHED)
        for edit in report.undo:
            nurse.apply(edit)
        assert nurse.analysis_sets() == (ECOG_1,)
    finally:
        nurse.close()
        clinic.close()


def test_a_set_changed_in_both_copies_is_a_conflict_that_keeps_the_targets(tmp_path):
    nurse = Store.open(tmp_path / "study.nadir")
    nurse.import_study_data(_study())
    nurse.apply(SetAnalysisSet(ECOG_1.name, ECOG_1))
    nurse.backup(tmp_path / "copy.nadir")
    clinic = Store.open(tmp_path / "copy.nadir")
    try:
        mine = replace(ECOG_1, recipe=SubgroupRecipe((), ("ecog:1",)))
        nurse.apply(SetAnalysisSet(ECOG_1.name, mine))
        clinic.apply(SetAnalysisSet(ECOG_1.name, replace(ECOG_1, recipe=SubgroupRecipe())))
        report = merge_studies(nurse, clinic)
        assert [c.what for c in report.conflicts] == [f"the analysis set {ECOG_1.name}"]
        assert nurse.analysis_sets() == (mine,)
    finally:
        nurse.close()
        clinic.close()


def test_the_reference_arm_endpoint_and_cox_covariates_are_study_settings(store):
    from model.editing.edits import SetSettings

    chosen = StudySettings(
        reference_arm="ICI + dTACE", analysis_endpoint="OS", cox_covariates=("arm", "ecog")
    )
    _, undo = store.apply(SetSettings(chosen))
    assert store.settings() == chosen
    store.apply(undo)
    assert store.settings() == StudySettings()
    with pytest.raises(InputError, match="analysis endpoint 'EFS' is not one of PFS, OS"):
        store.apply(SetSettings(StudySettings(analysis_endpoint="EFS")))
