"""A study file (*.nadir): the only module that speaks SQL.

`Store.open(path)` opens or creates a study; `Store.in_memory()` gives an empty
study by the same code path (for tests). The store hands out domain records
(model/domain.py) and takes edits (model/edits.py); each edit and each import
is one transaction. A Store, like its connection, belongs to the thread that
opened it: a worker thread opens its own (shared/style.md, practice 3).

Data safety (issue #8): triggers record every write in the file's audit trail
(model/store/audit.py); a study open for writing is locked (model/store/locking.py) and a
read-only Store refuses every change; an edit of a patient (or of the settings)
that another Store changed since this one read it is refused; a damaged file is
refused on open, naming its newest backup (model/store/backups.py).

Design: shared/design.md, "Store"; shared/style.md, practice 2.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from sqlite_utils import Database

from model.domain import (
    Criteria,
    EventRecord,
    Lesion,
    MeasurementRecord,
    PatientRecord,
    Role,
    ScanRecord,
    Status,
    StudyData,
)
from model.edits import (
    AddEvent,
    AddPatient,
    Adjudication,
    Changes,
    Edit,
    Override,
    PatientSnapshot,
    ReadSignOff,
    RemoveEvent,
    RestorePatient,
    SetAdjudication,
    SetReadComplete,
    SetSettings,
    StoredEvent,
    StoredLesion,
    StoredMeasurement,
    StoredScan,
    UpdateEvent,
    check_patient,
)
from model.errors import InputError, InputProblem
from model.patient_edits import edited
from model.settings import SETTINGS, StudySettings, TimeOrigin
from model.store.audit import AuditEntry, Session, current_session
from model.store.locking import StudyLock
from model.store.migrations import MIGRATIONS, migration_names
from model.store.rows import (
    COLUMNS,
    Rows,
    iso,
    new_uuid,
    plan_import,
    snapshot_rows,
)

#: PRAGMA application_id of a Nadir study ("NADR"): how a study file is told from other SQLite.
APPLICATION_ID = 0x4E414452

_ROLES = {role.value: role for role in Role}
_STATUSES = {status.value: status for status in Status}


class Progress(Protocol):
    """Where long work reports how far it is and learns whether to stop (style.md, practice 7)."""

    def report(self, done: int, total: int, message: str) -> None: ...

    @property
    def cancelled(self) -> bool: ...


class Cancelled(Exception):
    """Long work was cancelled through its Progress; nothing was written."""


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: patient counts and row counts."""

    patients_added: int
    patients_replaced: int
    scans: int
    lesions: int
    measurements: int
    events: int

    def __str__(self) -> str:
        return (
            f"imported {self.patients_added + self.patients_replaced} patients "
            f"({self.patients_added} new, {self.patients_replaced} replaced), "
            f"{self.scans} scans, {self.lesions} lesions, {self.measurements} measurements, "
            f"{self.events} events"
        )


#: Columns of patients that make a PatientRecord, in its field order.
_PATIENT_COLUMNS = (
    "p.patient_id, p.start_date, p.arm, p.last_contact_date, p.death_date,"
    " p.sex, p.age, p.histology, p.stage, p.extra"
)


@lru_cache(maxsize=4096)
def _iso_date(text: str) -> date:
    return date.fromisoformat(text)


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _patient_record(row: Iterable[Any]) -> PatientRecord:
    pid, start, arm, last_contact, death, sex, age, histology, stage, extra = row
    return PatientRecord(
        pid,
        date.fromisoformat(start),
        arm,
        _date(last_contact),
        _date(death),
        sex,
        age,
        histology,
        stage,
        _extra(extra),
    )


def _measurement_record(row: Iterable[Any]) -> MeasurementRecord:
    pid, scan_date, lesion_id, role, status, site, node, diameter, viable, irradiated, reader, x = (
        row
    )
    return MeasurementRecord(
        patient_id=pid,
        scan_date=_iso_date(scan_date),
        lesion_id=lesion_id,
        role=_ROLES[role],
        status=_STATUSES[status],
        site=site,
        lymph_node=bool(node),
        diameter_mm=diameter,
        viable_mm=viable,
        irradiated=bool(irradiated),
        reader=reader,
        extra=_extra(x),
    )


def _event_record(row: Iterable[Any]) -> EventRecord:
    pid, kind, start, end, detail, extra = row
    return EventRecord(pid, kind, date.fromisoformat(start), _date(end), detail, _extra(extra))


def _insert_sql(table: str, upsert: bool) -> str:
    columns = COLUMNS[table]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    if upsert:
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        sql += f" ON CONFLICT(uuid) DO UPDATE SET {updates}"
    return sql


#: INSERT of each table for new rows.
_INSERT = {table: _insert_sql(table, upsert=False) for table in COLUMNS}

#: INSERT of each table that updates a row already there (same UUID) in place, which,
#: unlike a delete, leaves the rows that depend on it alone. Slower than _INSERT for bulk
#: rows (it weighs foreign keys for an update too), so edits alone use it.
_UPSERT = {table: _insert_sql(table, upsert=True) for table in COLUMNS}

#: INSERT of each table for an import, which updates a patient already in the study.
_IMPORT = _INSERT | {"patients": _UPSERT["patients"]}


#: The fields of an AuditEntry, then the UUID of the patient the entry concerns.
_AUDIT_SELECT = (
    "SELECT a.time, coalesce(s.user, ''), coalesce(s.host, ''), coalesce(s.app_version, ''),"
    " a.action, a.table_name, a.row_key, a.field, a.old_value, a.new_value, a.patient_uuid"
    " FROM audit a LEFT JOIN audit_sessions s ON s.id = a.session"
)

#: Rows per INSERT batch of an import, between progress reports.
_BATCH = 50_000


def _extra(text: str | None) -> dict[str, str]:
    return json.loads(text) if text else {}


def _create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


#: The first 16 bytes of every SQLite database file.
_SQLITE_HEADER = b"SQLite format 3\x00"


class DamagedStudy(InputError):
    """The file is damaged or is no database: never opened half-read; a backup may help."""


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if not read_only:
        return sqlite3.connect(path)
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def _check_whole(conn: sqlite3.Connection, path: Path) -> None:
    """Raises InputError naming the file, and its newest backup, when it is not a sound study.

    Run on open, so that a damaged file is reported rather than half read (issue #8).
    """
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result == "ok":
        return
    with open(path, "rb") as file:
        sqlite = file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    message = f"the study file is damaged ({result})" if sqlite else f"not a Nadir study ({result})"
    from model.store.backups import list_backups

    backups = list_backups(path)
    if backups:
        message += f"; its newest backup is {backups[0].path}: restore it (File > Restore backup)"
    raise DamagedStudy(InputProblem(message, file=str(path)))


def copy_study_file(source: Path, target: Path) -> Path:
    """Returns `target`, a new private file holding a consistent copy of the study `source`.

    Raises InputError when `source` is not sound or `target` cannot be written.
    """
    with closing(_connect(source, read_only=True)) as conn:
        _check_whole(conn, source)
        return _copy(conn, target)


def _copy(conn: sqlite3.Connection, target: Path) -> Path:
    """Returns `target`, a new private file (0600) holding a consistent copy of `conn`'s study.

    Copied by SQLite's online backup, so that a study being written (and its
    write-ahead log) is copied as of one transaction; written under a
    temporary name and renamed when complete, so that a crash never leaves a
    partial copy that looks like a backup.
    """
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        _create_private_file(partial)
    except OSError as error:
        raise InputError(InputProblem(f"cannot create ({error.strerror})", str(target))) from error
    try:
        with closing(sqlite3.connect(partial)) as copy:
            conn.backup(copy)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


class Store:
    """An open study: read it as domain records, change it by edits and imports."""

    def __init__(
        self,
        db: Database,
        path: Path | None,
        *,
        read_only: bool = False,
        session: Session | None = None,
    ):
        """Use Store.open or Store.in_memory instead."""
        self._db = db
        self.path = path
        #: True when the study may be read but not changed (Store.open's `read_only`).
        self.read_only = read_only
        self.session = session or current_session()
        self._session_id: int | None = None
        #: patient uuid -> the version this Store last read (patient_data, snapshot).
        self._seen: dict[str, int] = {}
        #: The settings this Store last read (settings()), to refuse changes built on older ones.
        self._settings_seen: StudySettings | None = None
        self._lock: StudyLock | None = None
        self._prepare()

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        read_only: bool = False,
        user: str | None = None,
    ) -> Store:
        """Returns the study at `path`, creating it (mode 0600) when missing and `create` is set.

        An existing study from an older Nadir is first copied to
        `<name>.v<old version>-<UTC time>.bak`, then migrated. A study opened for
        writing is locked (model/store/locking.py) until closed; `read_only` opens it
        without the lock, and the Store then refuses every change. `user` names
        who writes, in the audit trail (default: the login name). Raises
        InputError when the file is missing (and not created), is damaged, is not
        a Nadir study, or comes from a newer Nadir; StudyInUse (an InputError)
        when another process has it open for writing.
        """
        path = Path(path)
        if not path.exists():
            if not create or read_only:
                raise InputError(InputProblem("no such study file", file=str(path)))
            try:
                _create_private_file(path)
            except OSError as error:
                problem = InputProblem(
                    f"cannot create the study file ({error.strerror})", str(path)
                )
                raise InputError(problem) from error
        lock = None if read_only else StudyLock.acquire(path)
        try:
            conn = _connect(path, read_only)
        except sqlite3.Error as error:
            if lock is not None:
                lock.release()
            raise InputError(InputProblem(f"cannot open ({error})", file=str(path))) from error
        try:
            if lock is None or lock.count == 1:
                # A study this process has open already was checked when first opened.
                _check_whole(conn, path)
            store = cls(Database(conn), path, read_only=read_only, session=current_session(user))
        except sqlite3.DatabaseError as error:
            conn.close()
            if lock is not None:
                lock.release()
            raise InputError(InputProblem(f"cannot open ({error})", file=str(path))) from error
        except BaseException:
            conn.close()
            if lock is not None:
                lock.release()
            raise
        store._lock = lock
        return store

    @classmethod
    def in_memory(cls) -> Store:
        """Returns a new empty study held in memory, built like a study file."""
        return cls(Database(memory=True), None)

    def close(self) -> None:
        """Close the study file and let go of its lock; the Store cannot be used afterwards."""
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

    def _prepare(self) -> None:
        self._configure(self._db.conn)
        self._check_is_study()
        applied = [migration.name for migration in MIGRATIONS.applied(self._db)]
        known = migration_names()
        if set(applied) - set(known):
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
                self._backup(len(applied))
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            MIGRATIONS.apply(self._db)
            conn.execute(f"PRAGMA user_version = {len(known)}")
        if self.read_only:
            conn.execute("PRAGMA query_only = ON")
        elif self.path is not None:
            conn.execute("PRAGMA journal_mode = WAL")

    def _read_a_copy(self) -> None:
        """Reads an in-memory copy instead of the file: a read-only view of a study from an
        older Nadir shows it migrated without writing the file."""
        memory = sqlite3.connect(":memory:")
        self._db.conn.backup(memory)
        self._db.close()
        self._db = Database(memory)
        self._configure(memory)

    def _check_is_study(self) -> None:
        conn = self._db.conn
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if application_id != APPLICATION_ID and self._db.table_names():
            raise InputError(
                InputProblem(
                    "not a Nadir study (an SQLite file of another kind)", file=str(self.path)
                )
            )

    def _backup(self, version: int) -> Path:
        """Returns the path of a consistent copy of the study, taken before migrating it."""
        assert self.path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return self.backup(self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak"))

    def backup(self, target: Path) -> Path:
        """Returns `target`, a new private file (0600) holding a consistent copy of the study."""
        return _copy(self._db.conn, target)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise InputError(
                InputProblem(
                    "the study is open read-only (open in another Nadir, or opened so);"
                    " nothing was changed",
                    file=str(self.path),
                )
            )
        fresh = self._session_id is None
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

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return self._db.conn.execute(sql, tuple(params)).fetchall()

    def patient_ids(self) -> tuple[str, ...]:
        """Returns every patient_id, in the study's patient order."""
        return tuple(r[0] for r in self._rows("SELECT patient_id FROM patients ORDER BY position"))

    def arms(self) -> tuple[str, ...]:
        """Returns the names of the study's arms, in the order they were first named."""
        return tuple(r[0] for r in self._rows("SELECT name FROM arms ORDER BY rowid"))

    def readers(self) -> tuple[str, ...]:
        """Returns the readers named in the study ('' is the single unnamed reader)."""
        return tuple(r[0] for r in self._rows("SELECT name FROM readers ORDER BY rowid"))

    def patient(self, patient_id: str) -> PatientRecord:
        """Returns the patient's own fields; raises InputError for an unknown patient_id."""
        rows = self._rows(
            f"SELECT {_PATIENT_COLUMNS} FROM patients p WHERE patient_id = ?", [patient_id]
        )
        if not rows:
            raise InputError(f"no patient {patient_id!r} in the study")
        return _patient_record(rows[0])

    def study_data(self) -> StudyData:
        """Returns the whole study in interchange form (what export writes)."""
        return self._study_data("", ())

    def patient_data(self, patient_id: str) -> StudyData:
        """Returns one patient's rows in interchange form (fast: meant for every keystroke).

        Raises InputError for an unknown patient_id.
        """
        data = self._study_data("WHERE p.patient_id = ?", (patient_id,))
        if not data.patients:
            raise InputError(f"no patient {patient_id!r} in the study")
        self._saw(patient_id)
        return data

    def _saw(self, patient_id: str) -> None:
        """Remembers the version of the patient this Store's caller now builds edits on."""
        for uuid, version in self._rows(
            "SELECT uuid, version FROM patients WHERE patient_id = ?", [patient_id]
        ):
            self._seen[uuid] = version

    def _check_version(self, conn: sqlite3.Connection, patient_uuid: str) -> None:
        """Raises InputError when another Store wrote the patient since this one last read it.

        Run inside the edit's transaction, which holds SQLite's write lock, so
        no write can slip in between the check and the edit (issue #8, part 4).
        """
        seen = self._seen.get(patient_uuid)
        row = conn.execute(
            "SELECT patient_id, version FROM patients WHERE uuid = ?", [patient_uuid]
        ).fetchone()
        if seen is not None and row is not None and row[1] != seen:
            raise InputError(
                InputProblem(
                    f"patient {row[0]} was changed by someone else since you opened it;"
                    " reload the study and make the change again",
                    file=str(self.path),
                )
            )

    def _bump_versions(self, conn: sqlite3.Connection, patient_uuids: Iterable[str]) -> None:
        uuids = [(uuid,) for uuid in patient_uuids]
        conn.executemany("UPDATE patients SET version = version + 1 WHERE uuid = ?", uuids)
        for (uuid,) in uuids:
            if uuid in self._seen:
                self._seen[uuid] += 1

    def _study_data(self, where: str, params: tuple) -> StudyData:
        patients = self._rows(
            f"SELECT {_PATIENT_COLUMNS} FROM patients p {where} ORDER BY p.position", params
        )
        # Scans implied by measurement rows stay implied (migrations.py, `listed`).
        scans = self._rows(
            "SELECT p.patient_id, s.scan_date, s.modality, s.extra FROM scans s"
            f" JOIN patients p ON p.uuid = s.patient_uuid {where or 'WHERE 1'} AND (s.listed"
            " OR NOT EXISTS (SELECT 1 FROM measurements m WHERE m.scan_uuid = s.uuid))"
            " ORDER BY p.position, s.scan_date",
            params,
        )
        events = self._rows(
            "SELECT p.patient_id, e.kind, e.start_date, e.end_date, e.detail, e.extra FROM events e"
            f" JOIN patients p ON p.uuid = e.patient_uuid {where}"
            " ORDER BY p.position, e.position",
            params,
        )
        return StudyData(
            patients=tuple(_patient_record(row) for row in patients),
            measurements=self._measurements(where, params),
            scans=tuple(
                ScanRecord(pid, date.fromisoformat(d), modality, _extra(x))
                for pid, d, modality, x in scans
            ),
            events=tuple(_event_record(row) for row in events),
        )

    def _measurements(self, where: str, params: tuple) -> tuple[MeasurementRecord, ...]:
        rows = self._rows(
            "SELECT p.patient_id, s.scan_date, l.lesion_id, l.role, m.status, l.site, l.lymph_node,"
            " m.diameter_mm, m.viable_mm, m.irradiated, m.reader, m.extra FROM measurements m"
            " JOIN lesions l ON l.uuid = m.lesion_uuid JOIN scans s ON s.uuid = m.scan_uuid"
            f" JOIN patients p ON p.uuid = l.patient_uuid {where}"
            " ORDER BY p.position, s.scan_date, l.position, m.reader, m.fragment",
            params,
        )
        return tuple(_measurement_record(row) for row in rows)

    def lesions(self, patient_id: str) -> tuple[Lesion, ...]:
        """Returns the patient's lesions in their order, those without measurements included.

        `irradiated` is true when any row of the lesion says so.
        """
        rows = self._rows(
            "SELECT l.lesion_id, l.role, l.site, l.lymph_node,"
            " EXISTS(SELECT 1 FROM measurements m WHERE m.lesion_uuid = l.uuid AND m.irradiated)"
            " FROM lesions l JOIN patients p ON p.uuid = l.patient_uuid"
            " WHERE p.patient_id = ? ORDER BY l.position",
            [patient_id],
        )
        return tuple(Lesion(i, _ROLES[r], s, bool(n), bool(x)) for i, r, s, n, x in rows)

    def events(self, patient_id: str) -> tuple[StoredEvent, ...]:
        """Returns the patient's events with their UUIDs (for UpdateEvent and RemoveEvent)."""
        rows = self._rows(
            "SELECT e.uuid, e.position, p.patient_id, e.kind, e.start_date, e.end_date, e.detail,"
            " e.extra FROM events e JOIN patients p ON p.uuid = e.patient_uuid"
            " WHERE p.patient_id = ? ORDER BY e.position",
            [patient_id],
        )
        return tuple(StoredEvent(u, _event_record(row), position) for u, position, *row in rows)

    def overrides(self, patient_id: str | None = None) -> tuple[Override, ...]:
        """Returns the patient's response overrides (every patient's when None), by patient,
        scan date, then reader."""
        rows = self._rows(
            "SELECT o.uuid, p.patient_id, o.scan_date, o.reader, o.response, o.reason, o.time"
            " FROM overrides o JOIN patients p ON p.uuid = o.patient_uuid"
            " WHERE ? IS NULL OR p.patient_id = ? ORDER BY p.position, o.scan_date, o.reader",
            [patient_id, patient_id],
        )
        return tuple(Override(u, pid, date.fromisoformat(d), *rest) for u, pid, d, *rest in rows)

    def adjudications(self, patient_id: str | None = None) -> tuple[Adjudication, ...]:
        """Returns the patient's adjudications (every patient's when None), the whole-patient
        one first, then by scan date (issue #7)."""
        rows = self._rows(
            "SELECT a.uuid, p.patient_id, a.scan_date, a.reader, a.reason, a.adjudicator, a.time"
            " FROM adjudications a JOIN patients p ON p.uuid = a.patient_uuid"
            " WHERE ?1 IS NULL OR p.patient_id = ?1 ORDER BY p.position, a.scan_date",
            [patient_id],
        )
        return tuple(Adjudication(u, pid, _date(d or None), *rest) for u, pid, d, *rest in rows)

    def _set_adjudication(
        self, conn: sqlite3.Connection, edit: SetAdjudication
    ) -> tuple[Changes, Edit]:
        """Writes or clears one adjudication; returns its changes and the edit that undoes it."""
        edit.check()
        pid, day = edit.patient_id, iso(edit.scan_date) or ""
        uuid = self._patient_uuid(conn, pid)
        read = conn.execute(
            "SELECT 1 FROM measurements m JOIN lesions l ON l.uuid = m.lesion_uuid"
            " JOIN scans s ON s.uuid = m.scan_uuid WHERE l.patient_uuid = ? AND m.reader = ?"
            " AND (?3 = '' OR s.scan_date = ?3) LIMIT 1",
            [uuid, edit.reader, day],
        ).fetchone()
        if edit.reader is not None and read is None:
            raise InputError(f"{edit.reader!r} has not read {pid} {edit.scan_date or ''}".strip())
        before = [a for a in self.adjudications(pid) if a.scan_date == edit.scan_date]
        self._check_version(conn, uuid)
        conn.execute(
            "DELETE FROM adjudications WHERE patient_uuid = ? AND scan_date = ?", [uuid, day]
        )
        if edit.reader is not None:
            now = edit.time or datetime.now(UTC).isoformat(timespec="seconds")
            conn.execute(
                "INSERT INTO adjudications (uuid, patient_uuid, scan_date, reader, reason,"
                " adjudicator, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [edit.uuid or new_uuid(), uuid, day, edit.reader, edit.reason.strip()]
                + [edit.adjudicator, now],
            )
        self._bump_versions(conn, [uuid])
        inverse = SetAdjudication(pid, None, scan_date=edit.scan_date)
        if before:
            old = before[0]
            inverse = SetAdjudication(
                pid, old.reader, old.reason, old.scan_date, old.adjudicator, old.uuid, old.time
            )
        return Changes(frozenset({pid})), inverse

    def settings(self) -> StudySettings:
        """Returns the study's settings (defaults for those never set)."""
        self._settings_seen = self._settings()
        return self._settings_seen

    def _settings(self) -> StudySettings:
        stored = {
            name: json.loads(value)
            for name, value in self._rows("SELECT name, value FROM settings")
        }
        values = {
            name: stored.get(name, default) for name, default, _ in SETTINGS if name != "origins"
        }
        values["criteria"] = Criteria(values["criteria"])
        origins = self._rows(
            "SELECT name, origin_kind, origin_detail FROM arms"
            " WHERE origin_kind IS NOT NULL ORDER BY rowid"
        )
        return StudySettings(**values, origins=tuple(TimeOrigin(*row) for row in origins))

    def snapshot(self, patient_id: str) -> PatientSnapshot:
        """Returns every row of the patient with UUIDs; raises InputError for an unknown patient."""
        snapshot = self._snapshot(patient_id)
        if snapshot is None:
            raise InputError(f"no patient {patient_id!r} in the study")
        self._saw(patient_id)
        return snapshot

    def _snapshot(self, patient_id: str) -> PatientSnapshot | None:
        rows = self._rows(
            f"SELECT p.uuid, p.position, {_PATIENT_COLUMNS} FROM patients p WHERE patient_id = ?",
            [patient_id],
        )
        if not rows:
            return None
        uuid, position, *fields = rows[0]
        return PatientSnapshot(
            uuid=uuid,
            record=_patient_record(fields),
            position=position,
            scans=tuple(
                StoredScan(u, date.fromisoformat(d), m, _extra(x), bool(listed))
                for u, d, m, x, listed in self._rows(
                    "SELECT uuid, scan_date, modality, extra, listed FROM scans"
                    " WHERE patient_uuid = ? ORDER BY scan_date",
                    [uuid],
                )
            ),
            lesions=tuple(
                StoredLesion(u, i, _ROLES[r], s, bool(n), pos)
                for u, i, r, s, n, pos in self._rows(
                    "SELECT uuid, lesion_id, role, site, lymph_node, position FROM lesions"
                    " WHERE patient_uuid = ? ORDER BY position",
                    [uuid],
                )
            ),
            measurements=self._stored_measurements(uuid),
            events=self.events(patient_id),
            overrides=self.overrides(patient_id),
        )

    def _stored_measurements(self, patient_uuid: str) -> tuple[StoredMeasurement, ...]:
        rows = self._rows(
            "SELECT m.uuid, m.lesion_uuid, m.scan_uuid, m.reader, m.fragment, m.status,"
            " m.diameter_mm, m.viable_mm, m.irradiated, m.extra FROM measurements m"
            " JOIN lesions l ON l.uuid = m.lesion_uuid JOIN scans s ON s.uuid = m.scan_uuid"
            " WHERE l.patient_uuid = ? ORDER BY s.scan_date, l.position, m.reader, m.fragment",
            [patient_uuid],
        )
        return tuple(
            StoredMeasurement(u, lu, su, r, f, _STATUSES[st], d, v, bool(i), _extra(x))
            for u, lu, su, r, f, st, d, v, i, x in rows
        )

    def import_study_data(self, data: StudyData, progress: Progress | None = None) -> ImportSummary:
        """Returns what was written, after importing `data` all or nothing in one transaction.

        Each patient the import names (in any table) has its scans, lesions,
        measurements and events replaced by the import's rows, and its own fields
        too when it is in `data.patients`; its UUID, place and overrides are kept.
        Patients the import does not name are left alone. A patient named only
        outside `data.patients` must already be in the study. Raises InputError
        listing every problem, or Cancelled when `progress` asks; either way
        nothing is written.
        """
        with self._transaction() as conn:
            # Read inside the transaction, so that the plan matches what it writes over.
            existing = {
                pid: (uuid, position)
                for pid, uuid, position in conn.execute(
                    "SELECT patient_id, uuid, position FROM patients"
                )
            }
            next_position = 1 + max((position for _, position in existing.values()), default=-1)
            plan = plan_import(data, existing, next_position)
            for uuid in plan.replaced:
                self._clear_patient(conn, uuid)
            self._insert(conn, plan.rows, progress)
            self._bump_versions(conn, plan.replaced)
        rows = plan.rows
        return ImportSummary(
            plan.added,
            len(plan.replaced),
            len(rows.scans),
            len(rows.lesions),
            len(rows.measurements),
            len(rows.events),
        )

    @staticmethod
    def _clear_patient(conn: sqlite3.Connection, patient_uuid: str) -> None:
        for table in ("lesions", "scans", "events"):
            conn.execute(f"DELETE FROM {table} WHERE patient_uuid = ?", [patient_uuid])

    def _insert(self, conn: sqlite3.Connection, rows: Rows, progress: Progress | None) -> None:
        self._ensure_names(conn, "arms", rows.arms)
        self._ensure_names(conn, "readers", rows.readers)
        tables = [(table, getattr(rows, table)) for table in COLUMNS]
        total, done = sum(len(table_rows) for _, table_rows in tables), 0
        for table, table_rows in tables:
            for start in range(0, len(table_rows), _BATCH):
                if progress is not None and progress.cancelled:
                    raise Cancelled()
                batch = table_rows[start : start + _BATCH]
                conn.executemany(_IMPORT[table], batch)
                done += len(batch)
                if progress is not None:
                    progress.report(done, total, f"writing {table}")

    @staticmethod
    def _ensure_names(conn: sqlite3.Connection, table: str, names: Iterable[str]) -> None:
        conn.executemany(
            f"INSERT OR IGNORE INTO {table} (uuid, name) VALUES (?, ?)",
            [(new_uuid(), name) for name in names],
        )

    def apply(self, edit: Edit) -> tuple[Changes, Edit]:
        """Returns (what changed, the inverse edit), after validating and writing `edit`.

        The edit is one transaction. Applying the inverse restores the previous
        state exactly (same rows, same UUIDs) and returns an inverse that redoes
        `edit` exactly. Arms and readers first named by an edit stay listed
        after it is undone. Raises InputError, writing nothing, when the edit
        does not fit the study.
        """
        try:
            with self._transaction() as conn:
                return self._apply(conn, edit)
        except sqlite3.IntegrityError as error:
            raise InputError(f"the edit does not fit the study ({error})") from error

    @staticmethod
    def _patient_uuid(conn: sqlite3.Connection, patient_id: str) -> str:
        found = conn.execute("SELECT uuid FROM patients WHERE patient_id = ?", [patient_id])
        row = found.fetchone()
        if row is None:
            raise InputError(f"no patient {patient_id!r} in the study")
        return row[0]

    def read_signoffs(self, patient_id: str | None = None) -> tuple[ReadSignOff, ...]:
        """Returns the sign-offs of complete reads of the patient (every patient's when None),
        by patient, scan date and reader (issue #7)."""
        rows = self._rows(
            "SELECT r.uuid, p.patient_id, r.scan_date, r.reader, r.time"
            " FROM read_signoffs r JOIN patients p ON p.uuid = r.patient_uuid"
            " WHERE ?1 IS NULL OR p.patient_id = ?1 ORDER BY p.position, r.scan_date, r.reader",
            [patient_id],
        )
        return tuple(ReadSignOff(u, pid, date.fromisoformat(d), *rest) for u, pid, d, *rest in rows)

    def _set_read_complete(
        self, conn: sqlite3.Connection, edit: SetReadComplete
    ) -> tuple[Changes, Edit]:
        """Signs a read off or withdraws it; returns its changes and the edit that undoes it."""
        pid, day = edit.patient_id, edit.scan_date.isoformat()
        uuid = self._patient_uuid(conn, pid)
        scan = "SELECT 1 FROM scans WHERE patient_uuid = ? AND scan_date = ?"
        if conn.execute(scan, [uuid, day]).fetchone() is None:
            raise InputError(f"{pid} has no scan on {day}")
        key = (edit.scan_date, edit.reader)
        before = [r for r in self.read_signoffs(pid) if (r.scan_date, r.reader) == key]
        self._ensure_names(conn, "readers", [edit.reader])
        conn.execute(
            "DELETE FROM read_signoffs WHERE patient_uuid = ? AND scan_date = ? AND reader = ?",
            [uuid, day, edit.reader],
        )
        if edit.complete:
            now = edit.time or datetime.now(UTC).isoformat(timespec="seconds")
            conn.execute(
                "INSERT INTO read_signoffs (uuid, patient_uuid, scan_date, reader, time)"
                " VALUES (?, ?, ?, ?, ?)",
                [edit.uuid or new_uuid(), uuid, day, edit.reader, now],
            )
        old = before[0] if before else None
        inverse = SetReadComplete(
            pid, edit.scan_date, edit.reader, old is not None, old and old.uuid, old and old.time
        )
        return Changes(frozenset({pid})), inverse

    def apply_all(self, edits: Iterable[Edit]) -> list[tuple[Changes, Edit]]:
        """Returns each edit's (what changed, inverse), after applying them in order in one
        transaction: all or nothing (a merge, a paste). Undo applies the inverses reversed."""
        try:
            with self._transaction() as conn:
                return [self._apply(conn, edit) for edit in edits]
        except sqlite3.IntegrityError as error:
            raise InputError(f"the edits do not fit the study ({error})") from error

    def _apply(self, conn: sqlite3.Connection, edit: Edit) -> tuple[Changes, Edit]:
        if isinstance(edit, SetSettings):
            return self._set_settings(conn, edit.settings)
        if isinstance(edit, SetAdjudication):
            return self._set_adjudication(conn, edit)
        if isinstance(edit, SetReadComplete):
            return self._set_read_complete(conn, edit)
        if isinstance(edit, RestorePatient):
            before = self._snapshot(edit.patient_id)
            return self._replace_patient(conn, edit.patient_id, before, edit.snapshot)
        if isinstance(edit, AddPatient):
            return self._add_patient(conn, edit)
        if isinstance(edit, UpdateEvent | RemoveEvent):
            patient_id = self._event_owner(edit.event_uuid)
        elif isinstance(edit, AddEvent):
            patient_id = edit.record.patient_id
        else:
            patient_id = edit.patient_id
        before = self._snapshot(patient_id)
        if before is None:
            raise InputError(f"no patient {patient_id!r} in the study")
        self._check_version(conn, before.uuid)
        after = edited(edit, before, new_uuid)
        return self._replace_patient(conn, patient_id, before, after)

    def _add_patient(self, conn: sqlite3.Connection, edit: AddPatient) -> tuple[Changes, Edit]:
        check_patient(edit.record)
        position = conn.execute("SELECT 1 + coalesce(max(position), -1) FROM patients").fetchone()
        after = PatientSnapshot(new_uuid(), edit.record, position[0])
        return self._replace_patient(conn, edit.record.patient_id, None, after)

    def _replace_patient(
        self,
        conn: sqlite3.Connection,
        patient_id: str,
        before: PatientSnapshot | None,
        after: PatientSnapshot | None,
    ) -> tuple[Changes, Edit]:
        """Returns what changed and the inverse, after making `patient_id` be exactly `after`."""
        if before is None and after is None:
            raise InputError(f"no patient {patient_id!r} in the study")
        new_id = patient_id if after is None else after.record.patient_id
        if new_id != (before and before.record.patient_id) and self._snapshot(new_id):
            raise InputError(f"patient {new_id!r} is already in the study")
        if before is not None:
            self._check_version(conn, before.uuid)
        self._write_difference(conn, before, after)
        if after is not None:
            self._bump_versions(conn, [after.uuid])
        listed = (
            before is None
            or after is None
            or (before.record.patient_id, before.record.arm) != (new_id, after.record.arm)
        )
        changes = Changes(frozenset({patient_id, new_id}), patient_list=listed)
        return changes, RestorePatient(new_id, before)

    def _write_difference(
        self,
        conn: sqlite3.Connection,
        before: PatientSnapshot | None,
        after: PatientSnapshot | None,
    ) -> None:
        """Writes only the rows of one patient that differ between two snapshots (fast edits)."""
        old = Rows() if before is None else snapshot_rows(before)
        new = Rows() if after is None else snapshot_rows(after)
        for table in reversed(COLUMNS):
            kept = {row[0] for row in getattr(new, table)}
            gone = [row[:1] for row in getattr(old, table) if row[0] not in kept]
            conn.executemany(f"DELETE FROM {table} WHERE uuid = ?", gone)
        self._ensure_names(conn, "arms", new.arms)
        self._ensure_names(conn, "readers", new.readers)
        for table in COLUMNS:
            known = {row[0]: row for row in getattr(old, table)}
            rows = getattr(new, table)
            # A new row takes a plain INSERT, so that a UUID in use elsewhere fails loudly.
            conn.executemany(_INSERT[table], [r for r in rows if r[0] not in known])
            conn.executemany(_UPSERT[table], [r for r in rows if known.get(r[0], r) != r])

    def _event_owner(self, event_uuid: str) -> str:
        rows = self._rows(
            "SELECT p.patient_id FROM events e JOIN patients p ON p.uuid = e.patient_uuid"
            " WHERE e.uuid = ?",
            [event_uuid],
        )
        if not rows:
            raise InputError(f"no event {event_uuid} in the study")
        return rows[0][0]

    def _set_settings(self, conn: sqlite3.Connection, new: StudySettings) -> tuple[Changes, Edit]:
        new.check()
        before = self._settings()
        if self._settings_seen is not None and before != self._settings_seen:
            # Another Nadir changed them since this one last read them (issue #8, part 4).
            raise InputError(
                "the study's settings were changed by someone else since you opened them;"
                " reload the study and make the change again"
            )
        # An upsert, not INSERT OR REPLACE, so that the audit trail sees an update of the value.
        conn.executemany(
            "INSERT INTO settings (name, value) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            [
                (name, json.dumps(getattr(new, name)))
                for name, _, _ in SETTINGS
                if name != "origins"
            ],
        )
        self._ensure_names(conn, "arms", [origin.arm for origin in new.origins])
        origins = {o.arm: (o.kind, o.detail) for o in new.origins}
        # Every arm in one statement each, so that only origins that change reach the audit trail.
        conn.executemany(
            "UPDATE arms SET origin_kind = ?, origin_detail = ? WHERE name = ?",
            [(*origins.get(arm, (None, None)), arm) for arm in self.arms()],
        )
        self._settings_seen = new
        return Changes(settings=True), SetSettings(before)

    def value(self, name: str, default: Any = None) -> Any:
        """Returns a study value kept beside the settings (e.g. the backup schedule), or default."""
        rows = self._rows("SELECT value FROM settings WHERE name = ?", [f"nadir.{name}"])
        return json.loads(rows[0][0]) if rows else default

    def set_value(self, name: str, value: Any) -> None:
        """Returns None, after storing `value` (JSON) under `name` in one transaction."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                [f"nadir.{name}", json.dumps(value)],
            )

    def history(self, patient_id: str | None = None) -> tuple[AuditEntry, ...]:
        """Returns the audit trail of the patient (of the study's settings, arms and readers
        when None), oldest first; a patient removed or renamed is found by any id it had."""
        if patient_id is None:
            return self._audit("a.patient_uuid IS NULL", [])
        uuids = [
            r[0] for r in self._rows("SELECT uuid FROM patients WHERE patient_id = ?", [patient_id])
        ]
        if not uuids:
            uuids = [
                r[0]
                for r in self._rows(
                    "SELECT DISTINCT row_key FROM audit WHERE table_name = 'patients' AND"
                    " CASE action WHEN 'insert' THEN json_extract(new_value, '$.patient_id') = ?1"
                    " WHEN 'delete' THEN json_extract(old_value, '$.patient_id') = ?1"
                    " ELSE field = 'patient_id' AND ?1 IN (old_value, new_value) END",
                    [patient_id],
                )
            ]
        marks = ", ".join("?" * len(uuids))
        return self._audit(f"a.patient_uuid IN ({marks})", uuids)

    def audit_by_patient(self) -> dict[str | None, list[AuditEntry]]:
        """Returns the whole audit trail in one read, oldest first, by the UUID of the patient
        each entry concerns (None: the study's settings, arms and readers); for a merge."""
        trails: dict[str | None, list[AuditEntry]] = {}
        for *entry, patient_uuid in self._rows(f"{_AUDIT_SELECT} ORDER BY a.id"):
            trails.setdefault(patient_uuid, []).append(AuditEntry(*entry))
        return trails

    def _audit(self, where: str, params: list[str]) -> tuple[AuditEntry, ...]:
        rows = self._rows(f"{_AUDIT_SELECT} WHERE {where} ORDER BY a.id", params)
        return tuple(AuditEntry(*row[:-1]) for row in rows)

    def first_change(self) -> str | None:
        """Returns the UTC time (ISO) of the study's earliest recorded change, None when none."""
        rows = self._rows("SELECT time FROM audit ORDER BY id LIMIT 1")
        return rows[0][0] if rows else None

    def last_change(self) -> str | None:
        """Returns the UTC time (ISO) of the study's latest recorded change, None when none."""
        rows = self._rows("SELECT time FROM audit ORDER BY id DESC LIMIT 1")
        return rows[0][0] if rows else None
