"""The dialog in which the adjudicator picks one reader's read of a patient, or of one of its
time points, with a reason (issue #7; model/double_reading/adjudication.py says how the choice
is used)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from gui.dialogs.reason_dialog import ReasonDialog
from model.double_reading.comparison import PatientComparison
from model.editing.edits import SetAdjudication

#: The scope offered first: the whole patient.
WHOLE_PATIENT = "Whole patient"


class AdjudicationDialog(ReasonDialog):
    """Shows how the two reads differ and asks whose read counts, where, and why; OK stays
    off until a reason is given."""

    def __init__(
        self, comparison: PatientComparison, *, adjudicator: str = "", parent: QWidget | None = None
    ):
        super().__init__("Why this read is right (required)", "adjudication_reason", parent=parent)
        self._comparison = comparison
        self._adjudicator = adjudicator
        self.setWindowTitle(f"Adjudicate {comparison.patient_id}")
        differences = QLabel("\n".join(comparison.disagreements) or "The reads agree.")
        differences.setObjectName("adjudication_differences")
        differences.setWordWrap(True)
        self.reader = QComboBox()
        self.reader.setObjectName("adjudication_reader")
        for name, best in zip(comparison.readers, comparison.best, strict=True):
            self.reader.addItem(f"{name} (best overall response {best or 'not read'})", name)
        self.scope = QComboBox()
        self.scope.setObjectName("adjudication_scope")
        self.scope.addItem(WHOLE_PATIENT, None)
        for point in comparison.timepoints:
            if not point.agree:
                self.scope.addItem(f"Time point {point.scan_date}", point.scan_date.isoformat())
        form = QFormLayout(self)
        form.addRow("The reads differ in:", differences)
        form.addRow("Read that counts:", self.reader)
        form.addRow("For:", self.scope)
        form.addRow("Reason:", self.reason)
        form.addRow(self.buttons)
        self.require_reason()

    def edit(self) -> SetAdjudication:
        """Return the edit that records the choice made in the dialog."""
        scope = self.scope.currentData()
        return SetAdjudication(
            self._comparison.patient_id,
            self.reader.currentData(),
            self.reason_text(),
            scan_date=date.fromisoformat(scope) if scope else None,
            adjudicator=self._adjudicator,
        )
