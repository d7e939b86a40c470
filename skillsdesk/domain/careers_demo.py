"""The demo school's careers programme: activities, self-audits, an action plan, aspirations.

Pure and seeded, like ``demo_data``; every partner and person here is made up. The demo service
writes what this plans.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from skillsdesk.domain.benchmarks import (
    ACHIEVED,
    IN_PROGRESS,
    NOT_STARTED,
    ActionDraft,
    AuditEntry,
    BenchmarkSet,
)
from skillsdesk.domain.calendar import SchoolYear
from skillsdesk.domain.careers import CRITERIA, RoleModel, guess_area

_ALL = ("R", "1", "2", "3", "4", "5", "6")


@dataclass(frozen=True)
class PlannedActivity:
    held_on: dt.date
    title: str
    kind: str
    partner: str
    sector: str
    year_groups: tuple[str, ...]
    benchmarks: tuple[str, ...]
    criteria: frozenset[str]
    role_models: tuple[RoleModel, ...]
    notes: str
    skills: tuple[int, ...]  # indexes into the framework's skills


# title, kind, partner, sector, year groups, benchmarks, role models (job, gender, area)
_PROGRAMME = (
    ("People who help us: a paramedic crew visits", "employer-talk", "Northfield Ambulance Crew",
     "Health and social care", ("R", "1", "2"), ("PB5", "PB2"),
     (("Paramedic", "male", "health"), ("Paramedic", "female", "health"))),
    ("Wind-farm engineering challenge", "skills-challenge", "Coastal Wind Services", "Energy",
     ("5", "6"), ("PB4", "PB5", "PB3"),
     (("Electrical engineer", "female", "stem"), ("Turbine technician", "male", "trades"))),
    ("Visit to the fire station", "workplace-visit", "Brackenfield Fire Station",
     "Law and public services", ("1", "2"), ("PB6", "PB5"),
     (("Firefighter", "female", "public"), ("Watch manager", "male", "public"))),
    ("Careers assembly: jobs in our town", "assembly", "", "", _ALL, ("PB1", "PB2"), ()),
    ("A nurse and a nursery teacher talk about their work", "employer-talk",
     "St Aidan's Hospital and Little Acorns Nursery", "Health and social care", ("3", "4"),
     ("PB3", "PB5"), (("Children's nurse", "male", "health"), ("Nursery teacher", "male",
                                                                "teaching"))),
    ("Christmas enterprise fair", "enterprise", "", "Retail", ("4", "5", "6"), ("PB4", "PB6"),
     ()),
    ("College students show their courses", "fe-he", "Brackenfield College", "Education",
     ("5", "6"), ("PB7", "PB3"),
     (("Engineering apprentice", "female", "stem"), ("Childcare student", "male", "teaching"))),
    ("Builders' challenge: design a shelter", "skills-challenge", "Harbour Homes",
     "Construction", ("3", "4"), ("PB4", "PB5", "PB3"),
     (("Site manager", "female", "trades"), ("Bricklayer", "female", "trades"))),
    ("Virtual tour of a food factory", "workplace-visit", "Valley Foods", "Engineering and "
     "manufacturing", ("2", "3"), ("PB6", "PB2"), (("Food scientist", "female", "stem"),)),
    ("Ask a grown-up about their job (home learning)", "home-learning", "", "",
     ("3", "4", "5", "6"), ("PB1", "PB8"), ()),
    ("University science day", "fe-he", "City University outreach team", "Education", ("6",),
     ("PB7", "PB4"), (("Chemist", "female", "stem"), ("Lecturer", "male", "teaching"))),
    ("Visit to the building society", "workplace-visit", "Brackenfield Building Society",
     "Finance and business", ("5",), ("PB6", "PB4"), (("Branch manager", "female", "business"),)),
    ("Farm visit", "workplace-visit", "Hollins Farm", "Agriculture and environment", ("R", "1"),
     ("PB6", "PB5"), (("Farmer", "female", "trades"), ("Vet", "male", "health"))),
    ("Meet a games studio", "employer-talk", "Pixel Forge Studios", "Digital and technology",
     ("4", "5"), ("PB5", "PB3"), (("Games programmer", "female", "stem"),
                                   ("Concept artist", "male", "creative"))),
)
_NOTES = (
    "Pupils wrote thank-you letters saying one thing they had learned.",
    "Photos and pupils' questions kept in the careers folder.",
    "Class discussion afterwards; pupils' reflections in their skills journals.",
    "The visitor left a short feedback form; it is in the careers folder.",
    "",
)
_ASPIRATIONS = {  # what children say, roughly weighted by what surveys of primary pupils find
    "F": (("Teacher", 9), ("Vet", 8), ("Doctor", 6), ("Artist", 4), ("Hairdresser", 3),
          ("Footballer", 3), ("Scientist", 3), ("Police officer", 2), ("Singer", 4),
          ("Nurse", 4), ("Engineer", 2), ("Baker", 2), ("Author", 2)),
    "M": (("Footballer", 12), ("Police officer", 4), ("YouTuber", 4), ("Engineer", 4),
          ("Scientist", 3), ("Builder", 3), ("Doctor", 3), ("Firefighter", 3), ("Vet", 2),
          ("Game designer", 4), ("Chef", 2), ("Teacher", 2), ("Mechanic", 2)),
}
_ACTIONS = (
    ("PB1", "Write the careers programme into the curriculum map for every year group",
     "Curriculum map shows careers learning in each term"),
    ("PB1", "Present the careers programme to governors", "Minutes of the governors' meeting"),
    ("PB2", "Send families a half-termly 'jobs near us' newsletter", "Newsletters on the website"),
    ("PB3", "Invite more visitors whose jobs challenge gender stereotypes",
     "Role-model check shows men in caring roles and women in trades every term"),
    ("PB3", "Check that pupils with SEN took part in every visit", "Coverage list has no gaps"),
    ("PB4", "Ask each subject leader for one careers link per unit", "Links listed in planning"),
    ("PB5", "Build a list of employers willing to come back each year", "Partner list of ten"),
    ("PB7", "Arrange a college visit for Year 6", "Visit logged in the activities log"),
    ("PB8", "Hold a short skills conversation with every Year 6 pupil",
     "Notes kept in pupils' skills journals"),
)


def _school_day(rng: random.Random, year: SchoolYear, offset_from: int, offset_to: int) -> dt.date:
    day = year.starts_on + dt.timedelta(days=rng.randint(offset_from, offset_to))
    while day.weekday() >= 5:  # no activities at weekends
        day += dt.timedelta(days=1)
    return day


def plan_activities(rng: random.Random, year: SchoolYear, today: dt.date,
                    skill_count: int) -> list[PlannedActivity]:
    """A year's programme spread over the three terms; only what has happened by ``today``."""
    plan = []
    # A different order each year, so the autumn term does not always hold the same visits.
    order = rng.sample(list(_PROGRAMME), k=len(_PROGRAMME))
    for index, (title, kind, partner, sector, groups, marks, people) in enumerate(order):
        # About a fortnight apart from mid-September, with some jitter.
        start = 12 + index * 16
        held = _school_day(rng, year, start, start + 12)
        if held > today:
            continue
        criteria = {"clear_purpose"}
        for criterion, chance in zip(CRITERIA[1:], (0.85, 0.75, 0.65), strict=True):
            if rng.random() < chance:
                criteria.add(criterion)
        plan.append(PlannedActivity(
            held, title, kind, partner, sector, groups, marks, frozenset(criteria),
            tuple(RoleModel(*p) for p in people), rng.choice(_NOTES),
            tuple(rng.sample(range(skill_count), k=min(2, skill_count)))))
    return plan


def plan_audit(rng: random.Random, benchmarks: BenchmarkSet, maturity: float) -> list[AuditEntry]:
    """A self-audit where ``maturity`` (0-1) is how far the school has got."""
    entries = []
    for benchmark in benchmarks.benchmarks:
        for criterion in benchmark.criteria:
            roll = rng.random()
            if roll < maturity * 0.6:
                status = ACHIEVED
            elif roll < maturity * 1.2:
                status = IN_PROGRESS
            else:
                status = NOT_STARTED
            evidence = ""
            if status != NOT_STARTED and rng.random() < 0.6:
                evidence = rng.choice((
                    "Discussed at the careers working group; notes in the shared folder.",
                    "Seen in planning for most year groups.",
                    "Pupil voice survey in the summer term.",
                    "Letters home and the newsletter.",
                    "Staff meeting on careers links.",
                ))
            entries.append(AuditEntry(benchmark.code, criterion.code, status, evidence))
    return entries


def plan_actions(rng: random.Random, today: dt.date,
                 owners: list[str]) -> list[tuple[str, ActionDraft]]:
    """The action plan: (owner login, action); some done, some under way, two overdue."""
    # The first three were due already: one done, two overdue. The rest run to the summer.
    fixed = ((-45, "done"), (-30, "in-progress"), (-9, "not-started"))
    plan = []
    for index, (code, action, evidence) in enumerate(_ACTIONS):
        if index < len(fixed):
            offset, status = fixed[index]
        else:
            offset = 14 + (index - len(fixed)) * 30 + rng.randint(0, 20)
            status = rng.choice(("not-started", "in-progress"))
        due = today + dt.timedelta(days=offset)
        review = "Reviewed at the careers working group." if status != "not-started" else ""
        plan.append((owners[index % len(owners)], ActionDraft(
            code, action, None, due, status, evidence, review)))
    return plan


def plan_aspirations(rng: random.Random,
                     pupils: list[tuple[object, str, str | None]]) -> list[tuple[object, str,
                                                                                    str, str]]:
    """(pupil, year group, what they said, area) for most pupils from Reception to Year 6."""
    out = []
    for pupil, year_group, gender in pupils:
        if year_group not in _ALL or rng.random() < 0.12:
            continue  # nursery children are not asked; a few were absent on the day
        table = _ASPIRATIONS.get(gender or "", _ASPIRATIONS["F"] + _ASPIRATIONS["M"])
        text = rng.choices([t for t, _ in table], weights=[w for _, w in table])[0]
        out.append((pupil, year_group, text, guess_area(text)))
    return out


def plan_followup(rng: random.Random, before: list[AuditEntry]) -> list[AuditEntry]:
    """A later audit: most criteria hold, many move on a step, none go backwards."""
    steps = {NOT_STARTED: IN_PROGRESS, IN_PROGRESS: ACHIEVED, ACHIEVED: ACHIEVED}
    out = []
    for entry in before:
        status = steps[entry.status] if rng.random() < 0.45 else entry.status
        evidence = entry.evidence or ("Activities in the log this term." if status != NOT_STARTED
                                      else "")
        out.append(AuditEntry(entry.benchmark, entry.criterion, status, evidence))
    return out
