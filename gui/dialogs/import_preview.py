"""What an import would bring in, one row per patient, for the import wizard's preview."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import Qt

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


def preview_rows(data: StudyData) -> list[PreviewRow]:
    """Return one row per patient named anywhere in `data`, patients.csv order first."""
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
            )
        )
    return rows


def preview_text(data: StudyData) -> str:
    """Return a one-line summary of what an import would bring in."""
    arms = sorted({p.arm for p in data.patients})
    return (
        f"{len(preview_rows(data))} patients"
        + (f" in arms {', '.join(arms)}" if arms else "")
        + f"; {len(data.measurements)} measurement rows, {len(data.scans)} scan rows, "
        f"{len(data.events)} events. Patients already in the study are replaced."
    )


class PreviewTableModel(RowTableModel):
    """The patients an import would write (PreviewRow rows)."""

    HEADERS = ("Patient", "Arm", "Start date", "Measurement rows", "Scans", "Events")

    def row_data(self, row: PreviewRow, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            values = (row.patient_id, row.arm, row.start_date, row.measurements, row.scans)
            return str((*values, row.events)[column])
        return None
