"""`table1` against R (analysis.md, `table1`; tests/data/analysis/tables_reference.R).

pbc (two groups: Wilcoxon, chi-square, Fisher 2 x k, two- and k-level SMDs, NA cells), colon
(three groups: Kruskal-Wallis, 3-column chi-square), veteran (no id column, a 4-level
factor's Yang-Dalton SMD), lung (a numeric column listed as a factor, Fisher 4 x 2).
"""

import json

import numpy as np
import pytest

import main
from model.stats.group_tests import fisher_p, kruskal_p, wilcoxon_p
from model.stats.patient_table import read_patient_table
from model.stats.table1 import categorical_smd, table1
from tests.model.stats.reference import DATA, REFERENCE, assert_matches

CASES = {
    "pbc": ("trt", ["edema", "stage"]),
    "colon": ("rx", ["differ", "extent"]),
    "veteran": ("trt", ["prior"]),
    "lung": ("sex", ["ph_ecog"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_table1_matches_r(name):
    group, factors = CASES[name]
    reference = REFERENCE["table1"][name]
    names = [v["name"] for v in reference["variables"]]
    table = read_patient_table(
        str(DATA / f"t1_{name}.csv"),
        columns=names,
        factors=factors,
        group=group,
        id_column="id" if name in ("pbc", "colon") else None,
    )
    assert_matches(table1(table, names), reference, name)


def test_command_prints_the_document(capsys):
    status = main.main(["table1", str(DATA / "t1_veteran.csv"), "--group", "trt",
                        "--factors", "prior", "--json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert [v["name"] for v in document["variables"]] == [
        "celltype", "karno", "diagtime", "age", "prior"]  # fmt: skip
    assert_matches(document, REFERENCE["table1"]["veteran"])


def test_fisher_rxc_matches_r():
    """R fisher.test on 3 x 3, 4 x 3 tables (values printed by R 4.2.2, digits 15)."""
    assert fisher_p(np.array([[3, 1, 0], [1, 4, 2], [0, 2, 5]])) == pytest.approx(
        0.0465503450797568, rel=1e-9
    )
    assert fisher_p(np.array([[2, 7, 1], [5, 0, 3], [1, 1, 6], [0, 4, 4]])) == pytest.approx(
        0.00159014272841831, rel=1e-9
    )
    colon = np.array([[8, 3, 10], [38, 36, 32], [249, 259, 251], [20, 12, 11]])
    assert fisher_p(colon) == pytest.approx(0.261273889013467, rel=1e-9)


def test_every_value_tied_gives_no_test():
    assert wilcoxon_p([1, 1], [1, 1, 1]) is None
    assert kruskal_p([[2], [2, 2], [2]]) is None


def test_singular_covariance_gives_null_smd():
    """A level neither group has makes S singular: null (analysis.md, smd)."""
    assert categorical_smd(np.array([3, 0, 2]), np.array([1, 0, 4])) is None


def test_one_level_and_one_group(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("g,x,y\nA,u,1\nA,u,2\nB,u,NA\n")
    table = read_patient_table(str(path), columns=["x", "y"], group="g")
    x, y = table1(table, ["x", "y"])["variables"]
    assert (x["test"], x["p"], x["smd"]) == (None, None, None)
    assert x["levels"] == [
        {
            "level": "u",
            "A": {"n": 2, "pct": 100.0},
            "B": {"n": 1, "pct": 100.0},
            "overall": {"n": 3, "pct": 100.0},
        }
    ]
    assert (y["test"], y["p"], y["smd"], y["missing"]) == (
        None,
        None,
        None,
        {"A": 0, "B": 1, "overall": 1},
    )
    assert y["summary"]["B"] == {
        "n": 0,
        "mean": None,
        "sd": None,
        "median": None,
        "q1": None,
        "q3": None,
        "min": None,
        "max": None,
    }
