"""An override goes stale when the rules' answer under it changes (issue 15, item 1): the
model says so once, in the assessment, for the response row, the navigator and the cohort."""

from __future__ import annotations

from datetime import date

from model.analysis import analyse
from model.criteria.assessment import judge_patient
from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.editing.edits import SetObservation, SetOverride
from model.settings import StudySettings
from model.store.study import Store

BASE, FOLLOW = date(2024, 1, 5), date(2024, 3, 1)


def _store() -> Store:
    def t1(day: date, mm: float) -> MeasurementRecord:
        return MeasurementRecord("P1", day, "T1", Role.TARGET, Status.MEASURED, "", False, mm)

    store = Store.in_memory()
    store.import_study_data(
        StudyData(
            patients=(PatientRecord("P1", date(2024, 1, 1)),),
            measurements=(t1(BASE, 50.0), t1(FOLLOW, 48.0)),
        )
    )
    return store


def _judged(store: Store):
    return judge_patient(
        store.patient_data("P1"), StudySettings().assessment, overrides=store.overrides("P1")
    )


def test_an_override_is_stale_once_the_rules_answer_otherwise_under_it():
    with _store() as store:
        store.apply(SetOverride("P1", FOLLOW, "", "PR", "looks smaller", replaced="SD"))
        assert _judged(store).decided.stale_overrides == {}
        store.apply(SetObservation("P1", "T1", FOLLOW, status=Status.MEASURED, diameter_mm=70))
        judged = _judged(store)
        assert judged.decided.timepoints[1].overall == "PR"  # the override still counts
        assert judged.decided.stale_overrides == {FOLLOW: "PD"}
        analysis = analyse(store.study_data(), store.settings(), store.overrides())
        assert analysis.assessments[0].stale_overrides == {FOLLOW: "PD"}


def test_confirming_an_override_against_the_new_answer_makes_it_current():
    with _store() as store:
        store.apply(SetOverride("P1", FOLLOW, "", "PR", "looks smaller", replaced="SD"))
        store.apply(SetObservation("P1", "T1", FOLLOW, status=Status.MEASURED, diameter_mm=70))
        store.apply(SetOverride("P1", FOLLOW, "", "PR", "looks smaller", replaced="PD"))
        assert _judged(store).decided.stale_overrides == {}


def test_an_override_from_before_the_answer_was_kept_is_never_stale():
    with _store() as store:
        store.apply(SetOverride("P1", FOLLOW, "", "PR", "looks smaller"))
        store.apply(SetObservation("P1", "T1", FOLLOW, status=Status.MEASURED, diameter_mm=70))
        assert _judged(store).decided.stale_overrides == {}
