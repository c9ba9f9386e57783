"""The default study: where it lives, and its first start with the demo cohort.

Source: the store helper's brief (default study in the user's data directory
via platformdirs, NADIR_DATA_DIR for tests, created with the demo cohort on
first start).
"""

from __future__ import annotations

from model.editing.edits import RemovePatient
from model.paths import DATA_DIR_VARIABLE, default_study_path, open_default_study
from tests.platforms import assert_owner_only


def test_default_study_lives_in_nadir_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    assert default_study_path() == tmp_path / "data" / "study.nadir"


def test_default_study_is_in_the_user_data_directory_without_the_variable(monkeypatch):
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    path = default_study_path()
    assert path.name == "study.nadir" and "nadir" in str(path.parent).lower()


def test_first_start_creates_the_demo_study_and_later_starts_keep_it(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    with open_default_study() as store:
        assert len(store.patient_ids()) == 213
        store.apply(RemovePatient(store.patient_ids()[0]))
    path = default_study_path()
    assert_owner_only(path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["study.nadir"]
    with open_default_study() as store:
        assert len(store.patient_ids()) == 212
        assert store.path == path
