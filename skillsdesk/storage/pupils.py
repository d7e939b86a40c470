"""Pupil rows: look-ups by admission number, bulk insert and update, and listings."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, insert, update
from sqlmodel import Session, select

from skillsdesk.domain.errors import NotFound
from skillsdesk.domain.records import PupilInfo
from skillsdesk.domain.yeargroups import year_group_rank
from skillsdesk.i18n import _
from skillsdesk.storage.tables import AcademicYear, GroupMember, GroupStaff, Pupil, PupilGroup

# The columns an import may write, in the order the importer reports them.
IMPORT_COLUMNS = (
    "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name",
    "year_group", "gender", "sen", "pupil_premium", "eal", "first_language", "upn",
)


# Core inserts bypass the model's Python defaults, so they are filled in here.
_DEFAULTS = {"sen": "N", "pupil_premium": False, "eal": False, "photo_consent": False,
             "protected": False}
_NULLABLE = ("preferred_first_name", "preferred_last_name", "gender", "first_language", "upn",
             "started_on", "left_on")


def current_values(session: Session, numbers: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Admission number -> id and importable columns, for the pupils that already exist."""
    wanted = list(dict.fromkeys(numbers))
    found: dict[str, dict[str, Any]] = {}
    columns = [getattr(Pupil, c) for c in IMPORT_COLUMNS]
    # Chunked: SQLite limits the number of bound parameters in one statement.
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows = session.exec(select(Pupil.id, Pupil.admission_number, *columns)
                            .where(Pupil.admission_number.in_(chunk)))
        for row in rows:
            values = dict(zip(IMPORT_COLUMNS, row[2:], strict=True))
            values["id"] = row[0]
            found[row[1]] = values
    return found


def assign_id(row: dict[str, Any]) -> uuid.UUID:
    """Give a new pupil row its id before it is inserted (so memberships can refer to it)."""
    return row.setdefault("id", uuid.uuid4())


def insert_pupils(session: Session, rows: list[dict[str, Any]]) -> list[uuid.UUID]:
    now = dt.datetime.now(dt.UTC)
    ids = []
    for row in rows:
        row.setdefault("id", uuid.uuid4())
        row.setdefault("created_at", now)
        row.setdefault("updated_at", now)
        for column, default in _DEFAULTS.items():
            if row.get(column) is None:
                row[column] = default
        for column in _NULLABLE:
            row.setdefault(column, None)
        ids.append(row["id"])
    if rows:
        # Core insert on the table: one executemany, not one statement per None pattern.
        session.connection().execute(insert(Pupil.__table__), rows)
    return ids


def update_pupil(session: Session, pupil_id: uuid.UUID, changes: dict[str, Any]) -> None:
    changes = {**changes, "updated_at": dt.datetime.now(dt.UTC)}
    session.execute(update(Pupil).where(Pupil.id == pupil_id).values(**changes))


def pupil_id(session: Session, admission_number: str) -> uuid.UUID | None:
    return session.exec(select(Pupil.id).where(Pupil.admission_number == admission_number)).first()


def no_such_pupil(admission_number: str) -> NotFound:
    """The one error for an admission number that no pupil (on roll or a leaver) has, or that
    the member of staff may not see: raise it, never a message of its own."""
    return NotFound(_("No pupil has admission number {adno}.").format(adno=admission_number))


def existing_pupil_id(session: Session, admission_number: str) -> uuid.UUID:
    """The pupil's id; ``no_such_pupil`` when there is none."""
    pid = pupil_id(session, admission_number)
    if pid is None:
        raise no_such_pupil(admission_number)
    return pid


def ids_by_admission(session: Session) -> dict[str, uuid.UUID]:
    return {adno: pid for adno, pid in session.exec(select(Pupil.admission_number, Pupil.id))}


def in_groups_of(staff_id: uuid.UUID) -> Any:
    """A subquery of the pupils in any group ``staff_id`` is assigned to (their "own groups").

    Kept in SQL so a scoped read filters by membership inside its query (group_member is
    indexed by pupil), never row by row in Python.
    """
    return (select(GroupMember.pupil_id)
            .join(GroupStaff, GroupStaff.group_id == GroupMember.group_id)
            .where(GroupStaff.staff_id == staff_id))


def visible_ids(session: Session, staff_id: uuid.UUID,
                among: Iterable[uuid.UUID] | None = None) -> set[uuid.UUID]:
    """Which pupils (of ``among``, if given) are in ``staff_id``'s groups: one query."""
    query = select(Pupil.id).where(Pupil.id.in_(in_groups_of(staff_id)))
    if among is None:
        return set(session.exec(query))
    wanted = list(among)
    found: set[uuid.UUID] = set()
    for start in range(0, len(wanted), 500):
        found.update(session.exec(query.where(Pupil.id.in_(wanted[start:start + 500]))))
    return found


def list_pupils(session: Session, year_label: str, group_id: uuid.UUID | None = None,
                pupil_ids: Iterable[uuid.UUID] | None = None,
                staff_id: uuid.UUID | None = None) -> list[PupilInfo]:
    """Pupils on roll with their class in ``year_label``; only a group's members if given,
    and only those in ``staff_id``'s own groups if that is given."""
    classes = (select(GroupMember.pupil_id, PupilGroup.name)
               .join(PupilGroup, PupilGroup.id == GroupMember.group_id)
               .join(AcademicYear, AcademicYear.id == PupilGroup.academic_year_id)
               .where(and_(AcademicYear.label == year_label, PupilGroup.kind == "class"))
               .subquery())
    query = (select(Pupil, classes.c.name).outerjoin(classes, classes.c.pupil_id == Pupil.id)
             .where(Pupil.left_on.is_(None)))
    if group_id is not None:
        members = select(GroupMember.pupil_id).where(GroupMember.group_id == group_id)
        query = query.where(Pupil.id.in_(members))
    if pupil_ids is not None:
        query = query.where(Pupil.id.in_(list(pupil_ids)))
    if staff_id is not None:
        query = query.where(Pupil.id.in_(in_groups_of(staff_id)))
    result = [_info(p, name) for p, name in session.exec(query)]
    result.sort(key=lambda p: (year_group_rank(p.year_group), p.class_name or "",
                               p.last_name.casefold(), p.first_name.casefold()))
    return result


def _info(p: Pupil, class_name: str | None) -> PupilInfo:
    return PupilInfo(
        id=p.id, admission_number=p.admission_number,
        first_name=p.preferred_first_name or p.legal_first_name,
        last_name=p.preferred_last_name or p.legal_last_name,
        legal_first_name=p.legal_first_name, legal_last_name=p.legal_last_name,
        year_group=p.year_group, class_name=class_name, gender=p.gender, sen=p.sen,
        pupil_premium=p.pupil_premium, eal=p.eal, first_language=p.first_language,
    )
