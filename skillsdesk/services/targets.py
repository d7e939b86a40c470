"""Targets a teacher sets for a pupil: a step in a skill, due by a date, then met."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.records import FrameworkInfo
from skillsdesk.i18n import _
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
    def __init__(self, store: Store, today: dt.date | None = None) -> None:
        self._store = store
        self._today = today

    def set(self, framework: FrameworkInfo, pupil_id: uuid.UUID, skill_code: str, step: int,
            due_on: dt.date | None) -> uuid.UUID:
        skill = next((s for s in framework.skills if s.code == skill_code), None)
        if skill is None or not skill.lowest <= step <= skill.highest:
            raise UserError(_("Choose a step of {framework} for the target.").format(
                framework=framework.name))
        today = self._today or dt.date.today()
        if due_on is not None and due_on < today:
            raise UserError(_("The target's due date has already passed."))
        with self._store.write() as session:
            return repo.add(session, pupil_id, skill.id, step, today, due_on)

    def met(self, target_id: uuid.UUID, met: bool = True) -> None:
        with self._store.write() as session:
            repo.mark_met(session, target_id, (self._today or dt.date.today()) if met else None)

    def remove(self, target_id: uuid.UUID) -> None:
        with self._store.write() as session:
            repo.remove(session, target_id)

    def for_pupil(self, framework: FrameworkInfo, pupil_id: uuid.UUID) -> list[TargetInfo]:
        codes = {s.id: s.code for s in framework.skills}
        with self._store.read() as session:
            rows = repo.for_pupil(session, pupil_id)
        return [TargetInfo(r.id, codes[r.skill_id], r.step_number, r.set_on, r.due_on, r.met_on)
                for r in rows if r.skill_id in codes]
