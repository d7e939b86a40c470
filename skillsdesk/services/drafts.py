"""Drafts of the note being typed in the record dialog, kept through a crash (RELIABILITY.md G5).

The dialog saves what is typed every few seconds (``save``), offers it again when the same member
of staff next opens the dialog (``load``), and clears it when the observation is saved or the
note is deliberately discarded (``clear``). Drafts live in the database, so they are encrypted
with it and go with a backup; each belongs to one staff member and is never shown to anyone
else. Saving an unchanged draft writes nothing, so a timer can call ``save`` freely.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _
from skillsdesk.storage import drafts as repo
from skillsdesk.storage.database import Store

MAX_DRAFT = 20_000  # the same cap as a note (RELIABILITY.md §1.9)
NOBODY = ""  # the owner before staff sign in with their own accounts


@dataclass(frozen=True)
class NoteDraft:
    text: str
    saved_at: dt.datetime
    # What the note was for, as the dialog gave it: pupil ids, skill, step, level, setting, date.
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def pupil_ids(self) -> tuple[uuid.UUID, ...]:
        found = []
        for value in self.context.get("pupil_ids", []):
            try:
                found.append(uuid.UUID(str(value)))
            except ValueError:
                continue
        return tuple(found)


def _owner(staff_id: uuid.UUID | None) -> str:
    return NOBODY if staff_id is None else str(staff_id)


class DraftService:
    def __init__(self, store: Store,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self._store = store
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._last: dict[str, tuple[str, dict[str, Any]]] = {}

    def save(self, staff_id: uuid.UUID | None, text: str,
             context: dict[str, Any] | None = None) -> bool:
        """Keep ``text`` as this person's draft; returns False when nothing had changed.

        An empty text clears the draft. ``context`` values must be JSON-friendly (ids, dates
        and numbers are turned into text).
        """
        if len(text) > MAX_DRAFT:
            raise UserError(_("The note is longer than {limit} characters.").format(
                limit=MAX_DRAFT))
        owner = _owner(staff_id)
        context = {k: ([str(v) for v in value] if isinstance(value, (list, tuple)) else value)
                   for k, value in (context or {}).items()}
        if not text.strip():
            self.clear(staff_id)
            return True
        if self._last.get(owner) == (text, context):
            return False
        with self._store.write() as session:
            repo.save(session, owner, text, context, self._clock())
        self._last[owner] = (text, context)
        return True

    def load(self, staff_id: uuid.UUID | None) -> NoteDraft | None:
        """This person's draft, if one was left (for example by a crash)."""
        with self._store.read() as session:
            found = repo.load(session, _owner(staff_id))
        if found is None:
            return None
        text, context, saved_at = found
        return NoteDraft(text, saved_at, context)

    def clear(self, staff_id: uuid.UUID | None) -> None:
        owner = _owner(staff_id)
        self._last.pop(owner, None)
        with self._store.write() as session:
            repo.clear(session, owner)
