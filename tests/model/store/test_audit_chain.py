"""The audit trail cannot be forged or bypassed without Nadir noticing when the study opens.

Source: issue 14, attack 2 ("inserting into the audit tables is allowed
(backdated entries under another user's name), and dropping and re-creating
the triggers lets a diameter change leave no audit row. Opening the file says
nothing."); model/store/audit_chain.py, model/store/checks.py. Each attack is
made as someone with the sqlite3 shell would: a plain connection without
Nadir's functions.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

import model.store.study
from model.domain import Status
from model.editing.edits import SetObservation
from model.errors import InputError
from model.store.checks import expected_schema
from model.store.study import Store
from tests.model.store.builders import FOLLOW_UP, small_study

_FORGED = (
    "INSERT INTO audit (session, time, action, table_name, row_key, patient_uuid, field,"
    " old_value, new_value) VALUES (1, '2020-01-01T00:00:00Z', 'update', 'measurements',"
    " 'x', NULL, 'diameter_mm', 10.0, 12.0)"
)


@pytest.fixture
def path(tmp_path):
    """A study file holding small_study() and one edit, closed."""
    study = tmp_path / "s.nadir"
    with Store.open(study, user="dr_a") as store:
        store.import_study_data(small_study())
        store.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, 11.0))
    return study


def shell(path) -> sqlite3.Connection:
    """A connection as the sqlite3 shell has one: no Nadir functions."""
    return sqlite3.connect(path, isolation_level=None)


def trigger_sql(name: str) -> str:
    return expected_schema()[name]


def test_a_sound_study_opens_for_writing_with_nothing_to_say(path):
    with Store.open(path) as store:
        assert not store.read_only and store.problems == []


def test_the_shell_cannot_add_an_audit_entry_or_session(path):
    with closing(shell(path)) as conn:
        for sql in (
            _FORGED,
            "INSERT INTO audit_sessions (user, host, app_version, opened_at)"
            " VALUES ('dr_b', 'h', 'v', '2020-01-01')",
            "INSERT INTO audit_chain (id, hash) VALUES (999, 'x')",
        ):
            with pytest.raises(sqlite3.Error, match="nadir_audit_writer"):
                conn.execute(sql)


def test_a_backdated_entry_slipped_in_past_a_dropped_trigger_opens_read_only(path):
    with closing(shell(path)) as conn:
        conn.execute("DROP TRIGGER audit_by_nadir_only")
        conn.execute("DROP TRIGGER audit_chain_entry")
        conn.execute(_FORGED)
        forged = conn.execute("SELECT max(id) FROM audit").fetchone()[0]
        conn.execute(trigger_sql("audit_by_nadir_only"))
        conn.execute(trigger_sql("audit_chain_entry"))
    with Store.open(path) as store:
        assert store.read_only
        assert f"audit entry {forged} (update of measurements row x" in store.problems[0]
        assert "Nadir did not write it" in store.problems[0]
        with pytest.raises(InputError, match=f"cannot be trusted: audit entry {forged}"):
            store.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, 12.0))


def test_an_entry_rewritten_breaks_the_chain_there(path):
    with closing(shell(path)) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET session = NULL WHERE id = 3")
        conn.execute(trigger_sql("audit_no_update"))
    with Store.open(path) as store:
        assert store.read_only and store.problems[0].startswith("audit entry 3 ")


def test_a_diameter_changed_while_the_triggers_were_away_opens_read_only(path):
    with closing(shell(path)) as conn:
        conn.execute("DROP TRIGGER audit_measurements_update")
        conn.execute("UPDATE measurements SET diameter_mm = 99.0 WHERE diameter_mm = 11.0")
        conn.execute(trigger_sql("audit_measurements_update"))
        changed = conn.execute("SELECT uuid FROM measurements WHERE diameter_mm = 99").fetchone()
    with Store.open(path) as store:
        assert store.read_only
        assert store.problems == [
            f"measurements row {changed[0]} was changed without the audit trail"
        ]


def test_rows_added_or_removed_without_the_trail_are_found(path):
    with closing(shell(path)) as conn:
        conn.execute("DROP TRIGGER audit_events_delete")
        conn.execute("DROP TRIGGER audit_settings_insert")
        gone = conn.execute("SELECT uuid FROM events LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM events WHERE uuid = ?", [gone])
        conn.execute("INSERT INTO settings (name, value) VALUES ('nadir.x', '1')")
        conn.execute(trigger_sql("audit_events_delete"))
        conn.execute(trigger_sql("audit_settings_insert"))
    with Store.open(path, read_only=True) as store:
        assert sorted(store.problems) == [
            "patient P1's imported rows were changed (1 events rows where the import wrote 2)"
            " without the audit trail",
            "settings row nadir.x was added without the audit trail",
        ]


def test_an_imported_row_changed_while_the_triggers_were_away_names_its_patient(path):
    """Issue 19: imported rows are explained by their import's digest, not a copy of each."""
    with closing(shell(path)) as conn:
        conn.execute("DROP TRIGGER audit_lesions_update")
        conn.execute("UPDATE lesions SET site = 'forged' WHERE lesion_id = 'T1'")
        conn.execute(trigger_sql("audit_lesions_update"))
    with Store.open(path, read_only=True) as store:
        assert store.problems == ["patient P1's imported rows were changed without the audit trail"]


def test_a_missing_or_foreign_trigger_opens_read_only_naming_it(path):
    with closing(shell(path)) as conn:
        conn.execute("DROP TRIGGER audit_measurements_update")
        conn.execute("CREATE TRIGGER mine AFTER INSERT ON scans BEGIN SELECT 1; END")
    with Store.open(path) as store:
        assert store.read_only
        assert store.problems == [
            "the trigger or table audit_measurements_update is missing",
            "a trigger mine Nadir did not make",
        ]
    # Opened read-only, it did not keep the lock: another may read it too.
    Store.open(path, read_only=True).close()


def test_a_long_trail_is_checked_in_the_background_and_then_refuses_writes(path, monkeypatch):
    with closing(shell(path)) as conn:
        conn.execute("DROP TRIGGER audit_measurements_update")
        conn.execute("UPDATE measurements SET diameter_mm = 99.0 WHERE diameter_mm = 11.0")
        conn.execute(trigger_sql("audit_measurements_update"))
    monkeypatch.setattr(model.store.study, "SYNC_CHECK_SIZE", 0)
    with Store.open(path) as store:
        store.wait_for_checks()
        assert store.read_only and "changed without the audit trail" in store.problems[0]
        with pytest.raises(InputError, match="cannot be trusted"):
            store.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, 12.0))
    with Store.open(path, full_check=True) as store:
        assert store.read_only  # checked before it returns


def test_edits_through_nadir_keep_the_chain_across_sessions(path):
    for size in (12.0, 13.0):
        with Store.open(path, user=f"dr_{size}") as store:
            store.apply(SetObservation("P1", "T2", FOLLOW_UP, "", Status.MEASURED, size))
    with Store.open(path, full_check=True) as store:
        assert store.problems == [] and not store.read_only
