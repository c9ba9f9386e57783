"""The measurement grid of one patient: lesions as rows, scans as columns.

The model adapts a `PatientView` (gui/session.py); `setData()` turns what was
typed into an edit value and hands it to the session, which writes it and
announces the change; the page then calls `set_view()` with the re-read
patient (style practices 5 and 6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QWidget

from gui.item_models.cell_input import KEY_HELP, KEY_TIP, cell_text, edit_text, parse_cell
from gui.session import PatientView, StudySession
from model.criteria.readings import exact_sum
from model.domain import Lesion, MeasurementRecord, Role
from model.editing.edits import Edit, SetObservation, UpdateLesion
from model.errors import InputError
from model.rules.measurements import implausible_size

Index = QModelIndex | QPersistentModelIndex

#: Columns before the first scan: lesion label, site, lymph node, role.
LABEL_COLUMN, SITE_COLUMN, NODE_COLUMN, ROLE_COLUMN = range(4)
#: How many columns describe the lesion; scan columns follow.
FIXED_COLUMNS = 4
_FIXED_HEADERS = ("Lesion", "Site", "Node", "Role")

#: Role returning the row's Lesion.
RowObjectRole = Qt.ItemDataRole.UserRole + 1
#: Role returning a comparable value: role order then label for lesions, mm for sizes.
SortRole = Qt.ItemDataRole.UserRole + 2
#: Role returning a scan column's date (None on lesion columns).
ScanDateRole = Qt.ItemDataRole.UserRole + 3

#: Order in which roles are listed: targets, then non-targets, then new lesions.
ROLE_ORDER = {Role.TARGET: 0, Role.NON_TARGET: 1, Role.NEW: 2}
#: Shading of a later-scan cell without a row (not evaluated there).
_MISSING = QColor("#EEEEEE")

_ROOT = QModelIndex()


class MeasurementTableModel(QAbstractTableModel):
    """Lesions x scans of one patient; each cell holds the diameter or the status."""

    #: (row, column, text typed, why) when a cell refused what was typed: the view keeps
    #: the cursor there and shows why next to it (issue 15, item 1).
    cell_refused = Signal(int, int, str, str)

    def __init__(self, session: StudySession, parent=None):
        super().__init__(parent)
        self._session = session
        #: Asks the user a yes/no question (an implausible size); None keeps without asking.
        self.ask_to_keep: Callable[[str], bool] | None = None
        self._view: PatientView | None = None
        self._lesions: list[Lesion] = []
        self._scans: list[date] = []
        self._cells: dict[tuple[str, date], list[MeasurementRecord]] = {}

    def set_view(self, view: PatientView | None) -> None:
        """Show the patient of `view` (None: nobody); returns nothing.

        When the rows and columns stay the same the model reports changed data
        instead of a reset, so that the view keeps its current cell while the
        reader types from cell to cell.
        """
        lesions = sorted(view.lesions, key=lambda x: ROLE_ORDER[x.role]) if view else []
        scans = view.scan_dates if view else []
        same_shape = (
            view is not None
            and self._view is not None
            and view.patient_id == self._view.patient_id
            and lesions == self._lesions
            and scans == self._scans
        )
        if not same_shape:
            self.beginResetModel()
        self._view, self._lesions, self._scans = view, lesions, scans
        self._cells = {}
        for row in view.rows if view else ():
            self._cells.setdefault((row.lesion_id, row.scan_date), []).append(row)
        if not same_shape:
            self.endResetModel()
        elif lesions:
            last = self.index(len(lesions) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def scan_dates(self) -> list[date]:
        """Return the scan dates shown, in column order."""
        return list(self._scans)

    def lesion_at(self, row: int) -> Lesion:
        """Return the lesion shown in `row`."""
        return self._lesions[row]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._lesions)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else FIXED_COLUMNS + len(self._scans)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section < FIXED_COLUMNS:
            return _FIXED_HEADERS[section] if role == Qt.ItemDataRole.DisplayRole else None
        scan = self._scans[section - FIXED_COLUMNS]
        if role == Qt.ItemDataRole.DisplayRole:
            return scan.isoformat() + ("\nbaseline" if section == FIXED_COLUMNS else "")
        if role == ScanDateRole:
            return scan
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Scan of {scan.isoformat()}. {KEY_HELP}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NODE_COLUMN:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        lesion = self._lesions[index.row()]
        if role == RowObjectRole:
            return lesion
        if index.column() < FIXED_COLUMNS:
            return self._lesion_data(lesion, index.column(), role)
        return self._cell_data(lesion, self._scans[index.column() - FIXED_COLUMNS], role)

    def _lesion_data(self, lesion: Lesion, column: int, role: int):
        if column == NODE_COLUMN:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if lesion.lymph_node else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Lymph node: its diameter is the short axis"
            return None
        values = {
            LABEL_COLUMN: lesion.lesion_id,
            SITE_COLUMN: lesion.site,
            ROLE_COLUMN: lesion.role,
        }
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return str(values[column])
        if role == SortRole:
            return (ROLE_ORDER[lesion.role], lesion.lesion_id)
        if role == Qt.ItemDataRole.FontRole and column == LABEL_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _cell_data(self, lesion: Lesion, scan: date, role: int):
        rows = self._cells.get((lesion.lesion_id, scan), [])
        if not rows:
            if role == Qt.ItemDataRole.BackgroundRole and scan != self._scans[0]:
                return _MISSING
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{lesion.lesion_id} not recorded at {scan}: not evaluated there"
            return None
        status = rows[0].status
        diameters = [r.diameter_mm for r in rows if r.diameter_mm is not None]
        diameter = exact_sum(diameters) if diameters else None
        shows_viable = self._view.shows_viable and len(rows) == 1
        viable = rows[0].viable_mm if shows_viable else None
        if role == Qt.ItemDataRole.DisplayRole:
            if len(rows) > 1:
                return "+".join(f"{d:g}" for d in diameters) + f" = {diameter:g}"
            return cell_text(status, diameter, viable)
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(status, diameter, viable)
        if role == SortRole:
            return diameter if diameter is not None else -1.0
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = f" in {len(rows)} fragments" if len(rows) > 1 else ""
            return f"{lesion.lesion_id} at {scan}: {status}{parts}"
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._view is None:
            return False
        lesion = self._lesions[index.row()]
        try:
            edit, label = self._edit_for(lesion, index.column(), value, role)
            if edit is None:
                return False
            question = self._implausible(edit)
            if question and self.ask_to_keep is not None:
                # Asked after the editor has closed: a dialog over an open editor would
                # take its focus and commit it a second time.
                cell = (index.row(), index.column(), str(value))
                QTimer.singleShot(0, lambda: self._ask_then_keep(edit, label, question, cell))
                return True
            self._session.execute(edit, label)
        except InputError as error:
            self._refuse(index.row(), index.column(), str(value), str(error))
            return False
        return True

    def _ask_then_keep(self, edit: Edit, label: str, question: str, cell) -> None:
        """Keep `edit` when the user says so; else the cell refuses it (issue 15, item 1)."""
        try:
            if not self.ask_to_keep(question):
                raise InputError("not kept: " + question.removesuffix(": keep?"))
            self._session.execute(edit, label)
        except InputError as error:
            self._refuse(*cell, str(error))

    def _refuse(self, row: int, column: int, text: str, why: str) -> None:
        self._session.refuse(why)
        self.cell_refused.emit(row, column, text, why)

    def paste(self, top_left: Index, text: str) -> int:
        """Type tab-separated `text` into the scan cells from `top_left` on, in one transaction
        and one undo step.

        Returns how many cells took their value: a value that cannot be read is
        reported and skipped; when the store refuses any edit, or the user keeps
        none of the implausible sizes asked about, none is written.
        """
        if self._view is None:
            return 0
        edits = []
        for r, line in enumerate(text.splitlines()):
            for c, value in enumerate(line.split("\t")):
                index = self.index(top_left.row() + r, top_left.column() + c)
                if not index.isValid() or index.column() < FIXED_COLUMNS:
                    continue
                lesion = self._lesions[index.row()]
                try:
                    edit, _ = self._edit_for(
                        lesion, index.column(), value, Qt.ItemDataRole.EditRole
                    )
                except InputError as error:
                    self._session.refuse(str(error))
                    continue
                if edit is not None:
                    edits.append(edit)
        try:
            self._check_plausible(edits)
        except InputError as error:
            self._session.refuse(str(error))
            return 0
        return len(edits) if self._session.submit_all(edits, "Paste into the grid") else 0

    def _check_plausible(self, edits: list[Edit]) -> None:
        """Ask once about every implausible size among `edits` (model/rules/measurements.py);
        InputError when the user does not keep them."""
        questions = [q for e in edits if (q := self._implausible(e))]
        if not questions or self.ask_to_keep is None:
            return
        if not self.ask_to_keep("\n".join(questions)):
            raise InputError("not kept: " + "; ".join(q.removesuffix(": keep?") for q in questions))

    def _implausible(self, edit: Edit) -> str | None:
        if not isinstance(edit, SetObservation) or edit.diameter_mm is None:
            return None
        rows = self._cells.get((edit.lesion_id, edit.scan_date), [])
        if len(rows) > 1 or (rows and rows[0].diameter_mm == edit.diameter_mm):
            return None  # fragments are typed elsewhere; an unchanged size was asked about before
        sizes = {
            scan: exact_sum([r.diameter_mm for r in found if r.diameter_mm is not None])
            for (lesion_id, scan), found in self._cells.items()
            if lesion_id == edit.lesion_id and scan != edit.scan_date
        }
        baseline = sizes.get(self._scans[0]) if self._scans else None
        limit = self._view.settings.max_diameter_mm
        return implausible_size(edit.lesion_id, edit.diameter_mm, list(sizes.values()),
                                baseline, limit)  # fmt: skip

    def copy_text(self, indexes: list[Index]) -> str:
        """Return the cells of `indexes` as tab-separated lines, as a spreadsheet takes them."""
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        return "\n".join(
            "\t".join(str(self.index(r, c).data(Qt.ItemDataRole.EditRole) or "") for c in columns)
            for r in rows
        )

    def _edit_for(self, lesion: Lesion, column: int, value, role: int) -> tuple[Edit | None, str]:
        pid = self._view.patient_id
        if column == NODE_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
            node = Qt.CheckState(value) == Qt.CheckState.Checked
            edit = UpdateLesion(pid, lesion.lesion_id, lymph_node=node)
            return edit, f"Mark {lesion.lesion_id} as {'a node' if node else 'not a node'}"
        if role != Qt.ItemDataRole.EditRole:
            return None, ""
        text = str(value).strip()
        if column == LABEL_COLUMN:
            if not text or text == lesion.lesion_id:
                return None, ""
            edit = UpdateLesion(pid, lesion.lesion_id, new_lesion_id=text)
            return edit, f"Rename {lesion.lesion_id} to {text}"
        if column == SITE_COLUMN:
            edit = UpdateLesion(pid, lesion.lesion_id, site=text)
            return edit, f"Set the site of {lesion.lesion_id}"
        if column == ROLE_COLUMN:
            edit = UpdateLesion(pid, lesion.lesion_id, role=_role(text))
            return edit, f"Make {lesion.lesion_id} a {_role(text)} lesion"
        return self._observation_edit(lesion, self._scans[column - FIXED_COLUMNS], text)

    def _observation_edit(self, lesion: Lesion, scan: date, text: str) -> tuple[Edit | None, str]:
        rows = self._cells.get((lesion.lesion_id, scan), [])
        if not text and not rows:
            return None, ""
        value = parse_cell(text, lesion.role)
        if value and value.viable_mm is None and not self._view.shows_viable and len(rows) == 1:
            # Outside mRECIST the viable size is not shown; typing a diameter keeps it.
            value = replace(value, viable_mm=rows[0].viable_mm)
        edit = SetObservation(
            self._view.patient_id,
            lesion.lesion_id,
            scan,
            reader=self._view.reader,
            status=value.status if value else None,
            diameter_mm=value.diameter_mm if value else None,
            viable_mm=value.viable_mm if value else None,
            irradiated=any(r.irradiated for r in rows),
        )
        what = "Clear" if value is None else "Set"
        return edit, f"{what} {lesion.lesion_id} at {scan.isoformat()}"


def _role(text: str) -> Role:
    """Return the role named by `text`; InputError for anything else."""
    for role in Role:
        if text.lower() == role.value:
            return role
    raise InputError(f"role must be target, non-target or new, not {text!r}")


class DiameterDelegate(QStyledItemDelegate):
    """Edits a grid cell as text: a size in mm or a status letter (see
    gui/item_models/cell_input.py).
    """

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setStatusTip(KEY_TIP)
        editor.setFrame(False)
        return editor


class RoleDelegate(QStyledItemDelegate):
    """Edits the role column with a list of the three roles."""

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:
        editor = QComboBox(parent)
        editor.addItems([role.value for role in Role])
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model, index: Index) -> None:
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
