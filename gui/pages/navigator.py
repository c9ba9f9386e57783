"""The navigator: the study's arms with their patients, and a filter box above them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from gui.palette import STALE_MARK, response_colour, response_text_colour
from model.rules.filter_words import word_matches

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class PatientEntry:
    """One patient as the navigator lists it."""

    patient_id: str
    arm: str
    #: None while not yet known (the navigator fills in after start-up).
    best_response: str | None
    #: What `name:value` filter words match: baseline variables, arm, sex, histology, stage.
    facts: tuple[tuple[str, str], ...] = ()
    #: The patient's stale overrides in words (gui/palette.py, `stale_text`); empty: none.
    stale: str = ""


#: Columns of the navigator.
ID_COLUMN, RESPONSE_COLUMN = 0, 1
#: Role returning the patient id of a patient row (None for an arm row).
PatientIdRole = Qt.ItemDataRole.UserRole + 1
#: Role returning the text the filter matches: id, arm and best response.
FilterTextRole = Qt.ItemDataRole.UserRole + 2
#: Role returning the facts `name:value` filter words match (model/rules/filter_words.py).
FactsRole = Qt.ItemDataRole.UserRole + 3

#: The response code the navigator's column is sized for (longer ones are elided).
WIDEST_CODE = "NON-CR/NON-PD"
#: More changed rows than this are shown by a reset (see NavigatorModel.set_patients).
MAX_ROWS_CHANGED_IN_PLACE = 3

_NO_PARENT = 0xFFFFFFFF
#: The invisible root, as a default argument.
_ROOT = QModelIndex()


class NavigatorModel(QAbstractItemModel):
    """Arms as top-level rows, their patients as children; columns id and best response.

    A child's internal id is its arm's row, so parent() needs no lookup table.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._arms: list[str] = []
        self._patients: list[list[PatientEntry]] = []
        #: (arm row, row) of each patient id.
        self._rows: dict[str, tuple[int, int]] = {}

    def set_patients(self, entries: list[PatientEntry]) -> bool:
        """Show `entries`, grouped by arm in order of first appearance; returns whether reset.

        When the same patients stay and only a few best responses changed (a
        keystroke in the grid), those rows report changed data instead: each
        such report makes the filter re-check the tree, so many are slower than
        one reset.
        """
        arms = list(dict.fromkeys(e.arm for e in entries))
        patients = [[e for e in entries if e.arm == arm] for arm in arms]
        self._rows = {
            e.patient_id: (arm_row, row)
            for arm_row, group in enumerate(patients)
            for row, e in enumerate(group)
        }
        if arms == self._arms and _ids(patients) == _ids(self._patients):
            changed = _changed_rows(self._patients, patients)
            if len(changed) <= MAX_ROWS_CHANGED_IN_PLACE:
                self._patients = patients
                for arm_row, row in changed:
                    arm = self.index(arm_row, 0)
                    self.dataChanged.emit(self.index(row, 0, arm), self.index(row, 1, arm))
                return False
        self.beginResetModel()
        self._arms, self._patients = arms, patients
        self.endResetModel()
        return True

    def update_patient(self, entry: PatientEntry) -> bool:
        """Show `entry` in its patient's row; returns False (nothing changed) when the
        patient is not listed under that arm, so the caller lists everyone again."""
        arm_row, row = self._rows.get(entry.patient_id, (None, None))
        if arm_row is None or self._arms[arm_row] != entry.arm:
            return False
        if self._patients[arm_row][row] != entry:
            self._patients[arm_row][row] = entry
            arm = self.index(arm_row, 0)
            self.dataChanged.emit(self.index(row, 0, arm), self.index(row, 1, arm))
        return True

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _NO_PARENT)
        return self.createIndex(row, column, parent.row())

    def parent(self, child: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(child.internalId(), 0, _NO_PARENT)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._arms)
        if parent.internalId() == _NO_PARENT and parent.column() == 0:
            return len(self._patients[parent.row()])
        return 0

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Arm / patient", "Best")[section]
        return None

    def patient_at(self, index: Index) -> PatientEntry | None:
        """Return the patient of a row, None for an arm row or an invalid index."""
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return None
        return self._patients[index.internalId()][index.row()]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self.patient_at(index)
        if entry is None:
            return self._arm_data(index, role)
        code = entry.best_response or ""
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == ID_COLUMN:
                return entry.patient_id + (f" {STALE_MARK}" if entry.stale else "")
            return code or "…"
        if role == PatientIdRole:
            return entry.patient_id
        if role == FilterTextRole:
            return f"{entry.patient_id} {entry.arm} {code}" + (" stale" if entry.stale else "")
        if role == FactsRole:
            return dict(entry.facts)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{entry.patient_id}, arm {entry.arm}, best overall response {code}"
            return text + (f"\n{STALE_MARK} {entry.stale}" if entry.stale else "")
        if index.column() == RESPONSE_COLUMN and role == Qt.ItemDataRole.BackgroundRole:
            return response_colour(code)
        if index.column() == RESPONSE_COLUMN and role == Qt.ItemDataRole.ForegroundRole:
            return response_text_colour(code)
        return None

    def _arm_data(self, index: Index, role: int):
        arm = self._arms[index.row()]
        if role == Qt.ItemDataRole.DisplayRole and index.column() == ID_COLUMN:
            return f"{arm} ({len(self._patients[index.row()])})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Arm {arm}: {len(self._patients[index.row()])} patient(s)"
        if role == FilterTextRole:
            return arm
        return None

    def index_of(self, patient_id: str) -> QModelIndex:
        """Return the index of a patient's row, invalid when not listed."""
        arm_row, row = self._rows.get(patient_id, (None, None))
        if arm_row is None:
            return QModelIndex()
        return self.index(row, 0, self.index(arm_row, 0))


def _ids(groups: list[list[PatientEntry]]) -> list[list[str]]:
    return [[entry.patient_id for entry in group] for group in groups]


def _changed_rows(old: list[list[PatientEntry]], new: list[list[PatientEntry]]):
    """Return (arm row, row) of each entry that differs between two same-shaped groupings."""
    return [
        (arm_row, row)
        for arm_row, (before, after) in enumerate(zip(old, new, strict=True))
        for row, (a, b) in enumerate(zip(before, after, strict=True))
        if a != b
    ]


#: Qt 6.10 brackets a filter change (beginFilterChange/endFilterChange) and deprecates
#: invalidateFilter; PySide6 from 6.6 on is allowed (pyproject.toml, issue 20), so older Qt
#: invalidates instead.
_FILTER_CHANGE_BRACKETS = hasattr(QSortFilterProxyModel, "endFilterChange")


class _PatientFilter(QSortFilterProxyModel):
    """Keeps patients whom every word typed matches (model/rules/filter_words.py)."""

    _words: tuple[str, ...] = ()

    def set_text(self, text: str) -> None:
        """Filter by the words of `text`, case-insensitively; returns nothing."""
        if not _FILTER_CHANGE_BRACKETS:
            self._words = tuple(text.lower().split())
            self.invalidateFilter()
            return
        self.beginFilterChange()
        self._words = tuple(text.lower().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        words = self._words
        if not words or not source_parent.isValid():
            return not words
        index = self.sourceModel().index(source_row, 0, source_parent)
        text = str(index.data(FilterTextRole)).lower()
        facts = index.data(FactsRole) or {}
        return all(word_matches(word, text, facts) for word in words)


class Navigator(QWidget):
    """The filter box and the tree of arms and patients; emits `patient_selected(patient_id)`."""

    patient_selected = Signal(str)
    #: The filter text changed; carries the ids of the patients it keeps (all: None).
    filter_changed = Signal(object)
    #: Enter in the filter box: carries the patient to open (the current one when the
    #: filter keeps it, else the first it keeps).
    filter_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = NavigatorModel(self)
        self._proxy = _PatientFilter(self)
        self._proxy.setSourceModel(self.model)
        self._proxy.setRecursiveFilteringEnabled(True)
        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("patient_filter")
        self.filter_box.setPlaceholderText(
            "Filter: id, arm, response, ecog:1 (Ctrl+F); Enter opens"
        )
        self.filter_box.setAccessibleName("Filter patients by id, arm, response or variable")
        self.filter_box.setToolTip(
            "Words that must all match: a part of the id, arm or response (or 'stale'), or"
            " name:value for a baseline variable, arm, sex, histology or stage (ecog:1,"
            " histology:ASPS, pdl1:>=50). Enter opens the first patient kept; the page shown stays."
        )
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._on_filter_changed)
        self.filter_box.returnPressed.connect(self._on_filter_entered)
        #: True while the filter or a refresh moves the current row: that is no choice of the user.
        self._quiet = False
        self.tree = QTreeView()
        self.tree.setObjectName("patient_tree")
        self.tree.setAccessibleName("Patients by arm, with their best overall response")
        self.tree.setModel(self._proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIndentation(12)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ID_COLUMN, QHeaderView.ResizeMode.Stretch)
        # A fixed width: sizing to the contents makes every layout read every row, which made
        # opening a patient cost 300 ms at 2,000 patients (docs/performance.md).
        header.setSectionResizeMode(RESPONSE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(RESPONSE_COLUMN, self.fontMetrics().horizontalAdvance(WIDEST_CODE))
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.tree)

    def set_patients(self, entries: list[PatientEntry]) -> None:
        """List `entries`, keeping the current patient selected; returns nothing."""
        current = self.current_patient()
        if self.model.set_patients(entries):
            self._show_arms()
            if current:
                # Putting the current row back opens no patient: the page shown stays.
                self._quiet = True
                try:
                    self.select_patient(current)
                finally:
                    self._quiet = False

    def _show_arms(self) -> None:
        # An arm's row takes the tree's whole width: names like "Immunotherapy + dTACE (52)"
        # are not cut off by the response column (issue 15, item 5).
        self.tree.expandAll()
        for row in range(self._proxy.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)

    def current_patient(self) -> str | None:
        """Return the id of the selected patient, None when an arm or nothing is selected."""
        value = self.tree.currentIndex().data(PatientIdRole)
        return str(value) if value else None

    def select_patient(self, patient_id: str) -> None:
        """Make `patient_id` the current row (emitting patient_selected); returns nothing."""
        index = self._proxy.mapFromSource(self.model.index_of(patient_id))
        if index.isValid():
            self.tree.setCurrentIndex(index)

    def visible_patients(self) -> list[str]:
        """Return the ids of the patients that pass the filter, top to bottom."""
        ids = []
        for arm_row in range(self._proxy.rowCount()):
            arm = self._proxy.index(arm_row, 0)
            for row in range(self._proxy.rowCount(arm)):
                ids.append(str(self._proxy.index(row, 0, arm).data(PatientIdRole)))
        return ids

    def _on_filter_changed(self, text: str) -> None:
        # Filtering may move the current row; that opens no patient and leaves the page the
        # user is on (issue 15, item 5).
        self._quiet = True
        try:
            self._proxy.set_text(text)
            self._show_arms()
        finally:
            self._quiet = False
        self.filter_changed.emit(self.visible_patients() if text.strip() else None)

    def _on_filter_entered(self) -> None:
        kept = self.visible_patients()
        if kept:
            current = self.current_patient()
            self.filter_entered.emit(current if current in kept else kept[0])

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        patient_id = current.data(PatientIdRole)
        if patient_id and not self._quiet:
            self.patient_selected.emit(str(patient_id))
