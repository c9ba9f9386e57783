"""What a reader types into a grid cell, by lesion role (interchange spec, measurements.csv)."""

from __future__ import annotations

import pytest

from gui.item_models.cell_input import CellValue, cell_text, edit_text, parse_cell
from model.domain import Role, Status
from model.errors import InputError


@pytest.mark.parametrize(
    ("text", "role", "expected"),
    [
        ("23", Role.TARGET, CellValue(Status.MEASURED, 23.0)),
        ("12,5", Role.TARGET, CellValue(Status.MEASURED, 12.5)),
        ("30/12", Role.TARGET, CellValue(Status.MEASURED, 30.0, 12.0)),
        ("a", Role.TARGET, CellValue(Status.ABSENT)),
        ("S", Role.TARGET, CellValue(Status.TOO_SMALL)),
        ("N", Role.TARGET, CellValue(Status.NOT_EVALUATED)),
        ("P", Role.NON_TARGET, CellValue(Status.PROGRESSION)),
        ("I", Role.NON_TARGET, CellValue(Status.INCREASED)),
        ("Y", Role.NON_TARGET, CellValue(Status.PRESENT)),
        ("E", Role.NEW, CellValue(Status.EQUIVOCAL)),
        ("P", Role.NEW, CellValue(Status.PRESENT)),
        ("14", Role.NEW, CellValue(Status.PRESENT, 14.0)),
        ("  ", Role.TARGET, None),
    ],
)
def test_typed_text_records_the_status_the_role_allows(text, role, expected):
    """Statuses by role follow the interchange spec's `status` table."""
    assert parse_cell(text, role) == expected


@pytest.mark.parametrize(
    ("text", "role"),
    [("-3", Role.TARGET), ("abc", Role.TARGET), ("12", Role.NON_TARGET), ("S", Role.NEW)],
)
def test_text_that_does_not_fit_the_role_is_an_input_error(text, role):
    """Diameters are >= 0; non-targets take no diameter; new lesions are never too small."""
    with pytest.raises(InputError):
        parse_cell(text, role)


def test_a_cell_reads_back_as_it_was_typed():
    """What the editor starts with parses back to the same finding."""
    for value, role in [
        (CellValue(Status.MEASURED, 23.5, 10.0), Role.TARGET),
        (CellValue(Status.ABSENT), Role.TARGET),
        (CellValue(Status.PROGRESSION), Role.NON_TARGET),
        (CellValue(Status.EQUIVOCAL), Role.NEW),
    ]:
        text = edit_text(value.status, value.diameter_mm, value.viable_mm)
        assert parse_cell(text, role) == value
    assert cell_text(Status.TOO_SMALL, None, None) == "too small"
