"""The study's adverse events as SDTM AE (with SUPPAE) and its baseline variables as SUPPDM
(issue 16); variables and terms in model/sdtm/terms.py.

Nadir-specific choices: AEDECOD repeats the reported term (no MedDRA coding is held);
AEREL says RELATED when the event is attributed to a drug or procedure, NOT RELATED when to
nothing (`unrelated`), and is blank when unknown, the drug or procedure itself going to SUPPAE
(QNAM AERELAG); a variable's QNAM is its name upper-cased, letters and digits only, at most
8 characters and unique (SDTMIG 4.5.3.1), its QLABEL its label (or name) cut to 40.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from model.domain import AdverseEvent, PatientRecord, Variable
from model.rules.clinical import UNRELATED, effective_variables, value_pairs, variable_values
from model.sdtm.terms import ATTRIBUTED_TO, NOT_RELATED, RELATED

Record = dict[str, object]
_QORIG = "CRF"
#: Variables that DM holds itself (SITEID, COUNTRY; model/sdtm/datasets.py), not in SUPPDM.
IN_DM = frozenset({"siteid", "site_id", "country"})


def _day(day: date, reference: date | None) -> int | None:
    """SDTM study day: day 1 is the reference date and there is no day 0 (SDTMIG 4.4.4)."""
    if reference is None:
        return None
    days = (day - reference).days
    return days + 1 if days >= 0 else days


def relatedness(attribution: str | None) -> str:
    """AEREL of an attribution: RELATED, NOT RELATED, or blank when unknown."""
    if attribution is None:
        return ""
    return NOT_RELATED if attribution.lower() == UNRELATED else RELATED


def ae_records(
    study_id: str, events: Iterable[AdverseEvent], starts: dict[str, date]
) -> Iterator[Record]:
    """The AE records of `events`, in their order (AESEQ is numbered by the caller)."""
    for e in events:
        start = starts.get(e.patient_id)
        yield {
            "STUDYID": study_id,
            "DOMAIN": "AE",
            "USUBJID": f"{study_id}-{e.patient_id}",
            "AETERM": e.term,
            "AEDECOD": e.term,
            "AEBODSYS": e.category or "",
            "AESER": "Y" if e.serious else "N",
            "AEREL": relatedness(e.attribution),
            "AETOXGR": str(e.grade),
            "AESTDTC": e.start_date.isoformat(),
            "AEENDTC": e.end_date.isoformat() if e.end_date else "",
            "AESTDY": _day(e.start_date, start),
            "AEENDY": _day(e.end_date, start) if e.end_date else None,
        }


def suppae_records(study_id: str, ae: Iterable[Record], events: Iterable[AdverseEvent]):
    """The SUPPAE records naming what each attributed adverse event is attributed to."""
    for record, event in zip(ae, events, strict=True):
        if relatedness(event.attribution) == RELATED:
            yield {
                "STUDYID": study_id,
                "RDOMAIN": "AE",
                "USUBJID": record["USUBJID"],
                "IDVAR": "AESEQ",
                "IDVARVAL": str(record["AESEQ"]),
                "QVAL": event.attribution,
            } | ATTRIBUTED_TO


def qualifier_names(variables: Iterable[Variable]) -> dict[str, str]:
    """QNAM of each variable: upper-case letters and digits, at most 8, unique (SDTMIG)."""
    names: dict[str, str] = {}
    for variable in variables:
        base = "".join(c for c in variable.name.upper() if c.isascii() and c.isalnum())
        base = base if base and not base[0].isdigit() else f"V{base}"
        name, n = base[:8], 1
        while name in names.values():
            n += 1
            name = f"{base[: 8 - len(str(n))]}{n}"
        names[variable.name] = name
    return names


def suppdm_records(
    study_id: str, patients: Iterable[PatientRecord], declared: Iterable[Variable]
) -> Iterator[Record]:
    """The SUPPDM records of every patient's variable values, variables in the study's order."""
    patients = list(patients)
    found = effective_variables(tuple(declared), value_pairs(patients))
    variables = [v for v in found if v.name.lower() not in IN_DM]
    qnam = qualifier_names(variables)
    for p in patients:
        values = variable_values(p)
        for v in variables:
            if v.name in values:
                yield {
                    "STUDYID": study_id,
                    "RDOMAIN": "DM",
                    "USUBJID": f"{study_id}-{p.patient_id}",
                    "IDVAR": "",
                    "IDVARVAL": "",
                    "QNAM": qnam[v.name],
                    "QLABEL": (v.label or v.name)[:40],
                    "QVAL": values[v.name],
                    "QORIG": _QORIG,
                }
