"""Fixtures of the GUI tests: a small study file, and the main window opened on it.

Per-user settings go to a temporary INI file, never to the tester's own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from model.domain import MeasurementRecord, PatientRecord, Role, ScanRecord, Status, StudyData
from model.store.study import Store

BASELINE = date(2024, 1, 5)
FOLLOW_UP = date(2024, 3, 1)


def small_study() -> StudyData:
    """Return two patients: P01 (one 50 mm target, one non-target, a follow-up scan not yet read)
    and P02 (one 30 mm target, read at follow-up as 29 mm)."""

    def target(pid: str, when: date, mm: float) -> MeasurementRecord:
        return MeasurementRecord(pid, when, "T1", Role.TARGET, Status.MEASURED, "liver", False, mm)

    return StudyData(
        patients=(
            PatientRecord("P01", date(2024, 1, 2), "Arm A"),
            PatientRecord("P02", date(2024, 1, 3), "Arm B"),
        ),
        measurements=(
            target("P01", BASELINE, 50.0),
            MeasurementRecord("P01", BASELINE, "NT1", Role.NON_TARGET, Status.PRESENT, "lung"),
            target("P02", BASELINE, 30.0),
            target("P02", FOLLOW_UP, 29.0),
        ),
        scans=(ScanRecord("P01", FOLLOW_UP, "CT"),),
    )


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path):
    """Point QSettings at a temporary folder for the test."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ui"))
    yield


@pytest.fixture
def study_path(tmp_path: Path) -> Path:
    """Return a study file holding `small_study()`."""
    path = tmp_path / "small.nadir"
    with Store.open(path) as store:
        store.import_study_data(small_study())
    return path


@pytest.fixture
def window(qtbot, study_path: Path):
    """Return the main window on the small study, shown, with P01's page open."""
    from gui.app import build_main_window

    main_window = build_main_window(str(study_path))
    qtbot.addWidget(main_window)
    main_window.show()
    main_window.show_patient("P01")
    return main_window
