"""Runs long work off the GUI thread, with a progress dialog whose Cancel is honoured.

The work is a plain function `fn(progress) -> result` (style practice 7): it
reports through `progress.report(done, total, message)` and looks at
`progress.cancelled`. It must open its own store on the worker thread; a
SQLite connection belongs to the thread that made it (style practice 3). The
worker never touches a widget: results, errors and progress come back as
queued signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from model.errors import InputError, InputProblem
from model.progress import Cancelled, check_cancelled


class TaskProgress(QObject):
    """The progress/cancel token handed to a worker; thread-safe."""

    #: (done, total, message), delivered on the GUI thread.
    progressed = Signal(int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def report(self, done: int, total: int, message: str = "") -> None:
        """Tell the GUI how far the work is; returns nothing."""
        self.progressed.emit(done, total, message)

    @property
    def cancelled(self) -> bool:
        """True once the user asked to stop."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the worker to stop at its next check; returns nothing."""
        self._cancel.set()

    def check(self) -> None:
        """Raise Cancelled when the user asked to stop; returns nothing otherwise."""
        check_cancelled(self)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[TaskProgress], Any], progress: TaskProgress, relay: _Relay):
        super().__init__()
        self._fn, self._progress, self._relay = fn, progress, relay

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except BaseException as error:  # every failure goes back to the GUI thread
            self._relay.failed.emit(error)
        else:
            self._relay.done.emit(result)


class Task(QObject):
    """One running job; emits `finished(result)` or `failed(exception)` on the GUI thread."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[TaskProgress], Any], parent: QObject | None = None):
        super().__init__(parent)
        self.progress = TaskProgress()
        self._relay = _Relay()
        self._relay.done.connect(self.finished, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self.failed, Qt.ConnectionType.QueuedConnection)
        self._runnable = _Runnable(fn, self.progress, self._relay)
        self._runnable.setAutoDelete(False)

    def start(self, pool: QThreadPool | None = None) -> None:
        """Start the job on `pool` (default: the global pool); returns at once."""
        (pool or QThreadPool.globalInstance()).start(self._runnable)


def run_task(
    fn: Callable[[TaskProgress], Any],
    *,
    title: str,
    parent: QWidget,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> Task:
    """Return a started Task running `fn` off the GUI thread behind a cancellable progress dialog.

    `on_done(result)` or `on_error(exception)` is called on the GUI thread;
    a cancelled job calls `on_error` with Cancelled.
    """
    task = Task(fn, parent)
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setValue(0)
    # At its minimum value the dialog (re)starts its show timer from the minimum duration.
    dialog.setMinimumDuration(300)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.canceled.connect(task.progress.cancel)

    def show_progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(done)
        if message:
            dialog.setLabelText(message)

    def finish(handler: Callable[[Any], None], value: Any) -> None:
        dialog.reset()
        dialog.deleteLater()
        task.deleteLater()
        handler(value)

    task.progress.progressed.connect(show_progress)
    task.finished.connect(lambda result: finish(on_done, result))
    task.failed.connect(lambda error: finish(on_error, error))
    task.start()
    return task


def problems_of(error: BaseException) -> list[InputProblem]:
    """The problems a failed task shows: an InputError's own, "cancelled", or the unexpected
    error in one line."""
    if isinstance(error, InputError):
        return list(error.problems)
    if isinstance(error, Cancelled):
        return [InputProblem("cancelled")]
    return [InputProblem(f"{type(error).__name__}: {error}")]
