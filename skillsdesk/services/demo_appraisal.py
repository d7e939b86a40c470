"""The demo school's staff appraisal (journey J4): for each support and lunchtime member of staff,
a completed cycle last year (when the demo has one) and an open cycle this year, with
self-assessments, a couple of the line manager's practice observations, targets and training.
The deputy line-manages support staff and the head lunchtime supervisors. All text is made up.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from skillsdesk.domain.appraisal import ADULT_FROM_STEP, COMPLETE
from skillsdesk.domain.calendar import SchoolYear
from skillsdesk.domain.records import SkillInfo
from skillsdesk.storage import appraisal as repo
from skillsdesk.storage import school as school_repo

MANAGER_OF = {"support": "deputy", "lunchtime": "head"}
COMMENTS = (
    "I do this well with small groups but less so with the whole class.",
    "I am more confident than last term, especially with new children.",
    "I would like to get better at this when things are busy.",
    "Colleagues say I am good at this; I want to help others do it too.",
    "I find this hard when children are upset, and want to practise it.",
)
PRACTICE = {
    "lunchtime": (
        "Helped two children agree how to take turns on the climbing frame without stepping in "
        "too soon, then praised them for sorting it out.",
        "Noticed a child on their own by the fence and invited them into a skipping game, "
        "asking the group to explain the rules.",
        "Calmed a disagreement over a football by asking each child what happened and what "
        "would be fair, and let them choose the answer.",
        "Modelled listening in the lunch queue: knelt to the child's height and repeated back "
        "what they said before answering.",
    ),
    "support": (
        "Used open questions with a reading group so children explained their thinking rather "
        "than guessing the answer.",
        "Coached a pupil through a setback in maths, naming the effort and suggesting one next "
        "step instead of giving the answer.",
        "Set up roles in a group task so quieter children had a clear part and the group "
        "finished together.",
        "Gave a short, clear explanation to the group and checked understanding by asking two "
        "children to say it back.",
    ),
}
TARGETS = (
    ("Coach children to include anyone left out of a game, and note when it works.", 2),
    ("Step back during disagreements and prompt children to solve them first.", 1),
    ("Use the skills language with children every day (for example 'that was great "
     "listening').", 0),
    ("Share one successful strategy at a staff briefing.", 3),
)
TRAINING = (
    ("Positive play at lunchtime", 2.0, "Uses 'what could we try?' prompts instead of solving "
                                        "arguments for children."),
    ("Essential skills: an introduction for support staff", 1.5, "Names the skill children are "
                                                                 "using when praising them."),
    ("Restorative conversations", 3.0, "Asks each child what happened and what would put it "
                                       "right."),
    ("Coaching children's teamwork", 2.0, "Gives groups roles and checks in without taking "
                                          "over."),
    ("Safeguarding update", 1.0, ""),
)


def add_appraisals(session: Any, rng: random.Random, calendar: Sequence[SchoolYear],
                   framework_code: str, skills: Sequence[SkillInfo], today: dt.date) -> int:
    """Write the demo's appraisal records in the caller's transaction; return cycles made."""
    staff = school_repo.all_staff(session)
    managers = {login: next((p.id for p in staff if p.login == login), None)
                for login in MANAGER_OF.values()}
    made = 0
    for person in (p for p in staff if p.role in MANAGER_OF):
        manager = managers[MANAGER_OF[person.role]]
        for year in calendar[-2:]:
            if year.starts_on > today:
                continue
            done = year.ends_on < today
            _cycle(session, rng, person, manager, year, framework_code, skills, today, done)
            made += 1
    return made


def _day(rng: random.Random, year: SchoolYear, after_days: int, span: int,
         today: dt.date) -> dt.date:
    day = year.starts_on + dt.timedelta(days=after_days + rng.randrange(span))
    return min(day, today)


def _cycle(session: Any, rng: random.Random, person: Any, manager: Any, year: SchoolYear,
           framework_code: str, skills: Sequence[SkillInfo], today: dt.date, done: bool) -> None:
    opened = _day(rng, year, 14, 10, today)
    cycle_id = repo.add_cycle(session, person.id, year.label, manager, framework_code, opened)
    chosen = rng.sample(list(skills), k=min(4, len(skills)))
    for skill in chosen:
        start = min(max(ADULT_FROM_STEP + rng.randrange(5), skill.lowest), skill.highest)
        repo.add_self_assessment(session, cycle_id, skill.id, start, rng.choice(COMMENTS),
                                 _day(rng, year, 20, 14, today))
        if done:  # looked at again at the end of the year
            repo.add_self_assessment(session, cycle_id, skill.id,
                                     min(start + rng.randrange(2), skill.highest),
                                     rng.choice(COMMENTS), _day(rng, year, 280, 20, today))
    setting = "lunchtime" if person.role == "lunchtime" else "classroom"
    seen = rng.sample(PRACTICE[person.role], k=2)
    for offset, text in zip((45, 200), seen, strict=True):
        day = _day(rng, year, offset, 20, today)
        if day < today:
            repo.add_practice(session, cycle_id, rng.choice(chosen).id, day, setting, text,
                              manager)
    for text, skill_index in rng.sample(TARGETS, k=2):
        review = opened + dt.timedelta(days=120 + rng.randrange(60))
        target = repo.add_target(session, cycle_id, skills[skill_index % len(skills)].id, text,
                                 opened, review)
        if done and rng.random() < 0.7:
            repo.set_target_met(session, target, min(review, year.ends_on))
    for title, hours, changed in rng.sample(TRAINING, k=2 if done else 1):
        day = _day(rng, year, 30 if not done else 60, 40, today)
        repo.add_training(session, person.id, day, title, hours,
                          rng.choice(chosen).id if changed else None, changed)
    if done:
        repo.set_cycle(session, cycle_id, status=COMPLETE,
                       completed_on=min(year.ends_on - dt.timedelta(days=40), today))
