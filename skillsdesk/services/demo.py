"""Build the demo school into an empty data folder (``skillsdesk demo`` and ``--demo``)."""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from skillsdesk.domain.benchmarks import read_benchmarks
from skillsdesk.domain.careers import ActivityDraft
from skillsdesk.domain.careers_demo import (
    plan_actions,
    plan_activities,
    plan_aspirations,
    plan_audit,
    plan_followup,
)
from skillsdesk.domain.demo_data import (
    NameBank,
    make_pupils,
    make_staff,
    plan_observations,
    school_years,
)
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.yeargroups import shift_year_group
from skillsdesk.i18n import _
from skillsdesk.paths import resources_dir
from skillsdesk.services.accounts import initials_of
from skillsdesk.services.container import open_services
from skillsdesk.services.demo_appraisal import add_appraisals
from skillsdesk.storage import careers as careers_repo
from skillsdesk.storage import careers_audit as audit_repo
from skillsdesk.storage import observations as obs_repo
from skillsdesk.storage import pupils as pupil_repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import DB_FILE
from skillsdesk.storage.keyslots import OWASP_MINIMUM, KdfParams

Progress = Callable[[int, int, str], None]
SCHOOL_NAME = "Brackenfield Primary School"
DEMO_PASSWORD = "skillsdesk-demo"
TRUST_NAME = "Northern Lights Learning Trust"


@dataclass(frozen=True)
class DemoSummary:
    data_dir: Path
    pupils: int
    staff: int
    classes: int
    observations: int
    seconds: float

    def describe(self) -> str:
        return _("Built {school} in {folder}: {pupils} pupils, {classes} classes, {staff} staff, "
                 "{obs} observations ({secs:.1f} s).").format(
            school=SCHOOL_NAME, folder=self.data_dir, pupils=self.pupils, classes=self.classes,
            staff=self.staff, obs=self.observations, secs=self.seconds)


def build_demo(data_dir: Path, *, pupils: int = 420, years: int = 3, seed: int = 2026,
               today: dt.date | None = None, density: float = 1.0,
               progress: Progress | None = None, encrypted: bool = True,
               kdf: KdfParams = OWASP_MINIMUM) -> DemoSummary:
    """Create the demo school; refuses a folder that already holds a school.

    It is encrypted like a real school, and every demo member of staff signs in with the
    password ``skillsdesk-demo``. Its key slots use the OWASP minimum Argon2id cost so the demo
    builds in seconds (its data is made up); ``encrypted=False`` makes a plain store for tests.
    """
    started = time.perf_counter()
    if (data_dir / DB_FILE).exists():
        raise UserError(_("{folder} already holds a SkillsDesk database; choose an empty folder "
                          "for the demo school.").format(folder=data_dir))
    if not 1 <= pupils <= 100_000 or not 1 <= years <= 10:
        raise UserError(_("The demo school needs 1-100,000 pupils and 1-10 years."))
    today = today or dt.date.today()
    report = progress or (lambda done, total, label: None)
    rng = random.Random(seed)
    bank = NameBank(resources_dir() / "demo" / "names.toml")
    roll = make_pupils(bank, rng, pupils)
    calendar = school_years(today, years)
    class_names = sorted({p.form for p in roll})
    staff = make_staff(bank, rng, len(class_names))
    head = staff[0]
    if encrypted:
        from skillsdesk.services.signin import init_school

        services, _recovery = init_school(data_dir, SCHOOL_NAME, head.login, head.name,
                                          DEMO_PASSWORD, today=today, kdf=kdf,
                                          check_strength=False)
    else:
        services = open_services(data_dir, today)
    try:
        framework = services.frameworks.current()
        with services.store.write() as session:
            school_repo.set_school(session, SCHOOL_NAME, trust_name=TRUST_NAME)
            existing = {p.login: p.id for p in school_repo.all_staff(session)}
            staff_ids = {s.login: existing.get(s.login) or school_repo.add_staff(
                session, s.login, s.name, initials_of(s.name), s.role, s.job_title) for s in staff}
            pupil_rows = [_pupil_row(p, calendar[0].starts_on) for p in roll]
            pupil_repo.insert_pupils(session, pupil_rows)
            pupil_ids = [row["id"] for row in pupil_rows]
            observers = _place_in_classes(session, roll, pupil_ids, calendar, staff, staff_ids)
            report(0, len(roll), _("Writing observations"))
            skill_ids = [s.id for s in framework.skills]
            plan = plan_observations(roll, calendar, len(skill_ids),
                                     min(s.highest for s in framework.skills), today, rng,
                                     observers, density)
            count = obs_repo.insert_observations(session, (
                {"pupil_id": pupil_ids[o.pupil], "skill_id": skill_ids[o.skill],
                 "step_number": o.step, "observed_on": o.on, "level": o.level,
                 "setting": o.setting, "observer_id": staff_ids[o.observer], "note": o.note}
                for o in plan))
            _careers(session, rng, calendar, framework.skills, today)
            report(len(roll), len(roll), _("Writing observations"))
            add_appraisals(session, random.Random(seed), calendar, framework.code,
                           framework.skills, today)  # staff appraisal (J4), own random stream
            _demo_photos(session, seed, roll, pupil_ids)  # its own random stream too
        if services.unlocked is not None:
            for person in staff[1:]:  # the head's slot was made with the school
                services.unlocked.keys.add_slot(services.unlocked.data_key, person.login,
                                                DEMO_PASSWORD)
        return DemoSummary(data_dir, len(roll), len(staff), len(class_names), count,
                           time.perf_counter() - started)
    finally:
        services.close()


def _demo_photos(session: Any, seed: int, roll: list[Any], pupil_ids: list[uuid.UUID]) -> None:
    """Drawn silhouettes (no faces) for about half the pupils with photo consent, so lunchtime
    mode shows both photos and initials. At most 80, small, so the demo builds about as fast."""
    from skillsdesk.services.photos import MEDIA_TYPE, placeholder
    from skillsdesk.storage import photos as photo_repo

    rng = random.Random(seed * 7919 + 3)
    chosen = [i for i, pupil in enumerate(roll) if pupil.photo_consent and rng.random() < 0.5]
    for index in chosen[:80]:
        photo_repo.put(session, pupil_ids[index], placeholder(rng.randrange(1 << 30), 160),
                       MEDIA_TYPE)


def _pupil_row(pupil: Any, joined: dt.date) -> dict[str, Any]:
    person = pupil.person
    return {
        "id": uuid.uuid4(), "admission_number": pupil.admission_number,
        "legal_first_name": person.first, "legal_last_name": person.last,
        "preferred_first_name": person.preferred, "year_group": pupil.year_group,
        "gender": person.gender, "sen": pupil.sen, "pupil_premium": pupil.pupil_premium,
        "eal": pupil.eal, "first_language": person.language or "English",
        "photo_consent": pupil.photo_consent, "started_on": joined,
    }


def _place_in_classes(session: Any, roll: list[Any], pupil_ids: list[uuid.UUID],
                      calendar: list[Any], staff: list[Any],
                      staff_ids: dict[str, uuid.UUID]) -> dict[str, list[str]]:
    """Classes for every year, each with its teacher; lunchtime groups this year."""
    teachers = [s.login for s in staff if s.role == "teacher"]
    support = [s.login for s in staff if s.role == "support"]
    lunch = [s.login for s in staff if s.role == "lunchtime"]
    current_classes = sorted({p.form for p in roll})
    teacher_of = {name: teachers[i % len(teachers)] for i, name in enumerate(current_classes)}
    observers: dict[str, list[str]] = {"lunchtime": lunch, "any": ["head", "deputy"]}
    for offset, year in enumerate(calendar):
        back = len(calendar) - 1 - offset
        year_id = school_repo.ensure_year(session, year)
        groups: dict[str, uuid.UUID] = {}
        for pupil, pid in zip(roll, pupil_ids, strict=True):
            year_group = shift_year_group(pupil.year_group, -back)
            if year_group is None or year_group in ("E1", "E2"):
                continue
            name = f"{year_group} {pupil.form.split(' ', 1)[1]}"
            if name not in groups:
                groups[name] = school_repo.ensure_group(session, year_id, name, "class", year_group)
            session.add(_member(groups[name], pid))
        for name, group_id in groups.items():
            teacher = teacher_of.get(name, teachers[hash(name) % len(teachers)])
            if back == 0:
                school_repo.assign_staff(session, group_id, staff_ids[teacher])
            helper = support[current_classes.index(name) % len(support)] \
                if name in current_classes and support else None
            observers[f"class:{name}"] = [teacher] + ([helper] if helper else [])
            if back == 0 and helper:  # a support assistant sees their own groups (DESIGN §8)
                school_repo.assign_staff(session, group_id, staff_ids[helper])
        if back == 0:
            infants = school_repo.ensure_group(session, year_id, "Lunch: infants", "lunchtime")
            juniors = school_repo.ensure_group(session, year_id, "Lunch: juniors", "lunchtime")
            for pupil, pid in zip(roll, pupil_ids, strict=True):
                young = pupil.year_group in ("N1", "N2", "R", "1", "2")
                session.add(_member(infants if young else juniors, pid))
            for index, login in enumerate(lunch):
                school_repo.assign_staff(session, infants if index % 2 == 0 else juniors,
                                         staff_ids[login])
    return observers


def _member(group_id: uuid.UUID, pupil_id: uuid.UUID) -> Any:
    from skillsdesk.storage.tables import GroupMember

    return GroupMember(group_id=group_id, pupil_id=pupil_id)


def _careers(session: Any, rng: random.Random, calendar: list[Any], skills: Any,
             today: dt.date) -> None:
    """A careers programme for each year, two self-audits, an action plan and this year's
    aspirations (journey J5)."""
    skills = list(skills)
    for year in calendar:
        by_year_group: dict[str, list[uuid.UUID]] = {}
        for group in school_repo.groups(session, year.label, kind="class"):
            by_year_group.setdefault(group.year_group or "", []).append(group.id)
        for plan in plan_activities(rng, year, today, len(skills)):
            groups = tuple(g for yg in plan.year_groups for g in by_year_group.get(yg, ()))
            members = careers_repo.group_members(session, groups)
            # A few children are away on any day.
            present = [p for p in members if rng.random() >= 0.04]
            if not present:
                continue
            careers_repo.save_activity(session, ActivityDraft(
                held_on=plan.held_on, title=plan.title, kind=plan.kind, partner=plan.partner,
                sector=plan.sector, group_ids=groups, skill_ids=tuple(
                    skills[i].id for i in plan.skills), benchmarks=plan.benchmarks,
                criteria=plan.criteria, role_models=plan.role_models, notes=plan.notes),
                present)
    staff = {s.login: s.id for s in school_repo.all_staff(session)}
    benchmarks = read_benchmarks(resources_dir() / "careers" / "primary-benchmarks.toml")
    current = calendar[-1]
    baseline_day = current.starts_on - dt.timedelta(days=50)  # mid-July, last summer term
    baseline = plan_audit(rng, benchmarks, 0.35)
    if len(calendar) > 1:
        audit_repo.save_audit(session, baseline_day, baseline, staff.get("deputy"),
                              "Baseline audit by the careers working group.")
    latest_day = today - dt.timedelta(days=14)
    if latest_day >= current.starts_on:
        audit_repo.save_audit(session, latest_day, plan_followup(rng, baseline),
                              staff.get("deputy"), "Autumn review with the link governor.")
    owners = [login for login in ("deputy", "head", "teacher1", "teacher2") if login in staff]
    for login, action in plan_actions(rng, today, owners or list(staff)[:1]):
        audit_repo.save_action(session, replace(action, owner_id=staff.get(login)), today)
    year_id = audit_repo.year_id(session, current.label)
    said_on = min(current.starts_on + dt.timedelta(days=40), today)
    pupils = pupil_repo.list_pupils(session, current.label)
    if year_id is not None:
        audit_repo.insert_aspirations(session, year_id, (
            {"pupil_id": pid, "recorded_on": said_on, "year_group": year_group, "text": text,
             "area": area}
            for pid, year_group, text, area in plan_aspirations(
                rng, [(p.id, p.year_group, p.gender) for p in pupils])))

