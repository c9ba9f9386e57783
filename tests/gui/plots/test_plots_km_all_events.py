"""Kaplan-Meier drawing when an arm has no censored patient (every patient died)."""

from datetime import date, timedelta

from gui.plots.kaplan_meier import KaplanMeierPlot
from model.analysis import analyse
from model.domain import MeasurementRecord, PatientRecord, Role, Status, StudyData
from model.plot_data import cohort_plot_data
from model.settings import StudySettings


def test_an_arm_without_censoring_draws(qtbot):
    start = date(2024, 1, 1)
    patients = tuple(
        PatientRecord(f"P{i}", start, arm="A", death_date=start + timedelta(days=30 * i))
        for i in range(1, 4)
    )
    rows = tuple(
        MeasurementRecord(p.patient_id, start, "T1", Role.TARGET, Status.MEASURED, diameter_mm=30)
        for p in patients
    )
    data = cohort_plot_data(analyse(StudyData(patients, rows), StudySettings()), endpoint="os")
    assert all(not curve.censor_times for curve in data.kaplan_meier.curves)
    plot = KaplanMeierPlot()
    qtbot.addWidget(plot)
    plot.set_data(data.kaplan_meier)
