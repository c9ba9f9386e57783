"""A study file (*.nadir) opened as a Store: the one door to a study's data.

`Store.open(path)` opens or creates a study; `Store.in_memory()` gives an empty
study by the same code path (for tests). The store hands out domain records
(model/domain.py) and takes edits (model/editing/edits.py); each edit and each import
is one transaction. A Store, like its connection, belongs to the thread that
opened it: a worker thread opens its own (shared/style.md, practice 3).

The SQL is this package's alone: reads in model/store/reads.py, the write path
in model/store/writes.py and model/store/imports.py, the file itself in
model/store/study_file.py. Data safety (issue #8): triggers record every
write in the audit trail (model/store/audit.py); a study open for writing is
locked (model/store/locking.py) and a read-only Store refuses every change; an
edit built on an old read is refused (model/store/versions.py); a damaged file
is refused on open, naming its newest backup.

Design: shared/design.md, "Store"; shared/style.md, practice 2.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from model.domain import StudyData
from model.editing.edits import (
    Changes,
    Edit,
    RestorePatient,
)
from model.errors import InputError, InputProblem
from model.progress import Progress
from model.settings import StudySettings
from model.store import audit_chain, responses
from model.store.audit import Session, current_session
from model.store.backup_files import migration_backup_path, wal_path
from model.store.checks import audit_problems, audit_size, check_size, schema_problems
from model.store.identity import study_identity
from model.store.import_record import SourceFile
from model.store.imports import ImportSummary, import_study_data, named_patients
from model.store.locking import StudyLock
from model.store.migrations import MIGRATIONS, migration_names
from model.store.study_file import (
    APPLICATION_ID,
    FULL_CHECK_BYTES,
    WAL_MISSING,
    BackgroundChecks,
    check_file,
    check_whole,
    checkpoint,
    connect,
    copy_database,
    create_study_file,
    damaged,
    journal_mode_for,
    remove_partial_files,
)
from model.store.study_reads import StudyReads
from model.store.versions import SeenVersions
from model.store.writes import apply_edit

#: Audit entries and audited rows up to which opening a study checks its whole audit trail
#: before it returns (a quarter of a second); a larger study is checked in the background.
SYNC_CHECK_SIZE = 50_000


class Store(StudyReads):
    """An open study: read it as domain records, change it by edits and imports."""

    def __init__(
        self,
        db: Database,
        path: Path | None,
        *,
        read_only: bool = False,
        session: Session | None = None,
        new: bool = False,
    ):
        """Use Store.open or Store.in_memory instead."""
        self._db = db
        self.path = path
        #: True when the study may be read but not changed (Store.open's `read_only`).
        self.read_only = read_only
        self.session = session or current_session()
        self._session_id: int | None = None
        self._versions = SeenVersions(str(path))
        self._lock: StudyLock | None = None
        #: True while Nadir itself writes: only then do the audit tables take entries.
        self._writing = False
        #: Why the study is open read-only against the caller's wish (its audit trail or file
        #: cannot be trusted), the first problem first; read again after wait_for_checks().
        self.problems: list[str] = []
        #: What the user should know about the study as opened (a write-ahead log gone).
        self.warnings: list[str] = []
        self._checks = BackgroundChecks()
        self._prepare(new or path is None)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        read_only: bool = False,
        user: str | None = None,
        full_check: bool = False,
        background_checks: bool = True,
    ) -> Store:
        """Returns the study at `path`, creating it (mode 0600) when no file is there and
        `create` is set.

        An existing study from an older Nadir is first backed up, then migrated.
        A study opened for writing is locked (model/store/locking.py) until
        closed; `read_only` opens it without the lock, and the Store then
        refuses every change. `user` names who writes, in the audit trail
        (default: the login name). The file and its audit trail are checked
        (model/store/checks.py): wholly when that is quick or `full_check` is
        set, else partly now and wholly in the background; a study whose audit
        trail cannot be trusted opens read-only, `problems` saying why. Without
        `background_checks` the checks of the background are not made: a
        command that reads a large study once and exits, which would never hear
        of them, spares their seconds. Raises
        InputError when the file is missing (and not created), is empty, is
        damaged, is not a Nadir study, or comes from a newer Nadir; StudyInUse
        (an InputError) when another process has it open for writing.
        """
        path = Path(path)
        if not path.exists():
            if not create or read_only:
                raise InputError(InputProblem("no such study file", file=str(path)))
            create_study_file(path, lambda conn: cls(Database(conn), path, new=True))
        check_file(path)
        wal_missing = not wal_path(path).exists()
        lock = None if read_only else StudyLock.acquire(path, user=user)
        try:
            conn = connect(path, read_only)
        except sqlite3.Error as error:
            if lock is not None:
                lock.release()
            raise InputError(InputProblem(f"cannot open ({error})", file=str(path))) from error
        try:
            first = lock is None or lock.count == 1
            if first:
                # A study this process has open already was checked when first opened.
                full = full_check or path.stat().st_size <= FULL_CHECK_BYTES
                check_whole(conn, path, full=full)
            store = cls(Database(conn), path, read_only=read_only, session=current_session(user))
            if first:
                store._check(full_check, integrity=not full, background=background_checks)
        except sqlite3.DatabaseError as error:
            conn.close()
            if lock is not None:
                lock.release()
            raise damaged(path, str(error)) from error
        except BaseException:
            conn.close()
            if lock is not None:
                lock.release()
            raise
        if lock is not None and store.read_only:
            lock.release()  # opened read-only for a broken audit trail: others may read too
        elif lock is not None:
            store._lock = lock
            if lock.unclean and wal_missing and first:
                store.warnings.append(WAL_MISSING)
            if first:
                remove_partial_files(path)
        return store

    @classmethod
    def in_memory(cls) -> Store:
        """Returns a new empty study held in memory, built like a study file."""
        return cls(Database(memory=True), None)

    def close(self) -> None:
        """Close the study file and let go of its lock; the Store cannot be used afterwards.

        The write-ahead log is first folded into the file, so that a study
        closed is whole in its one file (issue 14, attack 13).
        """
        self._checks.stop()
        if self._lock is not None:
            checkpoint(self._db.conn)
        self._db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA cache_size = -65536")
        # Deterministic: constant within a statement, so SQLite may call it once per statement.
        session = lambda: self._session_id  # noqa: E731
        conn.create_function("nadir_audit_session", 0, session, deterministic=True)
        audit_chain.register(conn, lambda: self._writing)

    def _prepare(self, new: bool) -> None:
        self._configure(self._db.conn)
        self._check_is_study(new)
        applied = [migration.name for migration in MIGRATIONS.applied(self._db)]
        known = migration_names()
        version = self._db.conn.execute("PRAGMA user_version").fetchone()[0]
        if set(applied) - set(known) or version > len(known):
            raise InputError(
                InputProblem(
                    "the study was written by a newer version of Nadir; update Nadir to open it",
                    file=str(self.path),
                )
            )
        if len(applied) < len(known) and self.read_only:
            self._read_a_copy()
        conn = self._db.conn
        if len(applied) < len(known):
            if applied and self.path is not None and not self.read_only:
                self.backup(migration_backup_path(self.path, len(applied)))
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._writing = True
            try:
                MIGRATIONS.apply(self._db)
            finally:
                self._writing = False
            conn.execute(f"PRAGMA user_version = {len(known)}")
        if self.read_only:
            conn.execute("PRAGMA query_only = ON")
        elif self.path is not None:
            conn.execute(f"PRAGMA journal_mode = {journal_mode_for(self.path)}")

    def _read_a_copy(self) -> None:
        """Reads an in-memory copy instead of the file: a read-only view of a study from an
        older Nadir shows it migrated without writing the file."""
        memory = sqlite3.connect(":memory:")
        self._db.conn.backup(memory)
        self._db.close()
        self._db = Database(memory)
        self._configure(memory)

    def _check_is_study(self, new: bool) -> None:
        """Refuses a file that Nadir did not make a study: only a new study has no mark yet."""
        conn = self._db.conn
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if application_id != APPLICATION_ID and not (new and not self._db.table_names()):
            raise InputError(
                InputProblem(
                    "not a Nadir study (an SQLite file of another kind); nothing was changed",
                    file=str(self.path),
                )
            )

    def _check(self, full: bool, integrity: bool, background: bool = True) -> None:
        """Checks the audit machinery now, and the audit trail now when `full` or short, else
        in the background, with the file's full integrity check when `integrity` says it is
        still to do (model/store/checks.py); nothing in the background unless `background`."""
        problems = schema_problems(self._db.conn)
        if problems:
            self._refuse(problems)
            return
        # The trail is read through the indexes: on a file not yet checked whole, after it.
        now = not integrity and (full or check_size(self._db.conn) <= SYNC_CHECK_SIZE)
        if now:
            self._refuse(audit_problems(self._db.conn))
        if background and (integrity or not now):
            assert self.path is not None
            self._checks.start(self.path, self._refuse, integrity=integrity, audit=not now)

    def _refuse(self, problems: list[str]) -> None:
        """Makes the Store read-only for `problems` (its audit trail or file cannot be trusted)."""
        if problems:
            self.problems.extend(problems)
            self.read_only = True

    def identity(self) -> str | None:
        """Returns the study's identity, kept by every copy (None for a study held in memory
        before its first migration)."""
        return study_identity(self._db.conn)

    def audit_head(self) -> tuple[int, str | None]:
        """Returns (how many audit entries, the hash of the newest): write the hash down
        elsewhere to tell later that the trail was not rewritten since."""
        return audit_size(self._db.conn), audit_chain.head(self._db.conn)

    def wait_for_checks(self) -> None:
        """Returns once the checks running in the background are done (`problems` says)."""
        self._checks.wait()

    def backup(self, target: Path) -> Path:
        """Returns `target`, a new private file (0600) holding a consistent copy of the study."""
        return copy_database(self._db.conn, target)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            why = (
                f"it cannot be trusted: {self.problems[0]}"
                if self.problems
                else "open in another Nadir, or opened so"
            )
            raise InputError(
                InputProblem(
                    f"the study is open read-only ({why}); nothing was changed",
                    file=str(self.path),
                )
            )
        fresh = self._session_id is None
        self._writing = True
        try:
            with self._db.atomic():
                if fresh:
                    # The audit trail names this session from the first write on (migrations.py).
                    self._session_id = self._db.conn.execute(
                        "INSERT INTO audit_sessions (user, host, app_version, opened_at)"
                        " VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                        [self.session.user, self.session.host, self.session.app_version],
                    ).lastrowid
                yield self._db.conn
        except BaseException:
            if fresh:
                self._session_id = None
            raise
        finally:
            self._writing = False

    # -- writing ------------------------------------------------------------------------

    def import_study_data(
        self, data: StudyData, progress: Progress | None = None, sources: Sequence[Path] = ()
    ) -> ImportSummary:
        """Returns what was written, after importing `data` all or nothing in one transaction.

        See model/store/imports.py for what an import replaces. A patient named
        only outside `data.patients` must already be in the study. The audit
        trail records the import as one, naming `sources`, the files it was read
        from (model/store/import_record.py). Raises InputError listing every
        problem, or Cancelled when `progress` asks; either way nothing is written.
        """
        files = [SourceFile.of(path) for path in sources]
        with self._transaction() as conn:
            return import_study_data(conn, data, self._versions, progress, files)

    def keep_answers(
        self, settings: StudySettings, answers: Mapping[str, responses.Answer]
    ) -> None:
        """Keeps each patient's answer {patient_id: (best overall response, stale overrides
        in words)}, judged by `settings` from their rows as they are now, for `kept_answers`;
        nothing on a study open read-only. Derived data: no audit entry, no version bump."""
        if self.read_only:
            return
        with self._db.atomic():
            responses.keep_answers(self._db.conn, responses.rules_of(settings), answers)

    def import_undo(self, data: StudyData) -> tuple[RestorePatient, ...]:
        """Returns the edits that would undo importing `data` now, in one step (issue 15,
        item 2): each patient it replaces put back as it is (UUIDs, overrides and all), each
        patient it adds removed. Take them before the import; Store.apply_all applies them."""
        present = set(self.patient_ids())
        return tuple(
            RestorePatient(pid, self.snapshot(pid) if pid in present else None)
            for pid in named_patients(data)
        )

    def apply(self, edit: Edit) -> tuple[Changes, Edit]:
        """Returns (what changed, the inverse edit), after validating and writing `edit`.

        The edit is one transaction. Applying the inverse restores the previous
        state exactly (same rows, same UUIDs) and returns an inverse that redoes
        `edit` exactly. Arms and readers first named by an edit stay listed
        after it is undone. Raises InputError, writing nothing, when the edit
        does not fit the study.
        """
        return self.apply_all([edit])[0]

    def apply_all(self, edits: Iterable[Edit]) -> list[tuple[Changes, Edit]]:
        """Returns each edit's (what changed, inverse), after applying them in order in one
        transaction: all or nothing (a merge, a paste). Undo applies the inverses reversed."""
        try:
            with self._transaction() as conn:
                return [apply_edit(conn, edit, self._versions) for edit in edits]
        except sqlite3.IntegrityError as error:
            raise InputError(f"the edit does not fit the study ({error})") from error

    def set_value(self, name: str, value: Any) -> None:
        """Returns None, after storing `value` (JSON) under `name` in one transaction."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                [f"nadir.{name}", json.dumps(value)],
            )
