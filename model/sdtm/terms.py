"""The SDTM variables and controlled terms Nadir writes and reads: DM, TU, TR and RS; AE
and the supplemental qualifiers (issue 16) are written only.

Sources, checked in November 2026:

- Variable names, order and labels: SDTMIG v3.3, domain models DM, TU, TR
  and RS (as listed at mycsg.in/meta_sdtm_var_master.php?domain=TU&igversion=ig3.3
  and clinedc.com/invoke?page=/docs/sdtmig33/TU). Nadir writes the Required
  and Expected variables and the Permissible ones it has data for, in the IG's
  order.
- Test codes and results: the CDISC "Disease Response Supplement to the SDTMIG"
  for RECIST 1.1 (draft 2022-09-13, wiki.cdisc.org): LDIAM for non-node
  targets, LPERP ("Longest Perpendicular", the short axis) for node targets,
  TUMSTATE and LNSTATE for the state of non-target and new lesions, TRORRES
  "TOO SMALL TO MEASURE" standardised to 5 mm, TRSTAT "NOT DONE" with TRREASND
  "NOT EVALUABLE" for a lesion not evaluated, RSTESTCD TRGRESP, NTRGRESP,
  NEWLIND, OVRLRESP; BESTRSP for best overall response (CDISC CT C96782).
- AE: SDTMIG v3.3 AE domain; AETOXGR holds the CTCAE grade (1 to 5), AESER Y
  or N, AEDECOD the reported term (Nadir codes no MedDRA terms).
- Lengths: SDTMIG section 4.5.3.1 and the FDA Study Data Technical Conformance
  Guide: TESTCD at most 8 characters, TEST at most 40; character variables are
  as long as their longest value (model/sdtm/xpt.py).

Where no CDISC term exists, the choice is Nadir's and marked as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from model.domain import Status


@dataclass(frozen=True)
class Var:
    """One SDTM variable: name, label (at most 40 characters) and whether it is numeric."""

    name: str
    label: str
    numeric: bool = False


_ID = (
    Var("STUDYID", "Study Identifier"),
    Var("DOMAIN", "Domain Abbreviation"),
    Var("USUBJID", "Unique Subject Identifier"),
)
_VISIT = (Var("VISITNUM", "Visit Number", True), Var("VISIT", "Visit Name"))

#: A supplemental qualifiers dataset (SDTMIG v3.3 section 8.4).
_SUPP = (
    Var("STUDYID", "Study Identifier"),
    Var("RDOMAIN", "Related Domain Abbreviation"),
    Var("USUBJID", "Unique Subject Identifier"),
    Var("IDVAR", "Identifying Variable"),
    Var("IDVARVAL", "Identifying Variable Value"),
    Var("QNAM", "Qualifier Variable Name"),
    Var("QLABEL", "Qualifier Variable Label"),
    Var("QVAL", "Data Value"),
    Var("QORIG", "Origin"),
)

#: Variables of each domain in SDTMIG v3.3 order.
VARIABLES: Mapping[str, tuple[Var, ...]] = {
    "DM": _ID
    + (
        Var("SUBJID", "Subject Identifier for the Study"),
        Var("RFSTDTC", "Subject Reference Start Date/Time"),
        Var("RFPENDTC", "Date/Time of End of Participation"),
        Var("DTHDTC", "Date/Time of Death"),
        Var("DTHFL", "Subject Death Flag"),
        Var("SITEID", "Study Site Identifier"),
        Var("AGE", "Age", True),
        Var("AGEU", "Age Units"),
        Var("SEX", "Sex"),
        Var("ARMCD", "Planned Arm Code"),
        Var("ARM", "Description of Planned Arm"),
        Var("ACTARMCD", "Actual Arm Code"),
        Var("ACTARM", "Description of Actual Arm"),
        Var("COUNTRY", "Country"),
    ),
    "TU": _ID
    + (
        Var("TUSEQ", "Sequence Number", True),
        Var("TULNKID", "Link ID"),
        Var("TUTESTCD", "Tumor/Lesion ID Short Name"),
        Var("TUTEST", "Tumor/Lesion ID Test Name"),
        Var("TUORRES", "Tumor/Lesion ID Result"),
        Var("TUSTRESC", "Tumor/Lesion ID Result Std. Format"),
        Var("TULOC", "Location of the Tumor/Lesion"),
        Var("TUMETHOD", "Method of Identification"),
        Var("TUEVAL", "Evaluator"),
        Var("TUEVALID", "Evaluator Identifier"),
    )
    + _VISIT
    + (
        Var("TUDTC", "Date/Time of Tumor/Lesion Identification"),
        Var("TUDY", "Study Day of Tumor/Lesion Identification", True),
    ),
    "TR": _ID
    + (
        Var("TRSEQ", "Sequence Number", True),
        Var("TRGRPID", "Group ID"),
        Var("TRLNKID", "Link ID"),
        Var("TRTESTCD", "Tumor/Lesion Assessment Short Name"),
        Var("TRTEST", "Tumor/Lesion Assessment Test Name"),
        Var("TRORRES", "Result or Finding in Original Units"),
        Var("TRORRESU", "Original Units"),
        Var("TRSTRESC", "Character Result/Finding in Std Format"),
        Var("TRSTRESN", "Numeric Result/Finding in Standard Units", True),
        Var("TRSTRESU", "Standard Units"),
        Var("TRSTAT", "Completion Status"),
        Var("TRREASND", "Reason Not Done"),
        Var("TRMETHOD", "Method Used to Identify the Tumor/Lesion"),
        Var("TREVAL", "Evaluator"),
        Var("TREVALID", "Evaluator Identifier"),
    )
    + _VISIT
    + (
        Var("TRDTC", "Date/Time of Tumor/Lesion Measurement"),
        Var("TRDY", "Study Day of Tumor/Lesion Measurement", True),
    ),
    "RS": _ID
    + (
        Var("RSSEQ", "Sequence Number", True),
        Var("RSTESTCD", "Assessment Short Name"),
        Var("RSTEST", "Assessment Name"),
        Var("RSCAT", "Category for Assessment"),
        Var("RSORRES", "Result or Finding in Original Units"),
        Var("RSSTRESC", "Character Result/Finding in Std Format"),
        Var("RSEVAL", "Evaluator"),
        Var("RSEVALID", "Evaluator Identifier"),
    )
    + _VISIT
    + (
        Var("RSDTC", "Date/Time of Assessment"),
        Var("RSDY", "Study Day of Assessment", True),
    ),
    "SUPPTU": _SUPP,
    "SUPPDM": _SUPP,
    "SUPPAE": _SUPP,
    "AE": _ID
    + (
        Var("AESEQ", "Sequence Number", True),
        Var("AETERM", "Reported Term for the Adverse Event"),
        Var("AEDECOD", "Dictionary-Derived Term"),
        Var("AEBODSYS", "Body System or Organ Class"),
        Var("AESER", "Serious Event"),
        Var("AEREL", "Causality"),
        Var("AETOXGR", "Standard Toxicity Grade"),
        Var("AESTDTC", "Start Date/Time of Adverse Event"),
        Var("AEENDTC", "End Date/Time of Adverse Event"),
        Var("AESTDY", "Study Day of Start of Adverse Event", True),
        Var("AEENDY", "Study Day of End of Adverse Event", True),
    ),
}

#: Dataset labels (SDTMIG v3.3 domain titles).
DATASET_LABELS: Mapping[str, str] = {
    "DM": "Demographics",
    "TU": "Tumor/Lesion Identification",
    "TR": "Tumor/Lesion Results",
    "RS": "Disease Response and Clin Classification",
    "SUPPTU": "Supplemental Qualifiers for TU",
    "AE": "Adverse Events",
    "SUPPAE": "Supplemental Qualifiers for AE",
    "SUPPDM": "Supplemental Qualifiers for DM",
}

#: AEREL (causality; the IG leaves its terms to the sponsor, CDISC CT C66742 NY-like):
#: attributed to something, to nothing, blank when unknown.
RELATED, NOT_RELATED = "RELATED", "NOT RELATED"

#: The supplemental qualifier naming what an adverse event is attributed to (Nadir's name:
#: AEREL holds only whether it is related).
ATTRIBUTED_TO = {"QNAM": "AERELAG", "QLABEL": "Attributed To", "QORIG": "CRF"}

#: The supplemental qualifier of a lesion that received local therapy (Nadir's name).
LOCAL_THERAPY = {"QNAM": "LOCTHFL", "QLABEL": "Lesion Received Local Therapy", "QVAL": "Y",
                 "QORIG": "CRF"}  # fmt: skip

#: Test names of the test codes Nadir writes (CDISC CT C96783, C96778, C96781).
TESTS: Mapping[str, str] = {
    "TUMIDENT": "Tumor Identification",
    "LDIAM": "Longest Diameter",
    "LPERP": "Longest Perpendicular",
    "SUMDIAM": "Sum of Diameter",
    "TUMSTATE": "Tumor State",
    "LNSTATE": "Lymph Node State",
    # Nadir's choice: no CDISC code for mRECIST's viable tumour diameter was found.
    "VLDIAM": "Longest Diameter of Viable Tumor",
    "TRGRESP": "Target Response",
    "NTRGRESP": "Non-target Response",
    "NEWLIND": "New Lesion Indicator",
    "OVRLRESP": "Overall Response",
    "BESTRSP": "Best Overall Response",
}

#: Size tests: the longest diameter, the node short axis, and the IG's older
#: DIAMETER (read only; a node is then known by its location).
SIZE_TESTS = frozenset({"LDIAM", "LPERP", "SAXIS", "DIAMETER"})
NODE_TESTS = frozenset({"LPERP", "SAXIS", "LNSTATE"})
STATE_TESTS = frozenset({"TUMSTATE", "LNSTATE"})
VIABLE_TEST = "VLDIAM"

#: TRORRES of a tumour state, by status (RECIST 1.1 supplement; "INCREASED" and
#: "EQUIVOCAL" are Nadir's for iRECIST and equivocal new lesions).
STATE_RESULTS: Mapping[Status, str] = {
    Status.PRESENT: "PRESENT",
    Status.ABSENT: "ABSENT",
    Status.PROGRESSION: "UNEQUIVOCAL PROGRESSION",
    Status.INCREASED: "INCREASED",
    Status.EQUIVOCAL: "EQUIVOCAL",
}

#: A target present but too small to measure (RECIST 1.1 supplement, TR row 30).
TOO_SMALL_RESULT = "TOO SMALL TO MEASURE"
NOT_DONE, NOT_EVALUABLE = "NOT DONE", "NOT EVALUABLE"

#: TUORRES of each role; NEW TARGET and NEW NON-TARGET (CDASH) are read as new.
ROLE_RESULTS = {"target": "TARGET", "non-target": "NON-TARGET", "new": "NEW"}


#: Evaluators (CDISC CT EVAL): the study's single reader is taken as the
#: investigator; a named reader as an independent assessor, named in --EVALID.
INVESTIGATOR, INDEPENDENT = "INVESTIGATOR", "INDEPENDENT ASSESSOR"

#: Imaging modality -> TRMETHOD (CDISC CT METHOD); others are written upper-cased.
METHODS: Mapping[str, str] = {
    "CT": "CT SCAN",
    "MRI": "MRI",
    "PET-CT": "PET/CT SCAN",
    "PET": "PET SCAN",
    "X-RAY": "X-RAY",
    "US": "ULTRASOUND",
}


def number_text(value: float) -> str:
    """`value` as a result text: no trailing ".0" on whole numbers ("23", "23.5")."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def frame_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as CSV holds it: numbers as result texts, missing values blank."""
    return frame.apply(
        lambda column: (
            column.map(lambda x: "" if pd.isna(x) else number_text(x))
            if column.dtype.kind == "f"
            else column.fillna("").astype(str)
        )
    )
