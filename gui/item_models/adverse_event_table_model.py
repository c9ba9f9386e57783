"""The adverse events of one patient as a table (issue 16): term, CTCAE grade, onset,
resolution, attribution, serious, organ class; editing a cell updates the event."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from gui.item_models.event_table_model import parse_date
from gui.item_models.row_table_model import Index, RowTableModel, SortRole
from gui.session import StudySession
from model.domain import AdverseEvent
from model.editing.clinical import StoredAdverseEvent, UpdateAdverseEvent
from model.errors import InputError
from model.rules.clinical import GRADES

#: Columns, left to right.
(
    TERM_COLUMN,
    GRADE_COLUMN,
    ONSET_COLUMN,
    RESOLVED_COLUMN,
    ATTRIBUTION_COLUMN,
    SERIOUS_COLUMN,
    CATEGORY_COLUMN,
) = range(7)
#: The words for `serious`.
YES, NO = "yes", "no"


def parse_grade(text: str) -> int:
    """Return the CTCAE grade in `text`; InputError when it is not 1 to 5."""
    if text.strip() not in {str(g) for g in GRADES}:
        raise InputError(f"a CTCAE grade is 1 to 5, not {text.strip()!r}")
    return int(text)


def parse_serious(text: str) -> bool:
    """Return whether `text` says serious (yes/no, y/n, any case; blank is no)."""
    word = text.strip().lower()
    if word not in ("", "y", "n", YES, NO):
        raise InputError(f"serious is yes or no, not {text.strip()!r}")
    return word in ("y", YES)


class AdverseEventTableModel(RowTableModel):
    """A patient's adverse events (StoredAdverseEvent rows) in their order."""

    #: Column titles.
    HEADERS = ("Term", "Grade", "Onset", "Resolved", "Attributed to", "Serious", "Organ class")
    EDITABLE = True

    def __init__(self, session: StudySession, parent=None):
        super().__init__(parent)
        self._session = session

    def row_data(self, event: StoredAdverseEvent, column: int, role: int):
        record = event.record
        if role == SortRole:
            return (record.term, record.grade, record.start_date, record.end_date)[column % 4]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        value = (
            record.term,
            record.grade,
            record.start_date,
            record.end_date,
            record.attribution,
            YES if record.serious else NO,
            record.category,
        )[column]
        return "" if value is None else str(value)

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        event = self.row_at(index.row())
        try:
            record = changed(event.record, index.column(), str(value).strip())
        except InputError as error:
            self._session.refuse(str(error))
            return False
        if record == event.record:
            return False
        label = f"Change the {self.HEADERS[index.column()].lower()} of {record.term}"
        return self._session.submit(UpdateAdverseEvent(event.uuid, record), label)


def changed(record: AdverseEvent, column: int, text: str) -> AdverseEvent:
    """Return `record` with the field of `column` set from `text`; InputError on a misfit."""
    if column == TERM_COLUMN:
        if not text:
            raise InputError("an adverse event needs a term")
        return replace(record, term=text)
    if column == GRADE_COLUMN:
        return replace(record, grade=parse_grade(text))
    if column == ONSET_COLUMN:
        onset = parse_date(text, "onset")
        if onset is None:
            raise InputError("an adverse event needs an onset date")
        return replace(record, start_date=onset)
    if column == RESOLVED_COLUMN:
        return replace(record, end_date=parse_date(text, "resolution"))
    if column == ATTRIBUTION_COLUMN:
        return replace(record, attribution=text or None)
    if column == SERIOUS_COLUMN:
        return replace(record, serious=parse_serious(text))
    return replace(record, category=text or None)
