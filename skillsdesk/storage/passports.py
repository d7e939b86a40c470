"""Rows a passport reads: the teacher's note and picks, highlighted and family observations,
framework translations and the school's logo. Everything is fetched for a whole batch of pupils
at once (chunked for SQLite's parameter limit), never pupil by pupil.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from skillsdesk.domain.steprule import INDEPENDENTLY
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.tables import (
    AcademicYear,
    GroupMember,
    GroupStaff,
    Observation,
    Pupil,
    PupilGroup,
    Skill,
    Step,
)
from skillsdesk.storage.tables_passports import FamilyNote, PassportNote

CHUNK = 500
LOGO_SETTING = "school_logo"


@dataclass(frozen=True)
class NoteRow:
    teacher_comment: str
    picked: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class MomentRow:
    id: uuid.UUID | None
    pupil_id: uuid.UUID
    skill_id: uuid.UUID | None
    step: int | None
    on: dt.date
    level: int | None
    note: str


def _chunks(ids: list[uuid.UUID]) -> list[list[uuid.UUID]]:
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _year_id(session: Session, year_label: str) -> uuid.UUID | None:
    return session.exec(select(AcademicYear.id).where(AcademicYear.label == year_label)).first()


def notes_for(session: Session, pupil_ids: list[uuid.UUID],
              year_label: str) -> dict[uuid.UUID, NoteRow]:
    year = _year_id(session, year_label)
    found: dict[uuid.UUID, NoteRow] = {}
    if year is None:
        return found
    for chunk in _chunks(pupil_ids):
        rows = session.exec(select(PassportNote).where(PassportNote.academic_year_id == year,
                                                       PassportNote.pupil_id.in_(chunk)))
        for row in rows:
            picked = tuple(uuid.UUID(text) for text in json.loads(row.picked_json))
            found[row.pupil_id] = NoteRow(row.teacher_comment, picked)
    return found


def save_note(session: Session, pupil_id: uuid.UUID, year_label: str, *,
              teacher_comment: str | None = None,
              picked: list[uuid.UUID] | None = None) -> None:
    """Change the comment and/or the picks (None leaves that part as it was)."""
    year = _year_id(session, year_label)
    if year is None:
        raise LookupError(year_label)
    row = session.exec(select(PassportNote).where(PassportNote.academic_year_id == year,
                                                  PassportNote.pupil_id == pupil_id)).first()
    row = row or PassportNote(pupil_id=pupil_id, academic_year_id=year)
    if teacher_comment is not None:
        row.teacher_comment = teacher_comment
    if picked is not None:
        row.picked_json = json.dumps([str(i) for i in picked])
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)


def _moment(obs: Any) -> MomentRow:
    return MomentRow(obs.id, obs.pupil_id, obs.skill_id, obs.step_number, obs.observed_on,
                     obs.level, obs.note or "")


def highlights(session: Session, pupil_ids: list[uuid.UUID], skill_ids: list[uuid.UUID],
               per_pupil: int = 3) -> dict[uuid.UUID, list[MomentRow]]:
    """Each pupil's most recent staff observations seen independently or secured, with a note
    (never a staff-only one: passports go home)."""
    found: dict[uuid.UUID, list[MomentRow]] = {}
    for chunk in _chunks(pupil_ids):
        rank = func.row_number().over(
            partition_by=Observation.pupil_id,
            order_by=(Observation.observed_on.desc(), Observation.created_at.desc(),
                      Observation.id)).label("rank")
        ranked = (select(Observation.id, rank)
                  .where(Observation.pupil_id.in_(chunk), Observation.skill_id.in_(skill_ids),
                         Observation.deleted_at.is_(None), Observation.source == "staff",
                         Observation.level >= INDEPENDENTLY, Observation.note.is_not(None),
                         func.trim(Observation.note) != "", Observation.staff_only.is_(False))
                  .subquery())
        rows = session.exec(select(Observation).join(ranked, ranked.c.id == Observation.id)
                            .where(ranked.c.rank <= per_pupil)
                            .order_by(Observation.observed_on.desc(),
                                      Observation.created_at.desc()))
        for row in rows:
            found.setdefault(row.pupil_id, []).append(_moment(row))
    return found


def observations_by_id(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, MomentRow]:
    """Live observations among ``ids`` (a picked one that was deleted, or later marked staff
    only, simply drops out)."""
    found: dict[uuid.UUID, MomentRow] = {}
    for chunk in _chunks(ids):
        rows = session.exec(select(Observation).where(Observation.id.in_(chunk),
                                                      Observation.deleted_at.is_(None),
                                                      Observation.staff_only.is_(False)))
        found.update((row.id, _moment(row)) for row in rows)
    return found


def family_moments(session: Session, pupil_ids: list[uuid.UUID], skill_ids: list[uuid.UUID],
                   since: dt.date, per_pupil: int = 3) -> dict[uuid.UUID, list[MomentRow]]:
    """What families told the school since ``since``: parent observations and skill-less notes,
    newest first."""
    found: dict[uuid.UUID, list[MomentRow]] = {}
    for chunk in _chunks(pupil_ids):
        observed = session.exec(select(Observation).where(
            Observation.pupil_id.in_(chunk), Observation.skill_id.in_(skill_ids),
            Observation.source == "parent", Observation.deleted_at.is_(None),
            Observation.observed_on >= since, Observation.note.is_not(None),
            Observation.staff_only.is_(False)))
        for row in observed:
            found.setdefault(row.pupil_id, []).append(_moment(row))
        notes = session.exec(select(FamilyNote).where(FamilyNote.pupil_id.in_(chunk),
                                                      FamilyNote.noted_on >= since))
        for note in notes:
            found.setdefault(note.pupil_id, []).append(
                MomentRow(None, note.pupil_id, None, None, note.noted_on, None, note.text))
    return {pupil: sorted(rows, key=lambda r: r.on, reverse=True)[:per_pupil]
            for pupil, rows in found.items()}


def add_family_note(session: Session, pupil_id: uuid.UUID, noted_on: dt.date,
                    text: str) -> uuid.UUID:
    row = FamilyNote(pupil_id=pupil_id, noted_on=noted_on, text=text)
    session.add(row)
    session.flush()
    return row.id


def candidates(session: Session, pupil_id: uuid.UUID, skill_ids: list[uuid.UUID],
               limit: int = 60) -> list[MomentRow]:
    """Staff observations with a note that a teacher may pick for the passport, newest first
    (staff-only notes are never offered)."""
    rows = session.exec(select(Observation).where(
        Observation.pupil_id == pupil_id, Observation.skill_id.in_(skill_ids),
        Observation.deleted_at.is_(None), Observation.source == "staff",
        Observation.note.is_not(None), func.trim(Observation.note) != "",
        Observation.staff_only.is_(False))
        .order_by(Observation.observed_on.desc(), Observation.created_at.desc()).limit(limit))
    return [_moment(row) for row in rows]


def translations(session: Session, skill_ids: list[uuid.UUID]) -> tuple[
        dict[uuid.UUID, dict[str, dict[str, str]]],
        dict[tuple[uuid.UUID, int], dict[str, dict[str, str]]]]:
    """Skill and step texts per locale, where the framework carries them."""
    skills = {sid: json.loads(text) for sid, text in session.exec(
        select(Skill.id, Skill.translations_json).where(Skill.id.in_(skill_ids)))}
    steps = {(sid, number): json.loads(text) for sid, number, text in session.exec(
        select(Step.skill_id, Step.number, Step.translations_json)
        .where(Step.skill_id.in_(skill_ids), Step.translations_json != "{}"))}
    return ({k: v for k, v in skills.items() if v}, {k: v for k, v in steps.items() if v})


def pupils_taught_by(session: Session, staff_id: uuid.UUID, year_label: str) -> set[uuid.UUID]:
    """Pupils in the groups this member of staff is assigned to in ``year_label``."""
    rows = session.exec(
        select(GroupMember.pupil_id)
        .join(GroupStaff, GroupStaff.group_id == GroupMember.group_id)
        .join(PupilGroup, PupilGroup.id == GroupMember.group_id)
        .join(AcademicYear, AcademicYear.id == PupilGroup.academic_year_id)
        .where(GroupStaff.staff_id == staff_id, AcademicYear.label == year_label))
    return set(rows)


@dataclass(frozen=True)
class LeaverYear:
    """The school year a leaver's passport speaks of: their last class's, or the year they
    left in when they were never in a class."""

    year_label: str
    starts_on: dt.date
    class_name: str | None


def leaver_years(session: Session, pupil_ids: list[uuid.UUID]) -> dict[uuid.UUID, LeaverYear]:
    """For each pupil among ``pupil_ids`` who has left: their last class and its year."""
    from skillsdesk.domain.calendar import school_year_of

    found: dict[uuid.UUID, LeaverYear] = {}
    for chunk in _chunks(pupil_ids):
        left = dict(session.exec(select(Pupil.id, Pupil.left_on).where(
            Pupil.id.in_(chunk), Pupil.left_on.is_not(None))).all())
        if not left:
            continue
        rows = session.exec(
            select(GroupMember.pupil_id, PupilGroup.name, AcademicYear.label,
                   AcademicYear.starts_on)
            .join(PupilGroup, PupilGroup.id == GroupMember.group_id)
            .join(AcademicYear, AcademicYear.id == PupilGroup.academic_year_id)
            .where(GroupMember.pupil_id.in_(list(left)), PupilGroup.kind == "class")
            .order_by(AcademicYear.starts_on, PupilGroup.name))
        for pupil_id, name, label, starts_on in rows:
            found[pupil_id] = LeaverYear(label, starts_on, name)  # the latest year wins
        for pupil_id, left_on in left.items():
            if pupil_id not in found:
                year = school_year_of(left_on - dt.timedelta(days=1))
                found[pupil_id] = LeaverYear(year.label, year.starts_on, None)
    return found


def logo(session: Session) -> bytes | None:
    encoded = school_repo.get_setting(session, LOGO_SETTING)
    return base64.b64decode(encoded) if encoded else None


def set_logo(session: Session, data: bytes | None) -> None:
    school_repo.set_setting(session, LOGO_SETTING,
                            base64.b64encode(data).decode("ascii") if data else None)
