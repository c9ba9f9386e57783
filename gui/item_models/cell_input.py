"""What a reader types into a cell of the measurement grid, and how a cell reads back.

A number is a diameter in mm ("23", "23.5"); under mRECIST "30/12" gives the
diameter and the viable diameter. A single letter records a status; which
letters are allowed depends on the lesion's role (interchange spec,
measurements.csv, `status` by role). An empty cell removes the finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.domain import Role, Status
from model.errors import InputError

#: Letter typed in a cell -> status, for each role.
STATUS_KEYS: dict[Role, dict[str, Status]] = {
    Role.TARGET: {"A": Status.ABSENT, "S": Status.TOO_SMALL, "N": Status.NOT_EVALUATED},
    Role.NON_TARGET: {
        "Y": Status.PRESENT,
        "A": Status.ABSENT,
        "P": Status.PROGRESSION,
        "I": Status.INCREASED,
        "N": Status.NOT_EVALUATED,
    },
    Role.NEW: {
        "Y": Status.PRESENT,
        "P": Status.PRESENT,
        "E": Status.EQUIVOCAL,
        "A": Status.ABSENT,
        "I": Status.INCREASED,
    },
}

#: Short words shown in a cell for each status (a measured target shows its number).
STATUS_LABELS: dict[Status, str] = {
    Status.MEASURED: "measured",
    Status.ABSENT: "absent",
    Status.TOO_SMALL: "too small",
    Status.NOT_EVALUATED: "not eval.",
    Status.PRESENT: "present",
    Status.PROGRESSION: "progression",
    Status.INCREASED: "increased",
    Status.EQUIVOCAL: "equivocal",
}

#: The short help in the grid's status tip.
KEY_TIP = (
    "Type mm and Enter/Tab. A absent, S too small, N not evaluated, Y present, "
    "P progression, E equivocal, I increased, Delete clears. F1: all keys"
)

#: The help shown in the grid's tooltips and the Help menu.
KEY_HELP = (
    "Type a diameter in mm (mRECIST: diameter/viable, e.g. 30/12) and press Enter or Tab. "
    "Targets: A absent, S too small, N not evaluated. "
    "Non-targets: Y present, A absent, P unequivocal progression, I increased, N not evaluated. "
    "New lesions: Y or P present, E equivocal, A absent, I increased. Delete clears the cell. "
    "Ctrl+C copies the selected cells, Ctrl+V pastes tab-separated values (one undo step)."
)


@dataclass(frozen=True)
class CellValue:
    """A parsed cell: a status with its sizes, or None for a cleared cell."""

    status: Status
    diameter_mm: float | None = None
    viable_mm: float | None = None


def _size(text: str, what: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InputError(f"{what} must be a number of mm, not {text!r}") from None
    if value < 0 or value != value or value == float("inf"):
        raise InputError(f"{what} must be a number >= 0, not {text!r}")
    return value


def parse_cell(text: str, role: Role) -> CellValue | None:
    """Return the finding that `text` records for a lesion of `role`; None when cleared.

    Raises InputError naming what is wrong (a letter the role does not take,
    a negative size, a diameter for a non-target).
    """
    text = text.strip()
    if not text:
        return None
    status = STATUS_KEYS[role].get(text.upper())
    if status is not None:
        return CellValue(status)
    if role is Role.NON_TARGET:
        raise InputError(f"a non-target takes a status letter, not {text!r}. {KEY_HELP}")
    diameter_text, _, viable_text = text.partition("/")
    diameter = _size(diameter_text, "diameter")
    viable = _size(viable_text, "viable diameter") if viable_text.strip() else None
    status = Status.MEASURED if role is Role.TARGET else Status.PRESENT
    return CellValue(status, diameter, viable)


def _mm(value: float) -> str:
    return f"{value:g}"


def cell_text(status: Status, diameter_mm: float | None, viable_mm: float | None) -> str:
    """Return what a grid cell shows for a finding: the size in mm, or the status in words."""
    if diameter_mm is not None:
        size = _mm(diameter_mm) + (f"/{_mm(viable_mm)}" if viable_mm is not None else "")
        return size if status is Status.MEASURED else f"{size} {STATUS_LABELS[status]}"
    if viable_mm is not None:
        return f"?/{_mm(viable_mm)}"
    return STATUS_LABELS[status]


def edit_text(status: Status, diameter_mm: float | None, viable_mm: float | None) -> str:
    """Return the text an editor starts with: the sizes, or the status letter."""
    if diameter_mm is not None:
        return _mm(diameter_mm) + (f"/{_mm(viable_mm)}" if viable_mm is not None else "")
    for keys in STATUS_KEYS.values():
        for letter, known in keys.items():
            if known is status:
                return letter
    return ""
