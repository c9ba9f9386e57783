"""`ae` on hand-made cohorts (analysis.md, `ae`; interchange.md, adverse_events.csv)."""

import json

import pytest

import main

PATIENTS = """patient_id,arm,start_date
P1,ICI,2024-01-01
P2,ICI,2024-01-01
P3,ICI,2024-01-01
P4,Combo,2024-01-01
P5,Combo,2024-01-01
"""
EVENTS = """Patient_ID , Term,grade,start_date,attribution,x_note
P1,Fever,1,2024-02-01,camrelizumab,
P1,fever,3,2024-02-05,unrelated,
P1,FEVER,2,2024-02-09,,
P2,Nausea,2,2024-02-01,dTACE,
P2,Fever,1,2024-02-01,Unrelated,
P4,Sepsis,5,2024-03-01,dTACE,
P4,nausea,1,2024-02-01,camrelizumab,
P5,Rash,4,2024-02-01,,
"""


@pytest.fixture
def ae(tmp_path, capsys):
    def run(events=EVENTS, patients=PATIENTS, *options):
        (tmp_path / "p.csv").write_text(patients)
        (tmp_path / "ae.csv").write_text(events)
        status = main.main(["ae", str(tmp_path / "ae.csv"), "--patients",
                            str(tmp_path / "p.csv"), *options, "--json"])  # fmt: skip
        out, err = capsys.readouterr()
        return status, (json.loads(out) if status == 0 else out), err

    return run


def count(n, total):
    return {"n": n, "pct": 100 * n / total}


def test_patients_count_once_at_their_highest_grade(ae):
    status, document, err = ae()
    assert (status, err) == (0, "")
    assert document["arms"] == [
        {"arm": "ICI", "n": 3, "any": count(2, 3), "grade_3_plus": count(1, 3),
         "grade_5": count(0, 3)},
        {"arm": "Combo", "n": 2, "any": count(2, 2), "grade_3_plus": count(2, 2),
         "grade_5": count(1, 2)},
    ]  # fmt: skip
    # Fever: 2 patients; Nausea: 2 patients (case-insensitive); then Rash, Sepsis by name.
    assert [t["term"] for t in document["terms"]] == ["Fever", "Nausea", "Rash", "Sepsis"]
    fever = document["terms"][0]["arms"]
    assert fever["ICI"] == {"any_grade": count(2, 3), "grade_1_2": count(1, 3),
                            "grade_3_4": count(1, 3), "grade_5": count(0, 3)}  # fmt: skip
    assert fever["Combo"]["any_grade"] == count(0, 2)
    sepsis = document["terms"][3]["arms"]["Combo"]
    assert sepsis["grade_5"] == count(1, 2) and sepsis["grade_3_4"] == count(0, 2)


def test_related_keeps_attributed_events_only(ae):
    status, document, _ = ae(EVENTS, PATIENTS, "--related")
    assert status == 0
    # P1 keeps only grade 1 Fever; P2 keeps Nausea; P5's blank attribution does not count.
    assert [a["any"]["n"] for a in document["arms"]] == [2, 1]
    assert [a["grade_3_plus"]["n"] for a in document["arms"]] == [0, 1]
    terms = {t["term"]: t["arms"] for t in document["terms"]}
    assert list(terms) == ["Nausea", "Fever", "Sepsis"]
    assert terms["Fever"]["ICI"]["grade_1_2"] == count(1, 3)


def test_term_shown_as_first_written_among_counted(ae):
    events = (
        "patient_id,term,grade,start_date,attribution\n"
        "P1,fever,2,2024-02-01,unrelated\nP2,Fever,1,2024-02-01,dTACE\n"
    )
    status, document, _ = ae(events, PATIENTS, "--related")
    assert status == 0 and [t["term"] for t in document["terms"]] == ["Fever"]


def test_without_arm_one_arm_all(ae):
    status, document, _ = ae(EVENTS, "patient_id,start_date\nP1,2024-01-01\nP2,2024-01-01\n"
                             "P4,2024-01-01\nP5,2024-01-01\n")  # fmt: skip
    assert status == 0
    assert [(a["arm"], a["n"], a["any"]["n"]) for a in document["arms"]] == [("All", 4, 4)]


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ("patient_id,term,grade,start_date\nP9,Fever,1,2024-01-01\n",
         "ae.csv, line 2, column patient_id, value 'P9': patient_id is not in"),
        ("patient_id,term,grade,start_date\nP1,Fever,6,2024-01-01\n",
         "line 2, column grade, value '6'"),
        ("patient_id,term,start_date\nP1,Fever,2024-01-01\n", "column grade"),
        ("patient_id,term,grade,start_date,colour\nP1,Fever,1,2024-01-01,red\n",
         "column colour"),
        ("patient_id,term,grade,start_date,end_date\nP1,Fever,1,2024-01-05,2024-01-01\n",
         "is before start_date 2024-01-05"),
    ],
)  # fmt: skip
def test_bad_input_is_an_error(ae, events, message):
    status, out, err = ae(events)
    assert (status, out) == (2, "")
    assert message in err, err
