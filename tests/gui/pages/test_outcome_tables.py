"""The cohort page's adverse-event and surgery tabs (issue 18, items 2-3): a PI opens them,
switches to treatment-related events, and saves the table as a Word file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QPushButton, QTableView, QTabWidget

from model.demo.cohort import demo_study
from model.store.study import Store


@pytest.fixture
def demo_window(qtbot, tmp_path: Path):
    from gui.app import build_main_window

    path = tmp_path / "demo.nadir"
    with Store.open(path) as store:
        store.import_study_data(demo_study(40))
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    window.show()
    window.show_cohort_page()
    return window


def _open_tab(qtbot, window, title: str) -> None:
    tabs = window.cohort_page.findChild(QTabWidget, "cohort_tabs")
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def _column(view: QTableView, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_ae_tab_shows_arms_and_switches_to_related(qtbot, demo_window, tmp_path, monkeypatch):
    _open_tab(qtbot, demo_window, "Adverse events")
    view = demo_window.cohort_page.findChild(QTableView, "ae_table")
    labels = _column(view, 0)
    assert labels[0] == "Any adverse event" and len(labels) > 3
    header = view.model().headerData(1, Qt.Orientation.Horizontal)
    assert header.endswith("Any grade") and "(n = " in header
    choice = demo_window.cohort_page.findChild(QComboBox, "ae_choice")
    choice.setFocus()
    qtbot.keyClick(choice, Qt.Key.Key_Down)
    assert choice.currentData() == "related"
    assert any("attributed" in n for n in view.model().table.footnotes)
    target = tmp_path / "ae"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    save = demo_window.cohort_page.findChild(QPushButton, "ae_table_save_docx")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert (tmp_path / "ae.docx").stat().st_size > 0


def test_surgery_tab_lists_each_operation(qtbot, demo_window):
    _open_tab(qtbot, demo_window, "Surgery")
    operations = [e for e in demo_study(40).events if e.kind == "surgery"]
    assert operations
    listing = demo_window.cohort_page.findChild(QTableView, "surgery_listing")
    assert sorted(_column(listing, 0)) == sorted(e.patient_id for e in operations)
    rates = _column(demo_window.cohort_page.findChild(QTableView, "surgery_table"), 0)
    assert rates[0] == "Surgery, n (%)" and "Major pathological response, n/N (%)" in rates


def test_endpoints_tab_shows_dor_ttp_and_the_landmark_per_arm(qtbot, demo_window):
    """Issue 18, item 4: available on the cohort page, at the study's confidence level."""
    _open_tab(qtbot, demo_window, "DoR, TTP, landmark")
    view = demo_window.cohort_page.findChild(QTableView, "endpoints_table")
    labels = [label.strip() for label in _column(view, 0)]
    assert "Duration of response (responders)" in labels and "Time to progression" in labels
    assert "Free of progression at 6 months, n/N (%)" in labels
    assert "95% CI, %" in labels
