"""Support-staff appraisal and training (journey J4), on the same skills as the pupils.

Who sees what is decided here, not in the GUI: an admin or the staff member's line manager sees
every cycle of theirs, a staff member sees only their own, nobody else sees any. The manager's
side (practice observations, targets, training, completing) is for admins and the cycle's line
manager; the self-assessment is for the staff member themselves ("appraisal.self_assess") or an
admin. Every change is one transaction with its audit row (entity "appraisal", never a pupil).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from skillsdesk import safefile
from skillsdesk.domain import appraisal as rules
from skillsdesk.domain.appraisal import (
    APPRAISED_ROLES,
    COMPLETE,
    OPEN,
    AppraisalView,
    CycleInfo,
    WeekCounts,
)
from skillsdesk.domain.calendar import SchoolYear, school_year_starting
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.permissions import Actor, PermissionDenied, can
from skillsdesk.domain.records import SETTINGS, FrameworkInfo, SkillInfo, StaffInfo
from skillsdesk.i18n import _
from skillsdesk.reports.appraisal import AppraisalReportData, build_appraisal_report
from skillsdesk.services.appraisal_entries import ENTITY, EntryCorrections
from skillsdesk.services.context import Context
from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import appraisal as repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store

FRAMEWORK_SETTING = "appraisal_framework"  # a school may appraise staff on another framework


class NotYourAppraisal(PermissionDenied):
    """Someone asked for an appraisal that is neither theirs nor one they manage."""

    def __init__(self, actor: Actor, whose: str) -> None:
        super().__init__(actor, "appraise")
        self.message = _("Only {whose}, their line manager or an admin can see {whose}'s "
                         "appraisal.").format(whose=whose)
        self.args = (self.message,)


class AppraisalService(EntryCorrections):
    def __init__(self, store: Store, school: SchoolService, frameworks: FrameworkService,
                 context: Context | None = None) -> None:
        self._store = store
        self._school = school
        self._frameworks = frameworks
        self._context = context or Context()

    # -- framework and years --------------------------------------------------------------------
    def framework(self) -> FrameworkInfo:
        """The framework staff are appraised on: the school's own unless it chose another."""
        with self._store.read() as session:
            code = school_repo.get_setting(session, FRAMEWORK_SETTING)
        return self._frameworks.get(code) if code else self._frameworks.current()

    def framework_setting(self) -> str | None:
        """The framework code the school chose for staff, or None for the school's own."""
        with self._store.read() as session:
            return school_repo.get_setting(session, FRAMEWORK_SETTING) or None

    def set_framework(self, code: str | None) -> FrameworkInfo:
        """Choose the framework appraisals are opened on from now on (None: the school's own).

        A cycle keeps the framework it was opened with (its entries name that framework's
        skills), so the choice applies to new cycles only and nothing already recorded moves.
        """
        self._context.require("settings")
        code = (code or "").strip() or None
        chosen = self._frameworks.get(code) if code else self._frameworks.current()
        with self._store.write() as session:
            before = school_repo.get_setting(session, FRAMEWORK_SETTING) or None
            if before != code:
                school_repo.set_setting(session, FRAMEWORK_SETTING, code)
                self._context.audit(session, "appraisal.framework", ENTITY, FRAMEWORK_SETTING,
                                    before={"framework": before}, after={"framework": code})
        return chosen

    def school_year(self, label: str | None = None) -> SchoolYear:
        label = (label or self._school.current_year()).strip()
        head = label[:4]
        year = school_year_starting(int(head)) if head.isdigit() else None
        if year is None or label not in (year.label, head):
            raise UserError(_("'{label}' is not an academic year like 2026/27.").format(
                label=label))
        return year

    # -- who may see whom -----------------------------------------------------------------------
    def _is_admin(self) -> bool:
        actor = self._context.actor
        return actor is None or can(actor.role, "appraise")

    def _may_see(self, session: Any, staff_id: uuid.UUID) -> bool:
        actor = self._context.actor
        if self._is_admin() or actor is None or actor.staff_id == staff_id:
            return True
        return staff_id in repo.managed_staff(session, actor.staff_id)

    def _check_sees(self, session: Any, staff_id: uuid.UUID, name: str) -> None:
        actor = self._context.actor
        if actor is not None and not self._may_see(session, staff_id):
            raise NotYourAppraisal(actor, name)

    def _cycle(self, session: Any, cycle_id: uuid.UUID) -> CycleInfo:
        found = repo.cycle(session, cycle_id)
        if found is None:
            raise NotFound(_("That appraisal cycle no longer exists."))
        self._check_sees(session, found.staff_id, found.staff_name)
        return found

    def _require_manager(self, cycle: CycleInfo) -> None:
        """The manager's side: the cycle's line manager, or anyone who may appraise (admin)."""
        actor = self._context.actor
        if actor is not None and actor.staff_id == cycle.manager_id:
            return
        self._context.require("appraise")

    def _require_self_assess(self, cycle: CycleInfo) -> None:
        actor = self._context.actor
        if actor is not None and actor.staff_id == cycle.staff_id:
            self._context.require("appraisal.self_assess")
        else:
            self._context.require("appraise")

    def _require_training(self, cycle: CycleInfo) -> None:
        """Training: the staff member logs and corrects their own; otherwise the manager's side."""
        actor = self._context.actor
        if actor is not None and actor.staff_id == cycle.staff_id:
            self._context.require("appraisal.own_training")
        else:
            self._require_manager(cycle)

    @staticmethod
    def _writable(cycle: CycleInfo) -> None:
        if cycle.status != OPEN:
            raise UserError(_("The {year} appraisal of {name} is complete; reopen it to change "
                              "it.").format(year=cycle.academic_year, name=cycle.staff_name))

    def visible_staff(self) -> list[StaffInfo]:
        """Support and lunchtime staff whose appraisal the person at the desk may open."""
        with self._store.read() as session:
            people = [p for p in school_repo.all_staff(session) if p.role in APPRAISED_ROLES]
            seen = [p for p in people if self._may_see(session, p.id)]
        return sorted(seen, key=lambda p: (APPRAISED_ROLES.index(p.role), p.name.casefold()))

    def staff(self, login: str) -> StaffInfo:
        with self._store.read() as session:
            person = school_repo.staff_by_login(session, login.strip())
            if person is None:
                raise NotFound(_("No member of staff signs in as '{login}'.").format(login=login))
            self._check_sees(session, person.id, person.name)
        return person

    # -- cycles ---------------------------------------------------------------------------------
    def cycles(self, staff_id: uuid.UUID) -> list[CycleInfo]:
        with self._store.read() as session:
            person = next((p for p in school_repo.all_staff(session) if p.id == staff_id), None)
            if person is None:
                raise NotFound(_("That member of staff no longer exists."))
            self._check_sees(session, staff_id, person.name)
            return repo.cycles(session, staff_id=staff_id)

    def cycle_for(self, staff_id: uuid.UUID, year: str | None = None) -> CycleInfo | None:
        label = self.school_year(year).label
        found = [c for c in self.cycles(staff_id) if c.academic_year == label]
        return found[0] if found else None

    def open_cycle(self, staff_id: uuid.UUID, manager_id: uuid.UUID | None,
                   year: str | None = None, *, another: bool = False) -> CycleInfo:
        """Open a staff member's appraisal for a year (one per year unless ``another``)."""
        self._context.require("appraise")
        label = self.school_year(year).label
        framework = self.framework()
        with self._store.write() as session:
            people = {p.id: p for p in school_repo.all_staff(session)}
            person = people.get(staff_id)
            if person is None:
                raise NotFound(_("That member of staff no longer exists."))
            if person.role not in APPRAISED_ROLES:
                raise UserError(_("{name} is not support or lunchtime staff; SkillsDesk appraises "
                                  "only those roles.").format(name=person.name))
            self._check_manager(people, person, manager_id)
            if not another and repo.cycles(session, staff_id=staff_id, year=label):
                raise UserError(_("{name} already has an appraisal for {year}.").format(
                    name=person.name, year=label))
            cycle_id = repo.add_cycle(session, staff_id, label, manager_id, framework.code,
                                      self._school.today())
            self._context.audit(session, "appraisal.open", ENTITY, cycle_id, after={
                "staff": person.login, "year": label, "framework": framework.code,
                "manager": people[manager_id].login if manager_id else None})
            return repo.cycle(session, cycle_id)  # type: ignore[return-value]

    @staticmethod
    def _check_manager(people: dict[uuid.UUID, StaffInfo], person: StaffInfo,
                       manager_id: uuid.UUID | None) -> None:
        if manager_id is None:
            return
        manager = people.get(manager_id)
        if manager is None or not manager.active:
            raise UserError(_("The line manager chosen for {name} is not an active member of "
                              "staff.").format(name=person.name))
        if manager_id == person.id:
            raise UserError(_("{name} cannot be their own line manager.").format(
                name=person.name))

    def set_manager(self, cycle_id: uuid.UUID, manager_id: uuid.UUID | None) -> CycleInfo:
        self._context.require("appraise")
        with self._store.write() as session:
            cycle = self._cycle(session, cycle_id)
            people = {p.id: p for p in school_repo.all_staff(session)}
            self._check_manager(people, people[cycle.staff_id], manager_id)
            repo.set_cycle(session, cycle_id, manager_id=manager_id)
            self._context.audit(session, "appraisal.manager", ENTITY, cycle_id,
                                before={"manager": cycle.manager_name},
                                after={"manager": people[manager_id].name if manager_id else None})
            return repo.cycle(session, cycle_id)  # type: ignore[return-value]

    def set_status(self, cycle_id: uuid.UUID, status: str) -> CycleInfo:
        """Complete a cycle (it becomes read-only) or reopen it."""
        if status not in rules.STATUSES:
            raise UserError(_("'{status}' is not an appraisal status.").format(status=status))
        with self._store.write() as session:
            cycle = self._cycle(session, cycle_id)
            self._require_manager(cycle)
            day = self._school.today() if status == COMPLETE else None
            repo.set_cycle(session, cycle_id, status=status, completed_on=day)
            self._context.audit(session, "appraisal.status", ENTITY, cycle_id,
                                before={"status": cycle.status}, after={"status": status})
            return repo.cycle(session, cycle_id)  # type: ignore[return-value]

    def view(self, cycle_id: uuid.UUID) -> AppraisalView:
        with self._store.read() as session:
            cycle = self._cycle(session, cycle_id)
            year = self.school_year(cycle.academic_year)
            return AppraisalView(
                cycle, tuple(repo.self_assessments(session, cycle_id)),
                tuple(repo.practice(session, cycle_id)), tuple(repo.targets(session, cycle_id)),
                tuple(repo.training(session, cycle.staff_id, year.starts_on, year.ends_on)))

    # -- entries --------------------------------------------------------------------------------
    def _skill(self, cycle: CycleInfo, skill: uuid.UUID | str) -> SkillInfo:
        framework = self._frameworks.get(cycle.framework_code)
        for item in framework.skills:
            if skill in (item.id, item.code):
                return item
        raise UserError(_("'{skill}' is not a skill of the {framework} framework.").format(
            skill=skill, framework=framework.name))

    def _day_in_cycle(self, cycle: CycleInfo, day: dt.date | None, what: str) -> dt.date:
        day = day or self._school.today()
        rules.check_not_future(day, self._school.today(), what)
        if not self.school_year(cycle.academic_year).contains(day):
            raise UserError(_("The {what} date {date} is outside the {year} academic year.")
                            .format(what=what, date=day.isoformat(), year=cycle.academic_year))
        return day

    def self_assess(self, cycle_id: uuid.UUID, skill: uuid.UUID | str, step: int,
                    comment: str = "", day: dt.date | None = None) -> AppraisalView:
        with self._store.read() as session:
            cycle = self._cycle(session, cycle_id)
        self._require_self_assess(cycle)
        self._writable(cycle)
        chosen = self._skill(cycle, skill)
        if step not in {s.number for s in chosen.steps}:
            raise UserError(_("{skill} has no step {step}; choose a step from {low} to {high}.")
                            .format(skill=chosen.name, step=step, low=chosen.lowest,
                                    high=chosen.highest))
        text = rules.clean_text(comment, _("comment"), required=False)
        day = self._day_in_cycle(cycle, day, _("self-assessment"))
        with self._store.write() as session:
            self._cycle(session, cycle_id)
            new = repo.add_self_assessment(session, cycle_id, chosen.id, step, text, day)
            self._context.audit(session, "appraisal.self_assess", ENTITY, cycle_id, after={
                "id": str(new), "skill": chosen.code, "step": step, "comment": text,
                "date": day.isoformat()})
        return self.view(cycle_id)

    def observe_practice(self, cycle_id: uuid.UUID, skill: uuid.UUID | str, seen: str,
                         setting: str = "lunchtime", day: dt.date | None = None) -> AppraisalView:
        """The manager's view: what they saw of the staff member's practice in a skill."""
        with self._store.read() as session:
            cycle = self._cycle(session, cycle_id)
        self._require_manager(cycle)
        self._writable(cycle)
        chosen = self._skill(cycle, skill)
        if setting not in SETTINGS:
            raise UserError(_("'{setting}' is not a setting; use one of {settings}.").format(
                setting=setting, settings=", ".join(SETTINGS)))
        text = rules.clean_text(seen, _("description of what was seen"))
        day = self._day_in_cycle(cycle, day, _("observation"))
        with self._store.write() as session:
            new = repo.add_practice(session, cycle_id, chosen.id, day, setting, text,
                                    self._context.staff_id)
            self._context.audit(session, "appraisal.observe", ENTITY, cycle_id, after={
                "id": str(new), "skill": chosen.code, "setting": setting, "seen": text,
                "date": day.isoformat()})
        return self.view(cycle_id)

    def set_target(self, cycle_id: uuid.UUID, text: str, review_on: dt.date,
                   skill: uuid.UUID | str | None = None) -> AppraisalView:
        with self._store.read() as session:
            cycle = self._cycle(session, cycle_id)
        self._require_manager(cycle)
        self._writable(cycle)
        chosen = None if skill is None else self._skill(cycle, skill)
        text = rules.clean_text(text, _("target"))
        today = self._school.today()
        if review_on < today:
            raise UserError(_("The review date {date} is before today.").format(
                date=review_on.isoformat()))
        with self._store.write() as session:
            new = repo.add_target(session, cycle_id, chosen.id if chosen else None, text, today,
                                  review_on)
            self._context.audit(session, "appraisal.target", ENTITY, cycle_id, after={
                "id": str(new), "skill": chosen.code if chosen else None, "target": text,
                "review": review_on.isoformat()})
        return self.view(cycle_id)

    def target_met(self, target_id: uuid.UUID, met_on: dt.date | None) -> AppraisalView:
        """Mark a target met on a day, or not met (None)."""
        with self._store.write() as session:
            cycle_id = repo.target_cycle(session, target_id)
            if cycle_id is None:
                raise NotFound(_("That target no longer exists."))
            cycle = self._cycle(session, cycle_id)
            self._require_manager(cycle)
            self._writable(cycle)
            if met_on is not None:
                rules.check_not_future(met_on, self._school.today(), _("target met"))
            repo.set_target_met(session, target_id, met_on)
            self._context.audit(session, "appraisal.target_met", ENTITY, cycle_id, after={
                "target": str(target_id), "met_on": met_on.isoformat() if met_on else None})
        return self.view(cycle_id)

    def log_training(self, cycle_id: uuid.UUID, title: str, hours: float, day: dt.date,
                     skill: uuid.UUID | str | None = None, changed: str = "") -> AppraisalView:
        """A course or session the staff member attended (kept with them, shown in the cycle)."""
        with self._store.read() as session:
            cycle = self._cycle(session, cycle_id)
        self._require_training(cycle)
        self._writable(cycle)
        chosen = None if skill is None else self._skill(cycle, skill)
        title = rules.clean_text(title, _("course or session title"), limit=rules.MAX_TITLE)
        hours = rules.check_hours(hours)
        changed = rules.clean_text(changed, _("what changed in practice"), required=False)
        day = self._day_in_cycle(cycle, day, _("training"))
        with self._store.write() as session:
            new = repo.add_training(session, cycle.staff_id, day, title, hours,
                                    chosen.id if chosen else None, changed)
            self._context.audit(session, "appraisal.training", ENTITY, cycle_id, after={
                "id": str(new), "staff": cycle.staff_login, "title": title, "hours": hours,
                "skill": chosen.code if chosen else None, "changed": changed,
                "date": day.isoformat()})
        return self.view(cycle_id)

    # -- lunchtime practice (counts only) -------------------------------------------------------
    def lunchtime_practice(self, staff_id: uuid.UUID, year: str | None = None) -> WeekCounts:
        """What one supervisor logged of the children at lunchtime, by skill and ISO week."""
        span = self.school_year(year)
        with self._store.read() as session:
            person = next((p for p in school_repo.all_staff(session) if p.id == staff_id), None)
            if person is None:
                raise NotFound(_("That member of staff no longer exists."))
            self._check_sees(session, staff_id, person.name)
            days = repo.lunchtime_days(session, staff_id, span.starts_on, span.ends_on)
        return rules.week_counts(staff_id, person.name, days)

    def lunchtime_by_skill(self, year: str | None = None) -> list[tuple[SkillInfo, int, int]]:
        """Per skill of the school's framework: lunchtime observations and children seen."""
        actor = self._context.actor
        if actor is not None and not self._is_admin():
            with self._store.read() as session:
                if not repo.managed_staff(session, actor.staff_id):
                    self._context.require("appraise")
        span = self.school_year(year)
        with self._store.read() as session:
            counts = repo.lunchtime_by_skill(session, span.starts_on, span.ends_on)
        return [(s, *counts.get(s.id, (0, 0))) for s in self._frameworks.current().skills]

    # -- the record -----------------------------------------------------------------------------
    def report_data(self, cycle_id: uuid.UUID) -> AppraisalReportData:
        view = self.view(cycle_id)
        lunch = None
        if view.cycle.staff_role == "lunchtime":
            lunch = self.lunchtime_practice(view.cycle.staff_id, view.cycle.academic_year)
        return AppraisalReportData(
            school=self._school.name() or "", generated_on=self._school.today(),
            framework=self._frameworks.get(view.cycle.framework_code), view=view,
            lunchtime=lunch,
            lunchtime_skills=tuple(self._frameworks.current().skills) if lunch else None)

    def write_report(self, login: str, path: Path, year: str | None = None) -> Path:
        person = self.staff(login)
        cycle = self.cycle_for(person.id, year)
        if cycle is None:
            raise NotFound(_("{name} has no appraisal for {year}.").format(
                name=person.name, year=self.school_year(year).label))
        return self.write_cycle_report(cycle.id, path)

    def write_cycle_report(self, cycle_id: uuid.UUID, path: Path) -> Path:
        pdf = build_appraisal_report(self.report_data(cycle_id))
        try:
            safefile.write_bytes(Path(path), pdf)
        except OSError as exc:
            raise UserError(_("{file} could not be written ({reason}).").format(
                file=path, reason=exc.strerror or exc)) from exc
        return Path(path)
