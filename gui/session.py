"""The open study: its store, its undo stack, and the one signal that tells views what changed.

Views never write to the store; they hand edits to `execute()` and re-read
when `study_changed` arrives (style practice 5). Every edit is written at
once, so there is nothing to save.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from gui.palette import stale_text
from gui.undo import EditCommand
from model.analysis import StudyAnalysis, analyse_as, patient_parts
from model.collector import collector_paused
from model.criteria.assessment import PatientJudgement, assess_study, judge_patient
from model.criteria.readings import patient_reader
from model.domain import (
    Criteria,
    Lesion,
    MeasurementRecord,
    PatientAssessment,
    PatientRecord,
    StudyData,
    Variable,
)
from model.double_reading.adjudication import shown_reader
from model.double_reading.visibility import ViewerRole, visible_data
from model.editing import edits as kinds
from model.editing.edits import Changes, Edit, Override, StoredEvent
from model.errors import InputError
from model.rules.filter_words import patient_facts
from model.settings import StudySettings
from model.store.study import Store

#: Edits of a patient's scans, lesions, measurements, events and decisions: they change no
#: patient id, variable value, declaration nor adverse event, so the study-wide reads kept by
#: `StudySession._kept` stay true after them, a keystroke in the grid included.
ROW_EDITS = (
    kinds.SetObservation, kinds.AddScan, kinds.RemoveScan, kinds.AddLesion, kinds.UpdateLesion,
    kinds.RemoveLesion, kinds.AddEvent, kinds.UpdateEvent, kinds.RemoveEvent, kinds.SetOverride,
    kinds.SetAdjudication, kinds.SetReadComplete, kinds.SetSettings, kinds.SetAnalysisSet,
)  # fmt: skip

#: One patient as the navigator lists it: (patient_id, arm, best overall response, the facts
#: filter words match, stale overrides in words); see `StudySession.patient_list`.
NavigatorRow = tuple[str, str, str | None, tuple, str]


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
        #: Each judged patient's navigator row: kept apart from the views, so that judging
        #: every patient for the navigator keeps no patient's rows (docs/performance.md).
        self._rows: dict[str, NavigatorRow] = {}
        #: Patients still to judge by `read_some`, in study order (None: not listed yet).
        self._unread: deque[str] | None = None
        #: Every patient's overrides, read once per fill of the navigator (None: read them).
        self._fill_overrides: dict[str, tuple[Override, ...]] | None = None
        #: Study-wide reads the patient page makes at every opening and keystroke (the ids,
        #: the variables, their values, the adverse event words), kept until an edit other
        #: than ROW_EDITS: reading every patient's values made opening one take 0.5 s at 20,000.
        self._kept_reads: dict[tuple[str, ...], Any] = {}
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
        edits = edit if isinstance(edit, tuple) else (edit,)
        self._forget(changes, study_wide=not all(isinstance(e, ROW_EDITS) for e in edits))
        self.study_changed.emit(changes)
        return inverse

    def _forget(self, changes: Changes, study_wide: bool = False) -> None:
        """Forget what `changes` make stale; `study_wide`: the study-wide reads too."""
        self._analysis = None
        self._fill_overrides = None
        if study_wide or changes.variables or changes.patient_list:
            self._kept_reads.clear()
        if changes.settings or changes.patient_list:
            self._clear_views()
        for patient_id in changes.patients:
            self._views.pop(patient_id, None)
            if self._rows.pop(patient_id, None) is not None and self._unread is not None:
                self._unread.append(patient_id)

    def _clear_views(self) -> None:
        self._views.clear()
        self._rows.clear()
        self._unread = None
        self._fill_overrides = None
        self._kept_reads.clear()

    def settings(self) -> StudySettings:
        """Return the study's settings."""
        return self.store.settings()

    def _kept(self, key: tuple[str, ...], read: Callable[[], Any]) -> Any:
        """Return what `read()` returns, read once until an edit may change it (ROW_EDITS)."""
        if key not in self._kept_reads:
            self._kept_reads[key] = read()
        return self._kept_reads[key]

    def patient_ids(self) -> tuple[str, ...]:
        """Return every patient_id in the study's order (Store.patient_ids), kept."""
        return self._kept(("ids",), self.store.patient_ids)

    def patient_records(self) -> tuple[PatientRecord, ...]:
        """Return every patient's own fields in the study's order (Store.patients), kept: the
        navigator's fill and listing read them once, not once each."""
        return self._kept(("patients",), self.store.patients)

    def variables(self) -> tuple[Variable, ...]:
        """Return the study's variables, declared then inferred (Store.variables), kept."""
        return self._kept(("variables",), self.store.variables)

    def values_of(self, name: str) -> tuple[str, ...]:
        """Return the distinct values the study holds for variable `name`, sorted
        (Store.values_of), kept."""
        return self._kept(("values", name), lambda: self.store.values_of(name))

    def adverse_event_words(self, column: str) -> tuple[str, ...]:
        """Return the distinct adverse event terms or organ classes, sorted
        (Store.adverse_event_words), kept."""
        return self._kept(("words", column), lambda: self.store.adverse_event_words(column))

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
        judged = _judge(data, settings, overrides)
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

    def patient_list(self) -> list[NavigatorRow]:
        """Return (patient_id, arm, best overall response, facts, stale) in study order, quickly.

        The best response is None for a patient not judged yet (see `read_some`),
        "?" when the rules refuse the patient's rows; the facts are what the
        navigator's `name:value` filter words match (`patient_facts`); stale names the
        patient's stale overrides in words.
        """
        listed = []
        for record in self.patient_records():
            pid = record.patient_id
            row = self._rows.get(pid)
            if row is None and pid in self._views:
                row = self.patient_entry(pid)
            listed.append(row or (pid, record.arm, None, patient_facts(record), ""))
        return listed

    def patient_entry(self, patient_id: str) -> NavigatorRow:
        """Return (patient_id, arm, best overall response, facts, stale overrides in words) of
        one patient, read now."""
        view = self.patient_view(patient_id)
        row = self._rows[patient_id] = _navigator_row(view.data.patients[0], view.assessment)
        return row

    def read_some(self, limit: int) -> bool:
        """Judge up to `limit` patients not judged yet, their rows read at once; returns
        whether any remain."""
        # A queue listed once, not the study's ids on every turn: that made filling the
        # navigator grow with the square of the study's size (docs/performance.md).
        if self._unread is None:
            self._take_kept_answers()
            self._unread = deque(pid for pid in self.store.patient_ids() if pid not in self._rows)
        batch: dict[str, None] = {}  # a patient changed twice is queued twice
        while len(batch) < limit and self._unread:
            pid = self._unread.popleft()
            if pid not in self._rows:
                batch[pid] = None
        if batch:
            self._judge_batch(list(batch))
        return bool(self._unread)

    def _take_kept_answers(self) -> None:
        """List each patient whose answer the study kept and still holds without judging them
        again (model/store/responses.py): a large study's navigator fills at once."""
        settings = self.store.settings()
        if settings.readers_required == 2:
            return  # what each viewer may see is decided patient by patient
        kept = self.store.kept_answers(settings)
        if not kept:
            return
        for record in self.patient_records():
            answer = kept.get(record.patient_id)
            if answer is not None and record.patient_id not in self._rows:
                best, stale = answer
                self._rows[record.patient_id] = (
                    record.patient_id, record.arm, best, patient_facts(record), stale
                )  # fmt: skip

    def _judge_batch(self, patient_ids: list[str]) -> None:
        """Judge `patient_ids` as `patient_entry` does, from one read of all their rows (one
        read per patient made the navigator take 27 s at 20,000 patients, issue 19)."""
        settings = self.store.settings()
        if settings.readers_required == 2:
            # What the viewer may see of each patient is decided patient by patient.
            for pid in patient_ids:
                self.patient_entry(pid)
            return
        if self._fill_overrides is None:
            by_patient: dict[str, list[Override]] = {}
            for override in self.store.overrides():
                by_patient.setdefault(override.patient_id, []).append(override)
            self._fill_overrides = {pid: tuple(mine) for pid, mine in by_patient.items()}
        overrides = self._fill_overrides
        with collector_paused():
            data = self.store.patients_data(patient_ids)
            mine = [o for pid in patient_ids for o in overrides.get(pid, ())]
            try:
                assessed = assess_study(data, settings.assessment, reader=settings.reader,
                                        overrides=mine)  # fmt: skip
                decided = {a.patient_id: a for a in assessed}
            except InputError:
                # One patient's broken rows refuse the batch: each is judged alone, as the
                # patient page judges them, and only the broken one shows "?".
                parts = patient_parts(data)
                decided = {
                    pid: _judge(part, settings, overrides.get(pid, ())).decided
                    for pid, part in parts.items()
                }
            for record in data.patients:
                pid = record.patient_id
                self._rows[pid] = _navigator_row(record, decided.get(pid))
        # The batch was read and judged just now, on this thread, in a study this process
        # locks: the answers are those of the patients' current versions.
        answers = {r.patient_id: (self._rows[r.patient_id][2], self._rows[r.patient_id][4])
                   for r in data.patients}  # fmt: skip
        self.store.keep_answers(settings, answers)

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


def _judge(
    data: StudyData, settings: StudySettings, overrides: Sequence[Override]
) -> PatientJudgement:
    """Return the judgement of the one patient in `data` by the study's settings, with the
    reader's overrides (model/criteria/assessment.py, `judge_patient`)."""
    return judge_patient(data, settings.assessment, reader=settings.reader, overrides=overrides)


def _navigator_row(record: PatientRecord, assessment: PatientAssessment | None) -> NavigatorRow:
    """Return the navigator's row of a patient judged as `assessment` ("?" when None: the rules
    refuse the patient's rows, or there is no scan to judge)."""
    if assessment is None:
        return record.patient_id, record.arm, "?", patient_facts(record), ""
    best, stale = assessment.best_overall_response, stale_text(assessment.stale_overrides)
    return record.patient_id, record.arm, best, patient_facts(record), stale
