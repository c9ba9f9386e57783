"""Pseudonymised exports tell nothing the key hides: not the enrolment order, not dates or
names inside kept text, not the study's file name; and they cover every date import accepts.

Source: issue 14, attacks 5 ("`export --pseudonymise` crashes (OverflowError)
on a date near 0001-01-01 or 9999-12-31, which `import` accepts"), 7
("kept free text ... passes through with any real dates or names in it; row
order is kept, so an enrolment list re-links patients without the key; the
files are 0644") and 13 ("a world-readable key file is accepted").
"""

from __future__ import annotations

import stat
from datetime import date, timedelta

import pytest

from main import main
from model.demo.cohort import demo_study
from model.domain import (
    EventRecord,
    MeasurementRecord,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    StudyData,
)
from model.errors import InputError
from model.exports.privacy import MAX_SHIFT_DAYS, pseudonym, pseudonymise, read_key
from model.exports.scrub import scrubbed
from model.interchange.study_files import read_study
from model.store.study import Store

KEY = b"k" * 32


def test_dates_at_the_ends_of_the_calendar_stay_in_it_and_keep_their_intervals():
    early, late = date(1, 1, 3), date(9999, 12, 30)
    data = StudyData(
        patients=(PatientRecord("A", early, last_contact_date=early + timedelta(days=40)),
                  PatientRecord("B", late - timedelta(days=10), death_date=late)),
        events=(EventRecord("A", "treatment", early, early + timedelta(days=9)),),
    )  # fmt: skip
    private = pseudonymise(data, KEY)
    a, b = sorted(private.patients, key=lambda p: p.start_date)
    assert (a.last_contact_date - a.start_date).days == 40
    assert (b.death_date - b.start_date).days == 10
    before = sorted(data.patients, key=lambda p: p.start_date)
    for old, new in zip(before, (a, b), strict=True):
        assert abs(new.start_date - old.start_date) <= timedelta(days=MAX_SHIFT_DAYS)


def test_the_export_command_takes_such_dates(tmp_path, capsys):
    study = tmp_path / "s.nadir"
    with Store.open(study) as store:
        patients = (PatientRecord("A", date(1, 1, 1)), PatientRecord("B", date(9999, 12, 31)))
        store.import_study_data(StudyData(patients=patients))
    key = tmp_path / "k.key"
    argv = ["export", "--db", str(study), "--out", str(tmp_path / "o"), "--pseudonymise",
            "--key-file", str(key)]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert len(read_study(tmp_path / "o").patients) == 2


def test_rows_are_in_code_order_not_the_studys():
    data = demo_study(30)
    private = pseudonymise(data, KEY)
    codes = [p.patient_id for p in private.patients]
    assert codes == sorted(codes)
    enrolled = [pseudonym(KEY, p.patient_id) for p in data.patients]
    assert codes != enrolled
    assert [m.patient_id for m in private.measurements] == sorted(
        m.patient_id for m in private.measurements
    )


def _one_patient(**text: str) -> StudyData:
    day = date(2024, 3, 1)
    return StudyData(
        patients=(PatientRecord("P1", day, text.get("arm", "Arm A")),),
        measurements=(
            MeasurementRecord("P1", day, "T1", Role.TARGET, Status.MEASURED,
                              text.get("site", "liver"), diameter_mm=10.0,
                              reader=text.get("reader", "Dr Ann")),
        ),
        scans=(ScanRecord("P1", day, text.get("modality", "CT")),),
        events=(EventRecord("P1", text.get("kind", "treatment"), day, detail="x"),),
    )  # fmt: skip


def test_free_text_outside_its_usual_words_is_coded_or_dropped():
    private = pseudonymise(
        _one_patient(arm="Dr Smith's arm", site="Liver (Mrs Jones)", reader="Dr Ann Lee",
                     modality="CT at St Mary's 2024-03-01", kind="seen by Dr Who"),
        KEY,
    )  # fmt: skip
    text = repr(private)
    for leaked in ("Smith", "Jones", "Ann Lee", "Mary", "Who", "2024-03-01"):
        assert leaked not in text, leaked
    (m,), (e,), (s,) = private.measurements, private.events, private.scans
    assert m.site.startswith("SITE-") and m.reader.startswith("R-")
    assert private.patients[0].arm.startswith("ARM-")
    assert (e.kind, s.modality) == ("other", None)
    usual = pseudonymise(_one_patient(kind="Surgery", modality="MRI"), KEY)
    assert (usual.events[0].kind, usual.scans[0].modality) == ("Surgery", "MRI")
    # Sites compare without letter case (iRECIST new-lesion sites): so do their codes.
    assert pseudonymise(_one_patient(site="LIVER"), KEY).measurements[0].site == pseudonymise(
        _one_patient(site="liver"), KEY).measurements[0].site  # fmt: skip


def test_dates_inside_kept_text_are_moved_or_removed():
    data = _one_patient(kind="relapse 2024-03-05, letter of 12/03/2024 and 5 March 2024")
    private = pseudonymise(data, KEY, keep={"kind"})
    shift = private.patients[0].start_date - data.patients[0].start_date
    moved = (date(2024, 3, 5) + shift).isoformat()
    assert private.events[0].kind == f"relapse {moved}, letter of [date] and [date]"
    assert scrubbed("on 9999-12-31", timedelta(days=3)) == "on [date]"


def test_the_study_is_named_by_a_code_and_every_file_is_private(tmp_path, capsys):
    study = tmp_path / "Smith lab sarcoma.nadir"
    with Store.open(study) as store:
        store.import_study_data(demo_study(5))
    key = tmp_path / "k.key"
    for fmt in ("sdtm", "xlsx"):
        out = tmp_path / fmt
        argv = ["export", "--db", str(study), "--out", str(out), "--format", fmt,
                "--pseudonymise", "--key-file", str(key)]  # fmt: skip
        assert main(argv) == 0
        for path in out.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
            assert "SMITH" not in path.name.upper()
            if path.suffix == ".csv":
                assert "SMITH" not in path.read_text().upper()
        assert stat.S_IMODE(out.stat().st_mode) == 0o700
    capsys.readouterr()


def test_a_key_file_others_may_read_is_refused(tmp_path):
    path = tmp_path / "k.key"
    read_key(path)
    path.chmod(0o644)
    with pytest.raises(InputError, match="may be read by other users.*chmod 600"):
        read_key(path)
    path.chmod(0o600)
    assert read_key(path)[1] is False
