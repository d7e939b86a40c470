"""The school, its settings, academic years, groups (classes) and staff."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from skillsdesk.domain.calendar import SchoolYear, default_terms
from skillsdesk.domain.records import GroupInfo, StaffInfo
from skillsdesk.storage.tables import (
    AcademicYear,
    GroupMember,
    GroupStaff,
    PupilGroup,
    School,
    SettingRow,
    Staff,
    Term,
)


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    # The value column alone: the grid reads the step rule on every load and save, and an ORM
    # row cost more than the rest of the read.
    value = session.exec(select(SettingRow.value).where(SettingRow.key == key)).first()
    return default if value is None else json.loads(value)


def set_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(SettingRow, key) or SettingRow(key=key, value="null")
    row.value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    session.add(row)


def school_name(session: Session) -> str | None:
    row = session.exec(select(School)).first()
    return None if row is None else row.name


def set_school(session: Session, name: str, urn: str | None = None,
               trust_name: str | None = None) -> None:
    row = session.exec(select(School)).first() or School(name=name)
    row.name, row.urn, row.trust_name = name, urn, trust_name
    session.add(row)


def ensure_year(session: Session, year: SchoolYear) -> uuid.UUID:
    row = session.exec(select(AcademicYear).where(AcademicYear.label == year.label)).first()
    if row is not None:
        return row.id
    row = AcademicYear(label=year.label, starts_on=year.starts_on, ends_on=year.ends_on)
    session.add(row)
    session.flush()
    for term in default_terms(year):
        session.add(Term(academic_year_id=row.id, name=term.name, starts_on=term.starts_on,
                         ends_on=term.ends_on))
    return row.id


def year_labels(session: Session) -> list[str]:
    return list(session.exec(select(AcademicYear.label).order_by(AcademicYear.starts_on.desc())))


def ensure_group(session: Session, year_id: uuid.UUID, name: str, kind: str = "class",
                 year_group: str | None = None) -> uuid.UUID:
    row = session.exec(select(PupilGroup).where(PupilGroup.academic_year_id == year_id,
                                                PupilGroup.name == name)).first()
    if row is None:
        row = PupilGroup(academic_year_id=year_id, name=name, kind=kind, year_group=year_group)
        session.add(row)
        session.flush()
    elif year_group and row.year_group != year_group and row.kind == "class":
        row.year_group = year_group
        session.add(row)
    return row.id


def groups(session: Session, year_label: str, kind: str | None = None,
           staff_id: uuid.UUID | None = None) -> list[GroupInfo]:
    """The groups of ``year_label`` (of one kind if given; only ``staff_id``'s own if given)."""
    count = (select(GroupMember.group_id, func.count().label("n"))
             .group_by(GroupMember.group_id).subquery())
    query = (select(PupilGroup, func.coalesce(count.c.n, 0))
             .join(AcademicYear, AcademicYear.id == PupilGroup.academic_year_id)
             .outerjoin(count, count.c.group_id == PupilGroup.id)
             .where(AcademicYear.label == year_label))
    if kind:
        query = query.where(PupilGroup.kind == kind)
    if staff_id is not None:
        query = query.where(PupilGroup.id.in_(
            select(GroupStaff.group_id).where(GroupStaff.staff_id == staff_id)))
    rows = session.exec(query).all()
    return [GroupInfo(g.id, g.name, g.kind, g.year_group, year_label, n) for g, n in rows]


def group_ids_of(session: Session, staff_id: uuid.UUID) -> set[uuid.UUID]:
    """The groups ``staff_id`` is assigned to, in any year."""
    return set(session.exec(select(GroupStaff.group_id).where(GroupStaff.staff_id == staff_id)))


def find_groups(session: Session, name: str) -> list[tuple[uuid.UUID, str]]:
    """Groups called ``name`` (any case), newest academic year first, with the year label."""
    rows = session.exec(
        select(PupilGroup.id, AcademicYear.label)
        .join(AcademicYear, AcademicYear.id == PupilGroup.academic_year_id)
        .where(func.lower(PupilGroup.name) == name.lower())
        .order_by(AcademicYear.starts_on.desc())
    ).all()
    return [(gid, label) for gid, label in rows]


def set_class_membership(session: Session, year_id: uuid.UUID, pupil_id: uuid.UUID,
                         group_id: uuid.UUID) -> bool:
    """Put a pupil in one class for the year (leaving any other class); True if it changed."""
    classes = select(PupilGroup.id).where(PupilGroup.academic_year_id == year_id,
                                          PupilGroup.kind == "class")
    current = session.exec(select(GroupMember).where(GroupMember.pupil_id == pupil_id,
                                                     GroupMember.group_id.in_(classes))).all()
    if [m.group_id for m in current] == [group_id]:
        return False
    for member in current:
        session.delete(member)
    session.add(GroupMember(group_id=group_id, pupil_id=pupil_id))
    return True


def add_staff(session: Session, login: str, name: str, initials: str, role: str,
              job_title: str = "") -> uuid.UUID:
    row = Staff(login=login, name=name, initials=initials, role=role, job_title=job_title)
    session.add(row)
    session.flush()
    return row.id


def staff_by_login(session: Session, login: str) -> StaffInfo | None:
    row = session.exec(select(Staff).where(func.lower(Staff.login) == login.lower())).first()
    return None if row is None else _staff(row)


def all_staff(session: Session) -> list[StaffInfo]:
    return [_staff(r) for r in session.exec(select(Staff).order_by(Staff.role, Staff.name))]


def set_staff_role(session: Session, staff_id: uuid.UUID, role: str) -> None:
    row = session.get(Staff, staff_id)
    assert row is not None
    row.role = role
    session.add(row)


def deactivate_staff(session: Session, staff_id: uuid.UUID) -> None:
    """A leaver: the row stays (their observations keep their name), marked inactive."""
    row = session.get(Staff, staff_id)
    assert row is not None
    row.active = False
    session.add(row)


def _staff(row: Staff) -> StaffInfo:
    return StaffInfo(row.id, row.login, row.name, row.initials, row.role, row.job_title, row.active)


def assign_staff(session: Session, group_id: uuid.UUID, staff_id: uuid.UUID) -> None:
    if session.get(GroupStaff, (group_id, staff_id)) is None:
        session.add(GroupStaff(group_id=group_id, staff_id=staff_id))


def set_members(session: Session, group_id: uuid.UUID, pupil_ids: list[uuid.UUID]) -> None:
    for member in session.exec(select(GroupMember).where(GroupMember.group_id == group_id)):
        session.delete(member)
    session.flush()
    for pupil_id in dict.fromkeys(pupil_ids):
        session.add(GroupMember(group_id=group_id, pupil_id=pupil_id))


def members(session: Session, group_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.exec(select(GroupMember.pupil_id).where(GroupMember.group_id == group_id)))


def class_memberships(session: Session, year_id: uuid.UUID) -> dict[uuid.UUID, uuid.UUID]:
    """pupil id -> the class they are in this academic year (one query, for bulk imports)."""
    rows = session.exec(select(GroupMember.pupil_id, GroupMember.group_id)
                        .join(PupilGroup, PupilGroup.id == GroupMember.group_id)
                        .where(PupilGroup.academic_year_id == year_id,
                               PupilGroup.kind == "class"))
    return {pupil: group for pupil, group in rows}


def move_to_classes(session: Session, year_id: uuid.UUID,
                    moves: dict[uuid.UUID, uuid.UUID]) -> None:
    """Put each pupil in the given class for the year, leaving their other class, in bulk."""
    if not moves:
        return
    classes = select(PupilGroup.id).where(PupilGroup.academic_year_id == year_id,
                                          PupilGroup.kind == "class")
    table = GroupMember.__table__
    pupils = list(moves)
    for start in range(0, len(pupils), 500):
        chunk = pupils[start:start + 500]
        session.connection().execute(table.delete().where(table.c.pupil_id.in_(chunk),
                                                          table.c.group_id.in_(classes)))
    session.connection().execute(table.insert(), [
        {"group_id": group, "pupil_id": pupil} for pupil, group in moves.items()])
