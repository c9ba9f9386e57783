"""Writing the study's variable declarations and checking its values against them (issue 16).

A declaration must fit every value the study holds (interchange 1.1, variables.csv: a value
outside a categorical variable's levels, or text in a numeric one, is an error), so that no
value is ever lost or made wrong silently: a change that does not fit is refused whole.
"""

from __future__ import annotations

import json
import sqlite3

from model.domain import Variable
from model.editing.clinical import SetVariable, check_declaration
from model.editing.edits import Changes, Edit
from model.errors import InputError
from model.rules.clinical import NAME_PATTERN, value_problem
from model.store import reads
from model.store.rows import new_uuid, to_json
from model.store.versions import SeenVersions

#: Values named at most in one refusal; the message counts the others.
_SHOWN = 5


def misfits(variable: Variable, values: dict[str, str]) -> list[str]:
    """Returns, per patient whose value does not fit `variable`, the reason in words."""
    found = []
    for patient_id, value in values.items():
        problem = value_problem(variable, value)
        if problem:
            found.append(f"{patient_id}'s {value!r} {problem}")
    return found


def refuse_misfits(reasons: list[str], what: str) -> None:
    """Raises InputError naming the first values that do not fit, when there are any."""
    if reasons:
        more = f" and {len(reasons) - _SHOWN} more" if len(reasons) > _SHOWN else ""
        raise InputError(f"{what}: {'; '.join(reasons[:_SHOWN])}{more}")


def check_all_values(conn: sqlite3.Connection) -> None:
    """Raises InputError when a value the study holds does not fit its declaration."""
    for _, _, variable in reads.variables(conn):
        values = {pid: value for pid, _, value in reads.variable_values(conn, variable.name)}
        refuse_misfits(misfits(variable, values), f"values do not fit {variable.name}")


def set_variable(
    conn: sqlite3.Connection, edit: SetVariable, versions: SeenVersions
) -> tuple[Changes, Edit]:
    """Writes one declaration change (model/clinical_edits.SetVariable); returns its inverse."""
    stored = {v.name: (uuid, position, v) for uuid, position, v in reads.variables(conn)}
    old = stored.get(edit.name)
    new = edit.variable
    new_name = new.name if new is not None else edit.name
    before = {pid: value for pid, _, value in reads.variable_values(conn, edit.name)}
    after = before if edit.values is None else {p: v for p, v in edit.values.items() if v != ""}
    if new is not None:
        check_declaration(new)
        refuse_misfits(misfits(new, after), f"{new_name} cannot be declared so")
    if new_name != edit.name:
        _check_rename(conn, edit.name, new_name, old is not None, stored)
    elif new is not None and old is None and not before and edit.uuid is None:
        # A new name made here; one carried from another copy (a merge) keeps its name.
        _check_name(new_name)
    touched = (
        set(before) | set(after) if (new_name != edit.name or edit.values is not None) else set()
    )
    uuids = {pid: reads.patient_uuid(conn, pid) for pid in touched}
    for uuid in uuids.values():
        versions.check(conn, uuid)
    if new is None:
        conn.execute("DELETE FROM variables WHERE name = ?", [edit.name])
    else:
        _write_declaration(conn, edit, new, old)
    if touched:
        _write_values(conn, edit.name, new_name, before, after, uuids)
        versions.bump(conn, uuids.values())
    inverse = SetVariable(
        new_name,
        old[2] if old else None,
        before if edit.values is not None else None,
        old[1] if old else None,
        old[0] if old else None,
    )
    return Changes(frozenset(touched), variables=True), inverse


def _check_rename(
    conn: sqlite3.Connection, name: str, new_name: str, declared: bool, stored: dict
) -> None:
    if not declared:
        raise InputError(f"declare {name} before renaming it")
    _check_name(new_name)
    if new_name in stored or reads.variable_values(conn, new_name):
        raise InputError(f"the study already has a variable {new_name}")


def _check_name(name: str) -> None:
    """Raises InputError unless `name` suits a variable made in Nadir (an imported `x_` column
    keeps whatever name its file gave it)."""
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(
            f"{name!r} cannot name a variable: use lower-case letters, digits and _,"
            " starting with a letter"
        )


def _write_declaration(
    conn: sqlite3.Connection, edit: SetVariable, new: Variable, old: tuple | None
) -> None:
    """Inserts the declaration, or updates it in place (same UUID) so the audit shows a change."""
    if edit.position is not None:
        position = edit.position
    elif old is not None:
        position = old[1]
    else:
        last = conn.execute("SELECT 1 + coalesce(max(position), -1) FROM variables").fetchone()
        position = last[0]
    uuid = old[0] if old is not None else edit.uuid or new_uuid()
    conn.execute(
        "INSERT INTO variables (uuid, name, type, levels, label, unit, extra, position)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(uuid) DO UPDATE SET name = excluded.name,"
        " type = excluded.type, levels = excluded.levels, label = excluded.label,"
        " unit = excluded.unit, extra = excluded.extra, position = excluded.position",
        [uuid, new.name, new.type.value, json.dumps(list(new.levels), ensure_ascii=False)]
        + [new.label, new.unit, to_json(new.extra), position],
    )


def _write_values(
    conn: sqlite3.Connection,
    name: str,
    new_name: str,
    before: dict[str, str],
    after: dict[str, str],
    uuids: dict[str, str],
) -> None:
    """Makes the values of `name` be `after`, under `new_name`; a value that stays keeps its
    row (an update), so that the audit trail shows only what changed."""
    renamed = new_name != name
    gone = [(f"{uuids[pid]}:{name}",) for pid in before if renamed or pid not in after]
    conn.executemany("DELETE FROM patient_values WHERE uuid = ?", gone)
    conn.executemany(
        "INSERT INTO patient_values (uuid, patient_uuid, name, value) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(uuid) DO UPDATE SET value = excluded.value",
        [
            (f"{uuids[pid]}:{new_name}", uuids[pid], new_name, value)
            for pid, value in after.items()
            if value != "" and (renamed or before.get(pid) != value)
        ],
    )
