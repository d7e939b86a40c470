"""Careers activity rows: save, read back as plain records, delete, and the observation links."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlmodel import Session, select

from skillsdesk.domain.careers import CRITERIA, ActivityDraft, ActivityInfo, RoleModel
from skillsdesk.domain.yeargroups import year_group_rank
from skillsdesk.storage.tables import GroupMember, Observation, Pupil, PupilGroup, Skill
from skillsdesk.storage.tables_careers import (
    CareersActivity,
    CareersActivityBenchmark,
    CareersActivityGroup,
    CareersActivityObservation,
    CareersActivityPupil,
    CareersActivitySkill,
    CareersRoleModel,
)

_CHILDREN = (CareersActivityGroup, CareersActivityPupil, CareersActivitySkill,
             CareersActivityBenchmark, CareersRoleModel)


def save_activity(session: Session, draft: ActivityDraft, participants: Iterable[uuid.UUID],
                  activity_id: uuid.UUID | None = None) -> uuid.UUID:
    """Insert a new activity, or replace every field of an existing one; return its id."""
    row = None if activity_id is None else session.get(CareersActivity, activity_id)
    if row is None:
        row = CareersActivity(id=activity_id or uuid.uuid4(), held_on=draft.held_on,
                              title=draft.title, kind=draft.kind)
    row.held_on, row.title, row.kind = draft.held_on, draft.title.strip(), draft.kind
    row.partner, row.sector = draft.partner.strip(), " ".join(draft.sector.split())
    row.notes = draft.notes.strip()
    for criterion in CRITERIA:
        setattr(row, criterion, criterion in draft.criteria)
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)
    session.flush()
    if activity_id is not None:
        for table in _CHILDREN:
            session.execute(delete(table).where(table.activity_id == row.id))  # type: ignore[attr-defined]
    # Core inserts: a whole school's assembly is hundreds of rows, too many for ORM objects.
    children: list[tuple[Any, list[dict[str, Any]]]] = [
        (CareersActivityGroup, [{"activity_id": row.id, "group_id": g}
                                for g in dict.fromkeys(draft.group_ids)]),
        (CareersActivityPupil, [{"activity_id": row.id, "pupil_id": p}
                                for p in dict.fromkeys(participants)]),
        (CareersActivitySkill, [{"activity_id": row.id, "skill_id": s}
                                for s in dict.fromkeys(draft.skill_ids)]),
        (CareersActivityBenchmark, [{"activity_id": row.id, "benchmark": b}
                                    for b in dict.fromkeys(draft.benchmarks)]),
        (CareersRoleModel, [{"id": uuid.uuid4(), "activity_id": row.id, "position": n,
                             "job": person.job.strip(), "gender": person.gender,
                             "area": person.area}
                            for n, person in enumerate(draft.role_models)]),
    ]
    for table, rows in children:
        if rows:
            session.execute(insert(table), rows)
    return row.id


def exists(session: Session, activity_id: uuid.UUID) -> bool:
    return session.get(CareersActivity, activity_id) is not None


def delete_activity(session: Session, activity_id: uuid.UUID) -> bool:
    row = session.get(CareersActivity, activity_id)
    if row is None:
        return False
    for table in (*_CHILDREN, CareersActivityObservation):
        session.execute(delete(table).where(table.activity_id == activity_id))  # type: ignore[attr-defined]
    session.delete(row)
    return True


def group_members(session: Session, group_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    ids = list(group_ids)
    if not ids:
        return []
    rows = session.exec(select(GroupMember.pupil_id).where(GroupMember.group_id.in_(ids)))
    return list(dict.fromkeys(rows))


def missing(session: Session, pupil_ids: Iterable[uuid.UUID],
            group_ids: Iterable[uuid.UUID]) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The pupil ids and group ids that name nobody (erased, or never existed)."""
    pupils, groups = set(pupil_ids), set(group_ids)
    found_pupils: set[uuid.UUID] = set()
    wanted = list(pupils)
    for start in range(0, len(wanted), 500):
        found_pupils.update(session.exec(select(Pupil.id).where(
            Pupil.id.in_(wanted[start:start + 500]))))
    found_groups = set(session.exec(select(PupilGroup.id).where(PupilGroup.id.in_(list(groups)))))
    return pupils - found_pupils, groups - found_groups


def link_observations(session: Session, activity_id: uuid.UUID,
                      observation_ids: Iterable[uuid.UUID]) -> None:
    for obs in observation_ids:
        session.add(CareersActivityObservation(activity_id=activity_id, observation_id=obs))


def logged_pupils(session: Session, activity_id: uuid.UUID) -> set[uuid.UUID]:
    """Pupils who already have a live observation from this activity."""
    rows = session.exec(
        select(Observation.pupil_id)
        .join(CareersActivityObservation,
              CareersActivityObservation.observation_id == Observation.id)
        .where(CareersActivityObservation.activity_id == activity_id,
               Observation.deleted_at.is_(None)))
    return set(rows)


def withdraw_observations(session: Session, activity_id: uuid.UUID) -> int:
    """Soft-delete the observations an activity logged (kept for undo, like any deletion)."""
    linked = select(CareersActivityObservation.observation_id).where(
        CareersActivityObservation.activity_id == activity_id)
    result: Any = session.execute(
        update(Observation)
        .where(Observation.id.in_(linked), Observation.deleted_at.is_(None))
        .values(deleted_at=dt.datetime.now(dt.UTC)))
    return int(result.rowcount or 0)


def list_activities(session: Session, start: dt.date | None = None, end: dt.date | None = None,
                    activity_ids: Iterable[uuid.UUID] | None = None) -> list[ActivityInfo]:
    """Activities held from ``start`` to ``end`` (inclusive), newest first, as plain records."""
    query = select(CareersActivity)
    if start is not None:
        query = query.where(CareersActivity.held_on >= start)
    if end is not None:
        query = query.where(CareersActivity.held_on <= end)
    if activity_ids is not None:
        query = query.where(CareersActivity.id.in_(list(activity_ids)))
    rows = list(session.exec(query.order_by(CareersActivity.held_on.desc(),
                                            CareersActivity.title)))
    if not rows:
        return []
    ids = [r.id for r in rows]
    groups: dict[uuid.UUID, list[tuple[uuid.UUID, str, int]]] = {}
    pupils: dict[uuid.UUID, list[uuid.UUID]] = {}
    skills: dict[uuid.UUID, list[tuple[uuid.UUID, str, int]]] = {}
    marks: dict[uuid.UUID, list[str]] = {}
    people: dict[uuid.UUID, list[RoleModel]] = {}
    logged: dict[uuid.UUID, int] = {}
    # Chunked: SQLite limits the number of bound parameters in one statement.
    for start_at in range(0, len(ids), 500):
        chunk = ids[start_at:start_at + 500]
        for aid, gid, name, year_group in session.exec(
                select(CareersActivityGroup.activity_id, PupilGroup.id, PupilGroup.name,
                       PupilGroup.year_group)
                .join(PupilGroup, PupilGroup.id == CareersActivityGroup.group_id)
                .where(CareersActivityGroup.activity_id.in_(chunk))):
            groups.setdefault(aid, []).append((gid, name, year_group_rank(year_group or "6")))
        for aid, pid in session.exec(
                select(CareersActivityPupil.activity_id, CareersActivityPupil.pupil_id)
                .where(CareersActivityPupil.activity_id.in_(chunk))):
            pupils.setdefault(aid, []).append(pid)
        for aid, sid, name, position in session.exec(
                select(CareersActivitySkill.activity_id, Skill.id, Skill.name, Skill.position)
                .join(Skill, Skill.id == CareersActivitySkill.skill_id)
                .where(CareersActivitySkill.activity_id.in_(chunk))):
            skills.setdefault(aid, []).append((sid, name, position))
        for aid, code in session.exec(
                select(CareersActivityBenchmark.activity_id, CareersActivityBenchmark.benchmark)
                .where(CareersActivityBenchmark.activity_id.in_(chunk))):
            marks.setdefault(aid, []).append(code)
        for person in session.exec(select(CareersRoleModel)
                                   .where(CareersRoleModel.activity_id.in_(chunk))
                                   .order_by(CareersRoleModel.position)):
            people.setdefault(person.activity_id, []).append(
                RoleModel(person.job, person.gender, person.area))
        for aid, n in session.exec(
                select(CareersActivityObservation.activity_id, func.count())
                .join(Observation, Observation.id == CareersActivityObservation.observation_id)
                .where(CareersActivityObservation.activity_id.in_(chunk),
                       Observation.deleted_at.is_(None))
                .group_by(CareersActivityObservation.activity_id)):
            logged[aid] = int(n)
    out = []
    for row in rows:
        chosen = sorted(groups.get(row.id, []), key=lambda g: (g[2], g[1]))
        practised = sorted(skills.get(row.id, []), key=lambda s: s[2])
        out.append(ActivityInfo(
            id=row.id, held_on=row.held_on, title=row.title, kind=row.kind,
            partner=row.partner, sector=row.sector,
            group_ids=tuple(g[0] for g in chosen), classes=tuple(g[1] for g in chosen),
            pupil_ids=tuple(pupils.get(row.id, [])),
            skill_ids=tuple(s[0] for s in practised), skill_names=tuple(s[1] for s in practised),
            benchmarks=tuple(sorted(marks.get(row.id, []), key=_benchmark_order)),
            criteria=frozenset(c for c in CRITERIA if getattr(row, c)),
            role_models=tuple(people.get(row.id, [])), notes=row.notes,
            observations=logged.get(row.id, 0)))
    return out


def _benchmark_order(code: str) -> tuple[int, str]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)
