"""REDCap's API answered here, from the test fixtures, for the tests of a pull (no network)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

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


def answer_api(monkeypatch) -> list:
    """Answers REDCap's API as far as a pull asks it (no network); returns the requests got."""
    import requests

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
