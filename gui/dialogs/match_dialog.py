"""The Match dialog (issue 18, item 1): a name, the treated arm, the covariates (the study's
declared variables and the patients' own fields) and the caliper, as an absolute width on
the propensity score or in SDs of it (spec/analysis.md, `match`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

#: The caliper choices: (shown, key).
CALIPERS = (("absolute width on the score", "width"), ("SDs of the score", "sd"),
            ("no caliper", "none"))  # fmt: skip
#: The caliper the dialog offers first (the dTACE + ICI cohort's).
DEFAULT_CALIPER = 0.05


@dataclass(frozen=True)
class MatchChoice:
    """What the user chose: the set's name, the treated arm, covariates and caliper."""

    name: str
    treated_arm: str
    covariates: tuple[str, ...]
    caliper: float | None
    caliper_sd: float | None


class MatchDialog(QDialog):
    """OK stays off until the set has a name and at least one covariate is ticked."""

    def __init__(
        self,
        arms: Sequence[str],
        covariates: Sequence[tuple[str, str]],
        name: str = "PSM",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Propensity score matching")
        self.name = QLineEdit(name)
        self.name.setObjectName("match_name")
        self.treated = QComboBox()
        self.treated.setObjectName("match_treated")
        self.treated.addItems(list(arms))
        self.treated.setCurrentIndex(len(arms) - 1)
        self.covariates = QListWidget()
        self.covariates.setObjectName("match_covariates")
        for key, text in covariates:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.covariates.addItem(item)
        self.caliper_kind = QComboBox()
        self.caliper_kind.setObjectName("match_caliper_kind")
        for text, key in CALIPERS:
            self.caliper_kind.addItem(text, key)
        self.caliper = QDoubleSpinBox()
        self.caliper.setObjectName("match_caliper")
        self.caliper.setDecimals(3)
        self.caliper.setRange(0.001, 10.0)
        self.caliper.setSingleStep(0.01)
        self.caliper.setValue(DEFAULT_CALIPER)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Name of the matched set", self.name)
        form.addRow("Treated arm (against the others)", self.treated)
        form.addRow("Covariates of the score", self.covariates)
        form.addRow("Caliper", self.caliper)
        form.addRow("Caliper as", self.caliper_kind)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self._update_ok)
        self.covariates.itemChanged.connect(self._update_ok)
        self.caliper_kind.currentIndexChanged.connect(self._update_ok)
        self._update_ok()

    def choice(self) -> MatchChoice:
        """Return what the dialog holds."""
        kind = self.caliper_kind.currentData()
        value = self.caliper.value()
        return MatchChoice(
            self.name.text().strip(),
            self.treated.currentText(),
            tuple(self._ticked()),
            value if kind == "width" else None,
            value if kind == "sd" else None,
        )

    def _ticked(self) -> list[str]:
        items = (self.covariates.item(i) for i in range(self.covariates.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _update_ok(self, *_args) -> None:
        self.caliper.setEnabled(self.caliper_kind.currentData() != "none")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()) and bool(self._ticked()))
