"""The Export dialog of the cohort plots: journal preset, size, format, resolution, text size,
title and axis titles, then the file.

    dialog = ExportDialog(panel, parent)
    if dialog.exec():
        export_figure(panel, path_with(dialog.suffix()), dialog.spec())
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from gui.plots.figure_export import (
    DPIS,
    FORMATS,
    JOURNAL_TEXT_PT,
    PRESETS,
    FigureSpec,
    default_height_mm,
)
from gui.plots.palette import PAGE_HEIGHT_MM
from gui.plots.panel import FigureTexts, PlotPanel

#: The preset entry that stands for a size typed by hand.
CUSTOM = "Custom"


def _spin(name: str, low: float, high: float, step: float, suffix: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setDecimals(1)
    spin.setSuffix(suffix)
    return spin


class ExportDialog(QDialog):
    """Asks how to write one plot; `spec()` and `suffix()` are the answer."""

    def __init__(
        self, panel: PlotPanel, parent: QWidget | None = None, last: FigureSpec | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle("Export figure")
        self.panel = panel
        self.preset = QComboBox(objectName="preset")
        for preset in PRESETS:
            self.preset.addItem(preset.name, preset.width_mm)
        self.preset.addItem(CUSTOM, None)
        self.width = _spin("width_mm", 30.0, 250.0, 1.0, " mm")
        self.height = _spin("height_mm", 20.0, PAGE_HEIGHT_MM, 1.0, " mm")
        self.text_pt = _spin("text_pt", 5.0, 9.0, 0.5, " pt")
        self.text_pt.setValue(JOURNAL_TEXT_PT)
        self.text_pt.setStatusTip("Size of the axis titles; ticks, legend and notes print smaller")
        self.format = QComboBox(objectName="format")
        for suffix, words in FORMATS.items():
            self.format.addItem(words, suffix)
        self.dpi = QComboBox(objectName="dpi")
        for dpi in DPIS:
            self.dpi.addItem(f"{dpi} dpi", dpi)
        texts = panel.texts()
        self.title = QLineEdit(texts.title, objectName="title")
        self.title.setPlaceholderText("none")
        self.x_label = QLineEdit(texts.x_label, objectName="x_label")
        self.y_label = QLineEdit(texts.y_label, objectName="y_label")
        self.note = QLabel(objectName="note")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for label, widget in (
            ("Journal size", self.preset),
            ("Width", self.width),
            ("Height", self.height),
            ("Text size", self.text_pt),
            ("Format", self.format),
            ("Resolution", self.dpi),
            ("Title", self.title),
            ("X axis title", self.x_label),
            ("Y axis title", self.y_label),
        ):
            form.addRow(label, widget)
        form.addRow(self.note)
        form.addRow(buttons)
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.width.editingFinished.connect(self._on_size_edited)
        self.height.editingFinished.connect(self._on_size_edited)
        self.text_pt.valueChanged.connect(self._on_preset_changed)
        self.format.currentIndexChanged.connect(self._on_format_changed)
        self._on_preset_changed()
        self._on_format_changed()
        if last is not None:
            self._restore(last)

    def spec(self) -> FigureSpec:
        """Return the figure the dialog describes."""
        return FigureSpec(
            width_mm=self.width.value(),
            height_mm=self.height.value(),
            dpi=self.dpi.currentData(),
            text_pt=self.text_pt.value(),
            texts=FigureTexts(self.title.text(), self.x_label.text(), self.y_label.text()),
        )

    def suffix(self) -> str:
        """Return the file suffix of the chosen format (".tif", ".png", ".pdf" or ".svg")."""
        return self.format.currentData()

    def _restore(self, last: FigureSpec) -> None:
        index = self.preset.findData(last.width_mm)
        self.preset.setCurrentIndex(index if index >= 0 else self.preset.count() - 1)
        self.text_pt.setValue(last.text_pt)
        self.width.setValue(last.width_mm)
        self.height.setValue(last.height_mm)
        self.dpi.setCurrentIndex(max(self.dpi.findData(last.dpi), 0))

    def _on_preset_changed(self, *_args) -> None:
        width = self.preset.currentData()
        if width is None:
            return
        self.width.setValue(width)
        self.height.setValue(default_height_mm(self.panel, width, self.text_pt.value()))
        self._update_note()

    def _on_size_edited(self) -> None:
        if self.width.value() != self.preset.currentData():
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.count() - 1)
            self.preset.blockSignals(False)
        self._update_note()

    def _on_format_changed(self, *_args) -> None:
        self.dpi.setEnabled(self.suffix() in (".tif", ".png"))
        self._update_note()

    def _update_note(self) -> None:
        split = getattr(self.panel, "lanes_per_page", None)
        lanes = len(getattr(getattr(self.panel, "data", None), "lanes", ()))
        if split is None or not lanes:
            self.note.setText("")
            return
        per_page = split(self.height.value(), self.spec().text_scale)
        pages = -(-lanes // per_page)
        self.note.setText(
            f"{lanes} lanes, {per_page} a page: {pages} numbered files (name-1, name-2, …)"
            if pages > 1
            else ""
        )
