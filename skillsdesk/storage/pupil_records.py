"""Everything held about one pupil: gathered for subject access, removed for erasure (G19, G20).

The tables that hold rows about a pupil are found from the schema itself (every foreign key to
``pupil.id``), so a table another area adds later is covered without a change here. Rows that
point at those rows (a careers activity's link to an observation) go with them by their own
``ON DELETE CASCADE``. Drafts name pupils inside their JSON context, so they are matched by id.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import uuid
from typing import Any

from sqlalchemy import Table, delete, select
from sqlmodel import Session, SQLModel

from skillsdesk.storage import schema  # noqa: F401 - registers every table with the metadata
from skillsdesk.storage.pupils import no_such_pupil
from skillsdesk.storage.tables import (
    AcademicYear,
    Framework,
    GroupMember,
    Observation,
    Pupil,
    PupilGroup,
    Skill,
    Staff,
    Target,
)
from skillsdesk.storage.tables_drafts import Draft

# Shown in their own sections of a subject access bundle (or, for the pupil, at its head).
_STRUCTURED = {"pupil", "observation", "target", "group_member"}


def plain(value: Any) -> Any:
    """A column value as JSON can hold it."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, bytes | bytearray | memoryview):  # a photo: JSON holds text only
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def referencing_tables() -> list[tuple[Table, str]]:
    """(table, column) for every column with a foreign key to ``pupil.id``."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.target_fullname == "pupil.id" for fk in column.foreign_keys):
                found.append((table, column.name))
    return found


def pupil_by_admission(session: Session, admission_number: str) -> dict[str, Any]:
    """The pupil's row, on roll or a leaver; NotFound, naming the number, when there is none."""
    pupil = session.execute(select(Pupil).where(
        Pupil.admission_number == admission_number)).scalars().first()  # type: ignore[arg-type]
    if pupil is None:
        raise no_such_pupil(admission_number)
    return {c.name: getattr(pupil, c.name) for c in Pupil.__table__.columns}  # type: ignore[attr-defined]


def _drafts_about(session: Session, pupil_id: uuid.UUID) -> list[Draft]:
    wanted = str(pupil_id)
    found = []
    for draft in session.execute(select(Draft)).scalars():
        try:
            ids = json.loads(draft.context_json).get("pupil_ids", [])
        except (ValueError, AttributeError):
            ids = []
        if wanted in ids:
            found.append(draft)
    return found


def erase(session: Session, pupil_id: uuid.UUID) -> dict[str, int]:
    """Delete every row about the pupil, the pupil last; returns rows deleted per table."""
    counts: dict[str, int] = {}
    for table, column in referencing_tables():
        result = session.execute(delete(table).where(table.c[column] == pupil_id))
        if result.rowcount:  # type: ignore[attr-defined]
            counts[table.name] = counts.get(table.name, 0) + int(result.rowcount)  # type: ignore[attr-defined]
    drafts = _drafts_about(session, pupil_id)
    for draft in drafts:
        session.delete(draft)
    if drafts:
        counts["draft"] = len(drafts)
    session.flush()
    result = session.execute(delete(Pupil).where(Pupil.id == pupil_id))  # type: ignore[arg-type]
    counts["pupil"] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    return counts


def subject_data(session: Session, pupil_id: uuid.UUID) -> dict[str, Any]:
    """Every row about the pupil, as plain JSON-ready data (nothing about anyone else).

    The UPN's value is left out (``upn_held`` says whether there is one); see ``upn_value``.
    """
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise LookupError(pupil_id)
    record = {c.name: plain(getattr(pupil, c.name))
              for c in Pupil.__table__.columns  # type: ignore[attr-defined]
              if c.name != "upn"}
    # The UPN is a "blind number" (DOMAIN.md §3.3): never shown, printed or exported, so a
    # subject access bundle says only whether one is held; the school office confirms it.
    record["upn_held"] = bool(pupil.upn)
    groups = [
        {"academic_year": label, "name": name, "kind": kind, "year_group": year_group}
        for label, name, kind, year_group in session.execute(
            select(AcademicYear.label, PupilGroup.name, PupilGroup.kind, PupilGroup.year_group)
            .join(PupilGroup, PupilGroup.academic_year_id == AcademicYear.id)
            .join(GroupMember, GroupMember.group_id == PupilGroup.id)
            .where(GroupMember.pupil_id == pupil_id)
            .order_by(AcademicYear.starts_on, PupilGroup.name))
    ]
    observations = [
        {"id": plain(o.id), "observed_on": plain(o.observed_on), "framework": fw,
         "skill": skill, "step": o.step_number, "level": o.level, "setting": o.setting,
         "note": o.note, "staff_only": bool(o.staff_only), "observer": observer,
         "source": o.source,
         "recorded_at": plain(o.created_at), "updated_at": plain(o.updated_at),
         "deleted_at": plain(o.deleted_at)}
        for o, skill, fw, observer in session.execute(
            select(Observation, Skill.name, Framework.code, Staff.name)
            .join(Skill, Skill.id == Observation.skill_id)
            .join(Framework, Framework.id == Skill.framework_id)
            .outerjoin(Staff, Staff.id == Observation.observer_id)
            .where(Observation.pupil_id == pupil_id)
            .order_by(Observation.observed_on, Observation.created_at))
    ]
    targets = [
        {"skill": skill, "step": t.step_number, "set_on": plain(t.set_on),
         "due_on": plain(t.due_on), "met_on": plain(t.met_on)}
        for t, skill in session.execute(
            select(Target, Skill.name).join(Skill, Skill.id == Target.skill_id)
            .where(Target.pupil_id == pupil_id).order_by(Target.set_on))
    ]
    other: dict[str, list[dict[str, Any]]] = {}
    for table, column in referencing_tables():
        if table.name in _STRUCTURED:
            continue
        rows = session.execute(select(table).where(table.c[column] == pupil_id)).mappings()
        found = [{k: plain(v) for k, v in row.items()} for row in rows]
        if found:
            other.setdefault(table.name, []).extend(found)
    drafts = [{"text": d.text, "saved_at": plain(d.saved_at)}
              for d in _drafts_about(session, pupil_id)]
    return {"pupil": record, "groups": groups, "observations": observations,
            "targets": targets, "other_records": other, "drafts": drafts}


def upn_value(session: Session, pupil_id: uuid.UUID) -> str | None:
    """The pupil's UPN, only so a bundle can make sure the value appears nowhere in it."""
    return session.execute(select(Pupil.upn).where(
        Pupil.id == pupil_id)).scalar_one_or_none()  # type: ignore[arg-type]


def other_pupil_names(session: Session, pupil_id: uuid.UUID) -> list[tuple[str, str]]:
    """(first, last) for every other pupil, legal and preferred forms, to spot in notes."""
    names: set[tuple[str, str]] = set()
    for legal_first, legal_last, pref_first, pref_last in session.execute(
            select(Pupil.legal_first_name, Pupil.legal_last_name, Pupil.preferred_first_name,
                   Pupil.preferred_last_name).where(Pupil.id != pupil_id)):
        names.add((legal_first, legal_last))
        names.add((pref_first or legal_first, pref_last or legal_last))
    return sorted(names)


def leavers(session: Session) -> list[dict[str, Any]]:
    """Pupils with a leaving date, earliest leaver first."""
    rows = session.execute(
        select(Pupil.id, Pupil.admission_number, Pupil.legal_first_name, Pupil.legal_last_name,
               Pupil.preferred_first_name, Pupil.preferred_last_name, Pupil.left_on)
        .where(Pupil.left_on.is_not(None))  # type: ignore[union-attr]
        .order_by(Pupil.left_on, Pupil.admission_number))
    return [{"id": r[0], "admission_number": r[1], "first_name": r[4] or r[2],
             "last_name": r[5] or r[3], "left_on": r[6]} for r in rows]
