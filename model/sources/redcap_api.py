"""A REDCap project pulled over its API with PyCap (the optional extra `redcap`; issue 21).

The records (raw codes, flat CSV, repeating instruments and events included) and the
metadata (the data dictionary) are written as `export.csv` and `dictionary.csv`, which
model/sources/redcap.py reads like files exported by hand. The API token is the user's:
typed for one pull (or, on the command line, read from NADIR_REDCAP_TOKEN or asked
for), handed to REDCap, and never written: not into the study, the mapping, the files
pulled, nor any message (PyCap's own messages repeat it, so they are not shown as such).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from model.errors import InputError, InputProblem

#: Where the command line looks for the token when none is typed.
TOKEN_VARIABLE = "NADIR_REDCAP_TOKEN"
#: A REDCap API token: 32 hexadecimal digits.
_TOKEN = re.compile(r"[0-9A-Fa-f]{32}")
#: The files a pull writes.
EXPORT_FILE, DICTIONARY_FILE = "export.csv", "dictionary.csv"


def pull_project(url: str, token: str, folder: Path) -> tuple[Path, Path]:
    """Returns (export, dictionary): the project's records and metadata pulled over the API
    at `url` with `token`, written into `folder`. InputError, naming `url` but never the
    token, when the URL or token cannot be right, PyCap is missing, or REDCap refuses."""
    url, token = url.strip(), token.strip()
    if not url.startswith(("https://", "http://")) or not url.endswith("/api/"):
        raise InputError(f"{url!r} is not a REDCap API URL (it ends with /api/)")
    if not _TOKEN.fullmatch(token):
        raise InputError("the REDCap API token is 32 hexadecimal digits; check the one given")
    try:
        from redcap import Project
    except ImportError:
        message = "pulling over the REDCap API needs PyCap: pip install 'nadir[redcap]'"
        raise InputError(message) from None
    try:
        project = Project(url, token)
        records = project.export_records(format_type="csv", raw_or_label="raw")
        metadata = project.export_metadata(format_type="csv")
    except Exception as error:  # requests' and PyCap's errors alike; never shown whole
        raise InputError(f"the REDCap API at {url} refused: {_said(error, token)}") from None
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        export, dictionary = folder / EXPORT_FILE, folder / DICTIONARY_FILE
        export.write_text(records, encoding="utf-8")
        dictionary.write_text(metadata, encoding="utf-8")
    except OSError as error:
        problem = InputProblem(f"cannot be written ({error.strerror})", str(folder))
        raise InputError(problem) from None
    return export, dictionary


def token_from_environment() -> str | None:
    """Returns the token in NADIR_REDCAP_TOKEN, None when it is not set."""
    return os.environ.get(TOKEN_VARIABLE) or None


def _said(error: Exception, token: str) -> str:
    """Returns what REDCap answered, with the token cut out wherever it appears."""
    said = error.args[0] if error.args else ""
    if isinstance(said, dict):  # a JSON answer: {"error": "..."}
        said = said.get("error", said)
    text = str(said).strip() or type(error).__name__
    return text.replace(token, "[token]")[:300]
