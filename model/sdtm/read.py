"""A study read from SDTM datasets: DM for the patients, TU and TR for lesions and measurements.

So that tumour measurements from a sponsor's EDC can be judged by Nadir
(issue #9). Each domain is read from `<name>.csv`, or `<name>.xpt` when there
is no CSV (file names in any letter case); DM is optional. The mapping is the
reverse of `model/sdtm/datasets.py`:
TUORRES gives the role (NEW TARGET and NEW NON-TARGET are new), a TR size
record (LDIAM, LPERP, SAXIS or DIAMETER; mm, or cm converted) the target's
status and diameter, a TUMSTATE or LNSTATE record a non-target's or new
lesion's status, VLDIAM the viable size; TRSTAT "NOT DONE" is not-evaluated.
A lesion is a lymph node when it has an LPERP, SAXIS or LNSTATE record, or a
DIAMETER one and "NODE" in TULOC. SUMDIAM and other derived records are
ignored: Nadir derives them again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from model.domain import (
    MeasurementRecord,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    StudyData,
)
from model.errors import InputError, InputProblem
from model.sdtm.files import sdtm_datasets
from model.sdtm.terms import (
    INVESTIGATOR,
    LOCAL_THERAPY,
    METHODS,
    NODE_TESTS,
    NOT_DONE,
    SIZE_TESTS,
    STATE_RESULTS,
    STATE_TESTS,
    TOO_SMALL_RESULT,
    VIABLE_TEST,
    frame_as_text,
)

_ROLES = {"TARGET": Role.TARGET, "NON-TARGET": Role.NON_TARGET, "NEW": Role.NEW,
          "NEW TARGET": Role.NEW, "NEW NON-TARGET": Role.NEW}  # fmt: skip
_STATES = {text: status for status, text in STATE_RESULTS.items()}
_MODALITIES = {method: modality for modality, method in METHODS.items()}
_CM_TO_MM = 10.0
#: What pandas.read_sas returns for an IBM float zero: the smallest IBM magnitude.
PANDAS_IBM_ZERO = 16.0**-65
#: Variables a domain's file must have; each entry is a choice of alternatives.
REQUIRED_COLUMNS = {
    "dm": (("USUBJID",), ("RFSTDTC",)),
    "tu": (("USUBJID",), ("TULNKID",), ("TUORRES", "TUSTRESC")),
    "tr": (("USUBJID",), ("TRLNKID",), ("TRTESTCD",), ("TRDTC",)),
}
_EXPECTED = "expected a folder of SDTM datasets: dm, tu and tr as .csv or .xpt"


@dataclass(frozen=True)
class _Row:
    """One TR record with where it came from, for error messages."""

    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def problem(self, message: str, column: str) -> InputProblem:
        return InputProblem(message, self.file, self.line, column, self[column])


def read_sdtm(folder: Path) -> StudyData:
    """The patients (from DM), measurements and scans (from TU and TR) in `folder`.

    Raises InputError listing every record that cannot be read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(InputProblem(f"{_EXPECTED}; this is not a folder", str(folder)))
    files = sdtm_datasets(folder)
    missing = [f"{name}.csv or {name}.xpt" for name in ("tu", "tr") if name not in files]
    if missing:
        raise InputError(InputProblem(f"{_EXPECTED}: no {' and no '.join(missing)}", str(folder)))
    tu, tr, dm = (_read_domain(files.get(name), name) for name in ("tu", "tr", "dm"))
    _take_subject_ids(dm, tu + tr)
    treated = _treated(_read_domain(files.get("supptu"), "supptu"))
    problems: list[InputProblem] = []
    lesions = _lesions(tu, treated, problems)
    measurements = _measurements(tr, lesions, problems)
    patients = [_patient(row, problems) for row in dm] if dm else []
    if dm:
        problems += _subjects_not_in_dm(dm, tu + tr)
    if problems:
        raise InputError(problems)
    return StudyData(
        patients=tuple(p for p in patients if p is not None),
        measurements=tuple(measurements),
        scans=_scans(tr),
    )


def _read_domain(path: Path | None, name: str) -> list[_Row]:
    """The records of one domain's file (none when `path` is None), columns upper-cased."""
    if path is None:
        return []
    if path.suffix.lower() == ".csv":
        frame, first_line = _read_csv(path), 2
    else:
        frame, first_line = _read_xpt(path), 1
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    missing = [
        " or ".join(choice)
        for choice in REQUIRED_COLUMNS.get(name, ())
        if not any(column in frame.columns for column in choice)
    ]
    if missing:
        line = 1 if first_line == 2 else None
        raise InputError(
            [InputProblem(f"a required {name.upper()} variable is missing", path.name, line, column)
             for column in missing]
        )  # fmt: skip
    return [
        _Row(path.name, first_line + i, record)
        for i, record in enumerate(frame.to_dict(orient="records"))
    ]


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(InputProblem("is not UTF-8 text", path.name)) from None
    except pd.errors.EmptyDataError:
        raise InputError(InputProblem("is empty: expected a header row", path.name)) from None
    except (pd.errors.ParserError, OSError) as error:
        raise InputError(InputProblem(f"cannot be read as CSV ({error})", path.name)) from None


def _read_xpt(path: Path) -> pd.DataFrame:
    """A transport file's dataset as text; pandas reads an IBM zero as 16**-65 (pandas #50670)."""
    try:
        frame = pd.read_sas(path, format="xport", encoding="utf-8")
    except Exception as error:  # pandas raises many types on a file that is not XPORT
        message = f"cannot be read as a SAS transport (XPORT) file ({error})"
        raise InputError(InputProblem(message, path.name)) from None
    numbers = frame.select_dtypes("number").columns
    frame[numbers] = frame[numbers].mask(frame[numbers].abs() <= PANDAS_IBM_ZERO, 0.0)
    return frame_as_text(frame)


def _take_subject_ids(dm: list[_Row], rows: list[_Row]) -> None:
    """Give TU and TR records their subject's SUBJID from DM, so that every domain names
    a patient alike however USUBJID is built (STUDYID-SITEID-SUBJID is common)."""
    subjects = {row["USUBJID"]: row["SUBJID"] for row in dm}
    for row in rows:
        if not row["SUBJID"] and subjects.get(row["USUBJID"]):
            row.values["SUBJID"] = subjects[row["USUBJID"]]


def _subjects_not_in_dm(dm: list[_Row], rows: list[_Row]) -> list[InputProblem]:
    """One problem per subject of TU or TR that DM does not list, at its first record."""
    known = {_patient_id(row) for row in dm}
    first: dict[str, _Row] = {}
    for row in rows:
        if _patient_id(row) not in known:
            first.setdefault(_patient_id(row), row)
    message = f"subject is not in {dm[0].file}"
    return [row.problem(message, "USUBJID") for row in first.values()]


def _patient_id(row: _Row) -> str:
    """SUBJID, or else USUBJID without its STUDYID- prefix."""
    usubjid, study = row["USUBJID"], row["STUDYID"]
    if row["SUBJID"]:
        return row["SUBJID"]
    return usubjid[len(study) + 1 :] if study and usubjid.startswith(study + "-") else usubjid


def _reader(row: _Row, prefix: str) -> str:
    return "" if row[f"{prefix}EVAL"] == INVESTIGATOR else row[f"{prefix}EVALID"]


@dataclass(frozen=True)
class _Lesion:
    role: Role
    site: str
    irradiated: bool


def _treated(supptu: list[_Row]) -> set[tuple[str, str, str]]:
    """(USUBJID, IDVAR, IDVARVAL) of the TU records flagged as locally treated."""
    return {
        (row["USUBJID"], row["IDVAR"], row["IDVARVAL"])
        for row in supptu
        if row["RDOMAIN"] == "TU" and row["QNAM"] == LOCAL_THERAPY["QNAM"] and row["QVAL"] == "Y"
    }


def _lesions(
    tu: list[_Row], treated: set[tuple[str, str, str]], problems: list[InputProblem]
) -> dict[tuple, _Lesion]:
    """Each identified lesion by (patient, reader, TULNKID)."""
    lesions = {}
    for row in tu:
        if row["TUTESTCD"] not in ("", "TUMIDENT"):
            continue
        role = _ROLES.get(row["TUSTRESC"] or row["TUORRES"])
        if role is None:
            problems.append(row.problem("expected TARGET, NON-TARGET or NEW", "TUORRES"))
            continue
        key = (_patient_id(row), _reader(row, "TU"), row["TULNKID"])
        irradiated = any(
            (row["USUBJID"], name, row[name]) in treated for name in ("TUSEQ", "TULNKID")
        )
        lesions.setdefault(key, _Lesion(role, row["TULOC"].lower(), irradiated))
    return lesions


def _measurements(
    tr: list[_Row], lesions: dict[tuple, _Lesion], problems: list[InputProblem]
) -> list[MeasurementRecord]:
    groups: dict[tuple, list[_Row]] = defaultdict(list)
    node_tests: dict[tuple, bool] = defaultdict(bool)
    for row in tr:
        if not row["TRLNKID"]:
            continue
        lesion_key = (_patient_id(row), _reader(row, "TR"), row["TRLNKID"])
        if lesion_key not in lesions:
            problems.append(row.problem("no TU record identifies this lesion", "TRLNKID"))
            continue
        test = row["TRTESTCD"]
        node_tests[lesion_key] |= test in NODE_TESTS or (
            test == "DIAMETER" and "NODE" in lesions[lesion_key].site.upper()
        )
        groups[lesion_key + (row["TRDTC"],)].append(row)
    records = []
    for key, rows in groups.items():
        lesion = lesions[key[:3]]
        records += _lesion_at_scan(key, lesion, node_tests[key[:3]], rows, problems)
    return records


def _lesion_at_scan(
    key: tuple, lesion: _Lesion, node: bool, rows: list[_Row], problems: list[InputProblem]
) -> list[MeasurementRecord]:
    """The measurement rows of one lesion at one scan: one per size record of a target."""
    patient_id, reader, lesion_id, day_text = key
    day = _date(rows[0], "TRDTC", problems)
    sizes = [r for r in rows if r["TRTESTCD"] in SIZE_TESTS]
    viable = [_mm(r, problems) for r in rows if r["TRTESTCD"] == VIABLE_TEST]
    states = [r for r in rows if r["TRTESTCD"] in STATE_TESTS]
    if day is None:
        return []
    common = dict(patient_id=patient_id, scan_date=day, lesion_id=lesion_id, role=lesion.role,
                  site=lesion.site, lymph_node=node, reader=reader, irradiated=lesion.irradiated,
                  source=(rows[0].file, rows[0].line))  # fmt: skip
    if lesion.role is Role.TARGET:
        return [
            MeasurementRecord(
                **common, **_target(r, problems), viable_mm=viable[i] if i < len(viable) else None
            )  # fmt: skip
            for i, r in enumerate(sizes)
        ]
    if not states:
        problems.append(rows[0].problem("no TUMSTATE or LNSTATE record", "TRLNKID"))
        return []
    diameter = _mm(sizes[0], problems) if sizes else None
    status = _state(states[0], problems)
    if status is None:
        return []
    return [MeasurementRecord(**common, status=status, diameter_mm=diameter,
                              viable_mm=viable[0] if viable else None)]  # fmt: skip


def _target(row: _Row, problems: list[InputProblem]) -> dict:
    """Status and diameter of a target's size record (RECIST 1.1 supplement)."""
    if row["TRSTAT"] == NOT_DONE:
        return {"status": Status.NOT_EVALUATED}
    if row["TRORRES"].upper() == TOO_SMALL_RESULT:
        return {"status": Status.TOO_SMALL}
    size = _mm(row, problems)
    if size == 0:
        return {"status": Status.ABSENT}
    return {"status": Status.MEASURED, "diameter_mm": size}


def _state(row: _Row, problems: list[InputProblem]) -> Status | None:
    if row["TRSTAT"] == NOT_DONE:
        return Status.NOT_EVALUATED
    column = "TRSTRESC" if row["TRSTRESC"] else "TRORRES"
    status = _STATES.get(row[column].upper())
    if status is None:
        problems.append(row.problem(f"expected one of {', '.join(_STATES)}", column))
    return status


def _mm(row: _Row, problems: list[InputProblem]) -> float | None:
    """A size in mm from TRSTRESN (or TRORRES), converting cm."""
    column = "TRSTRESN" if row["TRSTRESN"] else "TRORRES"
    unit = (row["TRSTRESU"] if column == "TRSTRESN" else row["TRORRESU"]).lower()
    try:
        value = float(row[column])
    except ValueError:
        problems.append(row.problem("expected a size in mm", column))
        return None
    if value < 0 or unit not in ("", "mm", "cm"):
        problems.append(row.problem("expected a size >= 0 in mm or cm", column))
        return None
    return value * _CM_TO_MM if unit == "cm" else value


def _date(row: _Row, column: str, problems: list[InputProblem]) -> date | None:
    text = row[column][:10]
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        problems.append(row.problem("expected an ISO 8601 date YYYY-MM-DD", column))
        return None


def _patient(row: _Row, problems: list[InputProblem]) -> PatientRecord | None:
    start = _date(row, "RFSTDTC", problems)
    if start is None:
        problems.append(row.problem("a patient needs a start date", "RFSTDTC"))
        return None
    try:
        age = float(row["AGE"]) if row["AGE"] else None
    except ValueError:
        problems.append(row.problem("expected an age in years", "AGE"))
        age = None
    return PatientRecord(
        patient_id=_patient_id(row),
        start_date=start,
        arm=row["ARM"] or row["ACTARM"] or "All",
        last_contact_date=_date(row, "RFPENDTC", problems),
        death_date=_date(row, "DTHDTC", problems),
        sex=row["SEX"] if row["SEX"] in ("F", "M") else None,
        age=age,
    )


def _scans(tr: list[_Row]) -> tuple[ScanRecord, ...]:
    """A scan for each patient and date with a TRMETHOD, its modality by Nadir's names."""
    seen: dict[tuple[str, date], str] = {}
    for row in tr:
        day = _date(row, "TRDTC", [])
        if row["TRMETHOD"] and day is not None:
            seen.setdefault((_patient_id(row), day), row["TRMETHOD"])
    return tuple(
        ScanRecord(pid, day, _MODALITIES.get(method, method)) for (pid, day), method in seen.items()
    )
