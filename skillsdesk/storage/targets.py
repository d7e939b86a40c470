"""Targets: the step a pupil is aiming for in a skill, by when, and when it was met."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, select

from skillsdesk.storage.tables import Target


def add(session: Session, pupil_id: uuid.UUID, skill_id: uuid.UUID, step: int, set_on: dt.date,
        due_on: dt.date | None) -> uuid.UUID:
    row = Target(pupil_id=pupil_id, skill_id=skill_id, step_number=step, set_on=set_on,
                 due_on=due_on)
    session.add(row)
    session.flush()
    return row.id


def get(session: Session, target_id: uuid.UUID) -> Target | None:
    return session.get(Target, target_id)


def mark_met(session: Session, target_id: uuid.UUID, met_on: dt.date | None) -> uuid.UUID | None:
    row = session.get(Target, target_id)
    if row is None:
        return None
    row.met_on = met_on
    session.add(row)
    return row.pupil_id


def remove(session: Session, target_id: uuid.UUID) -> None:
    row = session.get(Target, target_id)
    if row is not None:
        session.delete(row)


def for_pupil(session: Session, pupil_id: uuid.UUID) -> list[Target]:
    return list(session.exec(select(Target).where(Target.pupil_id == pupil_id)
                             .order_by(Target.set_on.desc())))
