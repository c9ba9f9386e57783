"""A REDCap project pulled over its API with PyCap, the HTTP answered here (no network): the
records and metadata import like a hand-made export; the token is never written nor shown
(issue 21)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model.errors import InputError
from model.sources.redcap import read_redcap
from model.sources.redcap_api import pull_project
from tests.model.commands.test_import_export_commands import run, study_data
from tests.model.sources.fake_redcap_api import TOKEN, URL, answer_api

pytest.importorskip("redcap")

DATA = Path(__file__).resolve().parents[2] / "data" / "redcap"


@pytest.fixture
def answered(monkeypatch):
    """REDCap's API as far as a pull asks it; returns the requests it got."""
    return answer_api(monkeypatch)


def test_a_pull_imports_like_an_export(answered, tmp_path):
    export, dictionary = pull_project(URL, TOKEN, tmp_path / "pulled")
    asked = [(url, data["content"], data["format"]) for url, data in answered]
    assert (URL, "record", "csv") in asked and (URL, "metadata", "csv") in asked
    record = next(data for _, data in answered if data["content"] == "record")
    assert record["rawOrLabel"] == "raw" and record["type"] == "flat"
    imported = read_redcap(export, DATA / "mapping.json", dictionary)
    assert imported == read_redcap(DATA / "export.csv", DATA / "mapping.json")
    for path in (export, dictionary):
        assert TOKEN not in path.read_text()


def test_a_refused_token_is_named_without_the_token(answered, tmp_path):
    wrong = "F" * 32
    with pytest.raises(InputError) as caught:
        pull_project(URL, wrong, tmp_path)
    message = str(caught.value)
    assert message == (
        f"the REDCap API at {URL} refused: You do not have permissions to use the API"
    )
    assert wrong not in message


@pytest.mark.parametrize(
    "url, token, message",
    [
        ("https://redcap.example.org/", TOKEN, "is not a REDCap API URL (it ends with /api/)"),
        (URL, "secret", "the REDCap API token is 32 hexadecimal digits"),
    ],
)
def test_a_url_or_token_that_cannot_be_right_is_refused_before_asking(
    answered, tmp_path, url, token, message
):
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        pull_project(url, token, tmp_path)
    assert token not in str(caught.value) or token == TOKEN
    assert answered == []


def test_the_command_pulls_with_the_token_from_the_environment(
    answered, capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("NADIR_REDCAP_TOKEN", TOKEN)
    study = tmp_path / "study.nadir"
    argv = ["import", tmp_path / "pulled", "--format", "redcap", "--api-url", URL]
    status, out, err = run(capsys, *argv, "--mapping", DATA / "mapping.json", "--db", study)
    assert (status, err) == (0, "")
    assert "imported 3 patients" in out and TOKEN not in out
    assert len(study_data(study).measurements) == 11
    monkeypatch.delenv("NADIR_REDCAP_TOKEN")
    status, out, err = run(capsys, *argv, "--mapping", DATA / "mapping.json", "--db", study)
    assert status == 2 and "--api-url needs the project's API token: set NADIR_REDCAP_TOKEN" in err
