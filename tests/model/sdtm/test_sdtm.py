"""SDTM export (issue #9): DM, TU, TR and RS checked variable by variable against SDTMIG v3.3
and the CDISC RECIST 1.1 disease response supplement, for a small hand-made study."""

from datetime import date

import pytest

from model.analysis import analyse
from model.domain import (
    Criteria,
    MeasurementRecord,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    StudyData,
)
from model.sdtm.datasets import arm_codes, sdtm_tables, study_day
from model.settings import StudySettings

BASE, FU1, FU2 = date(2024, 1, 3), date(2024, 2, 14), date(2024, 3, 27)
P2_BASE, P2_FU1 = date(2024, 2, 1), date(2024, 3, 15)


def _row(pid, day, lesion, role, status, **kw) -> MeasurementRecord:
    return MeasurementRecord(pid, day, lesion, role, status, **kw)


def small_study() -> StudyData:
    """P01 (single reader): a liver target, a node target, a lung non-target, a new lesion;
    P02 (reader R1): one locally treated target measured in two fragments."""
    t, nt, new = Role.TARGET, Role.NON_TARGET, Role.NEW
    m = Status.MEASURED
    node = {"site": "mediastinal node", "lymph_node": True}
    rows = [
        _row("P01", BASE, "T1", t, m, site="liver", diameter_mm=30.0),
        _row("P01", BASE, "T2", t, m, diameter_mm=20.0, **node),
        _row("P01", BASE, "NT1", nt, Status.PRESENT, site="lung"),
        _row("P01", FU1, "T1", t, Status.TOO_SMALL, site="liver"),
        _row("P01", FU1, "T2", t, m, diameter_mm=8.0, **node),
        _row("P01", FU1, "NT1", nt, Status.ABSENT, site="lung"),
        _row("P01", FU2, "T1", t, Status.NOT_EVALUATED, site="liver"),
        _row("P01", FU2, "T2", t, m, diameter_mm=9.5, **node),
        _row("P01", FU2, "NT1", nt, Status.PROGRESSION, site="lung"),
        _row("P01", FU2, "N1", new, Status.PRESENT, site="liver", diameter_mm=12.0),
    ]
    treated = {"site": "bone", "irradiated": True, "reader": "R1"}
    rows += [
        _row("P02", P2_BASE, "T1", t, m, diameter_mm=10.0, **treated),
        _row("P02", P2_BASE, "T1", t, m, diameter_mm=15.0, **treated),
        _row("P02", P2_FU1, "T1", t, Status.ABSENT, **treated),
    ]
    patients = (
        PatientRecord("P01", date(2024, 1, 1), arm="Drug A", sex="F", age=61.0,
                      last_contact_date=date(2024, 6, 1)),
        PatientRecord("P02", P2_BASE, arm="Drug B", sex="M", age=70.5,
                      death_date=date(2024, 5, 10), extra={"x_siteid": "012"}),
    )  # fmt: skip
    scans = (ScanRecord("P01", BASE, "CT"), ScanRecord("P01", FU1, "MRI"))
    return StudyData(patients, tuple(rows), scans)


@pytest.fixture(scope="module")
def tables():
    return sdtm_tables(analyse(small_study(), StudySettings()), "NDR01")


def _records(frame, **where):
    for name, value in where.items():
        frame = frame[frame[name] == value]
    return frame.to_dict(orient="records")


def _one(frame, **where) -> dict:
    records = _records(frame, **where)
    assert len(records) == 1, records
    return records[0]


def test_variables_are_in_sdtmig_order(tables):
    """Each domain's columns follow the SDTMIG v3.3 domain model's order."""
    assert list(tables["DM"].columns) == [
        "STUDYID", "DOMAIN", "USUBJID", "SUBJID", "RFSTDTC", "RFPENDTC", "DTHDTC", "DTHFL",
        "SITEID", "AGE", "AGEU", "SEX", "ARMCD", "ARM", "ACTARMCD", "ACTARM", "COUNTRY",
    ]  # fmt: skip
    assert list(tables["TU"].columns) == [
        "STUDYID", "DOMAIN", "USUBJID", "TUSEQ", "TULNKID", "TUTESTCD", "TUTEST", "TUORRES",
        "TUSTRESC", "TULOC", "TUMETHOD", "TUEVAL", "TUEVALID", "VISITNUM", "VISIT", "TUDTC",
        "TUDY",
    ]  # fmt: skip
    assert list(tables["TR"].columns) == [
        "STUDYID", "DOMAIN", "USUBJID", "TRSEQ", "TRGRPID", "TRLNKID", "TRTESTCD", "TRTEST",
        "TRORRES", "TRORRESU", "TRSTRESC", "TRSTRESN", "TRSTRESU", "TRSTAT", "TRREASND",
        "TRMETHOD", "TREVAL", "TREVALID", "VISITNUM", "VISIT", "TRDTC", "TRDY",
    ]  # fmt: skip
    assert list(tables["RS"].columns) == [
        "STUDYID", "DOMAIN", "USUBJID", "RSSEQ", "RSTESTCD", "RSTEST", "RSCAT", "RSORRES",
        "RSSTRESC", "RSEVAL", "RSEVALID", "VISITNUM", "VISIT", "RSDTC", "RSDY",
    ]  # fmt: skip


def test_dm_has_one_record_per_subject(tables):
    """DM: one record per subject; RFSTDTC the start, DTHFL Y with DTHDTC (SDTMIG v3.3 DM)."""
    p01, p02 = tables["DM"].to_dict(orient="records")
    assert p01 | {"AGE": 61.0} == {
        "STUDYID": "NDR01", "DOMAIN": "DM", "USUBJID": "NDR01-P01", "SUBJID": "P01",
        "RFSTDTC": "2024-01-01", "RFPENDTC": "2024-06-01", "DTHDTC": "", "DTHFL": "",
        "SITEID": "", "AGE": 61.0, "AGEU": "YEARS", "SEX": "F", "ARMCD": "DRUGA",
        "ARM": "Drug A", "ACTARMCD": "DRUGA", "ACTARM": "Drug A", "COUNTRY": "",
    }  # fmt: skip
    assert (p02["DTHDTC"], p02["DTHFL"], p02["AGE"], p02["SITEID"]) == ("2024-05-10", "Y", 70.5,
                                                                         "012")  # fmt: skip


def test_tu_identifies_each_lesion_once_where_first_seen(tables):
    """TU: TUTESTCD TUMIDENT, TUORRES TARGET / NON-TARGET / NEW at the visit it was identified."""
    tu = tables["TU"]
    assert list(zip(tu.USUBJID, tu.TULNKID, tu.TUORRES, strict=True)) == [
        ("NDR01-P01", "T1", "TARGET"), ("NDR01-P01", "T2", "TARGET"),
        ("NDR01-P01", "NT1", "NON-TARGET"), ("NDR01-P01", "N1", "NEW"),
        ("NDR01-P02", "T1", "TARGET"),
    ]  # fmt: skip
    new = _one(tu, TULNKID="N1")
    assert new | {"TUDY": 0} == {
        "STUDYID": "NDR01", "DOMAIN": "TU", "USUBJID": "NDR01-P01", "TUSEQ": 4.0,
        "TULNKID": "N1", "TUTESTCD": "TUMIDENT", "TUTEST": "Tumor Identification",
        "TUORRES": "NEW", "TUSTRESC": "NEW", "TULOC": "LIVER", "TUMETHOD": "",
        "TUEVAL": "INVESTIGATOR", "TUEVALID": "", "VISITNUM": 3.0, "VISIT": "FOLLOW-UP 2",
        "TUDTC": "2024-03-27", "TUDY": 0,
    }  # fmt: skip
    assert new["TUDY"] == 87  # 2024-01-01 is day 1
    assert _one(tu, TULNKID="T1", USUBJID="NDR01-P01")["TUMETHOD"] == "CT SCAN"
    assert _one(tu, USUBJID="NDR01-P02")[["TUEVAL", "TUEVALID"][0]] == "INDEPENDENT ASSESSOR"


def test_tr_measured_target_in_mm(tables):
    """TR: a measured non-node target is LDIAM with TRORRES/TRSTRESC/TRSTRESN in mm."""
    record = _one(tables["TR"], USUBJID="NDR01-P01", TRLNKID="T1", VISITNUM=1.0)
    assert record | {"TRSEQ": 0} == {
        "STUDYID": "NDR01", "DOMAIN": "TR", "USUBJID": "NDR01-P01", "TRSEQ": 0,
        "TRGRPID": "TARGET", "TRLNKID": "T1", "TRTESTCD": "LDIAM", "TRTEST": "Longest Diameter",
        "TRORRES": "30", "TRORRESU": "mm", "TRSTRESC": "30", "TRSTRESN": 30.0,
        "TRSTRESU": "mm", "TRSTAT": "", "TRREASND": "", "TRMETHOD": "CT SCAN",
        "TREVAL": "INVESTIGATOR", "TREVALID": "", "VISITNUM": 1.0, "VISIT": "BASELINE",
        "TRDTC": "2024-01-03", "TRDY": 3.0,
    }  # fmt: skip


def test_tr_node_target_is_longest_perpendicular(tables):
    """RECIST 1.1 supplement: a node target's short axis is LPERP (Longest Perpendicular)."""
    records = _records(tables["TR"], USUBJID="NDR01-P01", TRLNKID="T2")
    assert [(r["TRTESTCD"], r["TRTEST"], r["TRORRES"], r["TRSTRESN"]) for r in records] == [
        ("LPERP", "Longest Perpendicular", "20", 20.0),
        ("LPERP", "Longest Perpendicular", "8", 8.0),
        ("LPERP", "Longest Perpendicular", "9.5", 9.5),
    ]


def test_tr_too_small_is_standardised_to_5_mm(tables):
    """RECIST 1.1 supplement TR row 30: TRORRES TOO SMALL TO MEASURE, TRSTRESC/N 5 mm."""
    record = _one(tables["TR"], USUBJID="NDR01-P01", TRLNKID="T1", VISITNUM=2.0)
    assert (record["TRORRES"], record["TRORRESU"], record["TRSTRESC"], record["TRSTRESN"],
            record["TRSTRESU"], record["TRMETHOD"]) == ("TOO SMALL TO MEASURE", "", "5", 5.0,
                                                        "mm", "MRI")  # fmt: skip


def test_tr_not_evaluated_is_not_done(tables):
    """RECIST 1.1 supplement TR rows 14-16: TRSTAT NOT DONE with TRREASND, no result."""
    record = _one(tables["TR"], USUBJID="NDR01-P01", TRLNKID="T1", VISITNUM=3.0)
    assert (record["TRTESTCD"], record["TRORRES"], record["TRSTAT"], record["TRREASND"]) == (
        "LDIAM", "", "NOT DONE", "NOT EVALUABLE")  # fmt: skip
    assert record["TRSTRESN"] != record["TRSTRESN"]  # NaN: no numeric result


def test_tr_non_target_states(tables):
    """TUMSTATE: PRESENT, ABSENT, UNEQUIVOCAL PROGRESSION (RECIST 1.1 supplement)."""
    records = _records(tables["TR"], USUBJID="NDR01-P01", TRLNKID="NT1")
    assert [(r["TRGRPID"], r["TRTESTCD"], r["TRORRES"], r["TRSTRESC"]) for r in records] == [
        ("NON-TARGET", "TUMSTATE", "PRESENT", "PRESENT"),
        ("NON-TARGET", "TUMSTATE", "ABSENT", "ABSENT"),
        ("NON-TARGET", "TUMSTATE", "UNEQUIVOCAL PROGRESSION", "UNEQUIVOCAL PROGRESSION"),
    ]


def test_tr_new_lesion_state_and_size(tables):
    """A new lesion: its TUMSTATE, and its longest diameter when measured (iRECIST)."""
    records = _records(tables["TR"], TRLNKID="N1")
    assert [(r["TRGRPID"], r["TRTESTCD"], r["TRORRES"]) for r in records] == [
        ("NEW", "TUMSTATE", "PRESENT"), ("NEW", "LDIAM", "12")]  # fmt: skip


def test_tr_sum_of_diameters_per_time_point(tables):
    """SUMDIAM per time point with a sum: 50, then 5 + 8 = 13; none where a target is NE."""
    records = _records(tables["TR"], USUBJID="NDR01-P01", TRTESTCD="SUMDIAM")
    assert [(r["TRLNKID"], r["TRORRES"], r["TRSTRESN"], r["VISITNUM"]) for r in records] == [
        ("", "50", 50.0, 1.0), ("", "13", 13.0, 2.0)]  # fmt: skip


def test_tr_fragments_share_their_link_id(tables):
    """Fragments of one target are separate TR records with one TRLNKID; absent is 0 mm."""
    records = _records(tables["TR"], USUBJID="NDR01-P02", TRLNKID="T1")
    assert [(r["TRORRES"], r["VISITNUM"], r["TREVALID"]) for r in records] == [
        ("10", 1.0, "R1"), ("15", 1.0, "R1"), ("0", 2.0, "R1")]  # fmt: skip


def test_supptu_flags_locally_treated_lesions(tables):
    """SUPPTU (SDTMIG 8.4): QNAM LOCTHFL = Y on the TUSEQ of the treated lesion."""
    (record,) = tables["SUPPTU"].to_dict(orient="records")
    assert record == {
        "STUDYID": "NDR01", "RDOMAIN": "TU", "USUBJID": "NDR01-P02", "IDVAR": "TUSEQ",
        "IDVARVAL": "1", "QNAM": "LOCTHFL", "QLABEL": "Lesion Received Local Therapy",
        "QVAL": "Y", "QORIG": "CRF",
    }  # fmt: skip


def test_rs_time_point_responses(tables):
    """RS: TRGRESP, NTRGRESP, NEWLIND, OVRLRESP per post-baseline visit, RSCAT the criteria."""
    records = _records(tables["RS"], USUBJID="NDR01-P01")
    assert [(r["RSTESTCD"], r["RSORRES"], r["VISITNUM"]) for r in records[:-1]] == [
        ("TRGRESP", "PR", 2.0), ("NTRGRESP", "CR", 2.0), ("NEWLIND", "N", 2.0),
        ("OVRLRESP", "PR", 2.0),
        ("TRGRESP", "NE", 3.0), ("NTRGRESP", "PD", 3.0), ("NEWLIND", "Y", 3.0),
        ("OVRLRESP", "PD", 3.0),
    ]  # fmt: skip
    overall = _one(tables["RS"], USUBJID="NDR01-P01", RSTESTCD="OVRLRESP", VISITNUM=2.0)
    assert overall | {"RSSEQ": 0} == {
        "STUDYID": "NDR01", "DOMAIN": "RS", "USUBJID": "NDR01-P01", "RSSEQ": 0,
        "RSTESTCD": "OVRLRESP", "RSTEST": "Overall Response", "RSCAT": "RECIST 1.1",
        "RSORRES": "PR", "RSSTRESC": "PR", "RSEVAL": "INVESTIGATOR", "RSEVALID": "",
        "VISITNUM": 2.0, "VISIT": "FOLLOW-UP 1", "RSDTC": "2024-02-14", "RSDY": 45.0,
    }  # fmt: skip


def test_rs_best_overall_response_has_no_visit(tables):
    """BESTRSP: one per subject, not tied to a visit; the reader as evaluator."""
    best = _records(tables["RS"], RSTESTCD="BESTRSP")
    assert [(r["USUBJID"], r["RSORRES"], r["RSDTC"], r["RSEVAL"], r["RSEVALID"]) for r in best] == [
        ("NDR01-P01", "PR", "", "INVESTIGATOR", ""),
        ("NDR01-P02", "CR", "", "INDEPENDENT ASSESSOR", "R1"),
    ]  # fmt: skip


def test_seq_counts_within_each_subject(tables):
    """--SEQ is unique within a subject (SDTMIG 4.1.5): 1, 2, ... per USUBJID."""
    for name in ("TU", "TR", "RS"):
        frame = tables[name]
        for _, group in frame.groupby("USUBJID"):
            assert list(group[f"{name}SEQ"]) == list(range(1, len(group) + 1))


def test_irecist_responses_keep_their_codes():
    """RSCAT "iRECIST" and iRECIST's own codes (iPR, iUPD, ...) in RSORRES (Seymour 2017)."""
    settings = StudySettings(criteria=Criteria.IRECIST)
    rs = sdtm_tables(analyse(small_study(), settings), "NDR01")["RS"]
    assert set(rs.RSCAT) == {"iRECIST"}
    overall = _records(rs, USUBJID="NDR01-P01", RSTESTCD="OVRLRESP")
    assert [r["RSORRES"] for r in overall] == ["iPR", "iUPD"]


def test_rscat_names_the_criteria():
    """RSCAT is "mRECIST" for a study read by mRECIST; TR carries the viable diameter."""
    rows = tuple(
        _row("P01", day, "T1", Role.TARGET, Status.MEASURED, site="liver", diameter_mm=40.0,
             viable_mm=viable)
        for day, viable in ((BASE, 40.0), (FU1, 10.0))
    )  # fmt: skip
    study = StudyData((PatientRecord("P01", BASE),), rows)
    tables = sdtm_tables(analyse(study, StudySettings(criteria=Criteria.MRECIST)), "NDR01")
    rs = tables["RS"]
    assert set(rs.RSCAT) == {"mRECIST"}
    assert _one(rs, RSTESTCD="OVRLRESP")["RSORRES"] == "PR"
    viable = _records(tables["TR"], TRTESTCD="VLDIAM")
    assert [r["TRSTRESN"] for r in viable] == [40.0, 10.0]


def test_test_codes_and_names_fit_their_lengths(tables):
    """TESTCD at most 8 characters, letters, digits and _; TEST at most 40 (SDTMIG 4.5.3.1)."""
    for prefix in ("TU", "TR", "RS"):
        frame = tables[prefix]
        assert all(len(c) <= 8 and c.replace("_", "").isalnum() for c in frame[f"{prefix}TESTCD"])
        assert all(len(t) <= 40 for t in frame[f"{prefix}TEST"])


def test_study_day_has_no_day_zero():
    """SDTMIG 4.4.4: the reference date is day 1, the day before it day -1."""
    start = date(2024, 1, 10)
    assert [study_day(date(2024, 1, d), start) for d in (9, 10, 11)] == [-1, 1, 2]


def test_arm_codes_are_short_and_unique():
    """ARMCD at most 20 characters, unique per arm (SDTMIG v3.3 DM)."""
    codes = arm_codes(["Drug A", "drug-a", "Immunotherapy + dTACE and a very long tail"])
    assert len(set(codes.values())) == 3
    assert all(len(c) <= 20 for c in codes.values())
    assert codes["Drug A"] == "DRUGA"
