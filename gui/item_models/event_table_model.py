"""The events of one patient (treatments, procedures, surgery, ...) as a table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal

from gui.item_models.row_table_model import Index, RowTableModel
from gui.session import StudySession
from model.editing.edits import StoredEvent, UpdateEvent
from model.errors import InputError

#: Columns: kind, start date, end date, detail, and a surgery's outcome (issue 16).
KIND_COLUMN, START_COLUMN, END_COLUMN, DETAIL_COLUMN = range(4)
INTENT_COLUMN, MARGIN_COLUMN, NECROSIS_COLUMN = range(4, 7)
#: Event kinds the interchange spec names (events.csv); free text is allowed too.
EVENT_KINDS = ("treatment", "procedure", "surgery", "progression", "off-study")


def parse_date(text: str, what: str) -> date | None:
    """Return the ISO date in `text`, None when blank; InputError when it is not a date."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what} must be a date as YYYY-MM-DD, not {text!r}") from None


class EventTableModel(RowTableModel):
    """A patient's events (StoredEvent rows) in their order; editing a cell updates the event."""

    #: (row, column, text typed, why) when a cell refused what was typed (issue 15, item 1).
    cell_refused = Signal(int, int, str, str)
    #: Column titles.
    HEADERS = ("Kind", "Start", "End", "Detail", "Intent", "Margin", "Necrosis %")
    EDITABLE = True

    def __init__(self, session: StudySession, parent=None):
        super().__init__(parent)
        self._session = session

    def row_data(self, event: StoredEvent, column: int, role: int):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        record = event.record
        value = (
            record.kind,
            record.start_date,
            record.end_date,
            record.detail,
            record.intent,
            record.margin,
            record.necrosis_pct,
        )[column]
        if isinstance(value, float):
            return f"{value:g}"
        return "" if value is None else str(value)

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        event = self.row_at(index.row())
        text = str(value).strip()
        try:
            record = self._changed(event, index.column(), text)
            if record == event.record:
                return False
            label = f"Change the {self.HEADERS[index.column()].lower()} of a {record.kind} event"
            self._session.execute(UpdateEvent(event.uuid, record), label)
        except InputError as error:
            self._session.refuse(str(error))
            self.cell_refused.emit(index.row(), index.column(), text, str(error))
            return False
        return True

    @staticmethod
    def _changed(event: StoredEvent, column: int, text: str):
        record = event.record
        if column == KIND_COLUMN:
            if not text:
                raise InputError("an event needs a kind")
            return replace(record, kind=text)
        if column == START_COLUMN:
            start = parse_date(text, "start date")
            if start is None:
                raise InputError("an event needs a start date")
            return replace(record, start_date=start)
        if column == END_COLUMN:
            return replace(record, end_date=parse_date(text, "end date"))
        if column == INTENT_COLUMN:
            return replace(record, intent=text.lower() or None)
        if column == MARGIN_COLUMN:
            return replace(record, margin=text.upper() or None)
        if column == NECROSIS_COLUMN:
            return replace(record, necrosis_pct=_percent(text))
        return replace(record, detail=text or None)


def _percent(text: str) -> float | None:
    """Return the percentage in `text`, None when blank; InputError when it is no number."""
    if not text:
        return None
    try:
        return float(text.rstrip("%").strip())
    except ValueError:
        raise InputError(f"necrosis is a percentage from 0 to 100, not {text!r}") from None
