"""Plain, immutable records that services return and views display (never live ORM rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

ROLES = ("admin", "teacher", "support", "lunchtime")
SETTINGS = ("classroom", "lunchtime", "playground", "trip", "employer", "home", "online")
SOURCES = ("staff", "parent", "self")


@dataclass(frozen=True)
class StepInfo:
    number: int
    descriptor: str
    child: str
    home: str


@dataclass(frozen=True)
class SkillInfo:
    id: uuid.UUID
    code: str
    name: str
    colour: str
    steps: tuple[StepInfo, ...]

    @property
    def lowest(self) -> int:
        return self.steps[0].number if self.steps else 0

    @property
    def highest(self) -> int:
        return self.steps[-1].number if self.steps else 0


@dataclass(frozen=True)
class FrameworkInfo:
    id: uuid.UUID
    code: str
    name: str
    version: str
    structure_only: bool
    expected: dict[str, int]
    skills: tuple[SkillInfo, ...]


@dataclass(frozen=True)
class PupilInfo:
    id: uuid.UUID
    admission_number: str
    first_name: str  # preferred if set, else legal
    last_name: str
    legal_first_name: str
    legal_last_name: str
    year_group: str
    class_name: str | None
    gender: str | None
    sen: str
    pupil_premium: bool
    eal: bool
    first_language: str | None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class GroupInfo:
    id: uuid.UUID
    name: str
    kind: str
    year_group: str | None
    academic_year: str
    pupil_count: int


@dataclass(frozen=True)
class StaffInfo:
    id: uuid.UUID
    login: str
    name: str
    initials: str
    role: str
    job_title: str
    active: bool


@dataclass(frozen=True)
class ObservationInfo:
    id: uuid.UUID
    admission_number: str
    pupil_name: str
    framework: str
    skill: str
    step: int
    observed_on: dt.date
    setting: str
    level: int
    note: str | None
    observer: str | None
    source: str
    staff_only: bool = False  # the note is for staff: never on passports or shown to families
