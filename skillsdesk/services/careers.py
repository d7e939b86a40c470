"""Careers (journey J5): the activities log, coverage and pupils' aspirations.

The benchmark self-audit, the action plan and the report are in ``careers_audit.py`` and
reached as ``services.careers.audit``. Recording an activity can also log an observation for
every pupil who took part, at their next step in each skill practised, in the same transaction
as the activity, so either both are saved or neither is.

Logging activities and aspirations needs ``careers.log`` (admin and teachers); the self-audit,
action plan and report need ``careers.audit`` (admin: the careers lead's work). Every change
writes its audit row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from skillsdesk.domain.benchmarks import BenchmarkSet, read_benchmarks
from skillsdesk.domain.calendar import SchoolYear, school_year_of, school_year_starting
from skillsdesk.domain.careers import (
    JOB_AREAS,
    ActivityDraft,
    ActivityInfo,
    ActivityResult,
    AspirationChart,
    AspirationInfo,
    Coverage,
    aspiration_chart,
    check_activity,
    coverage,
    guess_area,
)
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.steprule import INDEPENDENTLY, next_step
from skillsdesk.i18n import _
from skillsdesk.paths import resources_dir
from skillsdesk.services.careers_audit import CareersAuditService
from skillsdesk.services.context import Context
from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.progress import ProgressService
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import careers as repo
from skillsdesk.storage import careers_audit as audit_repo
from skillsdesk.storage import observations as obs_repo
from skillsdesk.storage import pupils as pupil_repo
from skillsdesk.storage.database import Store

BENCHMARKS_FILE = "primary-benchmarks.toml"


def shipped_benchmarks() -> Path:
    return resources_dir() / "careers" / BENCHMARKS_FILE


class CareersService:
    def __init__(self, store: Store, school: SchoolService, frameworks: FrameworkService,
                 progress: ProgressService, benchmarks_file: Path | None = None,
                 context: Context | None = None) -> None:
        self._store = store
        self.context = context or Context()
        self._school = school
        self._frameworks = frameworks
        self._progress = progress
        self._benchmarks_file = benchmarks_file
        self._benchmarks: BenchmarkSet | None = None
        self.audit = CareersAuditService(store, school, self)

    # -- benchmarks and years -------------------------------------------------------------------
    def benchmarks_file(self) -> Path:
        """The school's own list if it keeps one beside its data, else the shipped list."""
        if self._benchmarks_file is not None:
            return self._benchmarks_file
        own = self._store.path.parent / BENCHMARKS_FILE
        return own if own.is_file() else shipped_benchmarks()

    def benchmarks(self) -> BenchmarkSet:
        if self._benchmarks is None:
            self._benchmarks = read_benchmarks(self.benchmarks_file())
        return self._benchmarks

    def today(self) -> dt.date:
        return self._school.today()

    def school_year(self, label: str | None = None) -> SchoolYear:
        if label is None:
            return school_year_of(self.today())
        head = label.strip()[:4]
        if not head.isdigit():
            raise UserError(_("'{label}' is not an academic year like 2026/27.").format(
                label=label))
        year = school_year_starting(int(head))
        if year.label != label.strip() and head != label.strip():
            raise UserError(_("'{label}' is not an academic year like 2026/27.").format(
                label=label))
        return year

    # -- activities -----------------------------------------------------------------------------
    def activities(self, year: str | None = None) -> list[ActivityInfo]:
        """The activities held in an academic year (default: this one), newest first."""
        span = self.school_year(year)
        with self._store.read() as session:
            return repo.list_activities(session, span.starts_on, span.ends_on)

    def all_activities(self) -> list[ActivityInfo]:
        with self._store.read() as session:
            return repo.list_activities(session)

    def activity(self, activity_id: uuid.UUID) -> ActivityInfo:
        with self._store.read() as session:
            found = repo.list_activities(session, activity_ids=[activity_id])
        if not found:
            raise NotFound(_("That careers activity no longer exists."))
        return found[0]

    def members(self, group_ids: list[uuid.UUID]) -> list[uuid.UUID]:
        """The pupils in the chosen groups (the default list of who took part)."""
        with self._store.read() as session:
            return repo.group_members(session, group_ids)

    def record(self, draft: ActivityDraft, *, log_observations: bool = False,
               observer_id: uuid.UUID | None = None) -> ActivityResult:
        """Save a new activity (and, if asked, an observation per pupil and skill)."""
        return self._save(None, draft, log_observations, observer_id)

    def update(self, activity_id: uuid.UUID, draft: ActivityDraft, *,
               log_observations: bool = False,
               observer_id: uuid.UUID | None = None) -> ActivityResult:
        """Change an activity. Observations already logged stay; asking to log again adds them
        only for pupils who have none from this activity yet."""
        self.activity(activity_id)
        return self._save(activity_id, draft, log_observations, observer_id)

    def delete(self, activity_id: uuid.UUID, *, withdraw_observations: bool = False) -> int:
        """Delete an activity; return how many of its observations were withdrawn."""
        self.context.require("careers.log")
        with self._store.write() as session:
            withdrawn = repo.withdraw_observations(session, activity_id) \
                if withdraw_observations else 0
            if not repo.delete_activity(session, activity_id):
                raise NotFound(_("That careers activity no longer exists."))
            self.context.audit(session, "careers.activity.delete", "careers_activity",
                               activity_id, after={"observations_withdrawn": withdrawn})
        return withdrawn

    def _save(self, activity_id: uuid.UUID | None, draft: ActivityDraft, log: bool,
              observer_id: uuid.UUID | None) -> ActivityResult:
        self.context.require("careers.log")
        observer_id = observer_id or self.context.staff_id  # logged observations carry who
        framework = self._frameworks.current()
        problems = check_activity(draft, self.benchmarks().codes,
                                  [s.id for s in framework.skills], self.today())
        if problems:
            raise UserError(_("The activity was not saved: {n} problem(s).").format(
                n=len(problems)), problems)
        participants = list(dict.fromkeys(draft.pupil_ids)) or self.members(list(draft.group_ids))
        if not participants:
            raise UserError(_("The activity was not saved: the chosen classes have no pupils."))
        skills = [s for s in framework.skills if s.id in set(draft.skill_ids)]
        planned: list[dict[str, Any]] = []
        if log and skills:
            current = self._progress.current_steps(framework, participants)
            setting = "home" if draft.kind == "home-learning" else "employer"
            for pupil in participants:
                for skill in skills:
                    step = next_step(current.get((pupil, skill.code)), skill.lowest,
                                     skill.highest)
                    if step is None:
                        continue  # every step of this skill is already secured
                    planned.append({
                        "id": uuid.uuid4(), "pupil_id": pupil, "skill_id": skill.id,
                        "step_number": step, "observed_on": draft.held_on, "setting": setting,
                        "level": INDEPENDENTLY, "observer_id": observer_id,
                        "note": _("Careers: {title}").format(title=draft.title.strip())[:1000]})
        with self._store.write() as session:
            if activity_id is not None and not repo.exists(session, activity_id):
                raise NotFound(_("That careers activity no longer exists."))
            gone_pupils, gone_groups = repo.missing(session, participants, draft.group_ids)
            if gone_pupils or gone_groups:
                raise UserError(_("The activity was not saved: {n} of the chosen pupils or "
                                  "classes no longer exist. Reopen the list and try again.").format(
                    n=len(gone_pupils) + len(gone_groups)))
            saved = repo.save_activity(session, replace(draft, pupil_ids=tuple(participants)),
                                       participants, activity_id)
            if planned:
                done = repo.logged_pupils(session, saved) if activity_id is not None else set()
                planned = [row for row in planned if row["pupil_id"] not in done]
                obs_repo.insert_observations(session, planned)
                repo.link_observations(session, saved, [row["id"] for row in planned])
            self.context.audit(
                session, "careers.activity.add" if activity_id is None else
                "careers.activity.edit", "careers_activity", saved, after={
                    "held_on": draft.held_on.isoformat(), "title": draft.title.strip(),
                    "kind": draft.kind, "pupils": len(participants),
                    "observations": len(planned)})
        return ActivityResult(self.activity(saved), len(planned))

    # -- coverage -------------------------------------------------------------------------------
    def coverage(self, year: str | None = None) -> Coverage:
        span = self.school_year(year)
        pupils = self._school.pupils(year_label=span.label)
        return coverage(span.label, self.activities(span.label), pupils)

    # -- aspirations ----------------------------------------------------------------------------
    def record_aspiration(self, admission_number: str, text: str, area: str | None = None,
                          recorded_on: dt.date | None = None) -> AspirationInfo:
        """What a pupil would like to do, once per academic year (recording again replaces it)."""
        self.context.require("careers.log")
        text = " ".join(text.split())
        if not text:
            raise UserError(_("Write what the pupil said they would like to do."))
        if len(text) > 200:
            raise UserError(_("The aspiration is longer than 200 characters."))
        chosen = area or guess_area(text)
        if chosen not in JOB_AREAS:
            raise UserError(_("'{area}' is not an area of work; use one of {areas}.").format(
                area=chosen, areas=", ".join(JOB_AREAS)))
        day = recorded_on or self.today()
        if day > self.today():
            raise UserError(_("{date} is after today.").format(date=day.isoformat()))
        span = school_year_of(day)
        with self._store.write() as session:
            pid = pupil_repo.existing_pupil_id(session, admission_number)
            year_id = audit_repo.year_id(session, span.label)
            if year_id is None:
                raise UserError(_("The academic year {year} is not set up in SkillsDesk.").format(
                    year=span.label))
            year_group = audit_repo.pupil_year_group(session, pid) or ""
            audit_repo.save_aspiration(session, pid, year_id, day, year_group, text, chosen)
            self.context.audit(session, "careers.aspiration.save", "aspiration", pid,
                               after={"year": span.label, "area": chosen}, pupil_id=pid)
        return next(a for a in self.aspirations(span.label) if a.pupil_id == pid)

    def delete_aspiration(self, admission_number: str, year: str | None = None) -> bool:
        self.context.require("careers.log")
        span = self.school_year(year)
        with self._store.write() as session:
            pid = pupil_repo.pupil_id(session, admission_number)
            year_id = audit_repo.year_id(session, span.label)
            if pid is None or year_id is None:
                return False
            deleted = audit_repo.delete_aspiration(session, pid, year_id)
            if deleted:
                self.context.audit(session, "careers.aspiration.delete", "aspiration", pid,
                                   after={"year": span.label}, pupil_id=pid)
            return deleted

    def aspirations(self, year: str | None = None) -> list[AspirationInfo]:
        span = self.school_year(year)
        with self._store.read() as session:
            found = audit_repo.list_aspirations(session, span.label)
        return sorted(found, key=lambda a: (a.pupil_name.casefold(), a.admission_number))

    def aspiration_chart(self, year: str | None = None) -> AspirationChart:
        span = self.school_year(year)
        return aspiration_chart(span.label, self.aspirations(span.label))
