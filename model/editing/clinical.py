"""Edits of a study's clinical data as values: a patient's variable values, adverse events, and
the study's variable declarations (issue 16).

Like model/editing/edits.py (shared/style.md, practice 4), `Store.apply` validates one of these,
writes it in one transaction and returns its exact inverse. Adverse events have no natural
key and are named by their UUID, as events are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from model.domain import AdverseEvent, Variable
from model.errors import InputError
from model.rules.clinical import ae_problems, declaration_problems


@dataclass(frozen=True)
class StoredAdverseEvent:
    """An adverse event with its UUID (how UpdateAdverseEvent and RemoveAdverseEvent name it)."""

    uuid: str
    record: AdverseEvent
    position: int = 0


def check_adverse_event(record: AdverseEvent) -> None:
    """Returns None; raises InputError when an adverse event cannot be stored (model/clinical)."""
    problems = ae_problems(
        {
            "term": record.term,
            "grade": record.grade,
            "start_date": record.start_date,
            "end_date": record.end_date,
        }
    )
    if problems:
        raise InputError("; ".join(f"{column}: {message}" for column, message in problems))


def check_declaration(variable: Variable) -> None:
    """Returns None; raises InputError when a variable declaration is not one (model/clinical)."""
    problems = declaration_problems(variable)
    if problems:
        message = "; ".join(f"{column}: {message}" for column, message in problems)
        raise InputError(f"variable {variable.name!r}: {message}")


@dataclass(frozen=True)
class SetPatientValue:
    """Set a patient's value of a baseline variable; value None (or blank) clears it.

    The value must fit the variable's declaration (model/clinical.value_problem).
    """

    patient_id: str
    name: str
    value: str | None = None


@dataclass(frozen=True)
class AddAdverseEvent:
    """Add an adverse event to its patient; `uuid` None lets the store choose one."""

    record: AdverseEvent
    uuid: str | None = None


@dataclass(frozen=True)
class UpdateAdverseEvent:
    """Replace the adverse event with this UUID by `record` (same patient)."""

    ae_uuid: str
    record: AdverseEvent


@dataclass(frozen=True)
class RemoveAdverseEvent:
    """Remove the adverse event with this UUID."""

    ae_uuid: str


@dataclass(frozen=True)
class SetVariable:
    """Declare, change, rename or retire the study's variable `name`.

    `variable` None removes the declaration (the values stay, and the variable is
    then inferred from them); a `variable.name` other than `name` renames it, its
    values following. `values` None leaves the values alone; a mapping of
    patient_id to value replaces them all (`{}` retires the variable with its
    values, the inverse then carrying them back). `position` None keeps the
    declaration's place (a new one goes last); `uuid` None lets the store choose.
    The declaration must fit every value the study holds: nothing is lost silently.
    """

    name: str
    variable: Variable | None
    values: Mapping[str, str] | None = None
    position: int | None = None
    uuid: str | None = None
