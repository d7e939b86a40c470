"""Recording from the class grid or a profile, around the record dialog (ui/record_dialog.py).

``RecordFlow`` offers a draft left behind first, keeps the open dialog's draft, pushes the save
onto the undo stack once it is stored (a failed save opens the dialog again with what was typed)
and, when several skills were selected, opens the next one. ``PendingSave`` is a Save pressed
whose write has not been stored yet: what it holds becomes a draft if the start-up check beside
the open store refuses the write.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QWidget

from skillsdesk.domain.errors import NotFound
from skillsdesk.domain.records import FrameworkInfo
from skillsdesk.i18n import _, ngettext
from skillsdesk.services.drafts import NoteDraft
from skillsdesk.services.progress import PupilProgress
from skillsdesk.ui import prompts
from skillsdesk.ui.record_dialog import AUTOSAVE_MS, DraftKeeper, RecordDialog

log = logging.getLogger(__name__)


class PendingSave(QObject):
    """A Save pressed whose observation is not stored yet: its write may be waiting for the
    start-up check beside the open store (``Store.check_beside``). It hangs on the widget that
    records until the save is stored or its failure handled. If that check finds damage the
    write is refused, and ``app.run_gui`` keeps what this holds as a draft for after the
    restore, as it keeps what an open ``RecordDialog`` holds (``kept_draft``)."""

    def __init__(self, parent: QObject, staff_id: uuid.UUID | None,
                 typed: tuple[str, dict[str, Any]]) -> None:
        super().__init__(parent)
        self._kept = (staff_id, *typed)

    def kept_draft(self) -> tuple[uuid.UUID | None, str, dict[str, Any]]:
        return self._kept

    def settled(self) -> None:
        """Stored, or handled some other way (opened again): nothing left to keep."""
        self.setParent(None)


class RecordFlow:
    """Recording from the class grid or a profile: offers a draft left behind first, keeps the
    new dialog's draft while it is open, and pushes the save onto the undo stack once it is stored
    (a failed save opens the dialog again with what was typed)."""

    def __init__(self, services: Any, tasks: Any, undo: Any, session: Any,
                 parent: QWidget) -> None:
        self._services = services
        self._tasks = tasks
        self._undo = undo
        self._session = session
        self._parent = parent
        self.autosave_ms = AUTOSAVE_MS

    def keeper(self) -> DraftKeeper | None:
        drafts = getattr(self._services, "drafts", None)
        if drafts is None:
            return None
        staff = getattr(self._session, "staff", None)
        return DraftKeeper(drafts, self._tasks, staff.id if staff is not None else None)

    def record(self, framework: FrameworkInfo, pupils: list[PupilProgress], skill_code: str,
               on_changed: Callable[[tuple[uuid.UUID, ...]], None],
               on_error: Callable[[Exception], None],
               more: Sequence[tuple[str, list[PupilProgress]]] = ()) -> None:
        """Record ``skill_code`` for ``pupils``; ``more``: further skills selected with it
        (each with its pupils), each opened in turn once the one before is saved."""
        if self.resume(on_changed, on_error):
            return
        keeper = self.keeper()
        selected = (skill_code, *(code for code, _pupils in more)) if more else ()
        dialog = RecordDialog(framework, pupils, skill_code, self._services.school.today(),
                              self._parent, keeper=keeper, autosave_ms=self.autosave_ms,
                              selected=selected)
        self._run(dialog, keeper, on_changed, on_error, more)

    def resume(self, on_changed: Callable[[tuple[uuid.UUID, ...]], None],
               on_error: Callable[[Exception], None]) -> bool:
        """Offer this person's draft, if they left one; True when it was shown again."""
        keeper = self.keeper()
        draft = keeper.load() if keeper is not None else None
        if keeper is None or draft is None:
            return False
        frameworks = self._services.frameworks
        try:
            framework = frameworks.get(str(draft.context.get("framework")))
        except NotFound:  # the framework went away: the current one, choices as they fit
            framework = frameworks.current()
        wanted = draft.pupil_ids
        found = {p.id: p for p in self._services.school.pupils() if p.id in set(wanted)}
        pupils = [found[i] for i in wanted if i in found]
        if not pupils:  # nobody it was about is on roll (or visible to this person) any more
            keeper.clear()
            return False
        skill = next((s for s in framework.skills if s.code == draft.context.get("skill")),
                     framework.skills[0])
        start = " ".join(draft.text.split())
        start = start if len(start) <= 120 else start[:119] + "…"
        question = ngettext(
            "You were recording {skill} for {n} pupil when SkillsDesk closed:\n\n“{note}”\n\n"
            "Carry on?",
            "You were recording {skill} for {n} pupils when SkillsDesk closed:\n\n“{note}”\n\n"
            "Carry on?", len(pupils)).format(skill=skill.name, n=len(pupils), note=start)
        if not prompts.confirm(self._parent, _("Carry on recording?"), question):
            keeper.clear()
            return False
        progress = self._services.progress.for_pupils(framework, pupils)
        dialog = RecordDialog(framework, progress, skill.code, self._services.school.today(),
                              self._parent, keeper=keeper, draft=draft,
                              autosave_ms=self.autosave_ms)
        self._run(dialog, keeper, on_changed, on_error)
        return True

    def _run(self, dialog: RecordDialog, keeper: DraftKeeper | None,
             on_changed: Callable[[tuple[uuid.UUID, ...]], None],
             on_error: Callable[[Exception], None],
             more: Sequence[tuple[str, list[PupilProgress]]] = ()) -> None:
        """Show ``dialog``; on Save, write it, and push it onto the undo stack once stored.

        A save that fails (a full disk, the database held by another program) shows its
        sentence through ``on_error`` and opens the dialog again with exactly what was typed
        and chosen (RELIABILITY.md G4), so nothing typed since the last draft is lost; it never
        reaches the undo stack. The draft is kept until the save is stored. A save refused
        because the start-up check beside the open store found damage says nothing: the window
        is closing to offer the backup, and the ``PendingSave`` is kept as a draft for after
        the restore. Once it is stored, the next of ``more`` (skills selected with this one)
        opens, on the same setting and date."""
        from skillsdesk.ui.undo import RecordCommand, refused_for_damage

        if prompts.run(dialog) != QDialog.DialogCode.Accepted:
            return
        staff = getattr(self._session, "staff", None)
        typed = dialog.draft_state()  # taken now: the dialog is closed and may be deleted
        framework, pupils, selected = dialog.framework, dialog.pupils, dialog.selected
        more = [(code, group) for code, group in more if code != typed[1]["skill"]]
        pending = PendingSave(self._parent, keeper.staff_id, typed) if keeper else None
        stored: list[bool] = []

        def changed(pupil_ids: tuple[uuid.UUID, ...]) -> None:
            if keeper is not None and not stored:  # the first save stored it: drop the draft
                stored.append(True)
                keeper.clear()
            on_changed(pupil_ids)

        command = RecordCommand(self._services.recording, framework, dialog.request(),
                                staff.id if staff else None, self._tasks, changed, on_error)

        def saved(result: Any) -> None:
            if pending is not None:
                pending.settled()
            command.stored(result.ids)
            self._undo.push(command)  # its first redo does nothing: the rows are stored
            changed(result.pupil_ids)
            if more:  # the next skill selected with this one, from the event loop
                QTimer.singleShot(0, self._parent, lambda: self._next(
                    framework, selected, more, typed, on_changed, on_error))

        def failed(exc: Exception) -> None:
            if refused_for_damage(exc):  # app.run_gui keeps ``pending`` as a draft
                return
            if pending is not None:
                pending.settled()  # the dialog opened again holds it now
            on_error(exc)
            # Open it again with what was typed once the message is acknowledged; from the
            # event loop, so this task's callback returns and the runner keeps the draft.
            QTimer.singleShot(0, self._parent, lambda: self._again(
                framework, pupils, typed, keeper, on_changed, on_error, selected, more))

        self._tasks.run(command.save, saved, failed)

    def _again(self, framework: FrameworkInfo, pupils: list[PupilProgress],
               typed: tuple[str, dict[str, Any]], keeper: DraftKeeper | None,
               on_changed: Callable[[tuple[uuid.UUID, ...]], None],
               on_error: Callable[[Exception], None], selected: Sequence[str] = (),
               more: Sequence[tuple[str, list[PupilProgress]]] = ()) -> None:
        text, context = typed
        first = framework.skills[0].code
        dialog = RecordDialog(framework, pupils, str(context.get("skill") or first),
                              self._services.school.today(), self._parent, keeper=keeper,
                              draft=NoteDraft(text, dt.datetime.now(dt.UTC), context),
                              autosave_ms=self.autosave_ms, selected=selected)
        self._run(dialog, keeper, on_changed, on_error, more)

    def _next(self, framework: FrameworkInfo, selected: Sequence[str],
              more: Sequence[tuple[str, list[PupilProgress]]], typed: tuple[str, dict[str, Any]],
              on_changed: Callable[[tuple[uuid.UUID, ...]], None],
              on_error: Callable[[Exception], None]) -> None:
        """The next skill selected in the grid, for the pupils selected in its column."""
        if self._desk_locked():  # no pupil's name over the lock (RELIABILITY.md G15)
            return
        (code, pupils), rest = more[0], more[1:]
        context = typed[1]
        try:
            day = dt.date.fromisoformat(str(context.get("observed_on")))
        except ValueError:
            day = self._services.school.today()
        keeper = self.keeper()
        dialog = RecordDialog(framework, pupils, code, self._services.school.today(),
                              self._parent, keeper=keeper, autosave_ms=self.autosave_ms,
                              selected=selected, occasion=(str(context.get("setting")), day))
        self._run(dialog, keeper, on_changed, on_error, rest)

    def _desk_locked(self) -> bool:
        widget: QWidget | None = self._parent
        while widget is not None and not hasattr(widget, "locked"):
            widget = widget.parentWidget()
        return bool(widget is not None and widget.locked)
