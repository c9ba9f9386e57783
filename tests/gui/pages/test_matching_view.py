"""Making a matched set from the Analysis page (issue 18, item 1): a PI clicks Match…, ticks
the covariates, keeps the caliper 0.05, and sees every analysis before and after matching."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QListWidget,
    QPushButton,
    QTableView,
    QTabWidget,
)

from model.demo.cohort import demo_study
from model.store.study import Store

COVARIATES = ("age", "sex", "ecog", "histology_group", "prior_lines", "size_over_10cm")


@pytest.fixture
def demo_window(qtbot, tmp_path: Path):
    from gui.app import build_main_window

    path = tmp_path / "demo.nadir"
    with Store.open(path) as store:
        store.import_study_data(demo_study(80))
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    window.show()
    window.show_cohort_page()
    return window, path


def _open_tab(qtbot, tabs: QTabWidget, title: str) -> None:
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def _first_column(view: QTableView):
    model = view.model()
    return [model.index(r, 0) for r in range(model.rowCount())]


def _fill_match_dialog(qtbot) -> None:
    dialog = QApplication.activeModalWidget()
    covariates = dialog.findChild(QListWidget, "match_covariates")
    covariates.setFocus()
    for row in range(covariates.count()):
        if covariates.item(row).data(Qt.ItemDataRole.UserRole) in COVARIATES:
            covariates.setCurrentRow(row)
            qtbot.keyClick(covariates, Qt.Key.Key_Space)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_a_matched_set_is_made_stored_and_shown_before_and_after(qtbot, demo_window):
    window, path = demo_window
    window.show_analysis_page()
    page = window.analysis_page
    _open_tab(qtbot, page.tabs, "Matching")
    QTimer.singleShot(0, lambda: _fill_match_dialog(qtbot))
    qtbot.mouseClick(page.findChild(QPushButton, "match_button"), Qt.MouseButton.LeftButton)

    view = page.findChild(QTableView, "matched_comparison")
    model = view.model()
    # Computed off the GUI thread (gui/tasks.py): wait for the table.
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=30_000)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers[1:] == ["All patients", "Matched set"]
    rows = {model.index(r, 0).data().strip(): r for r in range(model.rowCount())}
    n_all, n_matched = (model.index(rows["Patients, n"], c).data() for c in (1, 2))
    assert int(n_all) == 80 and 0 < int(n_matched) < 80
    stratified = model.index(rows["PFS, Cox HR stratified on pairs (95% CI)"], 2).data()
    assert "(" in stratified or stratified == "NE"
    assert page.findChild(QTableView, "table1_after").model().rowCount() > 5
    _open_tab(qtbot, page.findChild(QTabWidget, "matching_tabs"), "Cox")
    cox_labels = [i.data() for i in _first_column(page.findChild(QTableView, "cox_after"))]
    assert any(label.strip().startswith("arm") for label in cox_labels)

    sets = page.findChild(QComboBox, "analysis_set")
    assert "PSM" in [sets.itemText(i) for i in range(sets.count())]

    with Store.open(path, create=False) as store:
        (saved,) = store.analysis_sets()
    assert saved.name == "PSM" and saved.recipe.caliper == 0.05
    assert set(saved.recipe.covariates) == set(COVARIATES)
    assert len(saved.members) == 2 * int(n_matched) // 2


def test_love_plot_exports_as_a_journal_figure(qtbot, tmp_path):
    """The love plot is a panel like the cohort plots: PNG and SVG at column width."""
    from gui.plots.figure_export import FigureSpec, export_figure
    from gui.plots.love import LovePlot
    from model.plot_data.love import LoveData, LoveRow

    plot = LovePlot()
    qtbot.addWidget(plot)
    plot.set_data(LoveData((LoveRow("age", 0.3, 0.05), LoveRow("propensity score", 0.9, None)),
                           44))  # fmt: skip
    for suffix in (".png", ".svg"):
        written = export_figure(plot, tmp_path / f"love{suffix}", FigureSpec(85, 70))
        assert all(p.stat().st_size > 0 for p in written)
    assert "44 matched pairs" in plot.data.caption()
