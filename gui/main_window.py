"""The main window: menus and shortcuts, the navigator beside the patient and cohort pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui.actions import Shortcut, add_action
from gui.dialogs.about_dialog import add_about_action
from gui.dialogs.add_dialogs import AddPatientDialog
from gui.dialogs.help_dialog import HelpDialog
from gui.dialogs.reader_dialog import ask_who_is_reading
from gui.dialogs.settings_dialog import StudySettingsDialog
from gui.dialogs.variables_dialog import add_variables_action
from gui.item_models.cell_input import KEY_HELP
from gui.item_models.measurement_table_model import FIXED_COLUMNS
from gui.pages.cohort_page import CohortPage
from gui.pages.comparison_view import ComparisonPage
from gui.pages.navigator import Navigator, PatientEntry
from gui.pages.patient_page import PatientPage
from gui.safety_actions import SafetyActions
from gui.session import StudySession
from gui.settings import UiSettings
from gui.source_actions import add_source_actions
from gui.study_files import StudyFiles
from model.domain import Role
from model.double_reading.visibility import ViewerRole
from model.editing.edits import AddPatient, RemovePatient, SetReadComplete, SetSettings

if TYPE_CHECKING:
    from gui.pages.analysis_page import AnalysisPage

#: Patients judged per turn of the event loop while the navigator fills in, read at once.
PATIENTS_PER_TURN = 200
#: What the bar over a read-only study says.
READ_ONLY_TEXT = (
    "Read-only: another Nadir is editing this study, so nothing typed here is saved. "
    "Close it there, then open the study again (File > Open recent) to edit it."
)
#: Milliseconds a refused edit stays in the status bar.
MESSAGE_MS = 10_000


def _with_redo_keys(key: QKeySequence.StandardKey) -> list[QKeySequence]:
    """Return the keys the platform binds to `key`; redo gets both Ctrl+Y and Ctrl+Shift+Z,
    whatever the platform's theme binds (issue 15, item 5: "Ctrl+Y does not redo")."""
    bound = QKeySequence.keyBindings(key)
    if key == QKeySequence.StandardKey.Redo:
        bound += [
            QKeySequence(k) for k in ("Ctrl+Y", "Ctrl+Shift+Z") if QKeySequence(k) not in bound
        ]
    return bound


class MainWindow(QMainWindow):
    """Navigator on the left; the patient page or the cohort page on the right."""

    def __init__(self, session: StudySession, ui_settings: UiSettings):
        super().__init__()
        #: True while the "who is reading" dialog is open (`ask_who_is_reading`).
        self._asking_who_reads = False
        self.session = session
        self.ui_settings = ui_settings
        self.navigator = Navigator()
        self.patient_page = PatientPage(session)
        self.cohort_page = CohortPage(session)
        self.comparison_page = ComparisonPage(session)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.patient_page)
        self.pages.addWidget(self.cohort_page)
        self.pages.addWidget(self.comparison_page)
        #: Built when first asked for (`analysis_page`): its imports outweigh the rest of start-up.
        self._analysis_page: AnalysisPage | None = None
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.navigator.setMinimumWidth(205)
        self.splitter.setSizes([230, 1130])
        #: Says on the page, not only in the title, that nothing typed is saved.
        self.read_only_bar = QLabel(READ_ONLY_TEXT)
        self.read_only_bar.setObjectName("read_only_bar")
        self.read_only_bar.setAccessibleName("Read-only study")
        self.read_only_bar.setWordWrap(True)
        self.read_only_bar.setStyleSheet(
            "QLabel { background: #FFE9A8; color: #4A3400; padding: 4px 8px;"
            " border-bottom: 1px solid #C99A00; }"
        )
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.read_only_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.files = StudyFiles(self, session, ui_settings)
        self.safety = SafetyActions(session, self)
        self._build_menus()
        self.navigator.patient_selected.connect(self._on_patient_selected)
        self.cohort_page.patient_selected.connect(self.show_patient)
        self.navigator.filter_changed.connect(self.cohort_page.restrict_to)
        self.navigator.filter_entered.connect(self._on_filter_entered)
        self.cohort_plots = None
        session.edit_refused.connect(self.show_problem)
        session.study_changed.connect(self._on_study_changed)
        session.study_replaced.connect(self._on_study_replaced)
        self.statusBar().showMessage("Ready")
        self.resize(1366, 740)
        self._fit_screen()
        self._restore_layout()
        self._fit_screen()
        self._on_study_replaced()

    def _action(self, menu: QMenu, text: str, slot, shortcut: Shortcut, tip: str) -> QAction:
        return add_action(menu, text, slot, shortcut, tip, self)

    def _menu(self, title: str, tip: str) -> QMenu:
        menu = self.menuBar().addMenu(title)
        menu.menuAction().setStatusTip(tip)
        return menu

    def _build_menus(self) -> None:
        keys = QKeySequence.StandardKey
        file = self._menu("&File", "Open, create, import and export studies")
        self.files.build_menu(file)
        add_source_actions(file, self, self.session)
        self.recent_menu = self.files.recent_menu
        file.addSeparator()
        self.safety.build_file_menu(file)
        file.addSeparator()
        self._action(file, "&Quit", self.close, "Ctrl+Q", "Close Nadir (every edit is saved)")
        edit = self._menu("&Edit", "Undo, redo and the study's settings")
        stack = self.session.undo_stack
        for action, key, tip in (
            (stack.createUndoAction(self, "&Undo"), keys.Undo, "Undo the last edit"),
            (stack.createRedoAction(self, "&Redo"), keys.Redo, "Redo the edit undone"),
        ):
            action.setShortcuts(_with_redo_keys(key))
            action.setStatusTip(tip)
            edit.addAction(action)
        edit.addSeparator()
        self._action(
            edit,
            "Study &settings…",
            self.edit_settings,
            "Ctrl+,",
            "Criteria, confirmation, minimum SD duration, reader, time origins",
        )
        study = self._menu("&Study", "The study's baseline variables (issue 16)")
        add_variables_action(study, self.session, self)
        self._build_patient_menu(self._menu("&Patient", "Scans, lesions and overrides"))
        self._build_view_menu(self._menu("&View", "Pages and where the cursor goes"))
        self._build_reading_menu(self._menu("&Reading", "Blinded double reading (issue #7)"))
        help_menu = self._menu("&Help", "Every shortcut, the grid's keys and the guide")
        self._action(
            help_menu,
            "&Keyboard shortcuts",
            lambda: self.show_help(0),
            keys.HelpContents,
            "Every shortcut of every menu, the grid and the filter",
        )
        self._action(
            help_menu,
            "&Guide",
            lambda: self.show_help(1),
            "Shift+F1",
            "How to use Nadir: the README's guide to the app",
        )
        self._action(help_menu, "Grid &keys", self.show_keys, None,
                     "What to type in the measurement grid")  # fmt: skip
        add_about_action(help_menu, self)

    def _build_patient_menu(self, menu: QMenu) -> None:
        page = self.patient_page
        entries = (
            ("New &patient…", self.add_patient, "Ctrl+Shift+N", "Add a patient to the study"),
            ("Remove patient…", self.remove_patient, None, "Remove the patient shown"),
            None,
            ("Add &scan…", page.add_scan, "Ctrl+T", "Add an imaging time point"),
            ("Add &lesion…", lambda: page.add_lesion(Role.TARGET), "Ctrl+L",
             "Add a target or non-target lesion"),
            ("Add &new lesion…", lambda: page.add_lesion(Role.NEW), "Ctrl+Shift+L",
             "Add a lesion that appeared after baseline"),
            ("Remove scan…", page.remove_scan, None, "Remove the scan of the current column"),
            ("Remove lesion…", page.remove_lesion, None, "Remove the lesion of the current row"),
            None,
            ("&Override response…", page.override_response, "Ctrl+R",
             "Set the reader's overall response at the current scan, with a reason"),
            ("&Clear override", page.clear_override, "Ctrl+Shift+R",
             "Go back to the computed response at the current scan"),
            None,
            ("Ne&xt patient", lambda: self.step_patient(1), "Ctrl+PgDown",
             "Open the next patient in the navigator"),
            ("Pre&vious patient", lambda: self.step_patient(-1), "Ctrl+PgUp",
             "Open the previous patient in the navigator"),
        )  # fmt: skip
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            else:
                self._action(menu, *entry)
        menu.addSeparator()
        self.safety.build_patient_menu(menu, self.patient_page.patient_id)

    def add_patient(self) -> None:
        """Ask for a new patient's id, arm and start date, add them and show them."""
        dialog = AddPatientDialog(self.session.store.arms(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        record = dialog.record()
        if self.session.submit(AddPatient(record), f"Add patient {record.patient_id}"):
            self.show_patient(record.patient_id)

    def remove_patient(self) -> None:
        """Remove the patient shown, after asking; returns nothing."""
        pid = self.patient_page.patient_id()
        question = f"Remove patient {pid} with all their scans, lesions and events?"
        if pid and QMessageBox.question(self, "Nadir", question) == QMessageBox.StandardButton.Yes:
            self.session.submit(RemovePatient(pid), f"Remove patient {pid}")

    def _build_view_menu(self, menu: QMenu) -> None:
        group = QActionGroup(self)
        self.patient_action = self._action(
            menu, "&Patient page", self.show_patient_page, "Ctrl+1", "Show the patient page"
        )
        self.cohort_action = self._action(
            menu, "&Cohort page", self.show_cohort_page, "Ctrl+2", "Show the cohort page"
        )
        self.comparison_action = self._action(
            menu,
            "C&ompare reads",
            self.show_comparison_page,
            "Ctrl+3",
            "Show the two readers' reads side by side, their agreement, and adjudicate",
        )
        self.analysis_action = self._action(
            menu, "&Analysis page", self.show_analysis_page, "Ctrl+4",
            "Show Table 1, the Cox models and the forest plot of an analysis set",
        )  # fmt: skip
        for action in (self.patient_action, self.cohort_action, self.comparison_action,
                       self.analysis_action):  # fmt: skip
            action.setCheckable(True)
            group.addAction(action)
        self.patient_action.setChecked(True)
        menu.addSeparator()
        self._action(
            menu,
            "&Filter patients",
            self.focus_filter,
            QKeySequence.StandardKey.Find,
            "Filter the navigator by id, arm or best response",
        )
        self._action(menu, "&Grid", self.focus_grid, "Ctrl+G", "Put the cursor in the grid")

    def _build_reading_menu(self, menu: QMenu) -> None:
        self._action(menu, "&Who is reading…", self.ask_who_is_reading, None,
                     "Say who is at the keyboard: a reader (blind to the other read), nurse or"
                     " adjudicator")  # fmt: skip
        self._action(menu, "&Sign off my read of this scan", self.sign_off_read, "Ctrl+Shift+D",
                     "Declare your read of the current scan complete; the other read shows once"
                     " both are")  # fmt: skip

    def ask_who_is_reading(self) -> None:
        """Ask who is at the keyboard, remember it on this machine and show the study as they
        may see it; returns nothing. Asked once at a time: the question queued when a study
        opens finds the dialog already open when the user (or a test) asked first."""
        if self._asking_who_reads:
            return
        name, role = self.ui_settings.reading_as()
        self._asking_who_reads = True
        try:
            answer = ask_who_is_reading(self.session.store.readers(), name, ViewerRole(role), self)
        finally:
            self._asking_who_reads = False
        if answer is None:
            answer = (self.session.viewer, self.session.viewer_role)
        self.ui_settings.set_reading_as(answer[0], answer[1].value)
        self.session.set_viewer(*answer)
        self.comparison_page.set_viewer(*answer)

    def sign_off_read(self) -> None:
        """Sign off the reader's read of the scan in the grid's current column; returns nothing."""
        pid, day = self.patient_page.patient_id(), self.patient_page.current_scan()
        if self.session.viewer_role is not ViewerRole.READER or not self.session.viewer:
            self.show_problem("only a reader signs off a read (Reading > Who is reading)")
            return
        if pid is None or day is None:
            return
        edit = SetReadComplete(pid, day, self.session.viewer)
        self.session.submit(edit, f"Sign off the read of {pid} on {day}")

    def _restore_layout(self) -> None:
        if geometry := self.ui_settings.geometry():
            self.restoreGeometry(geometry)
        if splitter := self.ui_settings.splitter():
            self.splitter.restoreState(splitter)
        else:
            # The navigator keeps its 230 px (at most a quarter of a narrow window).
            navigator = min(230, max(self.navigator.minimumWidth(), self.width() // 4))
            self.splitter.setSizes([navigator, self.width() - navigator])

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ui_settings.save_window(
            self.saveGeometry(), self.saveState(), self.splitter.saveState()
        )
        # Leaving the focused editor or field writes what was typed there, before closing.
        if (focused := QApplication.focusWidget()) is not None:
            focused.clearFocus()
        self.safety.back_up_if_due()
        self.session.close()
        super().closeEvent(event)

    def show_problem(self, message: str) -> None:
        """Show why something was refused in the status bar; returns nothing."""
        self.statusBar().showMessage(f"Not saved: {message}", MESSAGE_MS)

    def show_help(self, tab: int = 0) -> None:
        """Show the shortcuts (tab 0) or the guide (tab 1); returns nothing."""
        dialog = HelpDialog(self.menuBar(), self)
        dialog.show_tab(tab)
        dialog.exec()

    def _fit_screen(self) -> None:
        # Never larger than the screen's free area (a geometry saved on a larger screen
        # included), which at 150 % scaling of 1366 x 768 is 911 x 512 logical pixels
        # (issue 15, item 5).
        if self.screen() is None:
            return
        screen = self.screen().availableGeometry()
        # Room for the borders and title bar a window manager adds (1366 x 768: 740 high).
        width = min(self.width(), screen.width() - 8)
        height = min(self.height(), screen.height() - 28)
        self.resize(width, height)
        if not screen.contains(self.frameGeometry()):
            self.move(screen.topLeft())

    def _on_filter_entered(self, patient_id: str) -> None:
        self.show_patient(patient_id)
        self.focus_grid()

    def show_keys(self) -> None:
        """Show what can be typed into the grid; returns nothing."""
        QMessageBox.information(self, "Grid keys", KEY_HELP.replace(". ", ".\n"))

    def show_patient_page(self) -> None:
        """Show the patient page; returns nothing."""
        self.pages.setCurrentWidget(self.patient_page)
        self.patient_action.setChecked(True)

    def show_cohort_page(self) -> None:
        """Show the cohort page (its plots are built the first time); returns nothing."""
        if self.cohort_plots is None:
            self._add_cohort_plots()
        self.pages.setCurrentWidget(self.cohort_page)
        self.cohort_action.setChecked(True)

    def show_comparison_page(self) -> None:
        """Show the two reads side by side; returns nothing."""
        self.pages.setCurrentWidget(self.comparison_page)
        self.comparison_action.setChecked(True)

    @property
    def analysis_page(self) -> AnalysisPage:
        """Return the Analysis page (issue 17), built and added to the pages the first time."""
        if self._analysis_page is None:
            # Imported here: scipy, pandas' statistics and pyqtgraph wait for the page.
            from gui.pages.analysis_page import AnalysisPage
            from gui.pages.matching_view import MatchingView

            self._analysis_page = AnalysisPage(self.session)
            self._analysis_page.tabs.addTab(MatchingView(self.session), "Matching")  # issue 18
            self.pages.addWidget(self._analysis_page)
        return self._analysis_page

    def show_analysis_page(self) -> None:
        """Show the Analysis page (issue 17); returns nothing."""
        self.pages.setCurrentWidget(self.analysis_page)
        self.analysis_action.setChecked(True)

    def _add_cohort_plots(self) -> None:
        # Imported here: pyqtgraph is needed only once the cohort page is first shown.
        from gui.plots.cohort_plots import CohortPlots

        self.cohort_plots = CohortPlots(self.cohort_page)
        self.cohort_page.analysis_changed.connect(self.cohort_plots.set_analysis)
        self.cohort_plots.patient_clicked.connect(self.show_patient)
        for widget, title in self.cohort_plots.tabs:
            self.cohort_page.add_plot_tab(widget, title)

    def focus_filter(self) -> None:
        """Put the cursor in the navigator's filter box; returns nothing."""
        self.navigator.filter_box.setFocus()
        self.navigator.filter_box.selectAll()

    def focus_grid(self) -> None:
        """Show the patient page and put the cursor in the grid; returns nothing."""
        self.show_patient_page()
        self.patient_page.tabs.setCurrentIndex(0)
        grid = self.patient_page.grid
        index = grid.currentIndex()
        if index.isValid() and index.column() >= FIXED_COLUMNS:
            grid.setFocus()
        else:
            # Never the first label, where digits would rename T1: the last scan's first lesion.
            grid.focus_cell(None, None)
            grid.setFocus()

    def show_patient(self, patient_id: str) -> None:
        """Select `patient_id` in the navigator and show their page; returns nothing."""
        self.navigator.select_patient(patient_id)
        self._on_patient_selected(patient_id)

    def step_patient(self, step: int) -> None:
        """Open the patient `step` places down (up when negative) the navigator; returns nothing."""
        ids = self.navigator.visible_patients()
        if not ids:
            return
        current = self.patient_page.patient_id()
        at = ids.index(current) + step if current in ids else 0
        self.show_patient(ids[max(0, min(at, len(ids) - 1))])

    def _on_patient_selected(self, patient_id: str) -> None:
        if patient_id != self.patient_page.patient_id():
            self.patient_page.show_patient(patient_id)
        self.show_patient_page()

    def _refresh_navigator(self) -> None:
        entries = self.session.patient_list()
        self.navigator.set_patients([PatientEntry(*entry) for entry in entries])
        if any(entry[2] is None for entry in entries):
            QTimer.singleShot(0, self._read_more_patients)

    def _read_more_patients(self) -> None:
        # A batch of patients per turn of the event loop keeps the window responsive
        # while the navigator's best responses are filled in after start-up.
        if self.session.closed:
            return
        if self.session.read_some(PATIENTS_PER_TURN):
            QTimer.singleShot(0, self._read_more_patients)
        else:
            self._refresh_navigator()

    def _on_study_changed(self, changes) -> None:
        if (
            changes.settings
            or changes.patient_list
            or not all(
                self.navigator.model.update_patient(PatientEntry(*self.session.patient_entry(pid)))
                for pid in changes.patients
            )
        ):
            # Everyone again only when the list itself changed: a keystroke re-reads one
            # patient, not the study (docs/performance.md).
            self._refresh_navigator()
        shown = self.patient_page.patient_id()
        if shown is not None and shown != self.navigator.current_patient():
            self.navigator.select_patient(shown)
        elif shown is None and (current := self.navigator.current_patient()):
            self.patient_page.show_patient(current)

    def _on_study_replaced(self) -> None:
        path = self.session.path
        name = Path(path).name if path else "study in memory"
        read_only = " (read-only)" if self.session.store.read_only else ""
        self.setWindowTitle(f"Nadir — {name}{read_only}")
        self.read_only_bar.setVisible(self.session.store.read_only)
        self.files.remember()
        if self.session.settings().readers_required == 2:
            # Asked at every opening, starting from this machine's last answer (issue #7).
            QTimer.singleShot(0, self.ask_who_is_reading)
        self._refresh_navigator()
        ids = self.navigator.visible_patients()
        if ids:
            self.show_patient(ids[0])
        else:
            self.patient_page.show_patient(None)

    def edit_settings(self) -> None:
        """Open the study settings dialog and store the choice (undoable); returns nothing."""
        store = self.session.store
        dialog = StudySettingsDialog(self.session.settings(), store.arms(), store.readers(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.session.submit(SetSettings(dialog.settings()), "Change the study settings")
