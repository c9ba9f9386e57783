"""The cohort page's adverse-event, surgery and endpoint tabs (issue 18, items 2-4): the
manuscript tables of the report on screen, with buttons that save them as Word, Excel or
CSV.

    tabs = OutcomeTables()
    for widget, title in tabs.tabs:
        page.tabs.addTab(widget, title)
    page.analysis_changed.connect(tabs.set_analysis)

The numbers come from model/exports/report_outcomes.py and the tables from
model/exports/manuscript, as `report` writes them: one copy of each rule.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.manuscript_table_model import ManuscriptTableModel
from gui.layouts import record_table
from gui.pages.study_page import RefreshedWhenShown
from model.analysis import StudyAnalysis
from model.errors import InputError
from model.rules.clinical import DRUG, PROCEDURE

#: The AE tab's choices: (shown, key of the report's adverse_events_by_arm, title).
AE_CHOICES = (
    ("All adverse events", "all", "Adverse events by arm"),
    ("Treatment-related", "related", "Treatment-related adverse events by arm"),
    ("Attributed to a drug", DRUG, "Adverse events attributed to a drug"),
    ("Attributed to a procedure (dTACE)", PROCEDURE, "Adverse events attributed to a procedure"),
)
#: The file formats a table is saved in: (button, file filter, suffix).
FORMATS = (("Word…", "Word document", ".docx"), ("Excel…", "Excel workbook", ".xlsx"),
           ("CSV…", "CSV file", ".csv"))  # fmt: skip


class TableView(QWidget):
    """One manuscript table, its footnotes, and buttons saving it as Word, Excel or CSV."""

    def __init__(self, name: str, options: list[QWidget] | None = None, parent=None):
        super().__init__(parent)
        self.model = ManuscriptTableModel(self)
        self.view = record_table(self.model, name)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        bar = QHBoxLayout()
        for option in options or []:
            bar.addWidget(option)
        bar.addWidget(self.title, 1)
        for text, kind, suffix in FORMATS:
            button = QPushButton(text)
            button.setObjectName(f"{name}_save{suffix.replace('.', '_')}")
            button.setStatusTip(f"Save this table as a {kind} ({suffix}), as a journal prints it")
            button.clicked.connect(lambda _=False, s=suffix, k=kind: self._on_save_clicked(s, k))
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.notes)

    def set_table(self, table) -> None:
        """Show a model.exports.manuscript.Table (None: nothing); returns nothing."""
        self.model.set_table(table)
        self.title.setText("" if table is None else f"<b>{table.title}</b>")
        self.notes.setText("" if table is None else "\n".join(table.footnotes))

    def _on_save_clicked(self, suffix: str, kind: str) -> None:
        if self.model.table is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save table", "", f"{kind} (*{suffix})")
        if not name:
            return
        path = Path(name) if name.lower().endswith(suffix) else Path(name + suffix)
        save_table(self, self.model.table, path)


def save_table(parent: QWidget, table, path: Path) -> None:
    """Write `table` to `path` by its suffix; a failure is a message, never a traceback."""
    from model.exports.manuscript import write_csv, write_docx, write_xlsx

    writers: dict[str, Callable] = {".docx": write_docx, ".xlsx": write_xlsx, ".csv": write_csv}
    try:
        writers[path.suffix.lower()](table, path)
    except (OSError, InputError) as error:
        QMessageBox.warning(parent, "Save table", f"Could not save {path.name}: {error}")


class EndpointsView(RefreshedWhenShown, TableView):
    """DoR, TTP and the landmark proportion per arm, computed only while shown."""

    def __init__(self, parent=None):
        super().__init__("endpoints_table", parent=parent)
        self._analysis: StudyAnalysis | None = None

    def set_analysis(self, analysis: StudyAnalysis | None) -> None:
        """Show `analysis` (None: nothing), now if shown, else on the next show."""
        self._analysis = analysis
        self._on_study_changed()

    def reread(self) -> None:
        """Compute and show the table; returns nothing."""
        from model.exports.manuscript import endpoints_table
        from model.exports.report_outcomes import endpoint_sections

        analysis = self._analysis
        self.set_table(None if analysis is None else endpoints_table(endpoint_sections(analysis)))


class OutcomeTables:
    """The adverse-event and surgery tabs, drawn from one `StudyAnalysis`."""

    def __init__(self):
        self.cause = QComboBox()
        self.cause.setObjectName("ae_choice")
        for text, key, _ in AE_CHOICES:
            self.cause.addItem(text, key)
        self.cause.setStatusTip("All events, those related to a treatment, or by cause")
        self.adverse_events = TableView("ae_table", [self.cause])
        self.surgery = TableView("surgery_table")
        self.listing = TableView("surgery_listing")
        surgery = QWidget()
        layout = QVBoxLayout(surgery)
        layout.addWidget(self.surgery, 1)
        layout.addWidget(self.listing, 2)
        self.endpoints = EndpointsView()
        self.tabs: list[tuple[QWidget, str]] = [
            (self.adverse_events, "Adverse events"),
            (surgery, "Surgery"),
            (self.endpoints, "DoR, TTP, landmark"),
        ]
        self._sections: dict | None = None
        self.cause.currentIndexChanged.connect(self._show_adverse_events)

    def set_analysis(self, analysis: StudyAnalysis | None) -> None:
        """Show the tables of `analysis` (None: empty); returns nothing."""
        from model.exports.report_outcomes import adverse_event_section, surgery_section

        self._sections = None
        if analysis is not None:
            self._sections = {"adverse_events_by_arm": adverse_event_section(analysis),
                              "surgery": surgery_section(analysis)}  # fmt: skip
        self._show_adverse_events()
        self._show_surgery()
        self.endpoints.set_analysis(analysis)

    def _show_adverse_events(self, *_args) -> None:
        from model.exports.manuscript import ae_table

        if self._sections is None:
            self.adverse_events.set_table(None)
            return
        _, key, title = AE_CHOICES[self.cause.currentIndex()]
        ae = self._sections["adverse_events_by_arm"]
        document = ae[key] if key in ae else ae["by_cause"][key]
        self.adverse_events.set_table(ae_table(document, related=key != "all", title=title))

    def _show_surgery(self) -> None:
        from model.exports.manuscript import surgery_listing_table, surgery_table

        section = None if self._sections is None else self._sections["surgery"]
        self.surgery.set_table(None if section is None else surgery_table(section))
        self.listing.set_table(None if section is None else surgery_listing_table(section))
