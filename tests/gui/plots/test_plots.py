"""The cohort plots draw offscreen, answer hover and clicks, and run as demos (issue #5)."""

import importlib

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from gui.plots.kaplan_meier import KaplanMeierPlot
from gui.plots.samples import sample_cohort
from gui.plots.spider import SpiderPlot
from gui.plots.swimmer import SwimmerPlot
from gui.plots.waterfall import WaterfallPlot
from model.plot_data import (
    arms_of,
    km_groups,
    km_plot_data,
    spider_data,
    start_dates_of,
    swimmer_data,
    waterfall_data,
)
from model.stats.endpoints import derive_endpoints


@pytest.fixture(scope="module")
def cohort():
    return sample_cohort(40)


def _shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _click_point(widget, x: float, y: float) -> QPoint:
    """Widget coordinates of data point (x, y) of the panel's plot."""
    return widget.mapFromScene(widget.plot.vb.mapViewToScene(QPointF(x, y)))


def test_waterfall_click_on_a_bar_emits_its_patient(qtbot, cohort):
    """Waterfall: clicking a bar emits the patient id, for the cohort page (issue #5)."""
    study, assessments = cohort
    widget = _shown(qtbot, WaterfallPlot())
    data = waterfall_data(assessments, arms_of(study))
    widget.set_data(data)
    first = data.bars[0]
    with qtbot.waitSignal(widget.patient_clicked) as signal:
        qtbot.mouseClick(
            widget.viewport(), Qt.LeftButton, pos=_click_point(widget, 0, first.shown_pct / 2)
        )
    assert signal.args == [first.patient_id]


def test_waterfall_hover_names_patient_value_and_response(qtbot, cohort):
    """Waterfall hover: patient, value and best response; nothing between bars (issue #5)."""
    study, assessments = cohort
    widget = _shown(qtbot, WaterfallPlot())
    data = waterfall_data(assessments, arms_of(study))
    widget.set_data(data)
    last = data.bars[-1]
    text = widget.hover_text_at(len(data.bars) - 1, last.shown_pct / 2)
    value = f"{last.pct_change:+.1f} %"
    assert text == f"{last.patient_id} ({last.arm}): {value}, best response {last.response}"
    assert widget.hover_text_at(0.5, 1.0) == ""


def test_spider_pick_finds_the_line_under_the_pointer(qtbot, cohort):
    """Spider: hover and click pick the patient whose line is under the pointer (issue #5)."""
    study, assessments = cohort
    widget = _shown(qtbot, SpiderPlot())
    data = spider_data(assessments, arms_of(study), start_dates_of(study))
    widget.set_data(data)
    line = max(data.lines, key=lambda item: item.times[-1])
    assert widget.patient_at(line.times[-1], line.pct[-1]) == line.patient_id
    assert line.patient_id in widget.hover_text_at(line.times[-1], line.pct[-1])


def test_swimmer_click_on_a_lane_emits_its_patient(qtbot, cohort):
    """Swimmer: clicking the top (longest) lane emits its patient id (issue #5)."""
    study, assessments = cohort
    widget = _shown(qtbot, SwimmerPlot())
    data = swimmer_data(study, assessments)
    widget.set_data(data)
    top = data.lanes[0]
    with qtbot.waitSignal(widget.patient_clicked) as signal:
        point = _click_point(widget, top.end / 2, len(data.lanes) - 1)
        qtbot.mouseClick(widget.viewport(), Qt.LeftButton, pos=point)
    assert signal.args == [top.patient_id]


def test_kaplan_meier_draws_and_toggles_bands(qtbot, cohort):
    """KM: curves per arm; CI bands can be hidden and shown; at-risk hover per arm (issue #5)."""
    study, assessments = cohort
    widget = _shown(qtbot, KaplanMeierPlot())
    groups = km_groups(derive_endpoints(study, assessments), endpoint="os")
    data = km_plot_data(groups, endpoint="OS", unit="months")
    widget.set_data(data, show_ci=False)
    widget.set_ci_visible(True)
    assert widget.hover_text_at(data.ticks[1], 0.5).splitlines()[1:] == [
        f"{c.arm}: {n[1]} at risk" for c, n in zip(data.curves, data.at_risk, strict=True)
    ]
    assert widget.patient_at(1.0, 0.5) is None


@pytest.mark.parametrize("module", ["waterfall", "spider", "swimmer", "kaplan_meier"])
def test_each_plot_module_runs_as_a_demo(qtbot, monkeypatch, module):
    """Each plot module shows sample data when run as a script (style practice 9)."""
    shown = []
    monkeypatch.setattr(QApplication, "exec", lambda self: shown.append(self) or 0)
    importlib.import_module(f"gui.plots.{module}").demo()
    assert shown
    # Close what the demo opened; other tests' panels may be gone on the C++ side already.
    for widget in QApplication.topLevelWidgets():
        if shiboken6.isValid(widget):
            widget.close()


def test_at_risk_table_columns_sit_under_the_x_ticks(qtbot, cohort):
    """KM: each number-at-risk column is centred under its x-axis tick (issue #5)."""
    study, assessments = cohort
    widget = _shown(qtbot, KaplanMeierPlot())
    data = km_plot_data(
        km_groups(derive_endpoints(study, assessments)), endpoint="PFS", unit="months"
    )
    widget.set_data(data)
    qtbot.wait(10)
    for tick in data.ticks:
        on_plot = widget.plot.vb.mapViewToScene(QPointF(tick, 0)).x()
        in_table = widget.risk.vb.mapViewToScene(QPointF(tick, 0)).x()
        assert in_table == pytest.approx(on_plot, abs=0.05)
