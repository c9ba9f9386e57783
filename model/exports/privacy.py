"""Pseudonymised exports: a study a statistician can analyse without learning who the patients are.

From a secret key (a file of random bytes the study team keeps):
- each patient_id becomes a stable code, `P-` and 12 base-32 characters of
  HMAC-SHA256(key, patient_id): the same patient gets the same code in every
  export made with that key, and no one without the key can go back;
- every date of a patient (start, last contact, death, scans, events) moves
  by the same secret offset of -365..+365 days, HMAC-derived per patient, so
  that every interval of that patient (PFS, OS, time to response, scan
  spacing) is unchanged while the calendar dates are not the real ones;
  (moved so that they stay in the calendar: a patient dated near 0001-01-01 or
  9999-12-31 gets an offset, still secret, that keeps every date a date);
- rows come sorted by code, not in the study's order: an enrolment list in
  the study's order would otherwise re-link codes to patients;
- free text, which may hold names, places, dates or record numbers, never
  passes as it is, unless kept by name (`keep`):
  - histology, stage, event detail and every `x_` extra field are dropped;
    the values of the study's declared variables (issue 16) are data, not
    free text, and are kept with their declarations;
  - event kind and modality keep only their usual words (treatment,
    procedure, surgery, progression, off-study; CT, MRI, PET-CT ...), any
    other kind becoming `other` and any other modality blank;
  - arms, lesion sites and readers (and adjudicators) become codes, stable
    under the key, so that the analysis still tells them apart (a site code
    ignores letter case, as iRECIST compares sites);
  - a field kept by name has the dates written inside it moved like the
    patient's dates (ISO) or removed (any other way of writing a date;
    model/exports/scrub.py); kept arms, sites and readers, shared by
    patients with different offsets, have theirs removed;
- adverse events keep their term, grade, attribution, seriousness and organ
  class, their dates moving with their patient's;
- the study is named by a code (`study_code`), not by its file name;
- kept as they are, because analysis needs them and they name no one: sex,
  lesion ids, roles, statuses, sizes, lymph-node and irradiation flags. A
  reader's decision (override, adjudication) keeps its response; its reason
  is dropped and its time moves with the patient's dates. Age is kept, but
  ages above 89 become 90 (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)(C)).
- every text cell that a spreadsheet would run as a formula (a leading =, +,
  -, @, tab or carriage return; OWASP "CSV Injection") gets a leading `'`, as
  the analysis workbook does: a pseudonymised export is opened in
  spreadsheets by others, and is not meant to be imported back.

Issue #8, part 6; issue 14, attacks 5 and 7.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from model.domain import StudyData
from model.errors import InputError, InputProblem
from model.exports.scrub import scrubbed
from model.rules.clinical import variable_column
from model.settings import StudySettings

#: Free-text fields dropped unless kept by name (besides every `x_` extra field).
FREE_TEXT = ("histology", "stage", "detail")

#: Fields that keep only their usual words unless kept by name, and what others become.
VOCABULARIES: dict[str, tuple[frozenset[str], str | None]] = {
    "kind": (
        frozenset({"treatment", "procedure", "surgery", "progression", "off-study"}),
        "other",
    ),
    "modality": (
        frozenset({"ct", "mri", "pet-ct", "pet", "pet-mri", "x-ray", "us", "ultrasound"}),
        None,
    ),
}

#: Fields that become codes unless kept by name, with the codes' prefix.
CODED = {"arm": "ARM-", "site": "SITE-", "reader": "R-", "adjudicator": "R-"}

#: Every field `keep` may name, besides the `x_` extra fields.
KEEPABLE = (*FREE_TEXT, *VOCABULARIES, "arm", "site", "reader")

#: Bytes of a new key, and the fewest a key file must hold.
KEY_BYTES, MIN_KEY_BYTES = 32, 16

#: Dates move by at most this many days, either way.
MAX_SHIFT_DAYS = 365

#: Ages above this are shown as AGE_CAP (HIPAA Safe Harbor).
OLDEST_SHOWN, AGE_CAP = 89, 90.0

#: Characters that make a spreadsheet cell a formula or a command (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Patient id -> that patient's date offset.
Shifts = Mapping[str, timedelta]


def read_key(path: str | os.PathLike[str], *, create: bool = True) -> tuple[bytes, bool]:
    """Returns (the key in the file at `path`, whether it was just created).

    A missing file is created (when `create`) with KEY_BYTES random bytes,
    readable by its owner only. Raises InputError when the file cannot be
    read or created, holds fewer than MIN_KEY_BYTES bytes, or may be read by
    other users (issue 14, attack 13: a key others can read is no secret).
    """
    path = Path(path)
    try:
        if not path.exists() and create:
            key = os.urandom(KEY_BYTES)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(key)
            return key, True
        mode = path.stat().st_mode
        key = path.read_bytes()
    except OSError as error:
        raise InputError(InputProblem(f"key file: {error.strerror}", str(path))) from error
    if os.name == "posix" and mode & 0o077:
        message = (
            f"the key file may be read by other users (mode {stat.S_IMODE(mode):04o}): a key "
            "others can read is no secret; make it private (chmod 600) and, if others did "
            "read it, make a new one"
        )
        raise InputError(InputProblem(message, str(path)))
    if len(key) < MIN_KEY_BYTES:
        message = f"a key needs at least {MIN_KEY_BYTES} bytes; this file holds {len(key)}"
        raise InputError(InputProblem(message, str(path)))
    return key, False


def _mac(key: bytes, purpose: str, text: str) -> bytes:
    return hmac.new(key, f"{purpose}\0{text}".encode(), hashlib.sha256).digest()


def _coded(key: bytes, purpose: str, text: str, length: int) -> str:
    return base64.b32encode(_mac(key, purpose, text)).decode()[:length]


def pseudonym(key: bytes, patient_id: str) -> str:
    """Returns the patient's stable code under `key`, e.g. 'P-K5JQ2WX7NAB3'."""
    return "P-" + _coded(key, "id", patient_id, 12)


def study_code(key: bytes, identity: str) -> str:
    """Returns the code naming the study `identity` in pseudonymised exports, e.g. 'S-3KQ7Z2XA'."""
    return "S-" + _coded(key, "study", identity, 8)


def date_shift(key: bytes, patient_id: str, dates: Iterable[date] = ()) -> timedelta:
    """Returns the patient's secret date offset under `key`: -365 to +365 days, chosen among
    those that keep each of the patient's `dates` within the calendar."""
    number = int.from_bytes(_mac(key, "date", patient_id)[:8], "big")
    days = number % (2 * MAX_SHIFT_DAYS + 1) - MAX_SHIFT_DAYS
    dates = list(dates)
    if dates:
        low = max(-MAX_SHIFT_DAYS, (date.min - min(dates)).days)
        high = min(MAX_SHIFT_DAYS, (date.max - max(dates)).days)
        if not low <= days <= high:
            days = low + number % (high - low + 1)
    return timedelta(days=days)


def patient_shifts(key: bytes, records: Iterable[Any]) -> dict[str, timedelta]:
    """Returns each patient's date offset under `key`, fitted to every date of `records`."""
    dates: dict[str, list[date]] = {}
    for record in records:
        found = dates.setdefault(record.patient_id, [])
        found += [getattr(record, f.name) for f in fields(record)]
    return {
        pid: date_shift(key, pid, [d for d in found if isinstance(d, date)])
        for pid, found in dates.items()
    }


def neutralised(text: str) -> str:
    """Returns `text` with a leading ' when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def pseudonymise(
    data: StudyData, key: bytes, keep: Iterable[str] = (), shifts: Shifts | None = None
) -> StudyData:
    """Returns `data` with codes for patient ids, shifted dates, free text dropped or coded
    except the fields named in `keep`, and rows sorted by code (see the module's docstring).
    `shifts` are the patients' offsets (default: fitted to `data`)."""
    keep = frozenset(keep)
    unknown = keep - set(KEEPABLE) - {k for r in _records(data) for k in r.extra}
    if unknown:
        raise InputError(f"cannot keep {', '.join(sorted(unknown))}: no such free-text field")
    shifts = shifts or patient_shifts(key, _records(data))
    declared = keep | {variable_column(v.name) for v in data.variables}
    return StudyData(
        *(
            _sorted(
                tuple(
                    _private(record, key, declared if name == "patients" else keep, shifts)
                    for record in getattr(data, name)
                )
            )
            for name in _TABLES
        ),
        variables=data.variables,
    )


#: The tables of a study whose records name a patient.
_TABLES = ("patients", "measurements", "scans", "events", "adverse_events")


def _sorted(records: tuple[Any, ...]) -> tuple[Any, ...]:
    """Returns the records by patient code, each patient's in their order (codes are random
    under the key, so the order tells nothing of the study's)."""
    return tuple(sorted(records, key=lambda record: record.patient_id))


def _records(data: StudyData) -> Iterable[Any]:
    return (record for name in _TABLES for record in getattr(data, name))


def _private(record: Any, key: bytes, keep: frozenset[str], shifts: Shifts) -> Any:
    """Returns one record pseudonymised."""
    shift = shifts.get(record.patient_id) or date_shift(key, record.patient_id)
    changes: dict[str, Any] = {"patient_id": pseudonym(key, record.patient_id)}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name in ("patient_id", "source"):
            continue
        if isinstance(value, date):
            changes[f.name] = value + shift
        elif f.name == "time" and type(value) is str:
            changes[f.name] = _shifted_time(value, shift)
        elif f.name == "extra":
            changes[f.name] = _kept_extra(value, keep, shift)
        elif f.name == "age" and value is not None and value > OLDEST_SHOWN:
            changes[f.name] = AGE_CAP
        elif type(value) is str or (value is None and f.name in FREE_TEXT):
            changes[f.name] = _text(f.name, value, key, keep, shift)
    return replace(record, **changes)


def _text(name: str, value: str | None, key: bytes, keep: frozenset[str], shift: timedelta):
    """Returns a text field pseudonymised: kept (dates inside moved), dropped, reduced to its
    usual words, coded, or as it is (lesion ids, responses)."""
    kept = name in keep or (name == "adjudicator" and "reader" in keep)
    if value is None or (not value and name in CODED):
        return value
    if kept:
        # Arms, sites and readers are shared by patients of different offsets.
        return neutralised(scrubbed(value, None if name in CODED else shift))
    if name in FREE_TEXT:
        return None
    if name in VOCABULARIES:
        words, other = VOCABULARIES[name]
        return value if value.lower() in words else other
    if name in CODED:
        text = value.lower() if name == "site" else value
        return CODED[name] + _coded(key, "reader" if name == "adjudicator" else name, text, 6)
    return neutralised(value)


def _shifted_time(text: str, shift: timedelta) -> str:
    """Returns an ISO timestamp (a decision's time) moved like the patient's dates, so that it
    tells no real date yet keeps the order of the patient's decisions; '' when it is no time."""
    try:
        return (datetime.fromisoformat(text) + shift).isoformat()
    except (ValueError, OverflowError):
        return ""


def _kept_extra(extra: Mapping[str, str], keep: frozenset[str], shift: timedelta) -> dict:
    return {
        name: neutralised(scrubbed(value, shift)) for name, value in extra.items() if name in keep
    }


def pseudonymise_decisions(
    decisions: Iterable[Any], key: bytes, shifts: Shifts | None = None, keep: Iterable[str] = ()
) -> tuple[Any, ...]:
    """Returns readers' decisions (overrides, adjudications) pseudonymised like the patients'
    rows under `key` -- codes, shifted dates, readers coded unless kept -- with their
    free-text reason dropped, so that an analysed export still counts them."""
    decisions = list(decisions)
    shifts = shifts or patient_shifts(key, decisions)
    private = (replace(_private(d, key, frozenset(keep), shifts), reason="") for d in decisions)
    return _sorted(tuple(private))


def pseudonymise_settings(
    settings: StudySettings, key: bytes, keep: Iterable[str] = ()
) -> StudySettings:
    """Returns the study's settings naming arms and the counting reader by their codes, as the
    pseudonymised rows do (unless kept by name)."""
    keep = frozenset(keep)
    shift = timedelta(0)
    origins = tuple(
        replace(origin, arm=_text("arm", origin.arm, key, keep, shift))
        for origin in settings.origins
    )
    reader = settings.reader and _text("reader", settings.reader, key, keep, shift)
    return replace(settings, origins=origins, reader=reader)
