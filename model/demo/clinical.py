"""The demo study's baseline variables and adverse events (issue 16), drawn per patient.

Variables as a sarcoma immunotherapy paper's Table 1 reports them: histology grouped by
sensitivity to immune checkpoint inhibitors (alveolar soft part sarcoma, undifferentiated
pleomorphic sarcoma and angiosarcoma respond best), a primary tumour over 10 cm, prior
systemic lines, chemotherapy and TKI exposure, ECOG, PD-L1 (TPS), TMB and tertiary lymphoid
structures, a few left blank as in real records. Adverse events as immunotherapy trials
report them (fatigue, rash, diarrhoea, hypothyroidism, pneumonitis, hepatitis, ...),
attributed to the patient's drug; the dTACE arm adds the post-embolisation syndrome (pain,
fever, nausea, transaminases), attributed to dTACE and resolving within days. All made up.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from model.domain import AdverseEvent, EventRecord, PatientRecord, Variable, VariableType
from model.rules.clinical import variable_column

_C, _N = VariableType.CATEGORICAL, VariableType.NUMERIC
_NO_YES = ("no", "yes")

#: The demo's declared variables, in the order of its Table 1.
VARIABLES = (
    Variable("histology_group", _C, ("ICI-sensitive", "intermediate", "ICI-resistant"),
             "ICI histology group"),
    Variable("size_over_10cm", _C, _NO_YES, "Primary tumour over 10 cm"),
    Variable("prior_lines", _N, (), "Prior systemic lines"),
    Variable("prior_chemo", _C, _NO_YES, "Prior chemotherapy"),
    Variable("prior_tki", _C, _NO_YES, "Prior TKI"),
    Variable("ecog", _C, ("0", "1", "2"), "ECOG performance status"),
    Variable("pdl1", _N, (), "PD-L1 (TPS)", "%"),
    Variable("tmb", _N, (), "Tumour mutational burden", "mut/Mb"),
    Variable("tls", _C, ("absent", "present"), "Tertiary lymphoid structures"),
)  # fmt: skip

#: Histologies that respond to checkpoint inhibitors (the demo's grouping).
ICI_SENSITIVE = (
    "alveolar soft part sarcoma (ASPS)",
    "undifferentiated pleomorphic sarcoma (UPS)",
    "angiosarcoma (AS)",
)
#: Histologies with occasional responses (dedifferentiated liposarcoma), the demo's middle
#: group; the others are grouped as resistant.
ICI_INTERMEDIATE = ("liposarcoma (LPS)",)

#: Immune-related adverse events: term, system organ class, chance per patient, and the
#: chance that one is grade 3 or higher.
IMMUNE_AES = (
    ("Fatigue", "General disorders and administration site conditions", 0.35, 0.03),
    ("Rash maculo-papular", "Skin and subcutaneous tissue disorders", 0.2, 0.08),
    ("Pruritus", "Skin and subcutaneous tissue disorders", 0.15, 0.0),
    ("Diarrhea", "Gastrointestinal disorders", 0.15, 0.12),
    ("Hypothyroidism", "Endocrine disorders", 0.1, 0.0),
    ("Arthralgia", "Musculoskeletal and connective tissue disorders", 0.08, 0.05),
    ("Alanine aminotransferase increased", "Investigations", 0.07, 0.3),
    ("Pneumonitis", "Respiratory, thoracic and mediastinal disorders", 0.05, 0.4),
    ("Colitis", "Gastrointestinal disorders", 0.04, 0.5),
)

#: The post-embolisation syndrome after a dTACE: term, organ class, chance per procedure,
#: chance of grade 3.
EMBOLISATION_AES = (
    ("Abdominal pain", "Gastrointestinal disorders", 0.2, 0.1),
    ("Fever", "General disorders and administration site conditions", 0.15, 0.0),
    ("Nausea", "Gastrointestinal disorders", 0.12, 0.05),
    ("Aspartate aminotransferase increased", "Investigations", 0.08, 0.15),
)


def _maybe(rng: random.Random, text: str, missing: float) -> str:
    return "" if rng.random() < missing else text


def _histology_group(histology: str | None) -> str:
    if histology in ICI_SENSITIVE:
        return "ICI-sensitive"
    return "intermediate" if histology in ICI_INTERMEDIATE else "ICI-resistant"


def baseline_values(rng: random.Random, record: PatientRecord) -> dict[str, str]:
    """Returns the patient's variable values as `x_` fields (blank ones left out)."""
    sensitive = record.histology in ICI_SENSITIVE
    lines = rng.choice((0, 1, 1, 1, 2, 2, 3))
    values = {
        "histology_group": _histology_group(record.histology),
        "size_over_10cm": _NO_YES[rng.random() < 0.35],
        "prior_lines": str(lines),
        "prior_chemo": _NO_YES[lines > 0 and rng.random() < 0.9],
        "prior_tki": _NO_YES[lines > 1 and rng.random() < 0.5],
        "ecog": rng.choice("0001112"),
        "pdl1": _maybe(rng, str(min(100, int(rng.expovariate(1 / (18 if sensitive else 6))))),
                       0.2),
        "tmb": _maybe(rng, f"{rng.lognormvariate(0.9, 0.6):.1f}", 0.3),
        "tls": _maybe(rng, ("absent", "present")[rng.random() < (0.55 if sensitive else 0.25)],
                      0.25),
    }  # fmt: skip
    return {variable_column(name): text for name, text in values.items() if text}


def adverse_events(
    rng: random.Random, record: PatientRecord, events: list[EventRecord]
) -> list[AdverseEvent]:
    """Returns the patient's adverse events, by onset."""
    end = record.death_date or record.last_contact_date or record.start_date
    found: list[AdverseEvent] = []
    for treatment in (e for e in events if e.kind == "treatment" and e.detail):
        stop = min(treatment.end_date or end, end)
        for term, organ, chance, severe in IMMUNE_AES:
            if rng.random() < chance and stop > treatment.start_date:
                onset = treatment.start_date + timedelta(days=rng.randint(7, 120))
                if onset <= stop:
                    grade = (
                        rng.choice((3, 3, 4)) if rng.random() < severe else rng.choice((1, 1, 2))
                    )
                    cause = (
                        treatment.detail if rng.random() < 0.85 else rng.choice(("unrelated", None))
                    )
                    found.append(_event(rng, record, term, grade, onset, cause, organ, end, 10, 90))
    for procedure in (e for e in events if e.kind == "procedure" and e.detail == "dTACE"):
        for term, organ, chance, severe in EMBOLISATION_AES:
            if rng.random() < chance:
                onset = procedure.start_date + timedelta(days=rng.randint(0, 3))
                if onset > end:
                    continue
                grade = 3 if rng.random() < severe else rng.choice((1, 1, 2))
                found.append(_event(rng, record, term, grade, onset, "dTACE", organ, end, 2, 10))
    return sorted(found, key=lambda e: (e.start_date, e.term))


def _event(
    rng: random.Random,
    record: PatientRecord,
    term: str,
    grade: int,
    onset: date,
    cause: str | None,
    organ: str,
    end: date,
    shortest: int,
    longest: int,
) -> AdverseEvent:
    resolved = onset + timedelta(days=rng.randint(shortest, longest))
    return AdverseEvent(
        record.patient_id,
        term,
        grade,
        onset,
        resolved if resolved <= end and grade < 5 else None,
        cause,
        grade >= 3 and rng.random() < 0.6,
        organ,
    )
