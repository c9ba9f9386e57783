"""The four cohort plots as tabs with their options and an Export button, for the cohort page.

Wiring on the cohort page:

    plots = CohortPlots(page)
    for widget, title in plots.tabs:
        page.add_plot_tab(widget, title)
    page.analysis_changed.connect(plots.set_analysis)
    plots.patient_clicked.connect(open_patient)

A filtered cohort is `analysis.restricted_to(patient_ids)` passed to `set_analysis`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.plots.export_dialog import ExportDialog
from gui.plots.figure_export import FORMATS, FigureSpec, export_figure
from gui.plots.kaplan_meier import KaplanMeierPlot
from gui.plots.panel import PlotPanel
from gui.plots.spider import SpiderPlot
from gui.plots.swimmer import SwimmerPlot, SwimmerView
from gui.plots.waterfall import WaterfallPlot
from model.analysis import StudyAnalysis
from model.domain import StudyData
from model.plot_data import cohort_plot_data
from model.plot_data.cohort import ENDPOINT_NAMES
from model.plot_data.kaplan_meier import ENDPOINTS, level_text
from model.plot_data.swimmer import responders
from model.settings import StudySettings

#: What the plots show when no study is analysed.
EMPTY = StudyAnalysis(StudyData(), StudySettings(), (), ())


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class CohortPlots(QObject):
    """Waterfall, spider, swimmer and Kaplan-Meier tabs drawn from one `StudyAnalysis`."""

    #: A patient's bar, line or lane was clicked in any plot; carries the patient id.
    patient_clicked = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.analysis: StudyAnalysis | None = None
        #: The last export of each panel, offered again by its next Export dialog.
        self._last_export: dict[int, FigureSpec] = {}
        self.waterfall, self.spider = WaterfallPlot(), SpiderPlot()
        self.swimmer, self.kaplan_meier = SwimmerPlot(), KaplanMeierPlot()
        colour_items = [("Best response", "response"), ("Arm", "arm")]
        self.waterfall_colour = _combo("waterfall_colour", colour_items)
        self.group_by_arm = QCheckBox("Group by arm")
        self.spider_colour = _combo("spider_colour", colour_items)
        self.endpoint = _combo("km_endpoint", [(ENDPOINT_NAMES[e], e) for e in ENDPOINTS])
        self.endpoint.setStatusTip(
            "PFS, OS, time to progression (deaths censored) or duration of response "
            "(among responders)"
        )
        self.responders_only = QCheckBox("Responders only")
        self.responders_only.setStatusTip(
            "Show only the patients with an objective response (CR or PR), as papers often do"
        )
        self.show_ci = QCheckBox("Confidence bands")
        self.show_ci.setChecked(True)
        for combo in (self.waterfall_colour, self.spider_colour, self.endpoint):
            combo.currentIndexChanged.connect(self.redraw)
        for box in (self.group_by_arm, self.responders_only):
            box.toggled.connect(self.redraw)
        self.show_ci.toggled.connect(self.kaplan_meier.set_ci_visible)
        colour = QLabel("Colour by")
        #: Per panel, the hint shown over it while it has nothing to draw (issue 15, item 5).
        self.hints: dict[int, QLabel] = {}
        self.tabs: list[tuple[QWidget, str]] = [
            (
                self._tab(self.waterfall, [colour, self.waterfall_colour, self.group_by_arm]),
                "Waterfall",
            ),
            (self._tab(self.spider, [QLabel("Colour by"), self.spider_colour]), "Spider"),
            (
                self._tab(self.swimmer, [self.responders_only], SwimmerView(self.swimmer)),
                "Swimmer",
            ),
            (self._tab(self.kaplan_meier, [self.endpoint, self.show_ci]), "Kaplan-Meier"),
        ]
        for panel in (self.waterfall, self.spider, self.swimmer):
            panel.patient_clicked.connect(self.patient_clicked)

    def _tab(
        self, panel: PlotPanel, options: list[QWidget], view: QWidget | None = None
    ) -> QWidget:
        export = QPushButton("Export…")
        export.setStatusTip(
            "Save this plot for a journal: column width, TIFF, PNG, PDF or SVG, title and axes"
        )
        export.clicked.connect(lambda: self._on_export_clicked(panel))
        bar = QHBoxLayout()
        for option in options:
            bar.addWidget(option)
        bar.addStretch(1)
        bar.addWidget(export)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        hint = QLabel()
        hint.setObjectName("plot_hint")
        hint.setWordWrap(True)
        hint.setStyleSheet("QLabel { color: #444; background: #F3F3F3; padding: 6px; }")
        hint.hide()
        self.hints[id(panel)] = hint
        layout.addWidget(hint)
        layout.addWidget(view or panel, 1)
        panel.setAccessibleName(f"{type(panel).__name__.removesuffix('Plot')} plot")
        return tab

    def set_analysis(self, analysis: StudyAnalysis | None) -> None:
        """Redraw every plot from `analysis` (None: empty plots); returns nothing."""
        self.analysis = analysis
        self.redraw()

    def redraw(self, *_args) -> None:
        """Draw the four plots again with the current options; returns nothing."""
        data = cohort_plot_data(
            self.analysis or EMPTY,
            endpoint=self.endpoint.currentData(),
            group_by_arm=self.group_by_arm.isChecked(),
        )
        self.waterfall.set_data(data.waterfall, colour_by=self.waterfall_colour.currentData())
        self.spider.set_data(data.spider, colour_by=self.spider_colour.currentData())
        swimmer = responders(data.swimmer) if self.responders_only.isChecked() else data.swimmer
        self.swimmer.set_data(swimmer)
        self.kaplan_meier.set_data(data.kaplan_meier, show_ci=self.show_ci.isChecked())
        self.show_ci.setText(f"{level_text(data.kaplan_meier.level)} confidence bands")
        self._show_hints(data, swimmer)

    def _show_hints(self, data, swimmer) -> None:
        """Say what to do next over each plot that has nothing to draw."""
        follow_up = (
            "No patient has a measured follow-up scan yet: on a patient's page add a scan "
            "(Ctrl+T) and type the target sizes; the plot fills in as you type."
        )
        empty = {
            self.waterfall: (not data.waterfall.bars, follow_up),
            self.spider: (not data.spider.lines, follow_up),
            self.swimmer: (
                not swimmer.lanes,
                "No patient to draw: add patients (Patient > New patient, Ctrl+Shift+N) or "
                "import them (File > Import, Ctrl+I)"
                + ("; or untick Responders only." if self.responders_only.isChecked() else "."),
            ),
            self.kaplan_meier: (
                not data.kaplan_meier.curves,
                "No curve yet: each patient needs a start date and either a follow-up scan or a "
                "last contact date (Patient & events tab).",
            ),
        }
        for panel, (nothing, text) in empty.items():
            self.hints[id(panel)].setText(text)
            self.hints[id(panel)].setVisible(nothing)

    def _on_export_clicked(self, panel: PlotPanel) -> None:
        spec = export_with_dialog(panel, self._last_export.get(id(panel)))
        if spec is not None:
            self._last_export[id(panel)] = spec


def export_button(panel: PlotPanel) -> QPushButton:
    """Return an Export… button that saves `panel` for a journal (export_with_dialog)."""
    button = QPushButton("Export…")
    button.setStatusTip(
        "Save this plot for a journal: column width, TIFF, PNG, PDF or SVG, title and axes"
    )
    last: dict[str, FigureSpec] = {}

    def export() -> None:
        spec = export_with_dialog(panel, last.get("spec"))
        if spec is not None:
            last["spec"] = spec

    button.clicked.connect(export)
    return button


def export_with_dialog(panel: PlotPanel, last: FigureSpec | None) -> FigureSpec | None:
    """Ask how and where to export `panel` and write the file; returns the spec chosen
    (None when cancelled). A failure is a message, never a traceback."""
    dialog = ExportDialog(panel, panel.window(), last)
    if not dialog.exec():
        return None
    spec, suffix = dialog.spec(), dialog.suffix()
    name, _ = QFileDialog.getSaveFileName(
        panel, "Export figure", "", f"{FORMATS[suffix]} (*{suffix})"
    )
    if not name:
        return spec
    path = Path(name)
    if path.suffix.lower() not in (suffix, ".tiff" if suffix == ".tif" else suffix):
        path = path.with_name(path.name + suffix)
    try:
        export_figure(panel, path, spec)
    except (OSError, ValueError) as error:
        QMessageBox.warning(panel, "Export figure", f"Could not export the figure: {error}")
    return spec
