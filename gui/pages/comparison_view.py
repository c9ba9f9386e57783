"""The two readers side by side: one row per patient with each reader's best overall response,
date of progression, baseline targets and how the reads differ; under it the selected
patient's time points; above it the study's agreement (issue #7;
model/double_reading/comparison.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs.adjudication_dialog import AdjudicationDialog
from gui.item_models.row_table_model import RowTableModel, SortRole
from gui.pages.study_page import RefreshedWhenShown
from gui.session import StudySession
from model.double_reading.comparison import (
    PatientComparison,
    ReadingComparison,
    TimepointComparison,
    compare_readers,
)
from model.double_reading.visibility import ViewerRole
from model.errors import InputError
from model.stats.agreement import Agreement

#: Background of a row where the readers disagree.
DISAGREEMENT = QColor("#fde2e1")


def _shown(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class PatientComparisonModel(RowTableModel):
    """One PatientComparison per row; disagreeing rows are tinted and list the differences."""

    HEADERS = (
        "Patient",
        "BOR 1",
        "BOR 2",
        "Progression 1",
        "Progression 2",
        "Targets 1",
        "Targets 2",
        "Differences",
    )

    def set_comparison(self, comparison: ReadingComparison) -> None:
        """Show `comparison`, naming its readers in the headers; returns nothing."""
        first, second = comparison.readers
        self.HEADERS = (
            "Patient",
            f"BOR {first}",
            f"BOR {second}",
            f"Progression {first}",
            f"Progression {second}",
            f"Targets {first}",
            f"Targets {second}",
            "Differences",
        )
        self.set_rows(comparison.patients)

    def row_data(self, record: PatientComparison, column: int, role: int) -> Any:
        values = (
            record.patient_id,
            *record.best,
            *record.progression,
            *(", ".join(t) for t in record.targets),
            "; ".join(record.disagreements),
        )
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _shown(values[column])
        if role == SortRole:
            return _shown(values[column])
        if role == Qt.ItemDataRole.BackgroundRole and record.disagreements:
            return QBrush(DISAGREEMENT)
        return None


class TimepointComparisonModel(RowTableModel):
    """One TimepointComparison of the selected patient per row: each reader's sum and response."""

    HEADERS = ("Scan", "Sum 1 (mm)", "Sum 2 (mm)", "Response 1", "Response 2")

    def row_data(self, record: TimepointComparison, column: int, role: int) -> Any:
        values = (record.scan_date, *record.sums, *record.responses)
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            return _shown(values[column])
        if role == Qt.ItemDataRole.BackgroundRole and not record.agree:
            return QBrush(DISAGREEMENT)
        return None


def agreement_text(agreement: Agreement | None) -> str:
    """Return the study's agreement on best overall response in words."""
    if agreement is None:
        return "No patient has been read by both readers yet."
    agreed = sum(agreement.table[i][i] for i in range(len(agreement.categories)))
    text = (
        f"Agreement on best overall response: {agreement.percent_agreement:.1f} % "
        f"({agreed} of {agreement.n} patients)"
    )
    if agreement.kappa is None:
        return text + "; Cohen's kappa undefined (one category only)"
    return (
        text + f"; Cohen's kappa {agreement.kappa:.2f} "
        f"(95 % CI {agreement.ci_low:.2f} to {agreement.ci_high:.2f})"
    )


class ComparisonView(QWidget):
    """The comparison page; `adjudication_requested` asks the window to adjudicate a patient."""

    adjudication_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.agreement = QLabel()
        self.agreement.setObjectName("comparison_agreement")
        self.patients = PatientComparisonModel(self)
        self.timepoints = TimepointComparisonModel(self)
        self.patient_table = self._table(self.patients, "comparison_patients")
        self.timepoint_table = self._table(self.timepoints, "comparison_timepoints")
        self.adjudicate = QPushButton("Adjudicate…")
        self.adjudicate.setObjectName("comparison_adjudicate")
        self.adjudicate.setStatusTip("Choose whose read counts for the selected patient")
        self.adjudicate.setEnabled(False)
        self.adjudicate.clicked.connect(self._on_adjudicate_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.agreement)
        layout.addWidget(self.patient_table, 3)
        layout.addWidget(self.timepoint_table, 2)
        layout.addWidget(self.adjudicate)
        self.patient_table.selectionModel().currentRowChanged.connect(self._on_patient_selected)

    @staticmethod
    def _table(model: RowTableModel, name: str) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return table

    def show_comparison(self, comparison: ReadingComparison) -> None:
        """Show `comparison`; returns nothing."""
        self.agreement.setText(agreement_text(comparison.agreement))
        self.patients.set_comparison(comparison)
        first, second = comparison.readers
        self.timepoints.HEADERS = (
            "Scan",
            f"Sum {first} (mm)",
            f"Sum {second} (mm)",
            f"Response {first}",
            f"Response {second}",
        )
        self.timepoints.set_rows(())
        self.adjudicate.setEnabled(False)

    def _selected(self) -> PatientComparison | None:
        index = self.patient_table.currentIndex()
        return self.patients.row_at(index.row()) if index.isValid() else None

    def _on_patient_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        patient = self.patients.row_at(current.row()) if current.isValid() else None
        self.timepoints.set_rows(patient.timepoints if patient else ())
        self.adjudicate.setEnabled(patient is not None and patient.read_by_both)

    def _on_adjudicate_clicked(self) -> None:
        patient = self._selected()
        if patient is not None:
            self.adjudication_requested.emit(patient)


class ComparisonPage(RefreshedWhenShown, ComparisonView):
    """The comparison of an open study's two reads, re-read when shown after a change.

    Only the nurse and the adjudicator see it (a reader reads blind,
    model/double_reading/visibility.py);
    only the adjudicator may adjudicate, through AdjudicationDialog, as an undoable edit.
    """

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self.viewer, self.role = "", ViewerRole.NURSE
        session.study_changed.connect(self._on_study_changed)
        session.study_replaced.connect(self._on_study_changed)
        self.adjudication_requested.connect(self._on_adjudication_requested)

    def set_viewer(self, viewer: str, role: ViewerRole) -> None:
        """Show the page as `viewer` in `role` may see it; returns nothing."""
        self.viewer, self.role = viewer, ViewerRole(role)
        self._on_study_changed()

    def reread(self) -> None:
        """Read the study and show it (see RefreshedWhenShown); returns nothing."""
        if self.role is ViewerRole.READER:
            self._show_nothing("The other read stays hidden while you read blind.")
            return
        store = self._session.store
        try:
            comparison = compare_readers(
                store.study_data(), store.settings().assessment, overrides=store.overrides()
            )
        except InputError as error:
            self._show_nothing(str(error))
            return
        self.show_comparison(comparison)
        self.patient_table.setEnabled(True)

    def _show_nothing(self, why: str) -> None:
        self.agreement.setText(why)
        self.patients.set_rows(())
        self.timepoints.set_rows(())
        self.patient_table.setEnabled(False)
        self.adjudicate.setEnabled(False)

    def _on_patient_selected(self, current: QModelIndex, previous: QModelIndex) -> None:
        super()._on_patient_selected(current, previous)
        if self.role is not ViewerRole.ADJUDICATOR:
            self.adjudicate.setEnabled(False)

    def _on_adjudication_requested(self, patient: PatientComparison) -> None:
        dialog = AdjudicationDialog(patient, adjudicator=self.viewer, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        edit = dialog.edit()
        self._session.submit(edit, f"Adjudicate {edit.patient_id}")
