"""The interchange 1.1 additions (adverse_events.csv, the surgery columns of events.csv,
variables.csv): read exactly as the spec says, every error named by file, line, column and
value, all or nothing, and written back so that export then import gives the same study."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from model.domain import (
    AdverseEvent,
    EventRecord,
    PatientRecord,
    StudyData,
    Variable,
    VariableType,
)
from model.errors import InputError
from model.interchange.study_files import read_study, write_study, write_workbook

PATIENTS = "patient_id,arm,start_date,x_ecog,x_pdl1,x_histology_group\n"
GOOD = {
    "patients.csv": PATIENTS + "P1,ICI,2024-01-01,1,5,ICI-sensitive\nP2,ICI,2024-01-02,0,,\n",
    "events.csv": "patient_id,kind,start_date,detail,intent,margin,necrosis_pct\n"
    "P1,treatment,2024-01-01,pembrolizumab,,,\nP1,Surgery,2024-04-01,resection,Curative,r0,90\n",
    "adverse_events.csv": "patient_id,term,grade,start_date,end_date,attribution,serious,category\n"
    "P1,Pneumonitis,3,2024-02-01,2024-02-20,pembrolizumab,yes,Respiratory\n"
    "P2,Fatigue,1,2024-01-05,,,,\n",
    "variables.csv": "name,type,levels,label,unit\n"
    "ecog,categorical,0|1|2,ECOG performance status,\npdl1,numeric,,PD-L1 TPS,%\n",
}


def _folder(tmp_path: Path, **changes: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name, text in {**GOOD, **changes}.items():
        (tmp_path / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_hand_written_1_1_folder_reads_as_the_spec_says(tmp_path):
    data = read_study(_folder(tmp_path))
    assert data.variables == (
        Variable("ecog", VariableType.CATEGORICAL, ("0", "1", "2"), "ECOG performance status"),
        Variable("pdl1", VariableType.NUMERIC, (), "PD-L1 TPS", "%"),
    )
    surgery = data.events[1]
    assert (surgery.intent, surgery.margin, surgery.necrosis_pct) == ("curative", "R0", 90.0)
    assert data.adverse_events[0] == AdverseEvent(
        "P1", "Pneumonitis", 3, date(2024, 2, 1), date(2024, 2, 20), "pembrolizumab", True,
        "Respiratory",
    )  # fmt: skip
    assert not data.adverse_events[1].serious and data.adverse_events[1].attribution is None


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("adverse_events.csv", "patient_id,term,grade,start_date\nP1,Fever,6,2024-01-01\n",
         "adverse_events.csv, line 2, column grade, value '6': expected a CTCAE grade"),
        ("adverse_events.csv", "patient_id,term,grade,start_date\nP1,Fever,2.5,2024-01-01\n",
         "adverse_events.csv, line 2, column grade, value '2.5'"),
        ("adverse_events.csv",
         "patient_id,term,grade,start_date,end_date\nP1,Fever,1,2024-01-05,2024-01-01\n",
         "adverse_events.csv, line 2, column end_date, value '2024-01-01': is before start_date"),
        ("adverse_events.csv", "patient_id,term,grade,start_date\nP1,Fever,1,2024-01-05\n"
         "P7,Fever,1,2024-01-05\n",
         "adverse_events.csv, line 3, column patient_id, value 'P7': patient_id is not in"),
        ("adverse_events.csv", "patient_id,term,grade,start_date,serious\nP1,Fever,1,2024-01-05,"
         "maybe\n", "adverse_events.csv, line 2, column serious, value 'maybe'"),
        ("events.csv", "patient_id,kind,start_date,margin\nP1,treatment,2024-01-01,R0\n",
         "events.csv, line 2, column margin, value 'R0': only a surgery event has margin"),
        ("events.csv", "patient_id,kind,start_date,necrosis_pct\nP1,surgery,2024-01-01,120\n",
         "events.csv, line 2, column necrosis_pct, value '120'"),
        ("events.csv", "patient_id,kind,start_date,intent\nP1,surgery,2024-01-01,radical\n",
         "events.csv, line 2, column intent, value 'radical': expected curative or palliative"),
        ("patients.csv", PATIENTS + "P1,ICI,2024-01-01,4,5,\nP2,ICI,2024-01-02,0,,\n",
         "patients.csv, line 2, column x_ecog, value '4': is not a level of ecog (0, 1, 2)"),
        ("patients.csv", PATIENTS + "P1,ICI,2024-01-01,1,high,\nP2,ICI,2024-01-02,0,,\n",
         "patients.csv, line 2, column x_pdl1, value 'high': is not a number"),
        ("variables.csv", "name,type\ntmb,numeric\n",
         "variables.csv, line 2, column name, value 'tmb': patients.csv has no column x_tmb"),
        ("variables.csv", "name,type\necog,ordinal\n",
         "variables.csv, line 2, column type, value 'ordinal'"),
        ("variables.csv", "name,type,levels\npdl1,numeric,low|high\n",
         "variables.csv, line 2, column levels, value 'low|high': a numeric variable has no"),
        ("variables.csv", "name,type\necog,numeric\necog,categorical\n",
         "variables.csv, line 3, column name, value 'ecog': declared twice"),
    ],
)  # fmt: skip
def test_each_new_error_names_file_line_column_and_value(tmp_path, file, text, message):
    with pytest.raises(InputError) as caught:
        read_study(_folder(tmp_path, **{file.replace(".", "__"): text}))
    assert message in str(caught.value), str(caught.value)


def test_a_declared_variable_whose_column_is_all_blank_is_not_an_error(tmp_path):
    patients = PATIENTS + "P1,ICI,2024-01-01,1,,\nP2,ICI,2024-01-02,,,\n"
    data = read_study(_folder(tmp_path, patients__csv=patients))
    assert data.patients[0].extra == {"x_ecog": "1"}


def _study() -> StudyData:
    return StudyData(
        patients=(
            PatientRecord("P1", date(2024, 1, 1), "ICI", extra={"x_ecog": "1", "x_tls": "yes"}),
            PatientRecord("P2", date(2024, 1, 2), "ICI"),
        ),
        events=(
            EventRecord("P1", "treatment", date(2024, 1, 1), detail="pembrolizumab"),
            EventRecord(
                "P1", "surgery", date(2024, 4, 1), None, "R0", {}, "palliative", "R1", 12.5
            ),
        ),
        adverse_events=(
            AdverseEvent("P1", "Pneumonitis", 3, date(2024, 2, 1), None, "pembrolizumab", True),
            AdverseEvent(
                "P2",
                "Rash",
                1,
                date(2024, 1, 9),
                date(2024, 1, 19),
                "unrelated",
                category="Skin",
                extra={"x_meddra": "10037844"},
            ),
        ),  # fmt: skip
        variables=(
            Variable("ecog", VariableType.CATEGORICAL, ("0", "1", "2"), "ECOG"),
            Variable("pdl1", VariableType.NUMERIC, unit="%"),
        ),
    )


def test_csv_export_then_import_gives_the_same_1_1_study(tmp_path):
    written = write_study(_study(), tmp_path)
    assert {p.name for p in written} >= {"adverse_events.csv", "variables.csv"}
    header = (tmp_path / "patients.csv").read_text().splitlines()[0]
    assert header.endswith("x_ecog,x_pdl1,x_tls")  # a declared variable even when blank
    assert read_study(tmp_path) == _study()


def test_xlsx_export_then_import_gives_the_same_1_1_study(tmp_path):
    write_workbook(_study(), tmp_path / "study.xlsx")
    assert read_study(tmp_path / "study.xlsx") == _study()


def test_a_version_1_study_writes_no_1_1_file_or_column(tmp_path):
    v1 = StudyData(patients=_study().patients, events=_study().events[:1])
    write_study(v1, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "patients.csv"]
    assert "intent" not in (tmp_path / "events.csv").read_text()
