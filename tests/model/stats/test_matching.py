"""`match` against R on MatchIt's lalonde (analysis.md, `match`).

Scores are MatchIt 4.5.1's (glm binomial). Pairs come from the plain-R rule in
tests/data/analysis/tables_reference.R, because Debian's MatchIt 4.5.1 has an integer `abs`
in its C++ distance (MatchIt issue 163, fixed in 4.5.4): it ignores calipers and does not
always take the nearer neighbour. The script records how many of 4.5.1's pairs agree.
"""

import json

import numpy as np
import pytest

import main
from model.stats.matching import match_document, nearest_neighbour
from model.stats.patient_table import read_patient_table
from tests.model.stats.reference import DATA, REFERENCE, assert_matches

LALONDE = DATA / "match_lalonde.csv"
COVARIATES = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]
R = REFERENCE["match"]


def _document(**caliper):
    table = read_patient_table(str(LALONDE), id_column="id", columns=["treat", *COVARIATES],
                               factors=["treat"])  # fmt: skip
    return match_document(table, "treat", "1", COVARIATES, **caliper)


@pytest.fixture(scope="module")
def plain():
    return _document()


def _check(document, reference):
    assert [[p["treated"], p["control"]] for p in document["pairs"]] == reference["pairs"]
    assert [p["pair"] for p in document["pairs"]] == list(range(1, len(reference["pairs"]) + 1))
    assert document["unmatched_treated"] == (reference["unmatched"] or [])
    ours = [
        {"term": row["covariate"] + (row["level"] or "") if row["covariate"] != "score"
         else "score", **{k: row[k] for k in ("mean_before", "mean_after", "smd_before",
                                              "smd_after")}}
        for row in document["balance"]
    ]  # fmt: skip
    assert_matches(ours, reference["balance"])


def test_scores_are_r_glm(plain):
    assert [s["id"] for s in plain["scores"]] == R["ids"]
    assert_matches([s["score"] for s in plain["scores"]], R["scores"])
    assert (plain["n_treated"], plain["n_control"], plain["dropped"]) == (185, 429, 0)
    assert plain["caliper"] is None


def test_pairs_and_balance_without_caliper(plain):
    _check(plain, R["none"])


def test_absolute_caliper():
    document = _document(caliper=0.01)
    assert document["caliper"] == 0.01
    _check(document, R["caliper_abs"])


def test_caliper_in_standard_deviations():
    document = _document(caliper_sd=0.1)
    assert document["caliper"] == pytest.approx(R["caliper_sd"]["caliper"], rel=1e-6)
    _check(document, R["caliper_sd"])


def test_ties_go_to_file_order():
    """Equal scores: treated in file order; the control earlier in the file; a control at
    equal distance above and below: the earlier one."""
    scores = np.array([0.5, 0.5, 0.4, 0.6, 0.4, 0.3])
    treated = np.array([True, True, False, False, False, True])
    match = nearest_neighbour(scores, treated, None)
    assert match.pairs == ((0, 2), (1, 3), (5, 4))
    assert nearest_neighbour(scores, treated, 0.05).unmatched == (0, 1, 5)


def test_command_errors(tmp_path, capsys):
    """--treated value absent, --caliper with --caliper-sd, an absent column, a --ref level
    that does not occur, a duplicated id: status 2, a message, nothing on stdout."""
    dup = tmp_path / "dup.csv"
    dup.write_text("id,treat,age\nA,1,30\nA,0,40\n")
    base = ["match", str(LALONDE), "--id", "id", "--treatment", "treat"]
    cases = [
        (base + ["--treated", "2", "--covariates", "age"], "no row has the --treated value"),
        (base + ["--treated", "1", "--covariates", "age", "--caliper", "0.1", "--caliper-sd",
                 "0.2"], "cannot be used together"),
        (base + ["--treated", "1", "--covariates", "age,weight"], "column weight"),
        (base + ["--treated", "1", "--covariates", "race", "--ref", "race=asian"],
         "--ref level does not occur"),
        (["match", str(dup), "--id", "id", "--treatment", "treat", "--treated", "1",
          "--covariates", "age"], "line 3, column id, value 'A': duplicate id"),
    ]  # fmt: skip
    for argv, message in cases:
        status = main.main([*argv, "--json"])
        out, err = capsys.readouterr()
        assert (status, out) == (2, ""), argv
        assert message in err, err


def test_ref_changes_the_indicators(capsys):
    status = main.main(["match", str(LALONDE), "--id", "id", "--treatment", "treat",
                        "--treated", "1", "--covariates", "race,age", "--ref", "race=white",
                        "--json"])  # fmt: skip
    assert status == 0
    balance = json.loads(capsys.readouterr().out)["balance"]
    assert [(b["covariate"], b["level"]) for b in balance] == [
        ("race", "black"),
        ("race", "hispan"),
        ("age", None),
        ("score", None),
    ]
