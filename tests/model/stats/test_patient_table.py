"""Tables of one row per patient (analysis.md): kinds, levels, ids, groups and errors."""

import pytest

import main
from model.errors import InputError
from model.stats.patient_table import read_patient_table


def write(tmp_path, text):
    path = tmp_path / "t.csv"
    path.write_text(text)
    return str(path)


def test_kinds_levels_and_ids(tmp_path):
    path = write(tmp_path, "g,x,f,c\nB,1.5,10,b\nA,-2e3,9,NA\nB,,2,B\n")
    table = read_patient_table(path, columns=["x", "f", "c"], factors=["f"], group="g")
    assert table.ids == ("1", "2", "3")
    assert table.groups == ("B", "A")
    assert table.columns["x"].kind == "numeric"
    assert table.columns["x"].values == (1.5, -2000.0, None)
    assert table.columns["f"].levels == ("2", "9", "10")  # numbers sort numerically
    assert table.columns["c"].levels == ("B", "b")  # code point order
    refd = read_patient_table(path, columns=["f"], factors=["f"], refs={"f": "9"})
    assert refd.columns["f"].levels == ("9", "2", "10")


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("patient_id,g,x\nP1,A,1\nP1,B,2\n", {}, "line 3, column patient_id, value 'P1'"),
        ("g,x\nA,1\n,2\n", {}, "line 3, column g, value '': the group is missing"),
        ("g,x\nA,1\n", {"columns": ["y"]}, "line 1, column y: no such column"),
        ("g,x\nA,u\n", {"refs": {"x": "v"}}, "column x, value 'v'"),
    ],
)  # fmt: skip
def test_errors_name_file_line_column_and_value(tmp_path, text, options, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as error:
        read_patient_table(path, **({"columns": ["x"], "group": "g"} | options))
    assert message in str(error.value)


def test_table1_command_errors(tmp_path, capsys):
    path = write(tmp_path, "patient_id,arm,age\nP1,A,3\nP1,B,4\n")
    assert main.main(["table1", path, "--group", "arm", "--json"]) == 2
    assert "duplicate id" in capsys.readouterr().err
    assert main.main(["table1", path, "--group", "arm", "--vars", "weight", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "column weight" in err
