"""Adverse events as SDTM AE (and SUPPAE), baseline variables as SUPPDM (issue 16), written as
CSV and SAS transport files and read back with pandas."""

from __future__ import annotations

from datetime import date

import pandas as pd

from model.analysis import analyse
from model.domain import AdverseEvent, PatientRecord, StudyData, Variable, VariableType
from model.sdtm.clinical import qualifier_names
from model.sdtm.datasets import write_sdtm
from model.settings import StudySettings

START = date(2024, 1, 10)


def _study() -> StudyData:
    return StudyData(
        patients=(
            PatientRecord("P1", START, "ICI", extra={"x_ecog": "1", "x_pd_l1_tps": "50"}),
            PatientRecord("P2", START, "ICI"),
        ),
        adverse_events=(
            AdverseEvent(
                "P1",
                "Pneumonitis",
                3,
                date(2024, 3, 1),
                date(2024, 3, 20),
                "pembrolizumab",
                True,
                "Respiratory",
            ),
            AdverseEvent("P2", "Fatigue", 1, date(2024, 1, 5), None, "unrelated"),
            AdverseEvent("P2", "Rash", 2, date(2024, 1, 12)),
        ),  # fmt: skip
        variables=(Variable("ecog", VariableType.CATEGORICAL, ("0", "1"), "ECOG performance"),),
    )


def test_adverse_events_and_variables_leave_as_ae_suppae_and_suppdm(tmp_path):
    write_sdtm(analyse(_study(), StudySettings()), tmp_path, study_id="NADIR")
    for name in ("ae", "suppae", "suppdm"):
        csv = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        xpt = pd.read_sas(tmp_path / f"{name}.xpt", format="xport", encoding="utf-8")
        assert list(xpt.columns) == list(csv.columns)
        assert len(xpt) == len(csv)
    ae = pd.read_csv(tmp_path / "ae.csv", dtype=str, keep_default_na=False)
    assert list(ae.columns) == ["STUDYID", "DOMAIN", "USUBJID", "AESEQ", "AETERM", "AEDECOD",
                                "AEBODSYS", "AESER", "AEREL", "AETOXGR", "AESTDTC", "AEENDTC",
                                "AESTDY", "AEENDY"]  # fmt: skip
    first = ae.iloc[0]
    assert (first.USUBJID, first.AETERM, first.AETOXGR, first.AESER, first.AEREL) == (
        "NADIR-P1", "Pneumonitis", "3", "Y", "RELATED")  # fmt: skip
    assert (first.AESTDTC, first.AEENDTC, first.AESTDY, first.AEBODSYS) == (
        "2024-03-01", "2024-03-20", "52", "Respiratory")  # fmt: skip
    assert list(ae.AEREL) == ["RELATED", "NOT RELATED", ""]
    assert list(ae.AESEQ) == ["1", "1", "2"]
    suppae = pd.read_csv(tmp_path / "suppae.csv", dtype=str, keep_default_na=False)
    assert suppae[["USUBJID", "IDVAR", "IDVARVAL", "QNAM", "QVAL"]].values.tolist() == [
        ["NADIR-P1", "AESEQ", "1", "AERELAG", "pembrolizumab"]]  # fmt: skip
    suppdm = pd.read_csv(tmp_path / "suppdm.csv", dtype=str, keep_default_na=False)
    assert suppdm[["USUBJID", "QNAM", "QLABEL", "QVAL"]].values.tolist() == [
        ["NADIR-P1", "ECOG", "ECOG performance", "1"],
        ["NADIR-P1", "PDL1TPS", "pd_l1_tps", "50"]]  # fmt: skip


def test_a_study_without_adverse_events_or_variables_writes_no_such_dataset(tmp_path):
    plain = StudyData(patients=(PatientRecord("P1", START),))
    written = write_sdtm(analyse(plain, StudySettings()), tmp_path, study_id="S")
    assert {p.stem for p in written} == {"dm", "tu", "tr", "rs"}


def test_qualifier_names_are_short_unique_and_start_with_a_letter():
    names = [Variable(n, VariableType.NUMERIC) for n in ("tumour_size_cm", "tumour_size_mm", "1st")]
    assert list(qualifier_names(names).values()) == ["TUMOURSI", "TUMOURS2", "V1ST"]
