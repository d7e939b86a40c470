"""Targets a teacher sets for a pupil: a step in a skill, due by a date, then met.

Setting, marking and removing one is ``target.set`` (admin, teachers, support staff for the
pupils of their own groups) and writes its audit row in the same transaction; a pupil's targets
are read by whoever may see the pupil (services/scoping.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.records import FrameworkInfo
from skillsdesk.i18n import _
from skillsdesk.services.context import Context
from skillsdesk.services.scoping import scope_of, sees_pupil
from skillsdesk.storage import targets as repo
from skillsdesk.storage.database import Store


@dataclass(frozen=True)
class TargetInfo:
    id: uuid.UUID
    skill: str
    step: int
    set_on: dt.date
    due_on: dt.date | None
    met_on: dt.date | None


class TargetService:
    def __init__(self, store: Store, context: Context | None = None,
                 today: dt.date | None = None) -> None:
        self._store = store
        self._context = context or Context()
        self._today = today

    def _visible(self, session: Any, pupil_id: uuid.UUID) -> bool:
        return sees_pupil(session, scope_of(self._context), pupil_id)

    def _own(self, session: Any, pupil_id: uuid.UUID) -> None:
        if not self._visible(session, pupil_id):
            raise NotFound(_("That pupil is not in one of your groups."))

    def set(self, framework: FrameworkInfo, pupil_id: uuid.UUID, skill_code: str, step: int,
            due_on: dt.date | None) -> uuid.UUID:
        self._context.require("target.set")
        skill = next((s for s in framework.skills if s.code == skill_code), None)
        if skill is None or not skill.lowest <= step <= skill.highest:
            raise UserError(_("Choose a step of {framework} for the target.").format(
                framework=framework.name))
        today = self._today or dt.date.today()
        if due_on is not None and due_on < today:
            raise UserError(_("The target's due date has already passed."))
        with self._store.write() as session:
            self._own(session, pupil_id)
            target_id = repo.add(session, pupil_id, skill.id, step, today, due_on)
            self._context.audit(session, "target.set", "target", target_id, after={
                "skill": skill.code, "step": step,
                "due_on": due_on.isoformat() if due_on else None}, pupil_id=pupil_id)
        return target_id

    def met(self, target_id: uuid.UUID, met: bool = True) -> None:
        self._context.require("target.set")
        met_on = (self._today or dt.date.today()) if met else None
        with self._store.write() as session:
            row = repo.get(session, target_id)
            if row is None:
                raise NotFound(_("That target has been removed."))
            self._own(session, row.pupil_id)
            before = row.met_on.isoformat() if row.met_on else None
            repo.mark_met(session, target_id, met_on)
            self._context.audit(session, "target.met", "target", target_id,
                                before={"met_on": before},
                                after={"met_on": met_on.isoformat() if met_on else None},
                                pupil_id=row.pupil_id)

    def remove(self, target_id: uuid.UUID) -> None:
        self._context.require("target.set")
        with self._store.write() as session:
            row = repo.get(session, target_id)
            if row is None:
                return
            self._own(session, row.pupil_id)
            before = {"step": row.step_number, "set_on": row.set_on.isoformat()}
            repo.remove(session, target_id)
            self._context.audit(session, "target.remove", "target", target_id, before=before,
                                pupil_id=row.pupil_id)

    def for_pupil(self, framework: FrameworkInfo, pupil_id: uuid.UUID) -> list[TargetInfo]:
        codes = {s.id: s.code for s in framework.skills}
        with self._store.read() as session:
            if not self._visible(session, pupil_id):
                return []
            rows = repo.for_pupil(session, pupil_id)
        return [TargetInfo(r.id, codes[r.skill_id], r.step_number, r.set_on, r.due_on, r.met_on)
                for r in rows if r.skill_id in codes]
