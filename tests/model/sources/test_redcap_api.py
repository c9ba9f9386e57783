"""A REDCap project pulled over its API with PyCap, the HTTP answered here (no network): the
records and metadata import like a hand-made export; the token is never written nor shown
(issue 21)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from model.errors import InputError
from model.sources.redcap import read_redcap
from model.sources.redcap_api import pull_project
from tests.model.commands.test_import_export_commands import run, study_data

pytest.importorskip("redcap")
requests = pytest.importorskip("requests")

DATA = Path(__file__).resolve().parents[2] / "data" / "redcap"
URL, TOKEN = "https://redcap.example.org/api/", "0123456789ABCDEF0123456789ABCDEF"
#: The API's names of the data dictionary's columns (content=metadata).
API_HEADER = [
    "field_name", "form_name", "section_header", "field_type", "field_label",
    "select_choices_or_calculations", "field_note", "text_validation_type_or_show_slider_number",
    "text_validation_min", "text_validation_max", "identifier", "branching_logic",
    "required_field", "custom_alignment", "question_number", "matrix_group_name",
    "matrix_ranking", "field_annotation",
]  # fmt: skip


def _metadata() -> str:
    rows = list(csv.reader(io.StringIO((DATA / "dictionary.csv").read_text())))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([API_HEADER, *rows[1:]])
    return out.getvalue()


class _Answer:
    def __init__(self, text: str):
        self.text, self.content, self.status_code, self.headers = text, text.encode(), 200, {}

    def json(self):
        return json.loads(self.text)


@pytest.fixture
def answered(monkeypatch):
    """REDCap's API as far as a pull asks it; returns the requests it got."""
    asked = []

    def post(self, url, data=None, **kwargs):
        asked.append((url, dict(data)))
        if data["token"] != TOKEN:  # REDCap answers in the format asked for
            refusal = "You do not have permissions to use the API"
            if data.get("format") == "json":
                return _Answer(json.dumps({"error": refusal}))
            return _Answer(f"ERROR: {refusal}")
        if data["content"] == "record":
            return _Answer((DATA / "export.csv").read_text())
        if data.get("format") == "json":  # PyCap reads the field names first
            rows = list(csv.DictReader(io.StringIO(_metadata())))
            return _Answer(json.dumps(rows))
        return _Answer(_metadata())

    monkeypatch.setattr(requests.Session, "post", post)
    return asked


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
