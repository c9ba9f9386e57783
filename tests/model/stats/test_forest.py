"""`forest` (analysis contract): hazard ratios within subgroups, against R's coxph and anova.

Reference values: tests/data/analysis/cox_reference.R (`forest`): per level, coxph of
the second group's indicator; per subgroup variable, anova(coxph(~ g + A), coxph(~ g * A))
over the levels that have a hazard ratio. See r_reference.py for the tolerance.
"""

import pytest

from tests.model.stats.r_reference import REL, reference, run_json

T = ["--time", "time", "--event", "event"]
CASES = {
    "veteran_forest": ("veteran.csv", "trt", "celltype,prior", "prior"),
    "lung_forest": ("lung.csv", "sex", "ph_ecog,inst", "ph_ecog,inst"),
    "pbc_forest": ("pbc.csv", "trt", "sex,edema,stage", "edema,stage"),
}
RATIO = ("hazard_ratio", "hr_ci_low", "hr_ci_high", "p")


def run(capsys, case):
    table, group, subgroups, factors = CASES[case]
    options = ["--group", group, "--subgroups", subgroups, "--factors", factors]
    return run_json(capsys, "forest", table, *T, *options)


@pytest.mark.parametrize("case", list(CASES))
def test_rows_and_interactions_follow_r(capsys, case):
    """Per row n and events per group and the HR with Wald CI and p (null where R has
    none); per subgroup the interaction LR p and df."""
    document = run(capsys, case)
    ref = reference(case)
    first, second = document["groups"]
    for row in document["rows"]:
        key = "" if row["subgroup"] is None else f"{row['subgroup']}={row['level']}"
        assert row["n"] == {first: ref[("n_1", key)], second: ref[("n_2", key)]}, key
        assert row["events"] == {first: ref[("events_1", key)], second: ref[("events_2", key)]}
        if ("hazard_ratio", key) not in ref:
            assert [row[k] for k in RATIO] == [None] * 4, key
            continue
        for quantity in RATIO:
            assert row[quantity] == pytest.approx(ref[(quantity, key)], rel=REL), (key, quantity)
    assert len(document["rows"]) == len({t for q, t in ref if q == "n_1"})
    for test in document["interactions"]:
        name = test["subgroup"]
        if ("interaction_p", name) not in ref:
            assert (test["interaction_p"], test["df"]) == (None, None)
            continue
        assert test["interaction_p"] == pytest.approx(ref[("interaction_p", name)], rel=REL)
        assert test["df"] == ref[("interaction_df", name)]


def test_whole_table_first_then_levels_in_level_order(capsys):
    """Groups in order of first appearance; the whole table's row first; numeric
    --factors levels sorted numerically; a missing subgroup value counts only overall."""
    document = run(capsys, "lung_forest")
    assert document["groups"] == ["1", "2"]
    rows = [(r["subgroup"], r["level"]) for r in document["rows"]]
    assert rows[:5] == [(None, None), ("ph_ecog", "0"), ("ph_ecog", "1"), ("ph_ecog", "2"),
                        ("ph_ecog", "3")]  # fmt: skip
    inst = [int(level) for name, level in rows if name == "inst"]
    assert inst == sorted(inst) and inst[:3] == [1, 2, 3]
    by_level = sum(sum(r["n"].values()) for r in document["rows"] if r["subgroup"] == "ph_ecog")
    assert sum(document["rows"][0]["n"].values()) == by_level + 1  # one ph_ecog is missing


def test_absent_group_and_diverging_fit_have_no_hazard_ratio(capsys):
    """ph_ecog 3 (one patient, group 1 only): all four null. inst 2 has events in both
    groups but its coefficient runs off (R runs out of iterations): null too, and it is
    left out of the interaction test, as R's reference leaves it out."""
    rows = {(r["subgroup"], r["level"]): r for r in run(capsys, "lung_forest")["rows"]}
    assert [rows["ph_ecog", "3"][k] for k in RATIO] == [None] * 4
    assert rows["ph_ecog", "3"]["n"] == {"1": 1, "2": 0}
    assert min(rows["inst", "2"]["events"].values()) > 0
    assert [rows["inst", "2"][k] for k in RATIO] == [None] * 4
    assert reference("lung_forest")[("diverged", "inst=2")] == 1
