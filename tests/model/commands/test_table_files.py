"""`--docx`, `--xlsx` and `--csv` on table1, cox, forest, match and ae write the command's
document as a manuscript table (issue 17, item 5; README, "Manuscript tables")."""

import csv
import json

import pytest
from docx import Document
from openpyxl import load_workbook

import main
from tests.model.stats.reference import DATA

AE_PATIENTS = "patient_id,arm,start_date\nP1,ICI,2024-01-01\nP2,ICI,2024-01-01\n" \
              "P3,Combo,2024-01-01\n"  # fmt: skip
AE_EVENTS = "patient_id,term,grade,start_date,attribution\nP1,Fever,3,2024-02-01,drug\n" \
            "P3,Rash,1,2024-02-01,unrelated\n"  # fmt: skip


def commands(tmp_path):
    """command -> (arguments, the first body row's label and first cell in its table)."""
    (tmp_path / "p.csv").write_text(AE_PATIENTS)
    (tmp_path / "ae.csv").write_text(AE_EVENTS)
    survival = ["--time", "time", "--event", "event"]
    return {
        "table1": (["table1", str(DATA / "t1_veteran.csv"), "--group", "trt", "--factors",
                    "prior"], ("celltype, n (%)", "")),
        "cox": (["cox", str(DATA / "pbc.csv"), *survival, "--covariates", "age,edema",
                 "--factors", "edema"], ("age", "1.04 (1.02\u20131.06)")),
        "forest": (["forest", str(DATA / "veteran.csv"), *survival, "--group", "trt",
                    "--subgroups", "celltype"], ("All patients", "64/69")),
        "match": (["match", str(DATA / "match_lalonde.csv"), "--treatment", "treat",
                   "--treated", "1", "--covariates", "age,educ"], ("age", "25.8")),
        "ae": (["ae", str(tmp_path / "ae.csv"), "--patients", str(tmp_path / "p.csv"),
                "--related"], ("Any adverse event", "1 (50.0)")),
    }  # fmt: skip


@pytest.mark.parametrize("name", ["table1", "cox", "forest", "match", "ae"])
def test_each_command_writes_its_table_in_three_formats(tmp_path, capsys, name):
    argv, (label, first) = commands(tmp_path)[name]
    out = {kind: tmp_path / "out" / f"{name}.{kind}" for kind in ("docx", "xlsx", "csv")}
    options = [item for kind, path in out.items() for item in (f"--{kind}", str(path))]
    assert main.main([*argv, *options, "--json"]) == 0
    printed, err = capsys.readouterr()
    assert err == "" and json.loads(printed)  # the document is printed as before
    word = Document(str(out["docx"])).tables[0]
    body = [r for r in word.rows if r.cells[0].text == label][0]
    assert body.cells[1].text == first
    sheet = load_workbook(out["xlsx"]).active
    labels = [row[0].value for row in sheet.iter_rows()]
    assert label in labels
    with open(out["csv"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [label, first] == rows[[r[0] if r else "" for r in rows].index(label)][:2]


def test_the_cox_table_shows_the_reference_level_and_the_univariable_screen(tmp_path, capsys):
    argv = ["cox", str(DATA / "pbc.csv"), "--time", "time", "--event", "event", "--covariates",
            "age,stage", "--factors", "stage", "--ref", "stage=4", "--univariable"]  # fmt: skip
    assert main.main([*argv, "--csv", str(tmp_path / "c.csv")]) == 0
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Covariate", "HR (95% CI)", "p"]
    assert rows[3] == ["  4", "1 (reference)", ""]
    assert any(r and r[0] == "Univariable: n = 312 patients, 125 events." for r in rows)


def test_a_table_file_that_cannot_be_written_prints_nothing(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    argv, _ = commands(tmp_path)["table1"]
    status = main.main([*argv, "--docx", str(blocker / "t.docx"), "--json"])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert "t.docx" in err and "cannot be written" in err
