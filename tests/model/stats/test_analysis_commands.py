"""`cox` and `forest` on bad input (analysis contract, "Tables of one row per patient").

Each error prints a message naming file, line, column and value on stderr, nothing on
stdout, and exits with status 2 (interchange.md's rules). One test runs a command in a
subprocess; the rest call main.main in-process.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import main
from model.errors import InputError
from model.stats.patient_table import read_patient_table

ROOT = Path(__file__).parents[3]
T = ["--time", "time", "--event", "event"]


@pytest.fixture
def run(capsys):
    def run(command, table, *options):
        status = main.main([command, str(table), *options])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def write(tmp_path, text, name="table.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


TABLE = """patient_id,time,event,arm,stage,age
P1,10,1,A,II,50
P2,12,0,B,III,61
P3,15,1,A,III,NA
P4,20,1,B,II,70
P5,22,1,A,IV,55
P6,30,0,B,II,
P7,31,1,A,III,66
P8,40,1,B,IV,72
"""


def test_missing_column_is_an_error(tmp_path, run):
    path = write(tmp_path, TABLE)
    status, out, err = run("cox", path, *T, "--covariates", "age,grade", "--json")
    assert (status, out) == (2, "")
    assert str(path) in err and "line 1" in err and "column grade" in err
    assert "no such column" in err


def test_duplicate_id_is_an_error(tmp_path, run):
    path = write(tmp_path, TABLE.replace("P4,", "P2,"))
    status, out, err = run("cox", path, *T, "--covariates", "age", "--json")
    assert (status, out) == (2, "")
    assert "line 5" in err and "column patient_id" in err and "value 'P2'" in err
    assert "duplicate id (first on line 3)" in err


def test_id_column_named_by_option_must_exist(tmp_path, run):
    status, out, err = run("cox", write(tmp_path, TABLE), *T, "--covariates", "age", "--id", "mrn")
    assert (status, out) == (2, "") and "column mrn" in err


def test_ref_level_that_does_not_occur_is_an_error(tmp_path, run):
    path = write(tmp_path, TABLE)
    status, out, err = run("cox", path, *T, "--covariates", "stage", "--ref", "stage=I")
    assert (status, out) == (2, "")
    assert "column stage" in err and "value 'I'" in err and "levels: II, III, IV" in err


def test_numeric_subgroup_not_in_factors_is_an_error(tmp_path, run):
    path = write(tmp_path, TABLE)
    status, out, err = run("forest", path, *T, "--group", "arm", "--subgroups", "age")
    assert (status, out) == (2, "")
    assert "column age" in err and "--factors" in err


@pytest.mark.parametrize("groups", [1, 3])
def test_forest_needs_exactly_two_groups(tmp_path, run, groups):
    text = TABLE.replace(",B,", ",A,") if groups == 1 else TABLE.replace("P8,40,1,B", "P8,40,1,C")
    path = write(tmp_path, text)
    status, out, err = run("forest", path, *T, "--group", "arm", "--subgroups", "stage")
    assert (status, out) == (2, "")
    assert "column arm" in err and f"exactly two groups; the column has {groups}" in err


def test_forest_with_three_groups_of_colon_is_an_error(run):
    colon = ROOT / "tests" / "data" / "analysis" / "colon.csv"
    status, out, err = run("forest", colon, *T, "--group", "rx", "--subgroups", "sex",
                           "--factors", "sex", "--id", "id")  # fmt: skip
    assert (status, out) == (2, "") and "has 3: Lev+5FU, Obs, Lev" in err


def test_missing_group_is_an_error(tmp_path, run):
    path = write(tmp_path, TABLE.replace("P3,15,1,A", "P3,15,1,"))
    status, out, err = run("forest", path, *T, "--group", "arm", "--subgroups", "stage")
    assert (status, out) == (2, "") and "line 4" in err and "the group is missing" in err


def test_cox_leaves_out_rows_missing_time_while_forest_rejects_them(tmp_path, run):
    path = write(tmp_path, TABLE.replace("P5,22,1", "P5,NA,1"))
    status, out, err = run("cox", path, *T, "--covariates", "arm", "--json")
    assert (status, err) == (0, "")
    assert json.loads(out)["models"][0]["dropped"] == 1
    status, out, err = run("forest", path, *T, "--group", "arm", "--subgroups", "stage")
    assert (status, out) == (2, "")
    assert "line 6" in err and "column time" in err and "the time is missing" in err


@pytest.mark.parametrize(
    ("cell", "message"), [("-3", "the time must be a number >= 0"), ("soon", "the time must")]
)
def test_bad_time_is_an_error_even_in_cox(tmp_path, run, cell, message):
    path = write(tmp_path, TABLE.replace("P5,22,1", f"P5,{cell},1"))
    status, out, err = run("cox", path, *T, "--covariates", "arm")
    assert (status, out) == (2, "") and message in err and f"value '{cell}'" in err


def test_bad_event_is_an_error(tmp_path, run):
    path = write(tmp_path, TABLE.replace("P5,22,1", "P5,22,2"))
    status, out, err = run("cox", path, *T, "--covariates", "arm")
    assert (status, out) == (2, "") and "the event must be 1 or 0" in err and "line 6" in err


def test_reader_types_columns_and_orders_levels(tmp_path):
    """Numeric when every non-missing value is a decimal number; levels by code point,
    numerically for --factors numbers; ids from patient_id, else the data line number."""
    text = "a,b,c,d\n10,x,2e3,é\n9,Z,-1.5,e\n,NA,.5,E\n"
    table = read_patient_table(str(write(tmp_path, text)), columns=["a", "b", "c", "d"],
                               factors=["a"])  # fmt: skip
    a, b, c, d = (table.columns[n] for n in "abcd")
    assert table.ids == ("1", "2", "3")
    assert (a.kind, a.levels, a.values) == ("categorical", ("9", "10"), ("10", "9", None))
    assert (b.kind, b.levels, b.values) == ("categorical", ("Z", "x"), ("x", "Z", None))
    assert (c.kind, c.levels) == ("categorical", ("-1.5", ".5", "2e3"))  # ".5" is no number
    assert d.levels == ("E", "e", "é")


def test_ref_on_a_numeric_column_is_an_error(tmp_path):
    with pytest.raises(InputError, match="list it in --factors"):
        read_patient_table(str(write(tmp_path, TABLE)), columns=["age"], refs={"age": "50"})


def test_cox_in_a_subprocess_prints_json_without_nan(tmp_path):
    """The whole path from the command line, with a term that diverges (null, not NaN)."""
    path = write(tmp_path, TABLE)
    command = [sys.executable, "main.py", "cox", str(path), *T, "--covariates", "arm,stage",
               "--ref", "stage=III", "--json"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert "NaN" not in done.stdout and "Infinity" not in done.stdout
    (model,) = json.loads(done.stdout)["models"]
    assert [(t["covariate"], t["level"]) for t in model["terms"]] == [
        ("arm", "B"), ("stage", "II"), ("stage", "IV")]  # fmt: skip


def test_single_level_covariate_adds_no_term_and_says_so(tmp_path, run):
    path = write(tmp_path, TABLE.replace(",B,", ",A,"))
    status, out, err = run("cox", path, *T, "--covariates", "arm,age", "--json")
    assert (status, err) == (0, "")
    (model,) = json.loads(out)["models"]
    assert [t["covariate"] for t in model["terms"]] == ["age"]
    assert model["covariates"][0] == {"covariate": "arm", "df": 0, "p": None}
    assert model["warnings"] == ["arm: a single level, so no term; its df is 0"]
    assert (model["n"], model["dropped"]) == (6, 2)
