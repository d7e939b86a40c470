"""Undo and Redo for saves, edits and deletes of observations.

Each command's redo/undo is a write, sent through the serial task runner so the GUI thread never
writes; ``on_changed`` gets the pupils whose grid rows must be refreshed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from skillsdesk.i18n import _, ngettext
from skillsdesk.services.backups import CorruptDatabase

Changed = Callable[[tuple[uuid.UUID, ...]], None]


def refused_for_damage(exc: BaseException) -> bool:
    """The write was refused because the start-up check beside the open store found damage
    (only that check's gate refuses a write with ``CorruptDatabase``). The window is closing
    to offer the newest verified backup (``app.watch_check``), so there is nothing to say."""
    return isinstance(exc, CorruptDatabase)


class _WriteCommand(QUndoCommand):
    def __init__(self, text: str, tasks: Any, on_changed: Changed,
                 on_error: Callable[[Exception], None]) -> None:
        super().__init__(text)
        self._tasks = tasks
        self._on_changed = on_changed
        self._on_error = on_error

    def _send(self, work: Callable[[], Any]) -> None:
        self._tasks.run(work, lambda result: self._on_changed(result.pupil_ids), self._failed)

    def _failed(self, exc: Exception) -> None:
        if not refused_for_damage(exc):  # its window may be gone by the time it arrives
            self._on_error(exc)


class RecordCommand(_WriteCommand):
    def __init__(self, recording: Any, framework: Any, request: Any, observer_id: Any,
                 tasks: Any, on_changed: Changed, on_error: Callable[[Exception], None]) -> None:
        super().__init__(ngettext("Record for {n} pupil", "Record for {n} pupils",
                                  len(request.entries)).format(n=len(request.entries)),
                         tasks, on_changed, on_error)
        self._recording = recording
        self._framework = framework
        self._request = request
        self._observer = observer_id
        self._ids: list[uuid.UUID] = []
        self._skip_redo = False

    def save(self) -> Any:
        """The first save, run before the command is pushed (``stored`` follows on success),
        so a save that fails never reaches the undo stack."""
        result = self._recording.record(
            self._framework, self._request.skill, list(self._request.entries),
            setting=self._request.setting, observed_on=self._request.observed_on,
            note=self._request.note, observer_id=self._observer,
            staff_only=getattr(self._request, "staff_only", False))
        self._ids = list(result.ids)
        return result

    def stored(self, ids: Any) -> None:
        """The first save is stored: the redo that ``QUndoStack.push`` calls does nothing."""
        self._ids = list(ids)
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        if self._ids:  # redo after undo: bring the same rows back
            ids = list(self._ids)
            self._send(lambda: self._recording.restore(ids))
            return

        self._send(self.save)  # pushed unsaved (bench_desk): the push's redo saves

    def undo(self) -> None:
        # Runs after redo's write on the same serial runner, so the ids are known by then.
        self._send(lambda: self._recording.delete(list(self._ids)))


class DeleteCommand(_WriteCommand):
    def __init__(self, recording: Any, ids: list[uuid.UUID], tasks: Any, on_changed: Changed,
                 on_error: Callable[[Exception], None]) -> None:
        super().__init__(_("Delete observation"), tasks, on_changed, on_error)
        self._recording = recording
        self._ids = list(ids)

    def redo(self) -> None:
        self._send(lambda: self._recording.delete(self._ids))

    def undo(self) -> None:
        self._send(lambda: self._recording.restore(self._ids))


class EditCommand(_WriteCommand):
    def __init__(self, recording: Any, framework: Any, observation_id: uuid.UUID,
                 pupil_id: uuid.UUID, changes: dict[str, Any], tasks: Any, on_changed: Changed,
                 on_error: Callable[[Exception], None]) -> None:
        super().__init__(_("Edit observation"), tasks, on_changed, on_error)
        self._recording = recording
        self._framework = framework
        self._id = observation_id
        self._pupil = pupil_id
        self._changes = changes
        self._before: dict[str, Any] = {}

    def _apply(self, values: dict[str, Any], remember: bool) -> Any:
        before = self._recording.edit(self._framework, self._id, **values)
        if remember:
            self._before = before
        return _Done((self._pupil,))

    def redo(self) -> None:
        self._send(lambda: self._apply(self._changes, True))

    def undo(self) -> None:
        self._send(lambda: self._apply(self._before, False))


class _Done:
    def __init__(self, pupil_ids: tuple[uuid.UUID, ...]) -> None:
        self.pupil_ids = pupil_ids


class AppraisalCommand(QUndoCommand):
    """Undo and Redo of one correction or deletion of an appraisal entry.

    The page pushes it once the change has been written (so a refused change never reaches the
    stack); the first ``redo`` that ``push`` calls does nothing. ``before`` and ``after`` are the
    entry's values (``after`` is None for a delete); ``send`` runs a write through the page,
    which shows the cycle it returns. Whether the person at the desk may undo it is the
    service's decision, as for any change.
    """

    def __init__(self, text: str, service: Any, kind: str, before: dict[str, Any],
                 after: dict[str, Any] | None, send: Callable[[Callable[[], Any]], None]) -> None:
        super().__init__(text)
        self._service, self._kind = service, kind
        self._before, self._after = before, after
        self._send = send
        self._written = True  # the change is in the database when the command is pushed

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        service, kind, entry_id = self._service, self._kind, self._before["id"]
        if self._after is None:
            self._send(lambda: service.delete_entry(kind, entry_id))
        else:
            after = self._after
            self._send(lambda: service.put_back(kind, entry_id, after))

    def undo(self) -> None:
        service, kind, before = self._service, self._kind, self._before
        if self._after is None:
            self._send(lambda: service.restore_entry(kind, before))
        else:
            self._send(lambda: service.put_back(kind, before["id"], before))
