"""A desktop tool's manners (issue 15, item 5): hints on empty pages and plots, read-only in a
bar on the page, Help with every shortcut and the guide, readable arm names, Enter in the filter
opens a patient, the filter keeps the page, accessible names, a window that fits the screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.dialogs.help_dialog import HelpDialog, guide_markdown, shortcut_rows
from model.domain import PatientRecord, StudyData
from model.store.study import Store


def test_an_empty_study_says_how_to_add_or_import_patients(qtbot, tmp_path: Path):
    from gui.app import build_main_window

    window = build_main_window(str(tmp_path / "empty.nadir"))
    qtbot.addWidget(window)
    window.show()
    hint = window.patient_page.hint
    assert hint.isVisible()
    assert "New patient" in hint.text() and "Import" in hint.text()


def test_a_patient_without_scans_is_told_to_press_ctrl_t(qtbot, tmp_path: Path):
    from gui.app import build_main_window

    path = tmp_path / "one.nadir"
    with Store.open(path) as store:
        from datetime import date

        store.import_study_data(StudyData(patients=(PatientRecord("P1", date(2024, 1, 1)),)))
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    window.show()
    window.show_patient("P1")
    assert "Ctrl+T" in window.patient_page.hint.text()
    window.show_cohort_page()
    plots = window.cohort_plots
    for panel in (plots.waterfall, plots.spider):  # nothing measured after baseline
        hint = plots.hints[id(panel)]
        assert not hint.isHidden() and "Ctrl+T" in hint.text()


def test_a_patient_with_data_shows_no_hint(window):
    assert not window.patient_page.hint.isVisible()
    assert not window.read_only_bar.isVisible()


def test_help_lists_every_shortcut_and_the_guide(qtbot, window):
    rows = shortcut_rows(window.menuBar())
    keys = {key for _, key, _ in rows}
    for key in ("Ctrl+T", "Ctrl+L", "Ctrl+I", "Ctrl+Shift+P", "Ctrl+Y", "Ctrl+R", "F1"):
        assert any(key in k.split(", ") for k in keys), key
    assert "Measurement grid" in guide_markdown() or "Patient page" in guide_markdown()
    dialog = HelpDialog(window.menuBar(), window)
    qtbot.addWidget(dialog)
    assert dialog.shortcuts.rowCount() == len(rows) + 7
    assert "Kaplan-Meier" in dialog.guide.toPlainText()


def test_enter_in_the_filter_opens_the_patient_it_keeps_with_the_cursor_in_the_grid(qtbot, window):
    window.show_patient("P01")
    window.focus_filter()
    qtbot.keyClicks(window.navigator.filter_box, "P02")
    qtbot.keyClick(window.navigator.filter_box, Qt.Key.Key_Return)
    assert window.patient_page.patient_id() == "P02"
    assert QApplication.focusWidget() is window.patient_page.grid
    assert window.patient_page.grid.currentIndex().column() >= 4  # a scan cell, not a label


def test_filtering_keeps_the_cohort_page(qtbot, window):
    window.show_cohort_page()
    window.focus_filter()
    qtbot.keyClicks(window.navigator.filter_box, "Arm B")
    assert window.pages.currentWidget() is window.cohort_page
    assert window.navigator.visible_patients() == ["P02"]


def test_arm_names_take_the_navigators_width(window):
    tree = window.navigator.tree
    arm = tree.model().index(0, 0)
    assert tree.isFirstColumnSpanned(0, arm.parent())


def test_the_grid_navigator_and_plots_have_accessible_names(window):
    window.show_cohort_page()
    named = [
        window.patient_page.grid,
        window.patient_page.response_view,
        window.navigator.tree,
        window.navigator.filter_box,
        window.cohort_plots.waterfall,
        window.cohort_plots.kaplan_meier,
    ]
    assert all(widget.accessibleName() for widget in named)


def test_the_window_fits_the_screen(window):
    screen = window.screen().availableGeometry()
    assert window.frameGeometry().width() <= screen.width()
    assert window.height() <= screen.height()
