"""What an import would bring in, one row per patient, for the import wizard's preview."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from gui.item_models.row_table_model import RowTableModel
from model.domain import StudyData


@dataclass(frozen=True)
class PreviewRow:
    """One patient of the files: arm, start date, and how many rows and scan dates they have."""

    patient_id: str
    arm: str
    start_date: str
    measurements: int
    scans: int
    events: int
    #: "replaced" for a patient already in the study (its rows give way to the file's), "new".
    fate: str = "new"


def preview_rows(data: StudyData, present: Collection[str] = ()) -> list[PreviewRow]:
    """Return one row per patient named anywhere in `data`, patients.csv order first; those in
    `present` (the study's patients) are marked as replaced."""
    counts = {
        name: Counter(r.patient_id for r in getattr(data, name))
        for name in ("measurements", "events")
    }
    scan_dates: dict[str, set] = {}
    for row in data.scans + data.measurements:
        scan_dates.setdefault(row.patient_id, set()).add(row.scan_date)
    records = {p.patient_id: p for p in data.patients}
    named = list(records) + [m.patient_id for m in data.measurements]
    rows = []
    for pid in dict.fromkeys(named):
        record = records.get(pid)
        rows.append(
            PreviewRow(
                pid,
                record.arm if record else "(in the study)",
                str(record.start_date) if record else "",
                counts["measurements"][pid],
                len(scan_dates.get(pid, ())),
                counts["events"][pid],
                "replaced" if pid in present else "new",
            )
        )
    return rows


#: Patients named one by one in the preview's summary before "and N more".
NAMED = 8


def preview_text(data: StudyData, present: Collection[str] = ()) -> str:
    """Return a short summary of what an import would bring in, naming the patients of
    `present` (the study's) it replaces."""
    arms = sorted({p.arm for p in data.patients})
    rows = preview_rows(data, present)
    replaced = [r.patient_id for r in rows if r.fate == "replaced"]
    text = (
        f"{len(rows)} patients"
        + (f" in arms {', '.join(arms)}" if arms else "")
        + f"; {len(data.measurements)} measurement rows, {len(data.scans)} scan rows, "
        f"{len(data.events)} events."
    )
    if not replaced:
        return text + " Every patient is new to the study."
    named = ", ".join(replaced[:NAMED]) + (
        f" and {len(replaced) - NAMED} more" if len(replaced) > NAMED else ""
    )
    return text + f" Replaces {len(replaced)} patient(s) already in the study: {named}."


class PreviewTableModel(RowTableModel):
    """The patients an import would write (PreviewRow rows)."""

    HEADERS = ("Patient", "Arm", "Start date", "Measurement rows", "Scans", "Events", "Import")

    def row_data(self, row: PreviewRow, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            values = (row.patient_id, row.arm, row.start_date, row.measurements, row.scans)
            return str((*values, row.events, row.fate)[column])
        if role == Qt.ItemDataRole.FontRole and row.fate == "replaced":
            font = QFont()
            font.setBold(True)
            return font
        return None
