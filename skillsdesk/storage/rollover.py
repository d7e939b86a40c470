"""Rows the new-year rollover reads and writes (the rule itself is in domain/rollover.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from skillsdesk.storage.tables import AcademicYear, GroupMember, Pupil, PupilGroup


def year_row(session: Session, label: str) -> dict[str, Any] | None:
    row = session.execute(select(AcademicYear).where(
        AcademicYear.label == label)).scalars().first()  # type: ignore[arg-type]
    if row is None:
        return None
    return {"id": row.id, "label": row.label, "starts_on": row.starts_on, "ends_on": row.ends_on}


def newest_year_with_classes(session: Session, before: dt.date) -> dict[str, Any] | None:
    """The latest academic year starting before ``before`` that has at least one class."""
    row = session.execute(
        select(AcademicYear)
        .join(PupilGroup, PupilGroup.academic_year_id == AcademicYear.id)
        .where(PupilGroup.kind == "class", AcademicYear.starts_on < before)
        .order_by(AcademicYear.starts_on.desc()).limit(1)  # type: ignore[attr-defined]
    ).scalars().first()
    if row is None:
        return None
    return {"id": row.id, "label": row.label, "starts_on": row.starts_on, "ends_on": row.ends_on}


def class_count(session: Session, year_id: uuid.UUID) -> int:
    return int(session.execute(select(func.count()).select_from(PupilGroup).where(
        PupilGroup.academic_year_id == year_id, PupilGroup.kind == "class")).scalar_one())


def classes_with_members(session: Session, year_id: uuid.UUID
                         ) -> list[tuple[str, str | None, list[uuid.UUID]]]:
    """(name, year group, member ids) of every class in the year, by name."""
    groups = session.execute(
        select(PupilGroup.id, PupilGroup.name, PupilGroup.year_group)
        .where(PupilGroup.academic_year_id == year_id, PupilGroup.kind == "class")
        .order_by(PupilGroup.name)).all()
    result = []
    for group_id, name, year_group in groups:
        members = list(session.execute(select(GroupMember.pupil_id).where(
            GroupMember.group_id == group_id)).scalars())
        result.append((name, year_group, members))
    return result


def pupils_on_roll(session: Session) -> list[tuple[uuid.UUID, str]]:
    """(id, year group) of every pupil without a leaving date."""
    return [(r[0], r[1]) for r in session.execute(
        select(Pupil.id, Pupil.year_group).where(Pupil.left_on.is_(None)))]  # type: ignore[union-attr]


def set_year_groups(session: Session, changes: dict[uuid.UUID, str]) -> None:
    now = dt.datetime.now(dt.UTC)
    for pupil_id, year_group in changes.items():
        session.execute(update(Pupil).where(Pupil.id == pupil_id)  # type: ignore[arg-type]
                        .values(year_group=year_group, updated_at=now))


def mark_left(session: Session, pupil_ids: list[uuid.UUID], left_on: dt.date) -> None:
    now = dt.datetime.now(dt.UTC)
    for pupil_id in pupil_ids:
        session.execute(update(Pupil).where(Pupil.id == pupil_id)  # type: ignore[arg-type]
                        .values(left_on=left_on, updated_at=now))


def add_class(session: Session, year_id: uuid.UUID, name: str, year_group: str,
              members: list[uuid.UUID]) -> uuid.UUID:
    group = PupilGroup(academic_year_id=year_id, name=name, kind="class", year_group=year_group)
    session.add(group)
    session.flush()
    for pupil_id in dict.fromkeys(members):
        session.add(GroupMember(group_id=group.id, pupil_id=pupil_id))
    return group.id
