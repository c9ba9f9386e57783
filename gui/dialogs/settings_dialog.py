"""The study settings dialog: criteria, confirmation, minimum SD duration, reader, time unit,
and the time origin of each arm. The settings are stored in the study file (undoable)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.event_table_model import EVENT_KINDS
from model.domain import TIME_UNITS, Criteria
from model.settings import SETTINGS, StudySettings, TimeOrigin

#: Help text of each setting, declared once in model/editing/edits.py.
HELP = {name: text for name, _, text in SETTINGS}
#: The origin choice meaning "the patient's start date".
START_DATE = "start date"
#: Names shown for the criteria.
CRITERIA_NAMES = {
    Criteria.RECIST11: "RECIST 1.1",
    Criteria.IRECIST: "iRECIST",
    Criteria.MRECIST: "mRECIST",
}


class StudySettingsDialog(QDialog):
    """Edits a StudySettings value; `settings()` returns what was chosen."""

    def __init__(
        self,
        current: StudySettings,
        arms: Sequence[str],
        readers: Sequence[str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Study settings")
        self.setMinimumWidth(560)
        self._current = current
        self.criteria = QComboBox()
        for criteria, name in CRITERIA_NAMES.items():
            self.criteria.addItem(name, criteria)
        self.criteria.setCurrentIndex(list(CRITERIA_NAMES).index(current.criteria))
        self.confirm = QCheckBox("Require confirmation of CR and PR")
        self.confirm.setChecked(current.confirm)
        self.min_sd_days = QSpinBox()
        self.min_sd_days.setRange(0, 3650)
        self.min_sd_days.setSuffix(" days")
        self.min_sd_days.setValue(current.min_sd_days)
        self.exclude_irradiated = QCheckBox("Leave out locally treated lesions")
        self.exclude_irradiated.setChecked(current.exclude_irradiated)
        self.reader = QComboBox()
        self.reader.setEditable(True)
        self.reader.addItems([""] + [r for r in readers if r])
        self.reader.setCurrentText(current.reader or "")
        self.readers_required = QSpinBox()
        self.readers_required.setRange(1, 2)
        self.readers_required.setValue(current.readers_required)
        self.max_diameter_mm = QDoubleSpinBox()
        self.max_diameter_mm.setRange(1, 2000)
        self.max_diameter_mm.setDecimals(0)
        self.max_diameter_mm.setSuffix(" mm")
        self.max_diameter_mm.setValue(current.max_diameter_mm)
        self.time_unit = QComboBox()
        self.time_unit.addItems(TIME_UNITS)
        self.time_unit.setCurrentText(current.time_unit)
        form = QFormLayout()
        rows = (
            ("Criteria:", self.criteria, "criteria"),
            ("", self.confirm, "confirm"),
            ("Minimum SD duration:", self.min_sd_days, "min_sd_days"),
            ("", self.exclude_irradiated, "exclude_irradiated"),
            ("Reader:", self.reader, "reader"),
            ("Readers per scan:", self.readers_required, "readers_required"),
            ("Time unit:", self.time_unit, "time_unit"),
            ("Ask above:", self.max_diameter_mm, "max_diameter_mm"),
        )
        for label, widget, name in rows:
            widget.setToolTip(HELP[name])
            widget.setStatusTip(HELP[name])
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._origins_box(current, arms))
        layout.addWidget(buttons)

    def _origins_box(self, current: StudySettings, arms: Sequence[str]) -> QGroupBox:
        box = QGroupBox("Time origin of PFS and OS, per arm")
        box.setToolTip(HELP["origins"])
        grid = QGridLayout(box)
        by_arm = {o.arm: o for o in current.origins}
        self.origins: dict[str, tuple[QComboBox, QLineEdit]] = {}
        for row, arm in enumerate(arms):
            kind = QComboBox()
            kind.setEditable(True)
            kind.addItems((START_DATE,) + EVENT_KINDS)
            detail = QLineEdit()
            detail.setPlaceholderText("detail, e.g. dTACE (optional)")
            origin = by_arm.get(arm)
            kind.setCurrentText(origin.kind if origin else START_DATE)
            detail.setText(origin.detail or "" if origin else "")
            grid.addWidget(QLabel(arm), row, 0)
            grid.addWidget(QLabel("from"), row, 1)
            grid.addWidget(kind, row, 2)
            grid.addWidget(detail, row, 3)
            self.origins[arm] = (kind, detail)
        return box

    def settings(self) -> StudySettings:
        """Return the settings as chosen in the dialog (others as they were)."""
        origins = tuple(
            TimeOrigin(arm, kind.currentText().strip(), detail.text().strip() or None)
            for arm, (kind, detail) in self.origins.items()
            if kind.currentText().strip() not in ("", START_DATE)
        )
        # replace(): settings this dialog does not show keep their stored values.
        return replace(
            self._current,
            criteria=Criteria(self.criteria.currentData()),
            confirm=self.confirm.isChecked(),
            min_sd_days=self.min_sd_days.value(),
            exclude_irradiated=self.exclude_irradiated.isChecked(),
            reader=self.reader.currentText().strip() or None,
            readers_required=self.readers_required.value(),
            time_unit=self.time_unit.currentText(),
            max_diameter_mm=self.max_diameter_mm.value(),
            origins=origins,
        )
