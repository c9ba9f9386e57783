"""Pseudonymised exports: a study a statistician can analyse without learning who the patients are.

From a secret key (a file of random bytes the study team keeps):
- each patient_id becomes a stable code, `P-` and 12 base-32 characters of
  HMAC-SHA256(key, patient_id): the same patient gets the same code in every
  export made with that key, and no one without the key can go back;
- every date of a patient (start, last contact, death, scans, events) moves
  by the same secret offset of -365..+365 days, HMAC-derived per patient, so
  that every interval of that patient (PFS, OS, time to response, scan
  spacing) is unchanged while the calendar dates are not the real ones;
- free text, which may hold names, places or record numbers, is dropped:
  histology, stage, event detail and every `x_` extra field, unless named in
  `keep` (e.g. keep={"histology", "stage"} when the protocol allows them);
  the values of the study's declared variables (issue 16) are data, not free
  text, and are kept with their declarations;
- adverse events keep their term, grade, attribution, seriousness and organ
  class, their dates moving with their patient's;
- kept as they are, because analysis needs them and they name no one: arm,
  sex, lesion ids, roles, statuses, sizes, sites, lymph-node and irradiation
  flags, modality, event kind, reader. A reader's decision (override,
  adjudication) keeps its response; its reason is dropped and its time moves
  with the patient's dates. Age is kept, but ages above 89 become
  90 (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)(C)).
- every text cell that a spreadsheet would run as a formula (a leading =, +,
  -, @, tab or carriage return; OWASP "CSV Injection") gets a leading `'`, as
  the analysis workbook does: a pseudonymised export is opened in
  spreadsheets by others, and is not meant to be imported back.

Issue #8, part 6.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from model.clinical import variable_column
from model.domain import StudyData
from model.errors import InputError, InputProblem

#: Free-text fields dropped unless kept by name (besides every `x_` extra field).
FREE_TEXT = ("histology", "stage", "detail")

#: Bytes of a new key, and the fewest a key file must hold.
KEY_BYTES, MIN_KEY_BYTES = 32, 16

#: Dates move by at most this many days, either way.
MAX_SHIFT_DAYS = 365

#: Ages above this are shown as AGE_CAP (HIPAA Safe Harbor).
OLDEST_SHOWN, AGE_CAP = 89, 90.0

#: Characters that make a spreadsheet cell a formula or a command (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def read_key(path: str | os.PathLike[str], *, create: bool = True) -> tuple[bytes, bool]:
    """Returns (the key in the file at `path`, whether it was just created).

    A missing file is created (when `create`) with KEY_BYTES random bytes,
    readable by its owner only. Raises InputError when the file cannot be
    read or created, or holds fewer than MIN_KEY_BYTES bytes.
    """
    path = Path(path)
    try:
        if not path.exists() and create:
            key = os.urandom(KEY_BYTES)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(key)
            return key, True
        key = path.read_bytes()
    except OSError as error:
        raise InputError(InputProblem(f"key file: {error.strerror}", str(path))) from error
    if len(key) < MIN_KEY_BYTES:
        message = f"a key needs at least {MIN_KEY_BYTES} bytes; this file holds {len(key)}"
        raise InputError(InputProblem(message, str(path)))
    return key, False


def _mac(key: bytes, purpose: str, patient_id: str) -> bytes:
    return hmac.new(key, f"{purpose}\0{patient_id}".encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, patient_id: str) -> str:
    """Returns the patient's stable code under `key`, e.g. 'P-K5JQ2WX7NAB3'."""
    return "P-" + base64.b32encode(_mac(key, "id", patient_id)).decode()[:12]


def date_shift(key: bytes, patient_id: str) -> timedelta:
    """Returns the patient's secret date offset under `key`: -365 to +365 days."""
    number = int.from_bytes(_mac(key, "date", patient_id)[:8], "big")
    return timedelta(days=number % (2 * MAX_SHIFT_DAYS + 1) - MAX_SHIFT_DAYS)


def neutralised(text: str) -> str:
    """Returns `text` with a leading ' when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def pseudonymise(data: StudyData, key: bytes, keep: Iterable[str] = ()) -> StudyData:
    """Returns `data` with codes for patient ids, shifted dates and free text dropped,
    except the fields named in `keep` (see the module's docstring)."""
    keep = frozenset(keep)
    unknown = keep - set(FREE_TEXT) - {k for r in _records(data) for k in r.extra}
    if unknown:
        raise InputError(f"cannot keep {', '.join(sorted(unknown))}: no such free-text field")
    declared = keep | {variable_column(v.name) for v in data.variables}
    return StudyData(
        *(
            tuple(
                _private(record, key, declared if name == "patients" else keep)
                for record in getattr(data, name)
            )
            for name in _TABLES
        ),
        variables=data.variables,
    )


#: The tables of a study whose records name a patient.
_TABLES = ("patients", "measurements", "scans", "events", "adverse_events")


def _records(data: StudyData) -> Iterable[Any]:
    return (record for name in _TABLES for record in getattr(data, name))


def _private(record: Any, key: bytes, keep: frozenset[str]) -> Any:
    """Returns one record pseudonymised."""
    shift = date_shift(key, record.patient_id)
    changes: dict[str, Any] = {"patient_id": pseudonym(key, record.patient_id)}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name in ("patient_id", "source"):
            continue
        if isinstance(value, date):
            changes[f.name] = value + shift
        elif f.name == "time" and type(value) is str:
            changes[f.name] = _shifted_time(value, shift)
        elif f.name in FREE_TEXT and f.name not in keep:
            changes[f.name] = None
        elif f.name == "extra":
            changes[f.name] = _kept_extra(value, keep)
        elif f.name == "age" and value is not None and value > OLDEST_SHOWN:
            changes[f.name] = AGE_CAP
        elif type(value) is str:  # not the StrEnum role and status
            changes[f.name] = neutralised(value)
    return replace(record, **changes)


def _shifted_time(text: str, shift: timedelta) -> str:
    """Returns an ISO timestamp (a decision's time) moved like the patient's dates, so that it
    tells no real date yet keeps the order of the patient's decisions; '' when it is no time."""
    try:
        return (datetime.fromisoformat(text) + shift).isoformat()
    except ValueError:
        return ""


def _kept_extra(extra: Mapping[str, str], keep: frozenset[str]) -> dict[str, str]:
    return {name: neutralised(value) for name, value in extra.items() if name in keep}


def pseudonymise_decisions(decisions: Iterable[Any], key: bytes) -> tuple[Any, ...]:
    """Returns readers' decisions (overrides, adjudications) pseudonymised like the patients'
    rows under `key` -- codes, shifted dates -- with their free-text reason dropped, so that
    an analysed export still counts them."""
    return tuple(replace(_private(d, key, frozenset()), reason="") for d in decisions)
