"""Passport tables (journey J3): the teacher's words and picks for a pupil's passport this year,
and notes from families that are not about one skill. Imported by ``storage/schema.py`` so
``create_all`` sees them.

A family's note about a particular skill is an ordinary observation (source "parent", setting
"home"), so it appears in the pupil's timeline too; only a note that names no skill lives here,
because an observation needs a skill and a step.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column, UniqueConstraint
from sqlalchemy import Text as SAText
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PassportNote(SQLModel, table=True):
    """One per pupil per academic year: the teacher's comment and the moments they picked."""

    __tablename__ = "passport_note"
    __table_args__ = (UniqueConstraint("pupil_id", "academic_year_id"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pupil_id: uuid.UUID = Field(foreign_key="pupil.id", ondelete="CASCADE", index=True)
    academic_year_id: uuid.UUID = Field(foreign_key="academic_year.id", ondelete="CASCADE")
    teacher_comment: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    # Observation ids (JSON list of strings) in the order the teacher wants them shown.
    picked_json: str = Field(default="[]", sa_column=Column(SAText, nullable=False, default="[]"))
    updated_at: dt.datetime = Field(default_factory=_now)


class FamilyNote(SQLModel, table=True):
    """What a family wrote on a returned slip when it names no particular skill."""

    __tablename__ = "family_note"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pupil_id: uuid.UUID = Field(foreign_key="pupil.id", ondelete="CASCADE", index=True)
    noted_on: dt.date
    text: str = Field(sa_column=Column(SAText, nullable=False))
    created_at: dt.datetime = Field(default_factory=_now)
