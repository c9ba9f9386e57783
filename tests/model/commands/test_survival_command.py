"""`python main.py survival TABLE --time COL --event COL [--group COL] --json`, end to end.

Interchange spec, "Headless commands", survival. Numbers are R's (survfit with
conf.type = "log-log", survdiff, coxph with Efron ties; tests/data/survival/
reference_values.R); see the other test_survival_* modules for the tolerances.
Two tests run the command in a subprocess; the rest call main.main in-process, which is
the same code path without a Python start-up each (the suite must stay fast).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).parents[3]
LUNG = ROOT / "tests" / "data" / "survival" / "lung.csv"


def run_process(table, *options):
    """Run the command in a subprocess; returns (exit status, stdout, stderr)."""
    command = [sys.executable, "main.py", "survival", str(table), *options]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def survival(capsys):
    """Run the command in-process; returns (exit status, stdout, stderr)."""

    def run(table, *options):
        status = main.main(["survival", str(table), *options])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def write(tmp_path, text):
    path = tmp_path / "table.csv"
    path.write_text(text)
    return path


def test_two_groups_give_medians_logrank_and_cox():
    """Per group n, events, median and CI in order of first appearance; log-rank; Cox HR."""
    status, out, err = run_process(LUNG, "--time", "time", "--event", "event", "--group", "sex",
                                "--json")  # fmt: skip
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert set(document) == {"groups", "logrank", "cox"}
    assert document["groups"] == [
        {"group": "1", "n": 138, "events": 112, "median": 270, "median_ci_low": 210,
         "median_ci_high": 306},
        {"group": "2", "n": 90, "events": 53, "median": 426, "median_ci_low": 345,
         "median_ci_high": 524},
    ]  # fmt: skip
    assert document["logrank"]["df"] == 1
    assert document["logrank"]["chi2"] == pytest.approx(10.326741955, rel=1e-9)
    assert document["logrank"]["p"] == pytest.approx(0.00131116452, rel=1e-8)
    assert document["cox"] == pytest.approx(
        {"hazard_ratio": 0.588002818563588, "hr_ci_low": 0.423717830353915,
         "hr_ci_high": 0.815984813171387, "hr_p": 0.00149122920488076}, rel=1e-6
    )  # fmt: skip


def test_without_group_all_rows_form_group_all(survival):
    """Without --group: one group named All; logrank and cox are null."""
    status, out, _ = survival(LUNG, "--time", "time", "--event", "event", "--json")
    assert status == 0
    assert json.loads(out) == {
        "groups": [{"group": "All", "n": 228, "events": 165, "median": 310,
                    "median_ci_low": 284, "median_ci_high": 361}],
        "logrank": None,
        "cox": None,
    }  # fmt: skip


def test_more_than_two_groups_have_logrank_but_no_cox(survival):
    """Cox is null unless there are exactly two groups; numbers are not rounded."""
    veteran = ROOT / "tests" / "data" / "survival" / "veteran.csv"
    status, out, _ = survival(veteran, "--time", "time", "--event", "event",
                              "--group", "celltype", "--json")  # fmt: skip
    document = json.loads(out)
    assert status == 0 and document["cox"] is None
    assert [g["group"] for g in document["groups"]] == ["squamous", "smallcell", "adeno", "large"]
    # survdiff(Surv(time, event) ~ celltype, veteran): p= 1.27124594e-05 on 3 df
    assert document["logrank"]["df"] == 3
    assert document["logrank"]["p"] == pytest.approx(1.27124594e-05, rel=1e-8)


def test_group_without_events_gives_null_cox_fields(survival, tmp_path):
    """Interchange spec: where the Cox fit does not exist, its fields are null."""
    table = write(tmp_path, "t,e,arm\n1,0,B\n2,0,B\n3,1,A\n4,1,A\n5,0,B\n")
    status, out, _ = survival(table, "--time", "t", "--event", "e", "--group", "arm", "--json")
    document = json.loads(out)
    assert status == 0 and [g["group"] for g in document["groups"]] == ["B", "A"]
    assert document["cox"] == dict.fromkeys(["hazard_ratio", "hr_ci_low", "hr_ci_high", "hr_p"])


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("t,e\n1,1\n", {"--time": "time"}, ["line 1", "column time", "no such column"]),
        ("t,e\n1,1\n2,0\n", {"--group": "arm"}, ["line 1", "column arm"]),
        ("t,e\n1,1\nsoon,0\n", {}, ["line 3", "column t", "'soon'", "not a number"]),
        ("t,e\n1,1\n-4,0\n", {}, ["line 3", "column t", "'-4'", ">= 0"]),
        ("t,e\n1,1\n2,yes\n", {}, ["line 3", "column e", "'yes'", "1 or 0"]),
        ("t,e\n", {}, ["no rows"]),
        ("", {}, ["column t", "no such column"]),
    ],
)
def test_bad_table_exits_2_with_file_line_column_value(survival, tmp_path, text, options, expected):
    """Interchange spec: bad input names file, line, column and value on stderr, prints
    nothing on stdout and exits with status 2."""
    table = write(tmp_path, text)
    arguments = {"--time": "t", "--event": "e"} | options
    status, out, err = survival(table, *[x for pair in arguments.items() for x in pair], "--json")
    assert (status, out) == (2, "")
    assert str(table) in err
    for fragment in expected:
        assert fragment in err


def test_bad_table_in_a_process_exits_2_and_prints_nothing_on_stdout(tmp_path):
    """Interchange spec: exit status 2, stdout empty, the problem on stderr."""
    status, out, err = run_process(write(tmp_path, "t,e\n1,x\n"), "--time", "t", "--event", "e")
    assert (status, out) == (2, "")
    assert "line 2, column e, value 'x': the event must be 1 or 0" in err


def test_missing_file_exits_2(survival, tmp_path):
    """A table that does not exist is bad input too."""
    status, out, err = survival(tmp_path / "absent.csv", "--time", "t", "--event", "e", "--json")
    assert (status, out) == (2, "") and "absent.csv" in err


def test_a_median_never_reached_is_null_not_infinity(survival, tmp_path):
    """Issue 14, attack 13: `survival` printed "median": Infinity, which is not JSON; the
    contract says null for what is not reached."""
    table = write(tmp_path, "t,e,arm\n1,1,B\n2,0,B\n3,1,A\n4,1,A\n5,0,B\n6,0,B\n")
    status, out, _ = survival(table, "--time", "t", "--event", "e", "--group", "arm", "--json")

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    document = json.loads(out, parse_constant=refuse)
    assert status == 0 and document["groups"][0]["median"] is None


def test_the_command_loads_neither_lifelines_nor_pandas_nor_scipy_stats():
    """Issue 19, item 3: imports are paid only by the code that needs them. Importing
    lifelines, pandas and scipy.stats cost about 1.5 s, more than the whole fit at 200,000
    rows; the survival command needs numpy and scipy.special only."""
    code = (
        "import sys, main\n"
        f"status = main.main(['survival', {str(LUNG)!r}, '--time', 'time', '--event', "
        "'event', '--group', 'sex', '--json'])\n"
        "heavy = [m for m in ('lifelines', 'pandas', 'scipy.stats', 'PySide6') "
        "if m in sys.modules]\n"
        "assert status == 0 and not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_short_rows_and_repeated_columns_read_as_csv_dictreader_reads_them(survival, tmp_path):
    """A row shorter than the header has empty cells (a missing time is named), and of a
    repeated column name the last counts, as the command has always read its tables."""
    table = write(tmp_path, "t,e,t\n9,1,1\n9,0,2\n9,1\n")
    status, out, err = survival(table, "--time", "t", "--event", "e", "--json")
    assert (status, out) == (2, "")
    assert "line 4, column t, value '': the time is not a number" in err
    table = write(tmp_path, "t,e,t\n9,1,1\n9,0,2\n9,1,3\n")
    status, out, _ = survival(table, "--time", "t", "--event", "e", "--json")
    assert status == 0
    assert json.loads(out)["groups"][0]["median"] == 3.0  # times 1, 2, 3, not 9, 9, 9
