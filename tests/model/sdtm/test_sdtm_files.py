"""SDTM files (issue #9): the XPT files read back by an independent reader (pandas) give the
CSV's values, and a study survives the round trip study -> SDTM -> StudyData."""

import math
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from model.analysis import analyse
from model.demo.cohort import demo_study
from model.errors import InputError
from model.sdtm.datasets import sdtm_tables, write_sdtm
from model.sdtm.read import read_sdtm
from model.sdtm.terms import VARIABLES
from model.settings import StudySettings
from tests.model.sdtm.test_sdtm import small_study


def _key(m):
    return (m.patient_id, m.reader, m.scan_date, m.lesion_id, m.diameter_mm or 0.0)


def _comparable(measurements):
    return sorted((replace(m, source=None, extra={}) for m in measurements), key=_key)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sdtm")
    study = small_study()
    paths = write_sdtm(analyse(study, StudySettings()), folder, study_id="NDR01")
    return study, folder, paths


def test_files_are_named_by_domain(written):
    """dm, tu, tr, rs (and supptu) as .csv and .xpt."""
    _, folder, paths = written
    names = ["dm", "tu", "tr", "rs", "supptu"]
    assert [p.name for p in paths] == [f"{n}.{ext}" for n in names for ext in ("csv", "xpt")]
    assert all(p.parent == folder for p in paths)


@pytest.mark.parametrize("name", ["dm", "tu", "tr", "rs", "supptu"])
def test_xpt_read_by_pandas_equals_csv(written, name):
    """pandas.read_sas(format="xport") reads every variable and value the CSV holds (TS-140)."""
    _, folder, _ = written
    xpt = pd.read_sas(folder / f"{name}.xpt", format="xport", encoding="utf-8")
    csv = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
    variables = VARIABLES[name.upper()]
    assert list(xpt.columns) == list(csv.columns) == [v.name for v in variables]
    assert len(xpt) == len(csv) > 0
    for v in variables:
        if v.numeric:
            expected = [float(x) if x else math.nan for x in csv[v.name]]
            # pandas reads an IBM zero as 16**-65 (pandas issue #50670).
            assert xpt[v.name].tolist() == pytest.approx(expected, abs=1e-70, nan_ok=True)
        else:
            assert xpt[v.name].tolist() == csv[v.name].tolist(), v.name


def test_xpt_labels_and_dataset_name(written):
    """The dataset is named after its domain and labelled (SDTMIG, FDA conformance guide)."""
    _, folder, _ = written
    head = (folder / "tr.xpt").read_bytes()[: 80 * 8]
    assert b"SAS     TR      SASDATA" in head
    assert b"Tumor/Lesion Results" in head


def test_round_trip_gives_the_same_lesions_and_measurements(written):
    """study -> SDTM CSV -> StudyData: the same rows, statuses, sizes, nodes, readers, flags."""
    study, folder, _ = written
    back = read_sdtm(folder)
    assert _comparable(back.measurements) == _comparable(study.measurements)
    assert [p.patient_id for p in back.patients] == ["P01", "P02"]
    assert back.patients[1].death_date == study.patients[1].death_date
    assert {(s.patient_id, s.scan_date, s.modality) for s in back.scans} == {
        (s.patient_id, s.scan_date, s.modality) for s in study.scans
    }


def test_round_trip_through_xpt_only(written, tmp_path):
    """The transport files alone give the same study as the CSV files."""
    _, folder, _ = written
    for path in folder.glob("*.xpt"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    from_xpt, from_csv = read_sdtm(tmp_path), read_sdtm(folder)
    assert _comparable(from_xpt.measurements) == _comparable(from_csv.measurements)
    assert from_xpt.patients == from_csv.patients


def test_round_trip_of_the_demo_study(tmp_path):
    """The demo study's 40 patients come back with every measurement row."""
    study = demo_study(40)
    write_sdtm(analyse(study, StudySettings()), tmp_path, study_id="DEMO")
    back = read_sdtm(tmp_path)
    assert _comparable(back.measurements) == _comparable(study.measurements)
    strip = [replace(p, histology=None, stage=None, extra={}) for p in study.patients]
    assert list(back.patients) == strip


def test_round_trip_keeps_the_responses(written):
    """Judging the read-back study gives the RS records of the original."""
    study, folder, _ = written
    original = sdtm_tables(analyse(study, StudySettings()), "NDR01")["RS"]
    again = sdtm_tables(analyse(read_sdtm(folder), StudySettings()), "NDR01")["RS"]
    pd.testing.assert_frame_equal(original, again)


def _sponsor_folder(folder: Path, tr_rows: list[str], tu_result: str = "NEW TARGET") -> Path:
    (folder / "tu.csv").write_text(
        "STUDYID,DOMAIN,USUBJID,TUSEQ,TULNKID,TUTESTCD,TUORRES,TULOC,TUDTC\n"
        "S1,TU,S1-001,1,T01,TUMIDENT,TARGET,MEDIASTINAL LYMPH NODE,2024-01-02\n"
        f"S1,TU,S1-001,2,NEW01,TUMIDENT,{tu_result},LIVER,2024-03-01\n"
    )
    header = "STUDYID,DOMAIN,USUBJID,TRSEQ,TRLNKID,TRTESTCD,TRORRES,TRORRESU,TRSTRESC,"
    header += "TRSTRESN,TRSTRESU,TRSTAT,TRDTC\n"
    (folder / "tr.csv").write_text(header + "".join(r + "\n" for r in tr_rows))
    return folder


def test_reads_sponsor_data_with_diameter_in_cm(tmp_path):
    """EDC data: DIAMETER (the IG's older code) in cm, a node known by TULOC, NEW TARGET;
    the patient is USUBJID without its STUDYID- prefix when there is no DM."""
    folder = _sponsor_folder(tmp_path, [
        "S1,TR,S1-001,1,T01,DIAMETER,2.2,cm,2.2,2.2,cm,,2024-01-02",
        "S1,TR,S1-001,2,T01,DIAMETER,,,,,,NOT DONE,2024-03-01",
        "S1,TR,S1-001,3,NEW01,TUMSTATE,PRESENT,,PRESENT,,,,2024-03-01",
    ])  # fmt: skip
    first, second, new = sorted(read_sdtm(folder).measurements, key=lambda m: m.scan_date)
    assert (first.patient_id, first.lymph_node, first.diameter_mm, first.status.value) == (
        "001", True, 22.0, "measured")  # fmt: skip
    assert second.status.value == "not-evaluated"
    assert (new.role.value, new.status.value, new.site) == ("new", "present", "liver")


def test_patients_are_named_by_subjid_from_dm(tmp_path):
    """With DM, a USUBJID of STUDYID-SITEID-SUBJID still names the patient by SUBJID."""
    folder = _sponsor_folder(tmp_path, [
        "S1,TR,S1-001,1,T01,LPERP,18,mm,18,18,mm,,2024-01-02",
        "S1,TR,S1-001,2,NEW01,TUMSTATE,EQUIVOCAL,,EQUIVOCAL,,,,2024-03-01",
    ])  # fmt: skip
    for name in ("tu.csv", "tr.csv"):
        path = folder / name
        path.write_text(path.read_text().replace("S1-001", "S1-07-001"))
    (folder / "dm.csv").write_text(
        "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,SEX,AGE,ARM\n"
        "S1,DM,S1-07-001,001,2024-01-01,U,,Arm A\n"
    )
    study = read_sdtm(folder)
    assert [p.patient_id for p in study.patients] == ["001"]
    assert (study.patients[0].sex, study.patients[0].age) == (None, None)
    assert {m.patient_id for m in study.measurements} == {"001"}
    assert {m.status.value for m in study.measurements} == {"measured", "equivocal"}


def test_bad_records_are_all_named(tmp_path):
    """Every unreadable record is an InputError naming file, line, column and value."""
    folder = _sponsor_folder(tmp_path, [
        "S1,TR,S1-001,1,T01,LDIAM,big,mm,big,,mm,,2024-01-02",
        "S1,TR,S1-001,2,T09,LDIAM,10,mm,10,10,mm,,2024-01-02",
    ], tu_result="MAYBE")  # fmt: skip
    with pytest.raises(InputError) as caught:
        read_sdtm(folder)
    problems = {(p.file, p.line, p.column, p.value) for p in caught.value.problems}
    assert problems == {
        ("tu.csv", 3, "TUORRES", "MAYBE"),
        ("tr.csv", 2, "TRORRES", "big"),
        ("tr.csv", 3, "TRLNKID", "T09"),
    }


def test_missing_domain_is_an_input_error(tmp_path):
    """Without TU or TR there is nothing to read."""
    with pytest.raises(InputError, match="tu.csv"):
        read_sdtm(tmp_path)
