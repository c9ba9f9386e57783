"""Pseudonymised exports: stable codes from a secret key, each patient's dates shifted by one
secret offset that keeps every interval, free text dropped unless kept, formulas neutralised;
identifiable exports readable by their owner only.

Source: issue #8, part 6; model/exports/privacy.py (HIPAA Safe Harbor for ages above 89;
OWASP "CSV Injection" for the leading =, +, -, @).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import main
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.domain import EventRecord, PatientRecord, StudyData
from model.errors import InputError
from model.exports.privacy import (
    MAX_SHIFT_DAYS,
    pseudonym,
    pseudonymise,
    read_key,
)
from model.interchange.study_files import read_study
from model.settings import StudySettings
from model.store.study import Store
from tests.platforms import assert_owner_only

KEY, OTHER_KEY = b"k" * 32, b"o" * 32


def dated(data: StudyData) -> dict[str, list[date]]:
    """Returns every date of each patient, in record order."""
    dates: dict[str, list[date]] = {}
    for record in (*data.patients, *data.measurements, *data.scans, *data.events,
                   *data.adverse_events):  # fmt: skip
        names = ("start_date", "scan_date", "end_date", "last_contact_date", "death_date")
        values = [getattr(record, n, None) for n in names]
        dates.setdefault(record.patient_id, []).extend(v for v in values if v is not None)
    return dates


def test_codes_are_stable_per_key_and_differ_between_keys():
    assert pseudonym(KEY, "P1") == pseudonym(KEY, "P1") != pseudonym(KEY, "P2")
    assert pseudonym(KEY, "P1") != pseudonym(OTHER_KEY, "P1")
    assert pseudonym(KEY, "P1").startswith("P-") and len(pseudonym(KEY, "P1")) == 14


def test_every_date_of_a_patient_moves_by_one_offset_so_intervals_are_kept():
    data = demo_study(30)
    private = pseudonymise(data, KEY)
    original, shifted = dated(data), dated(private)
    offsets = set()
    for pid, days in original.items():
        moved = shifted[pseudonym(KEY, pid)]
        (offset,) = {new - old for old, new in zip(days, moved, strict=True)}
        assert abs(offset) <= timedelta(days=MAX_SHIFT_DAYS)
        offsets.add(offset)
    assert len(offsets) > 20  # per patient, not one offset for the study


def test_responses_and_survival_are_the_same_after_pseudonymising():
    data = demo_study(40)
    plain, private = (analyse(d, StudySettings()) for d in (data, pseudonymise(data, KEY)))
    codes = {pseudonym(KEY, a.patient_id): a for a in plain.assessments}
    for assessment in private.assessments:
        before = codes[assessment.patient_id]
        assert assessment.best_overall_response == before.best_overall_response
        assert assessment.best_pct_change == before.best_pct_change
    days = {pseudonym(KEY, e.patient_id): (e.pfs_days, e.os_days) for e in plain.endpoints}
    assert {e.patient_id: (e.pfs_days, e.os_days) for e in private.endpoints} == days


def test_free_text_is_dropped_unless_kept_and_old_ages_are_capped():
    patient = PatientRecord(
        "MRN-0042",
        date(2024, 1, 1),
        '=HYPERLINK("http://x")',
        age=93.0,
        histology="Mrs Smith's adenocarcinoma",
        stage="IV",
        extra={"x_name": "Jane Smith", "x_site": "Berlin"},
    )
    event = EventRecord("MRN-0042", "surgery", date(2024, 2, 1), detail="Dr Who, Charité")
    data = StudyData(patients=(patient,), events=(event,))
    (p,), (e,) = (getattr(pseudonymise(data, KEY), n) for n in ("patients", "events"))
    assert (p.histology, p.stage, p.extra, e.detail, p.age) == (None, None, {}, None, 90.0)
    assert p.arm.startswith("ARM-")
    kept = pseudonymise(data, KEY, keep={"arm"}).patients[0]
    assert kept.arm == '\'=HYPERLINK("http://x")'
    kept = pseudonymise(data, KEY, keep={"stage", "x_site"}).patients[0]
    assert (kept.stage, kept.extra, kept.histology) == ("IV", {"x_site": "Berlin"}, None)
    with pytest.raises(InputError, match="cannot keep x_nothing"):
        pseudonymise(data, KEY, keep={"x_nothing"})


def test_a_key_file_is_created_private_and_read_back(tmp_path):
    path = tmp_path / "study.key"
    key, created = read_key(path)
    assert created and len(key) == 32
    assert_owner_only(path)
    assert read_key(path) == (key, False)
    path.write_bytes(b"short")
    with pytest.raises(InputError, match="at least 16 bytes"):
        read_key(path)


@pytest.fixture
def study(tmp_path) -> Path:
    """A study file of 12 demo patients."""
    path = tmp_path / "s.nadir"
    with Store.open(path) as store:
        store.import_study_data(demo_study(12))
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    """Returns (exit status, stdout, stderr) of main.py with `argv`."""
    status = main.main([str(a) for a in argv])
    return status, *capsys.readouterr()


def test_export_pseudonymise_writes_no_patient_id_and_repeats_with_the_same_key(
    capsys, study, tmp_path
):
    key = tmp_path / "k.key"
    args = ("export", "--db", study, "--pseudonymise", "--key-file", key, "--out")
    assert run(capsys, *args, tmp_path / "a")[0] == 0
    assert run(capsys, *args, tmp_path / "b")[0] == 0
    ids = Store.open(study, read_only=True).patient_ids()
    for name in ("patients.csv", "measurements.csv"):
        text = (tmp_path / "a" / name).read_text()
        assert text == (tmp_path / "b" / name).read_text()
        assert not any(pid in text for pid in ids)
    assert len(read_study(tmp_path / "a").patients) == len(ids)


def test_export_options_are_checked(capsys, study, tmp_path):
    status, out, err = run(capsys, "export", "--db", study, "--out", tmp_path, "--pseudonymise")
    assert (status, out) == (2, "") and "needs --key-file" in err
    status, out, err = run(capsys, "export", "--db", study, "--out", tmp_path, "--keep", "stage")
    assert (status, out) == (2, "") and "go with --pseudonymise" in err


def test_an_identifiable_export_is_private_and_works_while_the_study_is_open(
    capsys, study, tmp_path
):
    with Store.open(study):  # the app has the study open: export reads it read-only
        assert run(capsys, "export", "--db", study, "--out", tmp_path / "x")[0] == 0
        assert run(capsys, "export", "--db", study, "--out", tmp_path / "x", "--xlsx")[0] == 0
    files = list((tmp_path / "x").iterdir())
    assert files
    for file in files:
        assert_owner_only(file)


def test_a_pseudonymised_workbook_neutralises_formulas(capsys, study, tmp_path):
    with Store.open(study) as store:
        record = store.patient(store.patient_ids()[0])
        from model.editing.edits import UpdatePatient

        store.apply(UpdatePatient(record.patient_id, replace(record, arm="@SUM(1+1)")))
    key = tmp_path / "k.key"
    out = tmp_path / "w"
    argv = ("export", "--db", study, "--out", out, "--xlsx", "--pseudonymise", "--key-file", key,
            "--keep", "arm")  # fmt: skip
    assert run(capsys, *argv)[0] == 0
    (workbook,) = out.glob("S-*.xlsx")  # named by the study's code, not its file's name
    arms = {p.arm for p in read_study(workbook).patients}
    assert "'@SUM(1+1)" in arms and "@SUM(1+1)" not in arms


def test_decisions_follow_their_patient_into_the_pseudonymised_export():
    """An override or adjudication keeps counting after pseudonymisation: same code, same
    shifted date as the patient's rows; its free-text reason is dropped (issue #8, part 6)."""
    from datetime import date

    from model.editing.edits import Override
    from model.exports.privacy import date_shift, pseudonym, pseudonymise_decisions

    key = b"k" * 32
    when = "2024-03-05T10:00:00+00:00"
    override = Override("u1", "P01", date(2024, 3, 1), "Ann", "PD", "Mr Smith's scan", when)
    (private,) = pseudonymise_decisions([override], key)
    assert private.patient_id == pseudonym(key, "P01")
    assert private.scan_date == date(2024, 3, 1) + date_shift(key, "P01")
    assert (private.response, private.reason) == ("PD", "")
    shifted = datetime.fromisoformat(when) + date_shift(key, "P01")
    assert private.time == shifted.isoformat()  # the real date of the decision is not told
    odd = replace(override, time="t")
    assert pseudonymise_decisions([odd], key)[0].time == ""


def test_declared_variables_are_kept_and_adverse_events_move_with_their_patient():
    """Issue 16: a declared variable's values are data and stay; an undeclared x_ field is
    free text and goes; an adverse event keeps its term and grade, its dates shifted."""
    from model.domain import AdverseEvent, Variable, VariableType

    start = date(2024, 1, 10)
    data = StudyData(
        patients=(PatientRecord("P1", start, extra={"x_ecog": "1", "x_note": "Dr Who's"}),),
        adverse_events=(
            AdverseEvent(
                "P1",
                "Pneumonitis",
                3,
                date(2024, 3, 1),
                date(2024, 3, 9),
                "pembrolizumab",
                True,
                "Respiratory",
            ),
        ),  # fmt: skip
        variables=(Variable("ecog", VariableType.CATEGORICAL, ("0", "1")),),
    )
    private = pseudonymise(data, KEY)
    (patient,) = private.patients
    (ae,) = private.adverse_events
    assert patient.extra == {"x_ecog": "1"} and private.variables == data.variables
    shift = patient.start_date - start
    assert (ae.start_date, ae.end_date) == (date(2024, 3, 1) + shift, date(2024, 3, 9) + shift)
    assert (ae.patient_id, ae.term, ae.grade, ae.attribution) == (
        patient.patient_id, "Pneumonitis", 3, "pembrolizumab")  # fmt: skip
