"""The cohort page: a summary of arms and patients, and tabs where the cohort plots live.

The plots (gui/plots/) are added as further tabs with `add_plot_tab()`; they
take the page's `analysis_changed(StudyAnalysis)` signal and draw from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.cohort_table_model import (
    ArmTableModel,
    CohortTableModel,
    cohort_rows,
    study_variables,
    time_unit,
)
from gui.item_models.row_table_model import RowObjectRole, SortRole
from gui.layouts import ROW_HEIGHT, header_over_body, record_table
from gui.pages.study_page import RefreshedWhenShown
from gui.session import StudySession
from model.errors import InputError


class CohortPage(RefreshedWhenShown, QWidget):
    """Arm summary, patient table and plot tabs of the whole study."""

    #: The analysis the page shows (a model.analysis.StudyAnalysis, or None), after each refresh.
    analysis_changed = Signal(object)
    #: A patient was double-clicked in the table.
    patient_selected = Signal(str)

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._only: frozenset[str] | None = None
        self.notes = QLabel()
        self.notes.setObjectName("cohort_notes")
        self.notes.setWordWrap(True)
        self.arm_model = ArmTableModel(self)
        self.arm_view = record_table(self.arm_model, "arm_table")
        self.arm_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.patient_model = CohortTableModel(self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self.patient_model)
        self._proxy.setSortRole(SortRole)
        self.patient_view = record_table(self._proxy, "cohort_table")
        self.patient_view.setSortingEnabled(True)
        self.patient_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.patient_view.horizontalHeader()
        # Sized to content, not stretched: a column per baseline variable can make many.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(200)
        header.setStretchLastSection(True)
        self.patient_view.doubleClicked.connect(self._on_double_clicked)
        self.patient_view.setStatusTip("Double-click a patient to open their page")
        summary = QWidget()
        layout = QVBoxLayout(summary)
        layout.addWidget(QLabel("<b>Response by arm</b> (best overall response)"))
        layout.addWidget(self.arm_view)
        layout.addWidget(QLabel("<b>Patients</b> (+ = censored)"))
        layout.addWidget(self.patient_view, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("cohort_tabs")
        self.tabs.addTab(summary, "Summary")
        header_over_body(self, self.notes, self.tabs)
        session.study_changed.connect(self._on_study_changed)
        session.study_replaced.connect(self._on_study_changed)

    def add_plot_tab(self, widget: QWidget, title: str) -> None:
        """Add a plot (or any view of the cohort) as a tab after the summary; returns nothing."""
        self.tabs.addTab(widget, title)
        self._on_study_changed()

    def restrict_to(self, patient_ids: Iterable[str] | None) -> None:
        """Show only `patient_ids` (None: all), e.g. those the navigator's filter keeps."""
        only = None if patient_ids is None else frozenset(patient_ids)
        if only != self._only:
            self._only = only
            self._on_study_changed()

    def reread(self) -> None:
        """Read the study and show it (see RefreshedWhenShown); returns nothing."""
        analysis = self._session.analysis()
        notes = [f"{pid} not evaluable: {why}" for pid, why in analysis.not_evaluable.items()]
        if self._only is not None:
            analysis = analysis.restricted_to(self._only)
            notes.append(f"Showing the {len(analysis.data.patients)} patients the filter keeps.")
        rates = None
        self.patient_model.set_unit(time_unit(analysis))
        self.patient_model.set_variables(study_variables(analysis))
        self.patient_model.set_rows(cohort_rows(analysis))
        from model.stats.response_rates import response_rates  # loads scipy: import when shown

        try:
            rates = response_rates(analysis.best_responses_by_arm())
        except InputError as error:
            notes.append(str(error))
        self.arm_model.set_rates(rates)
        rows = self.arm_model.rowCount() + 1
        self.arm_view.setFixedHeight(rows * ROW_HEIGHT + 2 * self.arm_view.frameWidth() + 2)
        self.notes.setText("\n".join(f"⚠ {note}" for note in notes))
        self.notes.setVisible(bool(notes))
        self.analysis_changed.emit(analysis)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        row = index.data(RowObjectRole)
        if row is not None:
            self.patient_selected.emit(row.patient_id)
