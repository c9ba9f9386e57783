"""File > Report…: the study's report from the app, as `python main.py report` writes it
(issue 15, item 3): choose what to write and where, follow the progress, cancel.

The study is read and analysed off the GUI thread from the study file, read-only
(model/commands/report.py, `study_report`), so the report is the one `report`
writes. The figures and the PDF are drawn by Qt, which needs the GUI thread:
they are written step by step, the dialog staying responsive and Cancel
honoured between steps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.tasks import Task
from model.analysis import StudyAnalysis
from model.commands.report import study_report
from model.errors import InputError
from model.exports.report import write_summary
from model.progress import Cancelled


def _read_and_summarise(study: Path, out: Path, progress) -> tuple:
    """The worker's part: the analysis, the summary and the summary files written."""
    progress.report(0, 0, "Reading and analysing the study…")
    analysis, summary, _name = study_report(study)
    progress.check()
    return analysis, summary, write_summary(summary, out)


class ReportDialog(QDialog):
    """Writes the summary, and as chosen the figures and report.pdf, into a folder."""

    def __init__(self, study: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Study report")
        self.setMinimumWidth(560)
        self._study = study
        self._task: Task | None = None
        self._cancelled = False
        #: The files written by the last run, in order.
        self.written: list[Path] = []
        self.folder = QLineEdit(str(study.with_name(f"{study.stem} report")))
        self.folder.setObjectName("report_folder")
        self.folder.setAccessibleName("Folder to write the report into")
        self.folder.returnPressed.connect(self.start)
        browse = QPushButton("Folder…")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._choose_folder)
        self.figures = QCheckBox(
            "&Figures: waterfall, spider, swimmer, Kaplan-Meier (PNG, SVG, PDF)"
        )
        self.figures.setChecked(True)
        self.pdf = QCheckBox("&PDF report: title page, summary, figures, per-patient appendix")
        self.pdf.setChecked(True)
        self.status = QLabel("The summary (summary.json, summary.md) is always written.")
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.write_button = QPushButton("&Write report")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self._on_close_clicked)
        where = QHBoxLayout()
        where.addWidget(QLabel("Into:"))
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        for item in (where, self.figures, self.pdf, self.status, buttons):
            if isinstance(item, QHBoxLayout):
                layout.addLayout(item)
            else:
                layout.addWidget(item)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Write the report into", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def start(self) -> None:
        """Read and analyse the study off the GUI thread, then write what was chosen."""
        if self._task is not None or not self.folder.text().strip():
            return
        out = Path(self.folder.text().strip())
        study, self._cancelled, self.written = self._study, False, []
        self._set_busy(True, "Reading and analysing the study…")
        self._task = Task(lambda progress: _read_and_summarise(study, out, progress), self)
        self._task.progress.progressed.connect(lambda _d, _t, text: self.status.setText(text))
        self._task.finished.connect(lambda result: self._on_summarised(out, *result))
        self._task.failed.connect(self._on_failed)
        self._task.start()

    def _on_summarised(
        self, out: Path, analysis: StudyAnalysis, summary: dict[str, Any], written: list[Path]
    ) -> None:
        self.written = list(written)
        steps = self._drawing_steps(analysis, summary, out)
        self.progress.setRange(0, len(steps))
        try:
            for done, (message, step) in enumerate(steps):
                self.status.setText(message)
                self.progress.setValue(done)
                QCoreApplication.processEvents()  # draws the progress, takes a Cancel
                if self._cancelled:
                    raise Cancelled()
                self.written += step()
        except (InputError, OSError, Cancelled) as error:
            self._on_failed(error)
            return
        self._task = None
        self._set_busy(False, f"Wrote {len(self.written)} file(s) into {out}.")
        self.progress.setValue(self.progress.maximum())

    def _drawing_steps(self, analysis: StudyAnalysis, summary: dict[str, Any], out: Path):
        """(message, step) pairs: each step draws and writes some files, returning them."""
        # Imported here: pyqtgraph loads only when a report with figures is written.
        from gui.plots.export import export_plot
        from gui.plots.report_figures import FORMATS, report_panels
        from gui.reports.pdf_report import write_pdf_report

        steps = []
        if self.figures.isChecked():
            panels = report_panels(analysis)
            for name, panel in panels.items():
                paths = [out / f"{name}{suffix}" for suffix in FORMATS]
                steps.append((f"Drawing {name}…", lambda p=panel, ps=paths: [
                    export_plot(p, path) for path in ps
                ]))  # fmt: skip
        if self.pdf.isChecked():
            pdf = out / "report.pdf"
            steps.append(("Writing report.pdf…", lambda: [
                write_pdf_report(analysis, summary, pdf, study=self._study.stem)
            ]))  # fmt: skip
        return steps

    def _on_failed(self, error: BaseException) -> None:
        self._task = None
        if isinstance(error, Cancelled):
            text = f"Cancelled; {len(self.written)} file(s) were written before."
        else:
            text = f"Not written: {error}"
        self._set_busy(False, text)

    def _on_close_clicked(self) -> None:
        if self._task is not None:
            self._cancelled = True
            self._task.progress.cancel()
        else:
            self.reject()

    def _set_busy(self, busy: bool, message: str) -> None:
        self.write_button.setEnabled(not busy)
        self.close_button.setText("Cancel" if busy else "Close")
        if busy:
            self.progress.setRange(0, 0)
        self.status.setText(message)
