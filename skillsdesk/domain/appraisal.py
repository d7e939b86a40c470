"""Support-staff appraisal (journey J4): plain records, checks and the lunchtime week counts.

Staff are appraised against the same skills framework the pupils use (by default the school's
own, where the higher steps describe adults), so these records name skills by id and steps by
number, exactly like observations do; nothing here copies the framework.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import N_, _

OPEN, COMPLETE = "open", "complete"
STATUSES = (OPEN, COMPLETE)
STATUS_LABELS = {OPEN: N_("Open"), COMPLETE: N_("Complete")}
SETTING_LABELS = {"classroom": N_("Classroom"), "lunchtime": N_("Lunchtime"),
                  "playground": N_("Playground"), "trip": N_("Trip or visit"),
                  "employer": N_("Employer activity"), "home": N_("Home"), "online": N_("Online")}
# Roles appraised in SkillsDesk: support staff and lunchtime supervisors (teachers are
# appraised through the school's own teacher-appraisal process).
APPRAISED_ROLES = ("support", "lunchtime")
# In the shipped essential-skills framework steps 11-15 describe adult mastery and 6-10 the
# secondary years; an adult's self-assessment usually starts from here. Only a default for
# the GUI: any step of the skill is accepted, because honesty beats flattering ladders.
ADULT_FROM_STEP = 6
MAX_TEXT = 2000
MAX_TITLE = 200
MAX_HOURS = 200.0


@dataclass(frozen=True)
class CycleInfo:
    id: uuid.UUID
    staff_id: uuid.UUID
    staff_login: str
    staff_name: str
    staff_role: str
    job_title: str
    academic_year: str
    manager_id: uuid.UUID | None
    manager_name: str | None
    status: str
    framework_code: str
    opened_on: dt.date
    completed_on: dt.date | None


@dataclass(frozen=True)
class SelfAssessmentInfo:
    id: uuid.UUID
    cycle_id: uuid.UUID
    skill_id: uuid.UUID
    skill_name: str
    step: int
    comment: str
    assessed_on: dt.date


@dataclass(frozen=True)
class PracticeInfo:
    id: uuid.UUID
    cycle_id: uuid.UUID
    skill_id: uuid.UUID
    skill_name: str
    observed_on: dt.date
    setting: str
    seen: str
    manager_name: str | None


@dataclass(frozen=True)
class TargetInfo:
    id: uuid.UUID
    cycle_id: uuid.UUID
    skill_id: uuid.UUID | None
    skill_name: str | None
    text: str
    set_on: dt.date
    review_on: dt.date
    met_on: dt.date | None


@dataclass(frozen=True)
class TrainingInfo:
    id: uuid.UUID
    staff_id: uuid.UUID
    attended_on: dt.date
    title: str
    hours: float
    skill_id: uuid.UUID | None
    skill_name: str | None
    changed: str


@dataclass(frozen=True)
class AppraisalView:
    """One cycle with everything recorded in it (the GUI tabs and the PDF read this)."""

    cycle: CycleInfo
    self_assessments: tuple[SelfAssessmentInfo, ...]
    practice: tuple[PracticeInfo, ...]
    targets: tuple[TargetInfo, ...]
    training: tuple[TrainingInfo, ...]

    def latest_self_assessment(self) -> dict[uuid.UUID, SelfAssessmentInfo]:
        """skill id -> the most recent self-assessment of it (earlier ones stay as history)."""
        latest: dict[uuid.UUID, SelfAssessmentInfo] = {}
        for item in sorted(self.self_assessments, key=lambda a: a.assessed_on):
            latest[item.skill_id] = item
        return latest

    @property
    def training_hours(self) -> float:
        return sum(t.hours for t in self.training)


@dataclass(frozen=True)
class DayCount:
    """How many observations someone logged of one skill on one day (counts only)."""

    skill_id: uuid.UUID
    day: dt.date
    count: int


@dataclass(frozen=True)
class WeekCounts:
    """One supervisor's lunchtime observations of children, per skill and ISO week."""

    staff_id: uuid.UUID
    staff_name: str
    weeks: tuple[str, ...]                       # "2026-W45", oldest first
    cells: dict[tuple[uuid.UUID, str], int]      # (skill id, week) -> count

    def total(self, skill_id: uuid.UUID | None = None) -> int:
        return sum(n for (sid, _week), n in self.cells.items()
                   if skill_id is None or sid == skill_id)


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_counts(staff_id: uuid.UUID, staff_name: str, days: Iterable[DayCount]) -> WeekCounts:
    """Fold day counts into ISO weeks (done here, not in SQL, to keep the SQL portable)."""
    cells: dict[tuple[uuid.UUID, str], int] = {}
    for item in days:
        key = (item.skill_id, iso_week(item.day))
        cells[key] = cells.get(key, 0) + item.count
    weeks = tuple(sorted({week for _sid, week in cells}))
    return WeekCounts(staff_id, staff_name, weeks, cells)


def clean_text(value: str, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not text:
        raise UserError(_("Write the {what} first.").format(what=what))
    if len(text) > limit:
        raise UserError(_("The {what} is longer than {limit} characters.").format(
            what=what, limit=limit))
    return text


def check_hours(hours: float) -> float:
    if not 0 < hours <= MAX_HOURS:
        raise UserError(_("Training hours must be more than 0 and at most {limit}.").format(
            limit=int(MAX_HOURS)))
    return round(float(hours), 2)


def check_not_future(day: dt.date, today: dt.date, what: str) -> None:
    if day > today:
        raise UserError(_("The {what} date {date} is after today.").format(
            what=what, date=day.isoformat()))


def setting_label(setting: str) -> str:
    return _(SETTING_LABELS[setting]) if setting in SETTING_LABELS else setting
