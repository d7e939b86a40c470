"""Staff appraisal tables (journey J4), kept apart from every pupil table.

Nothing here points at a pupil, so subject access, erasure and the pupil-level exports never
reach staff records. Self-assessments, practice observations and targets hang off a cycle
(one per staff member and academic year by default); training belongs to the person, because
a course counts whichever cycle it falls in. Skills are the framework's own rows: appraisal
reuses the framework, it does not copy it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column
from sqlalchemy import Text as SAText
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AppraisalCycle(SQLModel, table=True):
    __tablename__ = "appraisal_cycle"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    staff_id: uuid.UUID = Field(foreign_key="staff.id", ondelete="CASCADE", index=True)
    academic_year: str = Field(max_length=20)  # a label like 2026/27
    manager_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id",
                                         ondelete="SET NULL", index=True)
    status: str = Field(default="open", max_length=20)  # open | complete
    framework_code: str = Field(max_length=60)
    opened_on: dt.date
    completed_on: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)


class SelfAssessment(SQLModel, table=True):
    """The staff member's own judgement of their step in a skill; later ones add history."""

    __tablename__ = "appraisal_self_assessment"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    cycle_id: uuid.UUID = Field(foreign_key="appraisal_cycle.id", ondelete="CASCADE", index=True)
    skill_id: uuid.UUID = Field(foreign_key="skill.id")
    step_number: int
    comment: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    assessed_on: dt.date
    created_at: dt.datetime = Field(default_factory=_now)


class PracticeObservation(SQLModel, table=True):
    """What the line manager saw of the staff member's practice (e.g. coaching at lunchtime)."""

    __tablename__ = "appraisal_practice"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    cycle_id: uuid.UUID = Field(foreign_key="appraisal_cycle.id", ondelete="CASCADE", index=True)
    skill_id: uuid.UUID = Field(foreign_key="skill.id")
    observed_on: dt.date
    setting: str = Field(max_length=20)
    seen: str = Field(sa_column=Column(SAText, nullable=False))
    manager_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id",
                                         ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=_now)


class AppraisalTarget(SQLModel, table=True):
    __tablename__ = "appraisal_target"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    cycle_id: uuid.UUID = Field(foreign_key="appraisal_cycle.id", ondelete="CASCADE", index=True)
    skill_id: uuid.UUID | None = Field(default=None, foreign_key="skill.id")
    text: str = Field(sa_column=Column(SAText, nullable=False))
    set_on: dt.date
    review_on: dt.date
    met_on: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=_now)


class TrainingRecord(SQLModel, table=True):
    __tablename__ = "appraisal_training"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    staff_id: uuid.UUID = Field(foreign_key="staff.id", ondelete="CASCADE", index=True)
    attended_on: dt.date
    title: str = Field(max_length=200)
    hours: float
    skill_id: uuid.UUID | None = Field(default=None, foreign_key="skill.id")
    changed: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    created_at: dt.datetime = Field(default_factory=_now)
