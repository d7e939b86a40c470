"""The one way long work leaves the GUI thread: run a function in a worker, get the result back.

The result (or the exception) comes back to the GUI thread through a queued signal, so slots
never touch widgets from a worker. Writes stay serial because every task goes through one
single-thread pool. A task started with a ``label`` gets a ``Progress`` to report through and to
check for cancelling; a progress dialog appears only if it runs longer than half a second.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from skillsdesk.domain.errors import UserError

log = logging.getLogger(__name__)
SHOW_AFTER_MS = 500


class Cancelled(Exception):
    """Raised inside a task when the person pressed Cancel."""


class Progress(QObject):
    """Handed to a task: ``report(done, total)`` from the worker, ``check()`` to stop early."""

    changed = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def report(self, done: int, total: int, _label: str = "") -> None:
        self.changed.emit(done, total)
        self.check()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    @Slot()
    def run(self) -> None:
        try:
            result = self._work()
        except Cancelled as exc:
            self._relay.failed.emit(exc)
        except UserError as exc:
            # An expected refusal ("already has classes", a role that may not): the person
            # gets its sentence; the log gets only its kind, as the sentence may name a pupil.
            log.info("background task refused: %s", type(exc).__name__)
            self._relay.failed.emit(exc)
        except Exception as exc:  # handed to the caller's on_error, never swallowed
            log.exception("background task failed")
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    """Runs tasks one at a time on a private thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()
        self.last_dialog: QProgressDialog | None = None  # the running task's, if any
        self.dialogs_shown = 0

    def run(self, work: Callable[..., Any], on_done: Callable[[Any], None],
            on_error: Callable[[Exception], None], *, label: str | None = None,
            parent: QWidget | None = None) -> Progress | None:
        relay = _Relay()
        self._relays.add(relay)
        progress: Progress | None = None
        dialog: QProgressDialog | None = None
        if label is not None:
            progress = Progress()
            dialog = QProgressDialog(label, self.tr("Cancel"), 0, 0, parent)
            dialog.setMinimumDuration(SHOW_AFTER_MS)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setValue(0)
            dialog.canceled.connect(progress.cancel)
            progress.changed.connect(lambda done, total: (dialog.setMaximum(total),
                                                          dialog.setValue(done)))
            self.last_dialog = dialog
            bound = progress

            def call() -> Any:
                return work(bound)
        else:
            call = work

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._relays.discard(relay)
            if dialog is not None:
                self.dialogs_shown += dialog.isVisible()
                if self.last_dialog is dialog:
                    self.last_dialog = None
                dialog.close()
                dialog.deleteLater()
            if isinstance(value, Cancelled):
                return  # the person asked to stop: nothing to report
            callback(value)

        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(lambda exc: finish(on_error, exc))
        self._pool.start(_Job(call, relay))
        return progress

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
