"""Matching the demo cohort against R (issue 18, Tests: "a cohort like the seed's").

The flat table of model.demo.cohort.demo_study() is checked in as match_seed.csv; R's
scores (MatchIt 4.5.1, glm), pairs (the contract's rule in plain R, see
tests/data/analysis/match_seed_reference.R) and SMDs are match_seed_reference.json. The app's
path (model/analyses/matched.py on the study) and the `match` command on the CSV both give them.
"""

from __future__ import annotations

import csv
import json

import pytest

from model.analyses.matched import match_study
from model.analyses.table import analysis_table
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.settings import StudySettings
from model.stats.matching import match_document
from model.stats.patient_table import read_patient_table
from tests.model.stats.reference import DATA, assert_matches

SEED = DATA / "match_seed.csv"
R = json.loads((DATA / "match_seed_reference.json").read_text())
COVARIATES = ["age", "sex", "histology_group", "ecog", "prior_lines", "size_over_10cm"]
TREATED = "Immunotherapy + dTACE"


@pytest.fixture(scope="module")
def analysis():
    return analyse(demo_study(), StudySettings())


def _check(document, reference):
    """Pairs in order; balance rows compared by term (a CSV's levels are in code-point order,
    the study's in declared order)."""
    assert [[p["treated"], p["control"]] for p in document["pairs"]] == reference["pairs"]
    assert document["unmatched_treated"] == (reference["unmatched"] or [])
    ours = [
        {"term": _term(row), **{k: row[k] for k in ("mean_before", "mean_after", "smd_before",
                                                    "smd_after")}}
        for row in document["balance"]
    ]  # fmt: skip
    by_term = sorted(reference["balance"], key=lambda r: r["term"])
    assert_matches(sorted(ours, key=lambda r: r["term"]), by_term)


def _term(row: dict) -> str:
    """R's name of a balance row: the covariate and its level pasted, or `score`."""
    return "score" if row["covariate"] == "score" else row["covariate"] + (row["level"] or "")


def test_checked_in_table_is_the_demo_flat_table(analysis):
    table = analysis_table(analysis)
    with SEED.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == list(table.ids)
    for name in COVARIATES:
        texts = [None if v is None else table.columns[name].texts[i]
                 for i, v in enumerate(table.columns[name].values)]  # fmt: skip
        assert [None if r[name] == "NA" else r[name] for r in rows] == texts


def test_app_match_at_caliper_005_is_r(analysis):
    document = match_study(analysis, TREATED, COVARIATES, caliper=0.05)
    assert [s["id"] for s in document["scores"]] == R["ids"]
    assert_matches([s["score"] for s in document["scores"]], R["scores"])
    _check(document, R["caliper_abs"])


def test_command_table_with_caliper_in_sd_is_r():
    table = read_patient_table(str(SEED), id_column="id", columns=["arm", *COVARIATES],
                               factors=["arm", "ecog"],
                               refs={"histology_group": "ICI-sensitive"})  # fmt: skip
    document = match_document(table, "arm", TREATED, COVARIATES, caliper_sd=0.2)
    assert document["caliper"] == pytest.approx(R["caliper_sd"]["caliper"], rel=1e-9)
    _check(document, R["caliper_sd"])
