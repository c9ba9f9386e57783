"""The REDCap mapping editor: choose the REDCap field of each interchange column, once per
project, and save the mapping as JSON (issue 21; model/sources/redcap_mapping.py).

The fields offered are those of the project's export (a checkbox once, and
each of its choices); a box may also hold a constant written `=text`. The
instrument and event of each table come from the export too. What the
editor does not show (the `values` words, event tables after the first) is
kept from the mapping it opened; the event of each form (`form_events`) is
taken from the export where the mapping names none.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from model.errors import InputError
from model.sources.redcap_mapping import (
    REQUIRED,
    TABLE_COLUMNS,
    RedcapMapping,
    TableMapping,
    mapping_problems,
    write_mapping,
)
from model.sources.redcap_project import RedcapProject, first_mapping

#: The tables the editor shows, with their tab titles.
TABS = (("patients", "Patients"), ("measurements", "Measurements"),
        ("adverse_events", "Adverse events"), ("events", "Events"))  # fmt: skip


class RedcapMappingDialog(QDialog):
    """Edits a mapping for `project`; `saved` names the file written (None until saved)."""

    def __init__(
        self,
        project: RedcapProject,
        mapping: RedcapMapping | None = None,
        dictionary: Path | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("REDCap mapping")
        self.resize(640, 620)
        self._project = project
        self._dictionary = dictionary
        self._original = mapping or first_mapping(project)
        self.saved: Path | None = None
        self.boxes: dict[tuple[str, str], QComboBox] = {}
        self.record_id = self._field_box("record_id", self._original.record_id)
        self.tabs = QTabWidget()
        for name, title in TABS:
            self.tabs.addTab(self._table_page(name), title)
        self.extras = QLineEdit(self._extras_text())
        self.extras.setObjectName("patients.extras")
        self.extras.setPlaceholderText("x_ecog=ecog, x_risk_factors=risk_factors")
        self.tabs.widget(0).layout().addRow("Extra columns:", self.extras)
        self.status = QLabel(
            "Choose the REDCap field of each column (* required); type =text for a constant; "
            "a blank box leaves the column out."
        )
        self.status.setObjectName("mapping_status")
        self.status.setWordWrap(True)
        save = QPushButton("&Save mapping…")
        save.setObjectName("save_mapping")
        save.clicked.connect(self._ask_where)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        top = QFormLayout()
        top.addRow("Record id field:", self.record_id)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def _table(self, name: str) -> TableMapping | None:
        if name == "events":
            return self._original.events[0] if self._original.events else None
        return getattr(self._original, name)

    def _field_box(self, name: str, current: str, choices=None) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        box.setEditable(True)  # a constant is typed as =text
        box.addItems(["", *(choices if choices is not None else self._project.fields)])
        box.setCurrentText(current)
        return box

    def _table_page(self, name: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        spec = self._table(name) or TableMapping({})
        for key, choices in (("instrument", self._project.instruments),
                             ("event", self._project.events)):  # fmt: skip
            box = self._field_box(f"{name}.{key}", getattr(spec, key), choices)
            self.boxes[(name, key)] = box
            form.addRow(f"{key.capitalize()}:", box)
        for column in TABLE_COLUMNS[name]:
            default = "=treatment" if (name, column) == ("events", "kind") else ""
            box = self._field_box(f"{name}.{column}", spec.columns.get(column, default))
            self.boxes[(name, column)] = box
            required = column in REQUIRED[name]
            form.addRow(f"{column}{' *' if required else ''}:", box)
        return page

    def _extras_text(self) -> str:
        columns = self._original.patients.columns if self._original.patients else {}
        return ", ".join(f"{c}={f}" for c, f in columns.items() if c.startswith("x_"))

    def mapping(self, file: str = "") -> RedcapMapping:
        """Returns the mapping as the boxes show it (to be saved as `file`)."""
        tables = {name: self._table_mapping(name) for name, _ in TABS}
        events = tables.pop("events")
        rest = self._original.events[1:]
        dictionary = self._original.dictionary
        if self._dictionary is not None and file:
            dictionary = os.path.relpath(self._dictionary, Path(file).parent)
        return replace(
            self._original,
            record_id=self.record_id.currentText().strip(),
            dictionary=dictionary,
            events=((events,) if events else ()) + rest,
            # The export shows which event each form is filled in; the mapping's own win.
            form_events={**self._project.form_events, **self._original.form_events},
            file=file,
            **tables,
        )

    def _table_mapping(self, name: str) -> TableMapping | None:
        columns = {
            column: text
            for column in TABLE_COLUMNS[name]
            if (text := self.boxes[(name, column)].currentText().strip())
        }
        if name == "patients":
            for pair in self.extras.text().split(","):
                column, _, source = (part.strip() for part in pair.partition("="))
                if column and source:
                    columns[column if column.startswith("x_") else f"x_{column}"] = source
        if name == "events" and set(columns) <= {"kind"}:
            return None  # only the default kind: no event table
        instrument = self.boxes[(name, "instrument")].currentText().strip()
        if not columns and not instrument:
            return None
        original = self._table(name)
        return TableMapping(
            columns,
            instrument,
            self.boxes[(name, "event")].currentText().strip(),
            dict(original.values) if original else {},
        )

    def _ask_where(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save mapping", "", "JSON (*.json)")
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> bool:
        """Returns whether the mapping was checked and written to `path`; a mapping with
        problems is not written, and the problems are shown."""
        mapping = self.mapping(str(path))
        problems = mapping_problems(mapping)
        if problems:
            self.status.setText("Not saved:\n" + "\n".join(str(p) for p in problems))
            return False
        try:
            write_mapping(mapping, path)
        except (OSError, InputError) as error:
            self.status.setText(f"Not saved: {error}")
            return False
        self.saved = path
        self.status.setText(f"Saved {path}.")
        self.accept()
        return True
