"""Each patient's answer kept with the study (issue 19, item 5): used only while the patient's
version and the rules it was judged by hold, gone with the patient, never written read-only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from model.domain import Criteria, Status
from model.editing.edits import RemovePatient, SetObservation
from model.store.study import Store
from tests.model.store.builders import FOLLOW_UP, small_study


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "s.nadir") as opened:
        opened.import_study_data(small_study())
        opened.keep_answers(opened.settings(), {"P1": ("PR", ""), "P2": ("?", "")})
        yield opened


def test_kept_answers_are_given_back_while_they_hold(store):
    assert store.kept_answers(store.settings()) == {"P1": ("PR", ""), "P2": ("?", "")}


def test_an_edit_of_the_patient_makes_their_answer_stale(store):
    store.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, 11.5))
    assert store.kept_answers(store.settings()) == {"P2": ("?", "")}


def test_other_rules_make_every_answer_stale(store):
    other = replace(store.settings(), criteria=Criteria.IRECIST)
    assert store.kept_answers(other) == {}


def test_an_answer_goes_with_its_patient(store):
    store.apply(RemovePatient("P1"))
    assert store._db["response_cache"].count == 1


def test_a_study_open_read_only_keeps_nothing(tmp_path, store):
    store.close()
    with Store.open(store.path, read_only=True) as viewer:
        viewer.keep_answers(viewer.settings(), {"P1": ("SD", "")})
        assert viewer.kept_answers(viewer.settings())["P1"] == ("PR", "")
