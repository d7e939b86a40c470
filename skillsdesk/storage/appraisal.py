"""Staff appraisal rows: cycles, self-assessments, practice observations, targets, training,
and the counts-only lunchtime aggregates. Everything comes back as plain records."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from skillsdesk.domain.appraisal import (
    CycleInfo,
    DayCount,
    PracticeInfo,
    SelfAssessmentInfo,
    TargetInfo,
    TrainingInfo,
)
from skillsdesk.storage.tables import Observation, Skill, Staff
from skillsdesk.storage.tables_appraisal import (
    AppraisalCycle,
    AppraisalTarget,
    PracticeObservation,
    SelfAssessment,
    TrainingRecord,
)

LUNCHTIME = "lunchtime"


# -- cycles -------------------------------------------------------------------------------------
def add_cycle(session: Session, staff_id: uuid.UUID, year: str, manager_id: uuid.UUID | None,
              framework_code: str, opened_on: dt.date) -> uuid.UUID:
    row = AppraisalCycle(staff_id=staff_id, academic_year=year, manager_id=manager_id,
                         framework_code=framework_code, opened_on=opened_on)
    session.add(row)
    session.flush()
    return row.id


def set_cycle(session: Session, cycle_id: uuid.UUID, **changes: Any) -> None:
    row = session.get(AppraisalCycle, cycle_id)
    if row is None:
        return
    for key, value in changes.items():
        setattr(row, key, value)
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)


def _cycle_query() -> Any:
    person, manager = aliased(Staff), aliased(Staff)
    return (select(AppraisalCycle, person, manager.name)
            .join(person, person.id == AppraisalCycle.staff_id)
            .outerjoin(manager, manager.id == AppraisalCycle.manager_id)), person, manager


def _cycle(row: AppraisalCycle, person: Staff, manager_name: str | None) -> CycleInfo:
    return CycleInfo(row.id, person.id, person.login, person.name, person.role, person.job_title,
                     row.academic_year, row.manager_id, manager_name, row.status,
                     row.framework_code, row.opened_on, row.completed_on)


def cycle(session: Session, cycle_id: uuid.UUID) -> CycleInfo | None:
    query, _person, _manager = _cycle_query()
    found = session.exec(query.where(AppraisalCycle.id == cycle_id)).first()
    return None if found is None else _cycle(*found)


def cycles(session: Session, *, staff_id: uuid.UUID | None = None,
           manager_id: uuid.UUID | None = None, year: str | None = None) -> list[CycleInfo]:
    """Cycles, newest year first, then by the staff member's name."""
    query, person, _manager = _cycle_query()
    if staff_id is not None:
        query = query.where(AppraisalCycle.staff_id == staff_id)
    if manager_id is not None:
        query = query.where(AppraisalCycle.manager_id == manager_id)
    if year is not None:
        query = query.where(AppraisalCycle.academic_year == year)
    query = query.order_by(AppraisalCycle.academic_year.desc(), person.name,
                           AppraisalCycle.opened_on)
    return [_cycle(*found) for found in session.exec(query)]


def managed_staff(session: Session, manager_id: uuid.UUID) -> set[uuid.UUID]:
    """Everyone whose line manager (in any cycle) is ``manager_id``."""
    return set(session.exec(select(AppraisalCycle.staff_id)
                            .where(AppraisalCycle.manager_id == manager_id)))


# -- entries ------------------------------------------------------------------------------------
def add_self_assessment(session: Session, cycle_id: uuid.UUID, skill_id: uuid.UUID, step: int,
                        comment: str, day: dt.date) -> uuid.UUID:
    row = SelfAssessment(cycle_id=cycle_id, skill_id=skill_id, step_number=step,
                         comment=comment, assessed_on=day)
    session.add(row)
    session.flush()
    return row.id


def add_practice(session: Session, cycle_id: uuid.UUID, skill_id: uuid.UUID, day: dt.date,
                 setting: str, seen: str, manager_id: uuid.UUID | None) -> uuid.UUID:
    row = PracticeObservation(cycle_id=cycle_id, skill_id=skill_id, observed_on=day,
                              setting=setting, seen=seen, manager_id=manager_id)
    session.add(row)
    session.flush()
    return row.id


def add_target(session: Session, cycle_id: uuid.UUID, skill_id: uuid.UUID | None, text: str,
               set_on: dt.date, review_on: dt.date) -> uuid.UUID:
    row = AppraisalTarget(cycle_id=cycle_id, skill_id=skill_id, text=text, set_on=set_on,
                          review_on=review_on)
    session.add(row)
    session.flush()
    return row.id


def target_cycle(session: Session, target_id: uuid.UUID) -> uuid.UUID | None:
    row = session.get(AppraisalTarget, target_id)
    return None if row is None else row.cycle_id


def set_target_met(session: Session, target_id: uuid.UUID, met_on: dt.date | None) -> None:
    row = session.get(AppraisalTarget, target_id)
    if row is not None:
        row.met_on = met_on
        session.add(row)


def add_training(session: Session, staff_id: uuid.UUID, day: dt.date, title: str, hours: float,
                 skill_id: uuid.UUID | None, changed: str) -> uuid.UUID:
    row = TrainingRecord(staff_id=staff_id, attended_on=day, title=title, hours=hours,
                         skill_id=skill_id, changed=changed)
    session.add(row)
    session.flush()
    return row.id


# -- correcting and deleting entries (hard delete: these tables have no deleted_at; the audit
# row keeps the values before) --------------------------------------------------------------
ENTRY_TABLES: dict[str, Any] = {"self_assessment": SelfAssessment,
                                "practice": PracticeObservation, "target": AppraisalTarget,
                                "training": TrainingRecord}
_NOT_VALUES = ("id", "created_at")


def entry_values(session: Session, kind: str, entry_id: uuid.UUID) -> dict[str, Any] | None:
    """One entry's columns as a plain dict (cycle_id or staff_id included), or None."""
    row = session.get(ENTRY_TABLES[kind], entry_id)
    if row is None:
        return None
    return {k: v for k, v in row.model_dump().items() if k not in _NOT_VALUES}


def update_entry(session: Session, kind: str, entry_id: uuid.UUID,
                 changes: dict[str, Any]) -> None:
    row = session.get(ENTRY_TABLES[kind], entry_id)
    if row is None:
        return
    for key, value in changes.items():
        setattr(row, key, value)
    session.add(row)


def entry_columns(kind: str) -> tuple[str, ...]:
    """The columns an entry's values hold (everything but its id and when it was made)."""
    return tuple(k for k in ENTRY_TABLES[kind].model_fields if k not in _NOT_VALUES)


def insert_entry(session: Session, kind: str, entry_id: uuid.UUID,
                 values: dict[str, Any]) -> None:
    """Put a deleted entry back under its own id (undo of a delete)."""
    session.add(ENTRY_TABLES[kind](id=entry_id, **values))
    session.flush()


def delete_entry(session: Session, kind: str, entry_id: uuid.UUID) -> None:
    row = session.get(ENTRY_TABLES[kind], entry_id)
    if row is not None:
        session.delete(row)
        session.flush()


def self_assessments(session: Session, cycle_id: uuid.UUID) -> list[SelfAssessmentInfo]:
    rows = session.exec(select(SelfAssessment, Skill.name).join(
        Skill, Skill.id == SelfAssessment.skill_id).where(SelfAssessment.cycle_id == cycle_id)
        .order_by(Skill.position, SelfAssessment.assessed_on, SelfAssessment.created_at))
    return [SelfAssessmentInfo(r.id, r.cycle_id, r.skill_id, name, r.step_number, r.comment,
                               r.assessed_on) for r, name in rows]


def practice(session: Session, cycle_id: uuid.UUID) -> list[PracticeInfo]:
    rows = session.exec(
        select(PracticeObservation, Skill.name, Staff.name)
        .join(Skill, Skill.id == PracticeObservation.skill_id)
        .outerjoin(Staff, Staff.id == PracticeObservation.manager_id)
        .where(PracticeObservation.cycle_id == cycle_id)
        .order_by(PracticeObservation.observed_on, Skill.position))
    return [PracticeInfo(r.id, r.cycle_id, r.skill_id, skill, r.observed_on, r.setting, r.seen,
                         manager) for r, skill, manager in rows]


def targets(session: Session, cycle_id: uuid.UUID) -> list[TargetInfo]:
    rows = session.exec(
        select(AppraisalTarget, Skill.name)
        .outerjoin(Skill, Skill.id == AppraisalTarget.skill_id)
        .where(AppraisalTarget.cycle_id == cycle_id)
        .order_by(AppraisalTarget.review_on, AppraisalTarget.created_at))
    return [TargetInfo(r.id, r.cycle_id, r.skill_id, skill, r.text, r.set_on, r.review_on,
                       r.met_on) for r, skill in rows]


def training(session: Session, staff_id: uuid.UUID, start: dt.date | None = None,
             end: dt.date | None = None) -> list[TrainingInfo]:
    query = (select(TrainingRecord, Skill.name)
             .outerjoin(Skill, Skill.id == TrainingRecord.skill_id)
             .where(TrainingRecord.staff_id == staff_id))
    if start is not None:
        query = query.where(TrainingRecord.attended_on >= start)
    if end is not None:
        query = query.where(TrainingRecord.attended_on <= end)
    rows = session.exec(query.order_by(TrainingRecord.attended_on, TrainingRecord.created_at))
    return [TrainingInfo(r.id, r.staff_id, r.attended_on, r.title, r.hours, r.skill_id, skill,
                         r.changed) for r, skill in rows]


# -- counts only (lunchtime practice view, trust export) ----------------------------------------
def lunchtime_days(session: Session, observer_id: uuid.UUID, start: dt.date,
                   end: dt.date) -> list[DayCount]:
    """How many lunchtime observations of children ``observer_id`` logged, per skill and day."""
    rows = session.exec(
        select(Observation.skill_id, Observation.observed_on, func.count())
        .where(Observation.observer_id == observer_id, Observation.setting == LUNCHTIME,
               Observation.deleted_at.is_(None), Observation.observed_on >= start,
               Observation.observed_on <= end)
        .group_by(Observation.skill_id, Observation.observed_on))
    return [DayCount(skill, day, int(n)) for skill, day, n in rows]


def lunchtime_by_skill(session: Session, start: dt.date, end: dt.date
                       ) -> dict[uuid.UUID, tuple[int, int]]:
    """skill id -> (lunchtime observations, different children) across the school."""
    rows = session.exec(
        select(Observation.skill_id, func.count(), func.count(Observation.pupil_id.distinct()))
        .where(Observation.setting == LUNCHTIME, Observation.deleted_at.is_(None),
               Observation.observed_on >= start, Observation.observed_on <= end)
        .group_by(Observation.skill_id))
    return {skill: (int(n), int(children)) for skill, n, children in rows}


def cycle_counts(session: Session, year: str) -> dict[tuple[str, str], int]:
    """(role, status) -> number of cycles in ``year`` (for the trust export: counts only)."""
    rows = session.exec(
        select(Staff.role, AppraisalCycle.status, func.count())
        .join(Staff, Staff.id == AppraisalCycle.staff_id)
        .where(AppraisalCycle.academic_year == year)
        .group_by(Staff.role, AppraisalCycle.status))
    return {(role, status): int(n) for role, status, n in rows}


def training_hours_by_role(session: Session, start: dt.date, end: dt.date
                           ) -> dict[str, tuple[float, int]]:
    """role -> (training hours in total, people trained) from ``start`` to ``end``."""
    rows = session.exec(
        select(Staff.role, func.sum(TrainingRecord.hours),
               func.count(TrainingRecord.staff_id.distinct()))
        .join(Staff, Staff.id == TrainingRecord.staff_id)
        .where(TrainingRecord.attended_on >= start, TrainingRecord.attended_on <= end)
        .group_by(Staff.role))
    return {role: (float(hours or 0), int(people)) for role, hours, people in rows}
