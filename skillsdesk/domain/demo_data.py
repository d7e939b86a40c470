"""A realistic, generated primary school for demos and benchmarks. Nobody in it is real.

Pure and seeded: the same seed gives the same school. Storage is not touched here; the demo
service writes what this produces.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from skillsdesk.domain.calendar import SchoolYear, school_year_of, school_year_starting
from skillsdesk.domain.steprule import INDEPENDENTLY, SECURED, WITH_HELP
from skillsdesk.domain.yeargroups import DEFAULT_EXPECTED_STEP, YEAR_GROUPS, shift_year_group

DEMO_YEAR_GROUPS = YEAR_GROUPS[2:]  # N1 to Year 6
# Share of the roll in each year group: smaller nursery classes, two forms from Reception.
_SHARE = {"N1": 0.055, "N2": 0.065, **{yg: 0.125 for yg in DEMO_YEAR_GROUPS[2:]}}
_FORMS = ("Oak", "Ash", "Elm", "Birch", "Rowan", "Willow")
_NURSERY = {"N1": "Acorns", "N2": "Saplings"}


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    gender: str
    origin: str
    language: str
    preferred: str | None = None


@dataclass(frozen=True)
class DemoPupil:
    key: int
    admission_number: str
    person: Person
    year_group: str  # now
    form: str        # class name now
    sen: str
    pupil_premium: bool
    eal: bool
    photo_consent: bool
    aptitude: float  # steps above or below the typical pupil


@dataclass(frozen=True)
class DemoStaff:
    login: str
    name: str
    role: str
    job_title: str


@dataclass(frozen=True)
class PlannedObservation:
    pupil: int
    skill: int          # index into the framework's skills
    step: int
    on: dt.date
    level: int
    setting: str
    observer: str       # staff login
    note: str | None


class NameBank:
    def __init__(self, path: Path) -> None:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        self.origins = data["origins"]
        self.nicknames: dict[str, str] = data.get("nicknames", {})
        self._names = list(self.origins)
        self._weights = [self.origins[o]["weight"] for o in self._names]

    def person(self, rng: random.Random, gender: str | None = None) -> Person:
        origin = rng.choices(self._names, self._weights)[0]
        table = self.origins[origin]
        gender = gender or rng.choice("FM")
        first = rng.choice(table["girls"] if gender == "F" else table["boys"])
        nickname = self.nicknames.get(first) if rng.random() < 0.5 else None
        return Person(first, rng.choice(table["surnames"]), gender, origin, table["language"],
                      nickname)


def class_name(year_group: str, form: int) -> str:
    if year_group in _NURSERY:
        return f"{year_group} {_NURSERY[year_group]}"
    return f"{year_group} {_FORMS[form]}"


def roll(total: int) -> dict[str, int]:
    """How many pupils in each year group for a roll of ``total``."""
    counts = {yg: int(total * share) for yg, share in _SHARE.items()}
    for yg in DEMO_YEAR_GROUPS[2:]:
        if sum(counts.values()) >= total:
            break
        counts[yg] += 1
    while sum(counts.values()) < total:
        counts[DEMO_YEAR_GROUPS[-1 - (sum(counts.values()) % 7)]] += 1
    return counts


def forms_for(year_group: str, count: int) -> int:
    if year_group in _NURSERY:
        return 1
    return max(1, min(len(_FORMS), math.ceil(count / 30)))


def make_pupils(bank: NameBank, rng: random.Random, total: int) -> list[DemoPupil]:
    pupils: list[DemoPupil] = []
    for year_group, count in roll(total).items():
        forms = forms_for(year_group, count)
        for index in range(count):
            person = bank.person(rng)
            sen_draw = rng.random()
            sen = "E" if sen_draw < 0.025 else "K" if sen_draw < 0.14 else "N"
            aptitude = rng.gauss(0, 0.9) - (0.8 if sen == "K" else 1.6 if sen == "E" else 0)
            key = len(pupils)
            pupils.append(DemoPupil(
                # Unique for up to 900,000 pupils (37 is coprime with 900,000); some start
                # with zeros.
                key=key, admission_number=f"{key * 37 % 900_000 + 1000:06d}",
                person=person, year_group=year_group,
                form=class_name(year_group, index % forms), sen=sen,
                pupil_premium=rng.random() < 0.24, eal=bool(person.language),
                photo_consent=rng.random() < 0.85, aptitude=aptitude))
    return pupils


def make_staff(bank: NameBank, rng: random.Random, classes: int) -> list[DemoStaff]:
    people: list[DemoStaff] = [
        DemoStaff("head", _adult(bank, rng), "admin", "Head teacher"),
        DemoStaff("deputy", _adult(bank, rng), "admin", "Deputy head and skills lead"),
    ]
    for index in range(classes):
        people.append(DemoStaff(f"teacher{index + 1}", _adult(bank, rng), "teacher",
                                "Class teacher"))
    for index in range(max(2, classes // 2)):
        title = ("Teaching assistant", "Higher level teaching assistant",
                 "SEN teaching assistant")[index % 3]
        people.append(DemoStaff(f"ta{index + 1}", _adult(bank, rng), "support", title))
    for index in range(max(2, classes // 3)):
        people.append(DemoStaff(f"lunch{index + 1}", _adult(bank, rng), "lunchtime",
                                "Lunchtime supervisor"))
    return people


def _adult(bank: NameBank, rng: random.Random) -> str:
    person = bank.person(rng)
    return f"{person.first} {person.last}"


def school_years(today: dt.date, count: int) -> list[SchoolYear]:
    """The last ``count`` school years, oldest first, ending with the one containing today."""
    now = school_year_of(today).starts_on.year
    return [school_year_starting(now - back) for back in range(count - 1, -1, -1)]


_SETTINGS_WEIGHTS = (("classroom", 70), ("playground", 8), ("lunchtime", 10), ("trip", 5),
                     ("employer", 3), ("home", 2), ("online", 2))
_NOTES = ("Explained their idea to the group without prompting.",
          "Waited for a turn and then built on what a friend had said.",
          "Needed a reminder at first, then carried on alone.",
          "Helped a younger child join the game.",
          "Kept going after the tower fell down and tried a new way.",
          "Asked a good question during the visitor's talk.",
          "Chose a harder challenge card.",
          "Shared resources fairly without being asked.")


def plan_observations(pupils: list[DemoPupil], years: list[SchoolYear], skills: int,
                      highest_step: int, today: dt.date, rng: random.Random,
                      observers: dict[str, list[str]], density: float = 1.0,
                      ) -> Iterator[PlannedObservation]:
    """Observations with plausible progress by age: each pupil climbs about one step a year.

    ``observers`` maps "class:<class name>" and "lunchtime" to the logins who record there.
    """
    lunch = observers.get("lunchtime", [])
    settings, weights = zip(*_SETTINGS_WEIGHTS, strict=True)
    for pupil in pupils:
        skill_bias = [rng.gauss(0, 0.6) for _ in range(skills)]
        for offset, year in enumerate(years):
            back = len(years) - 1 - offset
            year_group = shift_year_group(pupil.year_group, -back)
            if year_group is None or year_group not in DEMO_YEAR_GROUPS:
                continue
            end = min(year.ends_on, today)
            if end < year.starts_on:
                continue
            share = (end - year.starts_on).days / (year.ends_on - year.starts_on).days
            form = pupil.form if back == 0 else f"{year_group} {pupil.form.split(' ', 1)[1]}"
            staff = observers.get(f"class:{form}") or observers.get("any", ["head"])
            for skill in range(skills):
                aim = DEFAULT_EXPECTED_STEP[year_group] + pupil.aptitude + skill_bias[skill]
                start = max(0, min(highest_step, round(aim - 1)))
                target = max(0, min(highest_step, round(aim - 1 + share)))
                for step in range(start, target + 1):
                    yield from _evidence_for_step(pupil.key, skill, step, year, end, rng, staff,
                                                  lunch, settings, weights, density)
                if target < highest_step and rng.random() < 0.5 * density:
                    yield _one(pupil.key, skill, target + 1, WITH_HELP, year, end, rng, staff,
                               lunch, settings, weights)


def _evidence_for_step(pupil: int, skill: int, step: int, year: SchoolYear, end: dt.date,
                       rng: random.Random, staff: list[str], lunch: list[str],
                       settings: tuple[str, ...], weights: tuple[int, ...],
                       density: float) -> Iterator[PlannedObservation]:
    if rng.random() < 0.15:
        yield _one(pupil, skill, step, SECURED, year, end, rng, staff, lunch, settings, weights)
        return
    seen = max(2, round(rng.uniform(2, 3.5) * density))
    for index in range(seen):
        level = WITH_HELP if index == 0 and rng.random() < 0.3 else INDEPENDENTLY
        yield _one(pupil, skill, step, level, year, end, rng, staff, lunch, settings, weights)


def _one(pupil: int, skill: int, step: int, level: int, year: SchoolYear, end: dt.date,
         rng: random.Random, staff: list[str], lunch: list[str], settings: tuple[str, ...],
         weights: tuple[int, ...]) -> PlannedObservation:
    span = max(0, (end - year.starts_on).days)
    day = year.starts_on + dt.timedelta(days=rng.randint(0, span))
    while day.weekday() >= 5 and day > year.starts_on:  # schools see children on weekdays
        day -= dt.timedelta(days=1)
    setting = rng.choices(settings, weights)[0]
    observer = rng.choice(lunch) if setting == "lunchtime" and lunch else rng.choice(staff)
    note = rng.choice(_NOTES) if rng.random() < 0.12 else None
    return PlannedObservation(pupil, skill, step, day, level, setting, observer, note)

