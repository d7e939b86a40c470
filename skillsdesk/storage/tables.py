"""The tables, as SQLModel classes. Only storage/ sees these; other layers get plain records.

Every record that may one day be merged across laptops or schools has a UUID key. Dates are
calendar dates (the day a thing was seen, in school time); instants are UTC.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint, text
from sqlalchemy import Text as SAText
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SchemaVersion(SQLModel, table=True):
    __tablename__ = "schema_version"
    id: int = Field(default=1, primary_key=True)
    version: int


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(SAText, nullable=False))  # JSON


class School(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    urn: str | None = Field(default=None, max_length=20)
    trust_name: str | None = Field(default=None, max_length=200)


class AcademicYear(SQLModel, table=True):
    __tablename__ = "academic_year"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    label: str = Field(max_length=20, unique=True)
    starts_on: dt.date
    ends_on: dt.date


class Term(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    academic_year_id: uuid.UUID = Field(foreign_key="academic_year.id", ondelete="CASCADE")
    name: str = Field(max_length=20)
    starts_on: dt.date
    ends_on: dt.date


class Framework(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=200)
    version: str = Field(max_length=40)
    licence: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    description: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    structure_only: bool = False
    expected_json: str = Field(default="{}", sa_column=Column(SAText, nullable=False))
    imported_at: dt.datetime = Field(default_factory=_now)


class Skill(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("framework_id", "code"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    framework_id: uuid.UUID = Field(foreign_key="framework.id", ondelete="CASCADE", index=True)
    code: str = Field(max_length=60)
    name: str = Field(max_length=200)
    colour: str = Field(max_length=9)
    description: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    position: int
    translations_json: str = Field(default="{}", sa_column=Column(SAText, nullable=False))
    archived: bool = False


class Step(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("skill_id", "number"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE")
    number: int
    descriptor: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    child: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    home: str = Field(default="", sa_column=Column(SAText, nullable=False, default=""))
    translations_json: str = Field(default="{}", sa_column=Column(SAText, nullable=False))
    # Removing a step from a framework archives it, so old observations still render.
    archived: bool = False


class SkillLink(SQLModel, table=True):
    __tablename__ = "skill_link"
    __table_args__ = (UniqueConstraint("from_skill_id", "to_skill_id"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    from_skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE")
    to_skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE")
    weight: str = Field(max_length=10)


class Staff(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    login: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=200)
    initials: str = Field(max_length=6)
    role: str = Field(max_length=20)  # admin | teacher | support | lunchtime
    job_title: str = Field(default="", max_length=100)
    active: bool = True
    password_hash: str | None = Field(default=None, max_length=300)


class Pupil(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    admission_number: str = Field(max_length=40, unique=True)
    legal_first_name: str = Field(max_length=100)
    legal_last_name: str = Field(max_length=100)
    preferred_first_name: str | None = Field(default=None, max_length=100)
    preferred_last_name: str | None = Field(default=None, max_length=100)
    year_group: str = Field(max_length=3)
    gender: str | None = Field(default=None, max_length=40)
    sen: str = Field(default="N", max_length=1)
    pupil_premium: bool = False
    eal: bool = False
    first_language: str | None = Field(default=None, max_length=60)
    # Kept only when an import carries it: a matching key that is never shown, printed or exported.
    upn: str | None = Field(default=None, max_length=13)
    photo_consent: bool = False
    protected: bool = False
    started_on: dt.date | None = None
    left_on: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)


class PupilPhoto(SQLModel, table=True):
    """Schema 2: one photo per pupil, shown only while the pupil's photo consent is recorded.

    The image lives inside the encrypted database (never as a loose file), already scaled down
    to a small JPEG by the service that stores it.
    """

    __tablename__ = "pupil_photo"
    pupil_id: uuid.UUID = Field(foreign_key="pupil.id", ondelete="CASCADE", primary_key=True)
    media_type: str = Field(default="image/jpeg", max_length=40)
    image: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    updated_at: dt.datetime = Field(default_factory=_now)


class PupilGroup(SQLModel, table=True):
    """A class, a lunchtime group or any set of pupils, within one academic year."""

    __tablename__ = "pupil_group"
    __table_args__ = (UniqueConstraint("academic_year_id", "name"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    academic_year_id: uuid.UUID = Field(foreign_key="academic_year.id", ondelete="CASCADE")
    name: str = Field(max_length=100)
    kind: str = Field(default="class", max_length=20)  # class | set | lunchtime
    year_group: str | None = Field(default=None, max_length=3)


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"
    group_id: uuid.UUID = Field(foreign_key="pupil_group.id", ondelete="CASCADE", primary_key=True)
    pupil_id: uuid.UUID = Field(
        foreign_key="pupil.id", ondelete="CASCADE", primary_key=True, index=True
    )


class GroupStaff(SQLModel, table=True):
    __tablename__ = "group_staff"
    group_id: uuid.UUID = Field(foreign_key="pupil_group.id", ondelete="CASCADE", primary_key=True)
    staff_id: uuid.UUID = Field(foreign_key="staff.id", ondelete="CASCADE", primary_key=True)


class Observation(SQLModel, table=True):
    __table_args__ = (
        # Covers the step rule's aggregate (STACK.md §7: the class query falls from 62 ms to
        # under 2 ms); a (pupil_id)-only index would make the school-wide aggregate slower.
        Index(
            "ix_observation_progress",
            "pupil_id", "skill_id", "step_number", "level", "observed_on", "setting",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pupil_id: uuid.UUID = Field(foreign_key="pupil.id", ondelete="CASCADE")
    skill_id: uuid.UUID = Field(foreign_key="skill.id")
    step_number: int
    observed_on: dt.date
    setting: str = Field(max_length=20)
    level: int  # 1 with help, 2 independently, 3 secured judgement
    note: str | None = Field(default=None, sa_column=Column(SAText, nullable=True))
    observer_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id", index=True)
    source: str = Field(default="staff", max_length=10)  # staff | parent | self
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)
    deleted_at: dt.datetime | None = None
    # Schema 2: a note for staff eyes only (never on a passport or anything a family sees).
    staff_only: bool = Field(default=False, sa_column_kwargs={"server_default": text("0")})


class Target(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pupil_id: uuid.UUID = Field(foreign_key="pupil.id", ondelete="CASCADE", index=True)
    skill_id: uuid.UUID = Field(foreign_key="skill.id")
    step_number: int
    set_on: dt.date
    due_on: dt.date | None = None
    met_on: dt.date | None = None
