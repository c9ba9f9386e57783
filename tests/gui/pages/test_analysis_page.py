"""The Analysis page (issue 17) driven as a user would: Ctrl+4, tick covariates, choose a
reference level, fit; the forest plot selects its table's row when a line is clicked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from model.demo.cohort import demo_study
from model.editing.analysis_sets import AnalysisSet, SetAnalysisSet, SubgroupRecipe
from model.store.study import Store


@pytest.fixture
def demo_window(qtbot, tmp_path: Path):
    from gui.app import build_main_window

    path = tmp_path / "demo.nadir"
    with Store.open(path) as store:
        store.import_study_data(demo_study(80))
        store.apply(
            SetAnalysisSet("ecog 0-1", AnalysisSet("ecog 0-1", SubgroupRecipe((), ("ecog:<2",))))
        )
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    window.show()
    return window


def _tick(qtbot, widget, name: str) -> None:
    item = widget.findItems(name, Qt.MatchFlag.MatchExactly)[0]
    rect = widget.visualItemRect(item)
    # The check box sits at the item's left edge.
    qtbot.mouseClick(
        widget.viewport(),
        Qt.MouseButton.LeftButton,
        pos=rect.topLeft() + type(rect.topLeft())(8, rect.height() // 2),
    )


def _labels(model) -> list[str]:
    return [model.index(r, 0).data().strip() for r in range(model.rowCount())]


def test_a_cox_model_on_histology_group_and_ecog_is_built_by_clicking(qtbot, demo_window):
    qtbot.keyClick(demo_window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = demo_window.analysis_page
    assert demo_window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.results is not None, timeout=10_000)
    assert "Table 1" in page.tabs.tabText(0) and page.table1_model.rowCount() > 10
    page.tabs.setCurrentIndex(1)
    covariates = page.covariate_list
    checked = {covariates.item(i).text() for i in range(covariates.count())
               if covariates.item(i).checkState() == Qt.CheckState.Checked}  # fmt: skip
    for name in checked - {"arm", "histology_group", "ecog"}:
        _tick(qtbot, covariates, name)
    for name in {"arm", "histology_group", "ecog"} - checked:
        _tick(qtbot, covariates, name)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        qtbot.mouseClick(page.fit_button, Qt.MouseButton.LeftButton)
    multi = _labels(page.multi_model)
    assert multi[:2] == ["arm", "Immunotherapy"]
    assert "histology_group" in multi and "ICI-resistant" in multi and "2" in multi
    assert "histology_group" in _labels(page.screen_model)
    page.factor_box.setCurrentText("ecog")
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.reference_box.setCurrentText("1")
        page.reference_box.activated.emit(page.reference_box.currentIndex())
    multi = _labels(page.multi_model)
    assert multi[multi.index("ecog") + 1] == "1"


def test_the_forest_plot_on_a_saved_subgroup_selects_the_clicked_row(qtbot, demo_window):
    demo_window.show_analysis_page()
    page = demo_window.analysis_page
    qtbot.waitUntil(lambda: page.results is not None, timeout=10_000)
    page.set_box.setCurrentText("ecog 0-1")
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.set_box.activated.emit(page.set_box.currentIndex())
    assert set(page.results.table.columns["ecog"].values) <= {"0", "1"}
    page.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        _tick(qtbot, page.subgroup_list, "histology_group")
    assert page.forest_model.rowCount() >= 4
    plot = page.forest_plot
    line = next(line for line in plot.lines if line.row == 1)
    assert "HR" in plot.hover_text_at(0.0, -line.y)
    with qtbot.waitSignal(plot.row_clicked) as clicked:
        plot.patient_clicked.emit(str(line.row))
    assert clicked.args == [1]
    assert page.forest_view.selectionModel().selectedRows()[0].row() == 1
