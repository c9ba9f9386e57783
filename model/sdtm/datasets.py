"""A study as CDISC SDTM datasets: DM, TU, TR and RS, as CSV and SAS transport files (issue #9);
AE, SUPPAE and SUPPDM when the study has adverse events and variables (issue 16).

`sdtm_tables` builds the four datasets from a `StudyAnalysis` (the data and
the responses Nadir judged); `write_sdtm` writes dm/tu/tr/rs .csv and .xpt.
The variables, test codes and terms, and their sources, are in
`model/sdtm/terms.py`; reading TU and TR back is `model/sdtm/read.py`.

Nadir-specific choices: USUBJID is STUDYID-patient_id; each patient's scans
are its visits, numbered from 1 (the baseline, VISIT "BASELINE") in date
order; last_contact_date goes to RFPENDTC; each row of measurements.csv is one
TR record (fragments of a target share their TRLNKID); the irradiated flag is
a supplemental qualifier in SUPPTU; histology, stage and events have no place
in these domains. Adverse events and variables: model/sdtm/clinical.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd

from model.analysis import StudyAnalysis
from model.domain import (
    CRITERIA_NAMES,
    MeasurementRecord,
    PatientAssessment,
    PatientRecord,
    Role,
    Status,
)
from model.sdtm.clinical import ae_records, suppae_records, suppdm_records
from model.sdtm.terms import (
    DATASET_LABELS,
    INDEPENDENT,
    INVESTIGATOR,
    LOCAL_THERAPY,
    METHODS,
    NOT_DONE,
    NOT_EVALUABLE,
    ROLE_RESULTS,
    STATE_RESULTS,
    TESTS,
    TOO_SMALL_RESULT,
    VARIABLES,
    frame_as_text,
    number_text,
)
from model.sdtm.xpt import Variable, write_xpt

Record = dict[str, object]
MM = "mm"


def sdtm_tables(analysis: StudyAnalysis, study_id: str) -> dict[str, pd.DataFrame]:
    """The DM, TU, TR and RS datasets of the study, columns in SDTMIG order.

    SUPPTU is added when a lesion received local therapy (the `irradiated` flag):
    a supplemental qualifier, as SDTMIG section 8.4 does for data with no variable.
    """
    context = _Context(analysis, study_id)
    builders = {"DM": context.dm, "TU": context.tu, "TR": context.tr, "RS": context.rs}
    tables = {name: _frame(name, _numbered(name, build())) for name, build in builders.items()}
    supptu = _frame("SUPPTU", list(context.supptu(tables["TU"])))
    return tables | ({"SUPPTU": supptu} if len(supptu) else {}) | _clinical(analysis, study_id)


def _clinical(analysis: StudyAnalysis, study_id: str) -> dict[str, pd.DataFrame]:
    """AE and SUPPAE when the study has adverse events, SUPPDM when it has variable values
    (issue 16, model/sdtm/clinical.py)."""
    data = analysis.data
    starts = {p.patient_id: p.start_date for p in data.patients}
    ae = _numbered("AE", ae_records(study_id, data.adverse_events, starts))
    tables = {
        "AE": _frame("AE", ae),
        "SUPPAE": _frame("SUPPAE", list(suppae_records(study_id, ae, data.adverse_events))),
        "SUPPDM": _frame("SUPPDM", list(suppdm_records(study_id, data.patients, data.variables))),
    }
    return {name: frame for name, frame in tables.items() if len(frame)}


def write_sdtm(analysis: StudyAnalysis, folder: Path, *, study_id: str) -> list[Path]:
    """Write dm/tu/tr/rs (and supptu, ae, suppae, suppdm) .csv and .xpt into `folder`; returns
    the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in sdtm_tables(analysis, study_id).items():
        csv_path = folder / f"{name.lower()}.csv"
        frame_as_text(frame).to_csv(csv_path, index=False, encoding="utf-8", lineterminator="\n")
        xpt_variables = [
            Variable(v.name, v.label, v.numeric, frame[v.name].tolist()) for v in VARIABLES[name]
        ]
        xpt_path = folder / f"{name.lower()}.xpt"
        written += [csv_path, write_xpt(xpt_path, name, DATASET_LABELS[name], xpt_variables)]
    return written


def study_id_for(name: str) -> str:
    """A STUDYID from a study's name: its letters, digits, - and _ upper-cased ("NADIR")."""
    kept = "".join(c for c in name.upper() if c.isascii() and (c.isalnum() or c in "-_"))
    return kept or "STUDY"


def study_day(day: date, reference: date) -> int:
    """SDTM study day: day 1 is the reference date and there is no day 0 (SDTMIG 4.4.4)."""
    delta = (day - reference).days
    return delta + 1 if delta >= 0 else delta


def arm_codes(arms: Iterable[str]) -> dict[str, str]:
    """ARMCD of each arm: its letters and digits upper-cased, at most 20, unique (SDTMIG DM)."""
    codes: dict[str, str] = {}
    for index, arm in enumerate(dict.fromkeys(arms), start=1):
        code = "".join(c for c in arm.upper() if c.isascii() and c.isalnum())[:20] or "ARM"
        if code in codes.values():
            code = f"{code[:17]}{index:03d}"
        codes[arm] = code
    return codes


class _Context:
    """What every domain needs: subject ids, reference dates, visits and methods."""

    def __init__(self, analysis: StudyAnalysis, study_id: str):
        data = analysis.data
        self.analysis, self.study_id = analysis, study_id
        self.patients = {p.patient_id: p for p in data.patients}
        self.visits = _visits(analysis)
        self.methods = {
            (s.patient_id, s.scan_date): METHODS.get(s.modality.upper(), s.modality.upper())
            for s in data.scans
            if s.modality
        }

    def _subject(self, domain: str, patient_id: str) -> Record:
        return {"STUDYID": self.study_id, "DOMAIN": domain,
                "USUBJID": f"{self.study_id}-{patient_id}"}  # fmt: skip

    def _timing(self, prefix: str, patient_id: str, day: date) -> Record:
        number = self.visits[patient_id].index(day) + 1
        timing: Record = {"VISITNUM": number,
                          "VISIT": "BASELINE" if number == 1 else f"FOLLOW-UP {number - 1}",
                          f"{prefix}DTC": day.isoformat()}  # fmt: skip
        patient = self.patients.get(patient_id)
        if patient is not None:
            timing[f"{prefix}DY"] = study_day(day, patient.start_date)
        return timing

    def dm(self) -> Iterator[Record]:
        codes = arm_codes(p.arm for p in self.patients.values())
        for p in self.patients.values():
            yield self._subject("DM", p.patient_id) | _demographics(p, codes[p.arm])

    def tu(self) -> Iterator[Record]:
        first_seen: dict[tuple[str, str, str], MeasurementRecord] = {}
        for m in sorted(self.analysis.data.measurements, key=lambda m: m.scan_date):
            first_seen.setdefault((m.patient_id, m.reader, m.lesion_id), m)
        for m in sorted(first_seen.values(), key=_measurement_order):
            role = ROLE_RESULTS[m.role]
            yield (
                self._subject("TU", m.patient_id)
                | {
                    "TULNKID": m.lesion_id,
                    "TUTESTCD": "TUMIDENT",
                    "TUTEST": TESTS["TUMIDENT"],
                    "TUORRES": role,
                    "TUSTRESC": role,
                    "TULOC": m.site.upper(),
                    "TUMETHOD": self.methods.get((m.patient_id, m.scan_date), ""),
                }  # fmt: skip
                | _evaluator("TU", m.reader)
                | self._timing("TU", m.patient_id, m.scan_date)
            )

    def tr(self) -> Iterator[Record]:
        by_patient: dict[str, list[MeasurementRecord]] = {pid: [] for pid in self.visits}
        for m in self.analysis.data.measurements:
            by_patient[m.patient_id].append(m)
        for patient_id, rows in by_patient.items():
            for m in sorted(rows, key=_measurement_order):
                for result in _results(m):
                    yield (
                        self._subject("TR", m.patient_id)
                        | {"TRGRPID": ROLE_RESULTS[m.role], "TRLNKID": m.lesion_id}
                        | result
                        | {"TRMETHOD": self.methods.get((m.patient_id, m.scan_date), "")}
                        | _evaluator("TR", m.reader)
                        | self._timing("TR", m.patient_id, m.scan_date)
                    )
            yield from self._sums(patient_id)

    def _sums(self, patient_id: str) -> Iterator[Record]:
        assessment = self._assessment(patient_id)
        if assessment is None:
            return
        for point in assessment.timepoints:
            if point.sum_mm is not None:
                yield (
                    self._subject("TR", patient_id)
                    | {"TRGRPID": "TARGET"}
                    | _size_result("SUMDIAM", point.sum_mm)
                    | _evaluator("TR", self._reader(patient_id))
                    | self._timing("TR", patient_id, point.scan_date)
                )

    def rs(self) -> Iterator[Record]:
        category = CRITERIA_NAMES[self.analysis.settings.criteria]
        for assessment in self.analysis.assessments:
            pid = assessment.patient_id
            common = {"RSCAT": category} | _evaluator("RS", self._reader(pid))
            for point in assessment.timepoints[1:]:
                tests = (("TRGRESP", point.target), ("NTRGRESP", point.non_target),
                         ("NEWLIND", "Y" if point.new_lesions else "N"),
                         ("OVRLRESP", point.overall))  # fmt: skip
                for code, result in tests:
                    if result is not None:
                        yield (self._subject("RS", pid) | _response(code, result) | common
                               | self._timing("RS", pid, point.scan_date))  # fmt: skip
            best = _response("BESTRSP", assessment.best_overall_response)
            yield self._subject("RS", pid) | best | common
        # A patient the rules refuse is listed as not evaluable (NE), not left out.
        for pid in self.analysis.not_evaluable:
            common = {"RSCAT": category} | _evaluator("RS", self._reader(pid))
            yield self._subject("RS", pid) | _response("BESTRSP", "NE") | common

    def supptu(self, tu: pd.DataFrame) -> Iterator[Record]:
        treated = {
            (f"{self.study_id}-{m.patient_id}", m.reader, m.lesion_id)
            for m in self.analysis.data.measurements
            if m.irradiated
        }
        for row in tu.itertuples():
            if (row.USUBJID, row.TUEVALID, row.TULNKID) in treated:
                yield {
                    "STUDYID": self.study_id,
                    "RDOMAIN": "TU",
                    "USUBJID": row.USUBJID,
                    "IDVAR": "TUSEQ",
                    "IDVARVAL": number_text(row.TUSEQ),
                } | LOCAL_THERAPY

    def _assessment(self, patient_id: str) -> PatientAssessment | None:
        return next((a for a in self.analysis.assessments if a.patient_id == patient_id), None)

    def _reader(self, patient_id: str) -> str:
        """The reader whose rows a patient's responses come from (interchange spec, Readers)."""
        if self.analysis.settings.reader:
            return self.analysis.settings.reader
        rows = (m for m in self.analysis.data.measurements if m.patient_id == patient_id)
        return next((m.reader for m in rows), "")


def _visits(analysis: StudyAnalysis) -> dict[str, list[date]]:
    """Each patient's scan dates in order: measurements, scans and assessed time points."""
    dates: dict[str, set[date]] = {p.patient_id: set() for p in analysis.data.patients}
    for m in analysis.data.measurements:
        dates.setdefault(m.patient_id, set()).add(m.scan_date)
    for s in analysis.data.scans:
        dates.setdefault(s.patient_id, set()).add(s.scan_date)
    for a in analysis.assessments:
        dates.setdefault(a.patient_id, set()).update(t.scan_date for t in a.timepoints)
    return {pid: sorted(days) for pid, days in dates.items()}


def _measurement_order(m: MeasurementRecord) -> tuple:
    return (m.patient_id, m.scan_date, list(ROLE_RESULTS).index(m.role), m.lesion_id)


def _demographics(p: PatientRecord, arm_code: str) -> Record:
    extra = {k.lower(): v for k, v in p.extra.items()}
    return {
        "SUBJID": p.patient_id,
        "RFSTDTC": p.start_date.isoformat(),
        "RFPENDTC": p.last_contact_date.isoformat() if p.last_contact_date else "",
        "DTHDTC": p.death_date.isoformat() if p.death_date else "",
        "DTHFL": "Y" if p.death_date else "",
        "SITEID": extra.get("x_siteid", extra.get("x_site_id", "")),  # clinical.IN_DM
        "AGE": p.age,
        "AGEU": "YEARS" if p.age is not None else "",
        "SEX": p.sex or "U",
        "ARMCD": arm_code,
        "ARM": p.arm,
        "ACTARMCD": arm_code,
        "ACTARM": p.arm,
        "COUNTRY": extra.get("x_country", ""),
    }


def _evaluator(prefix: str, reader: str) -> Record:
    return {f"{prefix}EVAL": INDEPENDENT if reader else INVESTIGATOR, f"{prefix}EVALID": reader}


def _size_test(m: MeasurementRecord) -> str:
    return "LPERP" if m.lymph_node else "LDIAM"


def _size_result(code: str, mm: float) -> Record:
    text = number_text(mm)
    return {"TRTESTCD": code, "TRTEST": TESTS[code], "TRORRES": text, "TRORRESU": MM,
            "TRSTRESC": text, "TRSTRESN": float(mm), "TRSTRESU": MM}  # fmt: skip


def _not_done(code: str) -> Record:
    return {"TRTESTCD": code, "TRTEST": TESTS[code], "TRSTAT": NOT_DONE, "TRREASND": NOT_EVALUABLE}


def _results(m: MeasurementRecord) -> list[Record]:
    """The TR results of one row: a size for a target, a state otherwise, plus any sizes given.

    RECIST 1.1 supplement: absent targets are 0 mm, too-small ones TRORRES "TOO SMALL TO
    MEASURE" standardised to 5 mm, a lesion not evaluated TRSTAT "NOT DONE".
    """
    size = _size_test(m)
    if m.role is Role.TARGET:
        results = [_target_result(m, size)]
    else:
        state = "LNSTATE" if m.lymph_node else "TUMSTATE"
        if m.status is Status.NOT_EVALUATED:
            results = [_not_done(state)]
        else:
            text = STATE_RESULTS[m.status]
            results = [{"TRTESTCD": state, "TRTEST": TESTS[state],
                        "TRORRES": text, "TRSTRESC": text}]  # fmt: skip
        if m.diameter_mm is not None:
            results.append(_size_result(size, m.diameter_mm))
    if m.viable_mm is not None:
        results.append(_size_result("VLDIAM", m.viable_mm))
    return results


def _target_result(m: MeasurementRecord, size: str) -> Record:
    if m.status is Status.NOT_EVALUATED:
        return _not_done(size)
    if m.status is Status.TOO_SMALL:
        return _size_result(size, 5.0) | {"TRORRES": TOO_SMALL_RESULT, "TRORRESU": ""}
    return _size_result(size, 0.0 if m.status is Status.ABSENT else m.diameter_mm or 0.0)


def _response(code: str, result: str) -> Record:
    return {"RSTESTCD": code, "RSTEST": TESTS[code], "RSORRES": result, "RSSTRESC": result}


def _numbered(domain: str, records: Iterable[Record]) -> list[Record]:
    """`records` with --SEQ counting 1, 2, ... within each subject."""
    counts: dict[object, int] = {}
    numbered = []
    for record in records:
        counts[record["USUBJID"]] = counts.get(record["USUBJID"], 0) + 1
        numbered.append(record | {f"{domain}SEQ": counts[record["USUBJID"]]})
    return numbered


def _frame(domain: str, records: list[Record]) -> pd.DataFrame:
    """The records as a frame with every variable of the domain: blank text, NaN numbers."""
    variables = VARIABLES[domain]
    frame = pd.DataFrame.from_records(records, columns=[v.name for v in variables])
    for v in variables:
        if v.numeric:
            frame[v.name] = pd.to_numeric(frame[v.name], errors="coerce").astype("float64")
        else:
            frame[v.name] = frame[v.name].fillna("").astype(str)
    return frame
