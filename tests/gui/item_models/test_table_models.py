"""Every table model of the GUI passes Qt's model tester (style practice 6).

pytest-qt's `qtmodeltester.check` runs QAbstractItemModelTester, which finds
off-by-one rows, bad parents and wrong data types.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.dialogs.import_preview import PreviewTableModel, preview_rows
from gui.item_models.cohort_table_model import ArmTableModel, CohortTableModel, cohort_rows
from gui.item_models.event_table_model import EventTableModel
from gui.item_models.measurement_table_model import MeasurementTableModel
from gui.item_models.problem_table_model import ProblemTableModel
from gui.item_models.response_table_model import ResponseTableModel
from gui.pages.navigator import NavigatorModel, PatientEntry
from model.errors import InputProblem
from model.stats.response_rates import response_rates
from tests.gui.conftest import small_study


def test_measurement_and_response_models_pass_the_model_tester(qtmodeltester, window):
    """The grid and the response rows of a patient with lesions and scans."""
    view = window.session.patient_view("P01")
    grid = MeasurementTableModel(window.session)
    grid.set_view(view)
    assert grid.rowCount() == 2 and grid.columnCount() == 6
    qtmodeltester.check(grid)
    rows = ResponseTableModel()
    rows.set_view(view)
    qtmodeltester.check(rows)


def test_event_model_passes_the_model_tester(qtmodeltester, window):
    """The events table, empty and filled."""
    events = EventTableModel(window.session)
    qtmodeltester.check(events)
    window.patient_page.tabs.setCurrentIndex(1)
    window.patient_page.facts.add_event()
    events.set_rows(window.session.patient_view("P01").events)
    assert events.rowCount() == 1
    qtmodeltester.check(events)


def test_navigator_tree_passes_the_model_tester(qtmodeltester):
    """Arms with their patients as children."""
    model = NavigatorModel()
    model.set_patients(
        [PatientEntry("P1", "A", "PR"), PatientEntry("P2", "B", "PD"), PatientEntry("P3", "A", "")]
    )
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_cohort_models_pass_the_model_tester(qtmodeltester, window):
    """The per-patient and per-arm cohort tables."""
    analysis = window.session.analysis()
    patients = CohortTableModel()
    patients.set_rows(cohort_rows(analysis))
    assert patients.rowCount() == 2
    qtmodeltester.check(patients)
    arms = ArmTableModel()
    arms.set_rates(response_rates(analysis.best_responses_by_arm()))
    qtmodeltester.check(arms)


def test_problem_model_passes_the_model_tester(qtmodeltester):
    """The import problems table."""
    model = ProblemTableModel()
    model.set_rows([InputProblem("bad", "m.csv", 3, "age", "x"), InputProblem("worse")])
    qtmodeltester.check(model)


def test_import_preview_model_passes_the_model_tester(qtmodeltester):
    """The import wizard's preview of patients."""
    model = PreviewTableModel()
    model.set_rows(preview_rows(small_study()))
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_arm_table_names_the_study_confidence_level_and_one_sided_bounds(qtmodeltester):
    """Issue 18, item 4: ORR/DCR intervals at the study's level, one-sided for phase 2."""
    arms = ArmTableModel()
    arms.set_rates(response_rates({"A": ["PR", "SD", "PD"]}, alpha=0.1, one_sided=True),
                   one_sided=True)  # fmt: skip
    qtmodeltester.check(arms)
    assert arms.headerData(2, Qt.Orientation.Horizontal) == "ORR (90 % lower bound)"
    assert arms.index(0, 2).data().startswith("1/3 = 33.3 % (\u2265")


def test_manuscript_table_model_passes_the_model_tester(qtmodeltester):
    """The AE, surgery and matching tabs' tables (issue 18)."""
    from gui.item_models.manuscript_table_model import ManuscriptTableModel
    from model.exports.manuscript import Row, Span, Table

    model = ManuscriptTableModel()
    model.set_table(Table("T", "Term", ("Any", "3-4"), (Row("Fever", ("1 (50.0)", "0")),),
                          spans=(Span("Arm A", 2),)))  # fmt: skip
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Arm A\nAny"
