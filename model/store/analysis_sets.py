"""Writing the study's saved analysis sets (issue 17): one `SetAnalysisSet` at a time.

A set's recipe names arms of the study and a matched set's members its patients, so that
no set is stored that could not be computed; members are kept by patient UUID, so that a
renamed patient stays matched.
"""

from __future__ import annotations

import json
import sqlite3

from model.editing.analysis_sets import (
    AnalysisSet,
    MatchRecipe,
    SetAnalysisSet,
    check_set,
    recipe_json,
)
from model.editing.edits import Changes, Edit
from model.errors import InputError
from model.store import reads
from model.store.rows import new_uuid
from model.store.versions import SeenVersions


def set_analysis_set(
    conn: sqlite3.Connection, edit: SetAnalysisSet, versions: SeenVersions
) -> tuple[Changes, Edit]:
    """Writes one saved analysis set's change (model/analysis_set_edits); returns its inverse."""
    del versions  # a set is no patient's row: nothing of theirs to check or bump
    stored = {s.name: (uuid, position, s) for uuid, position, s in reads.analysis_sets(conn)}
    old = stored.get(edit.name)
    new = edit.analysis_set
    if old is None and (new is None or new.name != edit.name):
        raise InputError(f"no analysis set {edit.name!r} in the study")
    if new is None:
        conn.execute("DELETE FROM analysis_sets WHERE name = ?", [edit.name])
    else:
        check_set(new)
        if new.name != edit.name and new.name in stored:
            raise InputError(f"the study already has an analysis set {new.name!r}")
        members = _member_uuids(conn, new)
        _check_arms(conn, new)
        _write(conn, edit, new, old, members)
    inverse = SetAnalysisSet(
        new.name if new is not None else edit.name,
        old[2] if old else None,
        old[1] if old else None,
        old[0] if old else None,
    )
    return Changes(analysis_sets=True), inverse


def _member_uuids(conn: sqlite3.Connection, analysis_set: AnalysisSet) -> str | None:
    """The members as stored: JSON [[patient uuid, pair], ...]; InputError for an unknown
    patient."""
    if not analysis_set.members:
        return None
    pairs = []
    for member in analysis_set.members:
        try:
            pairs.append([reads.patient_uuid(conn, member.patient_id), member.pair])
        except InputError as error:
            raise InputError(f"analysis set {analysis_set.name!r}: {error}") from error
    return json.dumps(pairs)


def _check_arms(conn: sqlite3.Connection, analysis_set: AnalysisSet) -> None:
    """Raises InputError when the recipe names an arm the study does not have."""
    recipe = analysis_set.recipe
    named = (recipe.treated_arm,) if isinstance(recipe, MatchRecipe) else recipe.arms
    arms = {row[0] for row in reads.rows(conn, "SELECT name FROM arms")}
    unknown = [arm for arm in named if arm not in arms]
    if unknown:
        known = ", ".join(sorted(arms))
        raise InputError(
            f"analysis set {analysis_set.name!r}: no arm {unknown[0]!r} in the study"
            f" (arms: {known})"
        )


def _write(
    conn: sqlite3.Connection,
    edit: SetAnalysisSet,
    new: AnalysisSet,
    old: tuple[str, int, AnalysisSet] | None,
    members: str | None,
) -> None:
    """Inserts the set, or updates it in place (same UUID) so the audit shows a change."""
    if edit.position is not None:
        position = edit.position
    elif old is not None:
        position = old[1]
    else:
        last = conn.execute("SELECT 1 + coalesce(max(position), -1) FROM analysis_sets")
        position = last.fetchone()[0]
    uuid = old[0] if old is not None else edit.uuid or new_uuid()
    conn.execute(
        "INSERT INTO analysis_sets (uuid, name, kind, recipe, members, position)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(uuid) DO UPDATE SET name = excluded.name,"
        " kind = excluded.kind, recipe = excluded.recipe, members = excluded.members,"
        " position = excluded.position",
        [uuid, new.name, new.kind.value, recipe_json(new), members, position],
    )
