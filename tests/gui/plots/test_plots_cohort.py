"""The cohort page's plot tabs: one analysis draws all four, options redraw, export (issue #5)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QPushButton

from gui.plots.cohort_plots import CohortPlots
from gui.plots.export_dialog import ExportDialog
from gui.plots.samples import sample_cohort
from model.analysis import StudyAnalysis
from model.settings import StudySettings
from model.stats.endpoints import derive_endpoints


@pytest.fixture
def plots(qtbot):
    study, assessments = sample_cohort(30)
    analysis = StudyAnalysis(
        study, StudySettings(), tuple(assessments), tuple(derive_endpoints(study, assessments))
    )
    plots = CohortPlots()
    for widget, _title in plots.tabs:
        qtbot.addWidget(widget)
    plots.set_analysis(analysis)
    return plots


def test_one_analysis_draws_all_four_and_filters_redraw_them(plots):
    """Filters: a restricted analysis redraws every plot with those patients only (issue #5)."""
    assert [title for _, title in plots.tabs] == ["Waterfall", "Spider", "Swimmer", "Kaplan-Meier"]
    arm_a = [p.patient_id for p in plots.analysis.data.patients if p.arm == "Arm A"]
    plots.set_analysis(plots.analysis.restricted_to(arm_a))
    assert {lane.arm for lane in plots.swimmer.data.lanes} == {"Arm A"}
    assert {b.arm for b in plots.waterfall.data.bars} == {"Arm A"}
    assert [c.arm for c in plots.kaplan_meier.data.curves] == ["Arm A"]


def test_endpoint_choice_switches_the_kaplan_meier_plot(plots):
    """KM: choosing OS redraws the curves of overall survival (issue #5)."""
    plots.endpoint.setCurrentIndex(plots.endpoint.findData("os"))
    assert plots.kaplan_meier.data.endpoint == "OS"


def test_responders_only_keeps_the_swimmer_lanes_with_a_response(plots):
    """Swimmer: "Responders only" shows the patients with a CR or PR (RECIST 1.1 section 4.3),
    the caption saying so; unticked, every patient again (issue #5, layout review)."""
    everyone = len(plots.swimmer.data.lanes)
    plots.responders_only.setChecked(True)
    lanes = plots.swimmer.data.lanes
    assert 0 < len(lanes) < everyone
    assert all(any(m.kind == "response" for m in lane.markers) for lane in lanes)
    assert plots.swimmer.caption.text.startswith("Patients with an objective response")
    plots.responders_only.setChecked(False)
    assert len(plots.swimmer.data.lanes) == everyone


def test_no_analysis_draws_empty_plots(plots):
    """No study: the plots are empty rather than stale (issue #5)."""
    plots.set_analysis(None)
    assert plots.waterfall.data.bars == () and plots.kaplan_meier.data.curves == ()


def test_clicks_in_any_plot_reach_the_page(plots, qtbot):
    """Clicks: a patient clicked in a plot is forwarded by one signal (issue #5)."""
    with qtbot.waitSignal(plots.patient_clicked) as signal:
        plots.swimmer.patient_clicked.emit("P0001")
    assert signal.args == ["P0001"]


def test_export_button_writes_the_chosen_format(plots, qtbot, monkeypatch, tmp_path):
    """Export: the dialog's format gives the suffix, added when the name has none (issue #5,
    issue #15: the Export button opens the journal dialog first)."""
    target = tmp_path / "figure"
    monkeypatch.setattr(ExportDialog, "exec", lambda self: 1)
    monkeypatch.setattr(ExportDialog, "suffix", lambda self: ".png")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kw: (str(target), "PNG image (*.png)")
    )
    tab, _ = plots.tabs[0]
    (export,) = [b for b in tab.findChildren(QPushButton) if b.text().startswith("Export")]
    qtbot.mouseClick(export, Qt.LeftButton)
    # Single column, 89 mm at 300 dpi, the dialog's first preset.
    assert QImage(str(target.with_suffix(".png"))).width() == round(89 / 25.4 * 300)
