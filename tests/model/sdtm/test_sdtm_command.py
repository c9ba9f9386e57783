"""`python main.py export --db STUDY --out FOLDER --format sdtm|xlsx` (issue #9)."""

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from main import main
from model.demo.cohort import demo_study
from model.sdtm.datasets import study_id_for
from model.sdtm.read import read_sdtm
from model.store.study import Store


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    path = tmp_path / "pilot study.nadir"
    with Store.open(path) as store:
        store.import_study_data(demo_study(8))
    return path


def test_sdtm_format_writes_the_domains(study_file, tmp_path, capsys):
    """--format sdtm writes dm/tu/tr/rs .csv and .xpt, lists them, and exits 0."""
    out = tmp_path / "sdtm"
    assert main(["export", "--db", str(study_file), "--out", str(out), "--format", "sdtm"]) == 0
    listed = capsys.readouterr().out.split()
    for name in ("dm", "tu", "tr", "rs"):
        assert str(out / f"{name}.csv") in listed and str(out / f"{name}.xpt") in listed
    dm = pd.read_sas(out / "dm.xpt", format="xport", encoding="utf-8")
    assert set(dm.STUDYID) == {"PILOTSTUDY"}
    assert len(dm) == 8
    assert len(read_sdtm(out).measurements) == len(demo_study(8).measurements)


def test_xlsx_format_writes_the_study_workbook(study_file, tmp_path, capsys):
    """--format xlsx writes FOLDER/<study>-study.xlsx with the responses and endpoints."""
    out = tmp_path / "xlsx"
    assert main(["export", "--db", str(study_file), "--out", str(out), "--format", "xlsx"]) == 0
    path = out / "pilot study-study.xlsx"
    assert capsys.readouterr().out.strip() == str(path)
    assert "Endpoints" in load_workbook(path, read_only=True).sheetnames


def test_study_id_from_the_file_name():
    """STUDYID keeps letters, digits, - and _, upper-cased."""
    assert study_id_for("pilot study-2 (v1)") == "PILOTSTUDY-2V1"
    assert study_id_for("ééé") == "STUDY"
