"""Careers tables (journey J5): the activities log, benchmark self-audits, the action plan and
pupils' aspirations. Imported by ``storage/schema.py`` so ``create_all`` sees them.

An activity keeps the classes it was recorded for *and* the pupils who actually took part
(expanded when it is saved), so a pupil moving class later does not rewrite history and an
absent child can be left out. Each self-audit is a dated snapshot that is never overwritten by a
later one, so audits can be compared year on year.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column, UniqueConstraint
from sqlalchemy import Text as SAText
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class CareersActivity(SQLModel, table=True):
    __tablename__ = "careers_activity"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    held_on: dt.date = Field(index=True)
    title: str = Field(max_length=200)
    kind: str = Field(max_length=40)  # a code from domain.careers.KINDS
    partner: str = Field(default="", max_length=200)
    sector: str = Field(default="", max_length=100)
    # The four "meaningful encounter" criteria (DOMAIN.md §2.4), one tick each.
    clear_purpose: bool = False
    pupils_prepared: bool = False
    two_way: bool = False
    reflection: bool = False
    notes: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)


class CareersActivityGroup(SQLModel, table=True):
    __tablename__ = "careers_activity_group"
    activity_id: uuid.UUID = Field(
        foreign_key="careers_activity.id", ondelete="CASCADE", primary_key=True
    )
    group_id: uuid.UUID = Field(foreign_key="pupil_group.id", ondelete="CASCADE", primary_key=True)


class CareersActivitySkill(SQLModel, table=True):
    __tablename__ = "careers_activity_skill"
    activity_id: uuid.UUID = Field(
        foreign_key="careers_activity.id", ondelete="CASCADE", primary_key=True
    )
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE", primary_key=True)


class CareersActivityPupil(SQLModel, table=True):
    """A pupil who took part (erasing a pupil removes the row, the activity stays)."""

    __tablename__ = "careers_activity_pupil"
    activity_id: uuid.UUID = Field(
        foreign_key="careers_activity.id", ondelete="CASCADE", primary_key=True
    )
    pupil_id: uuid.UUID = Field(
        foreign_key="pupil.id", ondelete="CASCADE", primary_key=True, index=True
    )


class CareersActivityBenchmark(SQLModel, table=True):
    """A benchmark an activity evidences; the self-audit finds its evidence through these."""

    __tablename__ = "careers_activity_benchmark"
    activity_id: uuid.UUID = Field(
        foreign_key="careers_activity.id", ondelete="CASCADE", primary_key=True
    )
    benchmark: str = Field(max_length=20, primary_key=True)


class CareersRoleModel(SQLModel, table=True):
    """A person pupils met, for the gender-stereotype check (job, gender, area of work)."""

    __tablename__ = "careers_role_model"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    activity_id: uuid.UUID = Field(
        foreign_key="careers_activity.id", ondelete="CASCADE", index=True
    )
    position: int = 0
    job: str = Field(max_length=100)
    gender: str = Field(max_length=10)  # female | male | other
    area: str = Field(max_length=20)    # a code from domain.careers.JOB_AREAS


class CareersActivityObservation(SQLModel, table=True):
    """Observations logged with an activity, so deleting the activity can withdraw them."""

    __tablename__ = "careers_activity_observation"
    activity_id: uuid.UUID = Field(
        foreign_key="careers_activity.id", ondelete="CASCADE", primary_key=True
    )
    observation_id: uuid.UUID = Field(
        foreign_key="observation.id", ondelete="CASCADE", primary_key=True
    )


class CareersAudit(SQLModel, table=True):
    """One dated benchmark self-audit; one per day (saving again that day replaces it)."""

    __tablename__ = "careers_audit"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    assessed_on: dt.date = Field(unique=True)
    assessed_by_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id",
                                             ondelete="SET NULL")
    note: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)


class CareersAuditEntry(SQLModel, table=True):
    __tablename__ = "careers_audit_entry"
    audit_id: uuid.UUID = Field(foreign_key="careers_audit.id", ondelete="CASCADE",
                                primary_key=True)
    criterion: str = Field(max_length=20, primary_key=True)
    benchmark: str = Field(max_length=20)
    status: str = Field(max_length=20)  # not-started | in-progress | achieved
    evidence: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))


class CareersAction(SQLModel, table=True):
    """A row of the careers action plan."""

    __tablename__ = "careers_action"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    benchmark: str = Field(max_length=20, index=True)
    action: str = Field(sa_column=Column(SAText, nullable=False))
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id", ondelete="SET NULL")
    due_on: dt.date
    status: str = Field(default="not-started", max_length=20)  # not-started | in-progress | done
    success_evidence: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    review_note: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    done_on: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)


class CareersAspiration(SQLModel, table=True):
    """What a pupil said they would like to do, at most once per academic year."""

    __tablename__ = "careers_aspiration"
    __table_args__ = (UniqueConstraint("pupil_id", "academic_year_id"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pupil_id: uuid.UUID = Field(foreign_key="pupil.id", ondelete="CASCADE", index=True)
    academic_year_id: uuid.UUID = Field(foreign_key="academic_year.id", ondelete="CASCADE")
    recorded_on: dt.date
    # The year group when it was said: pupils move up, the chart must not move with them.
    year_group: str = Field(max_length=3)
    text: str = Field(max_length=200)
    area: str = Field(max_length=20)  # a code from domain.careers.JOB_AREAS
