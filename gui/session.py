"""The open study: its store, its undo stack, and the one signal that tells views what changed.

Views never write to the store; they hand edits to `execute()` and re-read
when `study_changed` arrives (style practice 5). Every edit is written at
once, so there is nothing to save.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from gui.palette import stale_text
from gui.undo import EditCommand
from model.analysis import StudyAnalysis, analyse_as
from model.criteria.assessment import judge_patient
from model.criteria.readings import patient_reader
from model.domain import (
    Criteria,
    Lesion,
    MeasurementRecord,
    PatientAssessment,
    StudyData,
)
from model.double_reading.adjudication import shown_reader
from model.double_reading.visibility import ViewerRole, visible_data
from model.editing.edits import Changes, Edit, Override, StoredEvent
from model.errors import InputError
from model.rules.filter_words import patient_facts
from model.settings import StudySettings
from model.store.study import Store


@dataclass(frozen=True)
class PatientView:
    """What the patient page shows of one patient: rows, settings and the engine's answers.

    `assessment` takes the reader's overrides into account (it is what counts,
    best response included); `computed` is the rules' answer alone. Both are
    None when the rules refuse the patient's rows; `problems` then says why
    (a broken baseline, mixed readers).
    """

    patient_id: str
    data: StudyData
    lesions: tuple[Lesion, ...]
    events: tuple[StoredEvent, ...]
    overrides: tuple[Override, ...]
    settings: StudySettings
    assessment: PatientAssessment | None
    computed: PatientAssessment | None = None
    problems: tuple[str, ...] = ()
    #: The overrides the assessment counts, by scan date (model/criteria/assessment.py).
    counted_overrides: Mapping[date, Override] = field(default_factory=dict)

    @cached_property
    def scan_dates(self) -> list[date]:
        """Return the patient's scan dates in order: scans.csv dates and measured dates together."""
        dates = {s.scan_date for s in self.data.scans} | {
            m.scan_date for m in self.data.measurements
        }
        return sorted(dates)

    @property
    def shows_viable(self) -> bool:
        """Return whether viable tumour sizes are shown and typed (mRECIST)."""
        return self.settings.criteria is Criteria.MRECIST

    @cached_property
    def reader(self) -> str:
        """Return the reader whose rows are shown and edited (model/criteria/readings.py)."""
        return patient_reader(self.data.measurements, self.settings.reader)

    @cached_property
    def rows(self) -> tuple[MeasurementRecord, ...]:
        """Return the measurement rows of `reader`: those the grid shows and edits."""
        return tuple(m for m in self.data.measurements if m.reader == self.reader)


class StudySession(QObject):
    """Owns the open study's Store and QUndoStack; emits `study_changed(Changes)` after edits."""

    #: A Changes value after every edit, undo and redo.
    study_changed = Signal(object)
    #: Another study file was opened (or the same one re-read after an import).
    study_replaced = Signal()
    #: Why an edit was refused (a bad value, a read-only study, changed by someone else):
    #: every refusal of every page reaches the user through this one signal.
    edit_refused = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        self._views: dict[str, PatientView] = {}
        #: Patients still to read by `read_some`, in study order (None: not listed yet).
        self._unread: deque[str] | None = None
        self._analysis: StudyAnalysis | None = None
        #: True once `close()` was called: the store is closed and nothing is read any more.
        self.closed = False
        #: Who is at the keyboard (gui/dialogs/reader_dialog.py): in a study read twice a reader
        #: sees and edits their own read, blind to the other (model/double_reading/visibility.py).
        self.viewer, self.viewer_role = "", ViewerRole.NURSE

    def set_viewer(self, viewer: str, role: ViewerRole | str) -> None:
        """Show the study as `viewer` in `role` may see it; every view re-reads it."""
        self.viewer, self.viewer_role = viewer, ViewerRole(role)
        changes = Changes(settings=True)
        self._forget(changes)
        self.study_changed.emit(changes)

    def close(self) -> None:
        """Close the study (releasing its lock); later calls do nothing; returns nothing."""
        if not self.closed:
            self.closed = True
            self.store.close()

    @property
    def path(self) -> str | None:
        """Return the study file's path, None for a study held in memory."""
        return str(self.store.path) if self.store.path else None

    def replace_store(self, store: Store) -> None:
        """Close the current study and use `store` from now on; returns nothing."""
        old, self.store = self.store, store
        self.undo_stack.clear()
        self._clear_views()
        self._analysis = None
        if old is not store:
            old.close()
        self.study_replaced.emit()

    def reload(self) -> None:
        """Forget what was read and have every view re-read (after an import); returns nothing."""
        self.undo_stack.clear()
        self._clear_views()
        self._analysis = None
        self.study_replaced.emit()

    def record_import(self, undo: tuple[Edit, ...], label: str) -> None:
        """Re-read the study after an import written by another Store, and push one undo step
        that applies `undo` (Store.import_undo, taken before it); returns nothing."""
        self.reload()
        for restore in undo:
            if restore.patient_id in self.store.patient_ids():
                self.store.snapshot(restore.patient_id)  # the versions this Store builds on
        if undo:
            # The import is written already: the command's first redo does nothing (gui/undo.py).
            self.undo_stack.push(EditCommand(self, (), undo, label))

    def execute(self, edit: Edit, label: str) -> None:
        """Apply `edit` and push it on the undo stack; returns nothing.

        Raises InputError (nothing written, nothing pushed) when the store
        refuses the edit or the study is closed.
        """
        if self.closed:
            raise InputError("the study is closed")
        inverse = self.apply_now(edit)
        self.undo_stack.push(EditCommand(self, edit, inverse, label))

    def submit(self, edit: Edit, label: str) -> bool:
        """Return whether `edit` was applied and pushed; a refusal is announced by
        `edit_refused` instead of raised, the same way from every page."""
        try:
            self.execute(edit, label)
        except InputError as error:
            self.refuse(str(error))
            return False
        return True

    def submit_all(self, edits: Sequence[Edit], label: str) -> bool:
        """Return whether `edits` were applied, in one transaction and as one undo step (a
        paste); when the store refuses one, nothing is written and `edit_refused` says why."""
        edits = tuple(edits)
        if not edits:
            return False
        try:
            if self.closed:
                raise InputError("the study is closed")
            inverse = self.apply_now(edits)
        except InputError as error:
            self.refuse(str(error))
            return False
        self.undo_stack.push(EditCommand(self, edits, inverse, label))
        return True

    def refuse(self, message: str) -> None:
        """Announce that an edit was refused, and why, by `edit_refused`; returns nothing."""
        self.edit_refused.emit(message)

    def apply_now(self, edit: Edit | tuple[Edit, ...]) -> Edit | tuple[Edit, ...]:
        """Return the inverse of `edit` after writing it and announcing the change.

        A tuple of edits is written in one transaction (Store.apply_all) and
        announced once; its inverse is the tuple of inverses, in the order that
        undoes them.
        """
        if isinstance(edit, tuple):
            done = self.store.apply_all(edit)
            inverse: Edit | tuple[Edit, ...] = tuple(undo for _, undo in reversed(done))
            changes = Changes(
                frozenset().union(*(c.patients for c, _ in done)),
                any(c.patient_list for c, _ in done),
                any(c.settings for c, _ in done),
                any(c.variables for c, _ in done),
            )
        else:
            changes, inverse = self.store.apply(edit)
        self._forget(changes)
        self.study_changed.emit(changes)
        return inverse

    def _forget(self, changes: Changes) -> None:
        self._analysis = None
        if changes.settings or changes.patient_list:
            self._clear_views()
        for patient_id in changes.patients:
            if self._views.pop(patient_id, None) is not None and self._unread is not None:
                self._unread.append(patient_id)

    def _clear_views(self) -> None:
        self._views.clear()
        self._unread = None

    def settings(self) -> StudySettings:
        """Return the study's settings."""
        return self.store.settings()

    def patient_view(self, patient_id: str) -> PatientView:
        """Return the patient's rows and assessment, computed once per change of the patient."""
        view = self._views.get(patient_id)
        if view is None:
            view = self._views[patient_id] = self._read_patient(patient_id)
        return view

    def _read_patient(self, patient_id: str) -> PatientView:
        store = self.store
        data = store.patient_data(patient_id)
        settings = store.settings()
        overrides = store.overrides(patient_id)
        if settings.readers_required == 2:
            data, settings = self._as_viewer(patient_id, data, settings, overrides)
        rows = (data, store.lesions(patient_id), store.events(patient_id), overrides, settings)
        judged = judge_patient(data, settings.assessment, reader=settings.reader,
                               overrides=overrides)  # fmt: skip
        return PatientView(patient_id, *rows, judged.decided, judged.computed, judged.problems,
                           judged.overrides)  # fmt: skip

    def _as_viewer(
        self, patient_id: str, data: StudyData, settings: StudySettings, overrides
    ) -> tuple[StudyData, StudySettings]:
        """Return the patient's rows the viewer may see, and settings naming the read shown."""
        store = self.store
        data = visible_data(data, self.viewer, self.viewer_role, store.read_signoffs(patient_id))
        decided = store.adjudications(patient_id)
        try:
            reader = shown_reader(self.viewer, self.viewer_role, data, settings, overrides, decided)
        except InputError:
            reader = None  # the rules refuse a read: the patient page says why
        return data, replace(settings, reader=reader)

    def patient_list(self) -> list[tuple[str, str, str | None, tuple, str]]:
        """Return (patient_id, arm, best overall response, facts, stale) in study order, quickly.

        The best response is None for a patient not read yet (see `read_some`),
        "?" when the rules refuse the patient's rows; the facts are what the
        navigator's `name:value` filter words match (`patient_facts`); stale names the
        patient's stale overrides in words.
        """
        entries = []
        for pid in self.store.patient_ids():
            if pid in self._views:
                entries.append(self.patient_entry(pid))
            else:
                record = self.store.patient(pid)
                entries.append((pid, record.arm, None, patient_facts(record), ""))
        return entries

    def patient_entry(self, patient_id: str) -> tuple[str, str, str | None, tuple, str]:
        """Return (patient_id, arm, best overall response, facts, stale overrides in words) of
        one patient, read now."""
        view = self.patient_view(patient_id)
        best = view.assessment.best_overall_response if view.assessment else "?"
        stale = stale_text(view.assessment.stale_overrides) if view.assessment else ""
        record = view.data.patients[0]
        return patient_id, record.arm, best, patient_facts(record), stale

    def read_some(self, limit: int) -> bool:
        """Read and assess up to `limit` patients not read yet; returns whether any remain."""
        # A queue listed once, not the study's ids on every turn: that made filling the
        # navigator grow with the square of the study's size (docs/performance.md).
        if self._unread is None:
            self._unread = deque(pid for pid in self.store.patient_ids() if pid not in self._views)
        while limit > 0 and self._unread:
            pid = self._unread.popleft()
            if pid not in self._views:
                self.patient_view(pid)
                limit -= 1
        return bool(self._unread)

    def assessments(self) -> dict[str, PatientView]:
        """Return every patient's view by patient_id, in study order."""
        return {pid: self.patient_view(pid) for pid in self.store.patient_ids()}

    def analysis(self) -> StudyAnalysis:
        """Return the whole study analysed as the viewer may see it, computed once per change.

        A patient whose rows the rules refuse (say, a baseline being typed) is
        listed in its `not_evaluable`, as in `report` and the exports.
        """
        if self._analysis is None:
            store = self.store
            self._analysis = analyse_as(self.viewer, self.viewer_role, store.study_data(),
                                        store.settings(), store.overrides(),
                                        store.adjudications())  # fmt: skip
        return self._analysis
