"""Careers activities, coverage and pupils' aspirations: the vocabulary, records and arithmetic.

Pure: services hand in plain records, this module works out who has met what, and how the
aspirations chart looks once small numbers are hidden.

Suppression here is deliberately simple and *primary only*: a cell under ``MIN_CELL`` (5) pupils,
zero included, shows ``c``. It is meant for charts seen inside the school and by governors. It
does not do secondary suppression (a hidden cell may sometimes be worked out from the cells
next to it); the trust export has its own, stricter rules (DOMAIN.md §4), which this does not
reuse on purpose so the two can evolve separately.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from skillsdesk.domain.errors import Problem
from skillsdesk.domain.records import PupilInfo
from skillsdesk.domain.yeargroups import year_group_rank
from skillsdesk.i18n import N_, _

MIN_CELL = 5
SUPPRESSED = "c"

KINDS = ("employer-talk", "workplace-visit", "skills-challenge", "assembly", "fe-he",
         "enterprise", "home-learning")
KIND_LABELS = {
    "employer-talk": N_("Employer talk or visit"),
    "workplace-visit": N_("Workplace visit"),
    "skills-challenge": N_("Employer skills challenge"),
    "assembly": N_("Careers assembly"),
    "fe-he": N_("Further or higher education encounter"),
    "enterprise": N_("Enterprise project"),
    "home-learning": N_("Home learning"),
}
KIND_SHORT = {  # for column headings
    "employer-talk": N_("Employer talk"), "workplace-visit": N_("Workplace visit"),
    "skills-challenge": N_("Skills challenge"), "assembly": N_("Assembly"),
    "fe-he": N_("FE/HE"), "enterprise": N_("Enterprise"), "home-learning": N_("Home learning"),
}
CRITERIA = ("clear_purpose", "pupils_prepared", "two_way", "reflection")
CRITERION_LABELS = {
    "clear_purpose": N_("Clear purpose"),
    "pupils_prepared": N_("Pupils prepared"),
    "two_way": N_("Two-way interaction"),
    "reflection": N_("Reflection afterwards"),
}
JOB_AREAS = ("stem", "health", "teaching", "trades", "public", "business", "creative", "sport",
             "other")
AREA_LABELS = {
    "stem": N_("Science, engineering and technology"),
    "health": N_("Health and caring"),
    "teaching": N_("Teaching and childcare"),
    "trades": N_("Construction and skilled trades"),
    "public": N_("Emergency and public services"),
    "business": N_("Business, shops and hospitality"),
    "creative": N_("Arts, media and entertainment"),
    "sport": N_("Sport and fitness"),
    "other": N_("Other"),
}
AREA_SHORT = {  # for chart headings
    "stem": N_("Science & tech"), "health": N_("Health & caring"), "teaching": N_("Teaching"),
    "trades": N_("Trades"), "public": N_("Public services"), "business": N_("Business"),
    "creative": N_("Arts & media"), "sport": N_("Sport"), "other": N_("Other"),
}
ROLE_GENDERS = ("female", "male", "other")
ROLE_GENDER_LABELS = {"female": N_("Woman"), "male": N_("Man"),
                      "other": N_("Another gender or not stated")}
# The role models that challenge the usual stereotypes (DOMAIN.md §2.6, PB3).
CHALLENGES = (("female", "stem"), ("female", "trades"), ("male", "health"), ("male", "teaching"))
CHALLENGE_LABELS = {
    ("female", "stem"): N_("Women in science, engineering and technology"),
    ("female", "trades"): N_("Women in construction and skilled trades"),
    ("male", "health"): N_("Men in health and caring roles"),
    ("male", "teaching"): N_("Men in teaching and childcare"),
}
PUPIL_GENDERS = ("F", "M", "other")
PUPIL_GENDER_LABELS = {"F": N_("Girls"), "M": N_("Boys"), "other": N_("Other or not recorded")}
SECTORS = (
    N_("Agriculture and environment"), N_("Construction"), N_("Creative and media"),
    N_("Digital and technology"), N_("Education"), N_("Energy"),
    N_("Engineering and manufacturing"), N_("Finance and business"), N_("Health and social care"),
    N_("Hospitality and tourism"), N_("Law and public services"), N_("Retail"), N_("Science"),
    N_("Sport and leisure"), N_("Transport and logistics"),
)
# Words children use for jobs, to suggest an area when none is chosen. First match wins.
_AREA_WORDS = (
    ("sport", ("football", "athlete", "swimm", "gymnast", "boxer", "cricket", "rugby", "tennis",
               "sport", "dancer", "coach")),
    # Teaching before health, so "nursery teacher" is not read as "nurse".
    ("teaching", ("teach", "nursery", "childminder", "tutor")),
    ("health", ("doctor", "nurse", "vet", "dentist", "carer", "paramedic", "midwife", "care ")),
    ("stem", ("scien", "engineer", "astronaut", "coder", "program", "computer", "inventor",
              "robot", "game design", "architect")),
    ("trades", ("builder", "plumber", "electrician", "mechanic", "joiner", "carpenter",
                "bricklayer", "farmer", "hairdresser")),
    ("public", ("police", "firefight", "fire fighter", "soldier", "army", "navy", "lifeguard")),
    ("business", ("shop", "chef", "baker", "cook", "business", "boss", "bank", "waiter")),
    ("creative", ("artist", "singer", "actor", "actress", "youtuber", "author", "writer",
                  "music", "film", "designer", "photograph")),
)


@dataclass(frozen=True)
class RoleModel:
    job: str
    gender: str  # female | male | other
    area: str    # a JOB_AREAS code


@dataclass(frozen=True)
class ActivityDraft:
    """What a person enters to record or edit an activity."""

    held_on: dt.date
    title: str
    kind: str
    partner: str = ""
    sector: str = ""
    group_ids: tuple[uuid.UUID, ...] = ()
    # Who took part. Empty means every member of the chosen groups.
    pupil_ids: tuple[uuid.UUID, ...] = ()
    skill_ids: tuple[uuid.UUID, ...] = ()
    benchmarks: tuple[str, ...] = ()
    criteria: frozenset[str] = frozenset()
    role_models: tuple[RoleModel, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ActivityInfo:
    id: uuid.UUID
    held_on: dt.date
    title: str
    kind: str
    partner: str
    sector: str
    group_ids: tuple[uuid.UUID, ...]
    classes: tuple[str, ...]
    pupil_ids: tuple[uuid.UUID, ...]
    skill_ids: tuple[uuid.UUID, ...]
    skill_names: tuple[str, ...]
    benchmarks: tuple[str, ...]
    criteria: frozenset[str]
    role_models: tuple[RoleModel, ...]
    notes: str
    observations: int

    @property
    def meaningful(self) -> bool:
        return all(c in self.criteria for c in CRITERIA)

    @property
    def pupil_count(self) -> int:
        return len(self.pupil_ids)


@dataclass(frozen=True)
class ActivityResult:
    activity: ActivityInfo
    observations_added: int


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def area_label(area: str) -> str:
    return _(AREA_LABELS[area]) if area in AREA_LABELS else area


def area_short(area: str) -> str:
    return _(AREA_SHORT[area]) if area in AREA_SHORT else area


def guess_area(text: str) -> str:
    """A job area for what a child said, from common words; 'other' when nothing fits."""
    folded = f" {text.casefold()} "
    for area, words in _AREA_WORDS:
        if any(word in folded for word in words):
            return area
    return "other"


def check_activity(draft: ActivityDraft, benchmark_codes: Iterable[str],
                   skill_ids: Iterable[uuid.UUID], today: dt.date) -> list[Problem]:
    """Every problem with a draft activity, each naming its field."""
    problems: list[Problem] = []

    def add(field: str, message: str) -> None:
        problems.append(Problem(message=message, field=field))

    if not draft.title.strip():
        add(_("title"), _("the activity needs a title"))
    elif len(draft.title) > 200:
        add(_("title"), _("is longer than 200 characters"))
    if draft.kind not in KINDS:
        add(_("kind"), _("'{kind}' is not a kind of activity; use one of {kinds}").format(
            kind=draft.kind, kinds=", ".join(KINDS)))
    if draft.held_on > today:
        add(_("date"), _("{date} is after today: record an activity once it has happened").format(
            date=draft.held_on.isoformat()))
    if len(draft.partner) > 200:
        add(_("partner"), _("is longer than 200 characters"))
    if len(draft.sector) > 100:
        add(_("sector"), _("is longer than 100 characters"))
    if len(draft.notes) > 10_000:
        add(_("evidence notes"), _("are longer than 10,000 characters"))
    if not draft.group_ids and not draft.pupil_ids:
        add(_("pupils"), _("choose the classes or pupils who took part"))
    known = set(benchmark_codes)
    for code in draft.benchmarks:
        if code not in known:
            add(_("benchmarks"), _("'{code}' is not one of the benchmarks ({codes})").format(
                code=code, codes=", ".join(sorted(known))))
    skills = set(skill_ids)
    if any(s not in skills for s in draft.skill_ids):
        add(_("skills"), _("a chosen skill is not in the school's framework"))
    for criterion in draft.criteria:
        if criterion not in CRITERIA:
            add(_("criteria"), _("'{code}' is not one of the four criteria").format(code=criterion))
    for number, person in enumerate(draft.role_models, start=1):
        where = _("role model {n}").format(n=number)
        if not person.job.strip() or len(person.job) > 100:
            add(where, _("give the job in 1-100 characters"))
        if person.gender not in ROLE_GENDERS:
            add(where, _("gender must be one of {choices}").format(choices=", ".join(ROLE_GENDERS)))
        if person.area not in JOB_AREAS:
            add(where, _("'{area}' is not an area of work").format(area=person.area))
    return problems


# -- coverage -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClassCoverage:
    name: str
    year_group: str
    pupils: int
    reached: int
    by_kind: tuple[tuple[str, int], ...]  # (kind, pupils of the class who had it)

    def count(self, kind: str) -> int:
        return dict(self.by_kind).get(kind, 0)


@dataclass(frozen=True)
class PupilCoverage:
    pupil: PupilInfo
    activities: int
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class SectorCount:
    sector: str
    activities: int
    pupils: int


@dataclass(frozen=True)
class RoleModelCount:
    area: str
    female: int
    male: int
    other: int


@dataclass(frozen=True)
class Coverage:
    year: str
    activities: int
    meaningful: int
    classes: tuple[ClassCoverage, ...]
    pupils: tuple[PupilCoverage, ...]
    without: tuple[PupilInfo, ...]
    sectors: tuple[SectorCount, ...]
    role_models: tuple[RoleModelCount, ...]
    challenges: tuple[tuple[tuple[str, str], int], ...]  # ((gender, area), role models met)
    pupils_challenged: int  # pupils who met at least one role model who challenges a stereotype


def coverage(year: str, activities: Iterable[ActivityInfo],
             pupils: Iterable[PupilInfo]) -> Coverage:
    """Who has met what in ``year``: per class, per pupil, sectors and role models."""
    activities = list(activities)
    roll = list(pupils)
    kinds_of: dict[uuid.UUID, set[str]] = {}
    count_of: Counter[uuid.UUID] = Counter()
    challenged: set[uuid.UUID] = set()
    sectors: dict[str, tuple[str, set[uuid.UUID], int]] = {}
    people: Counter[tuple[str, str]] = Counter()
    for activity in activities:
        challenges = any((p.gender, p.area) in CHALLENGES for p in activity.role_models)
        for pid in activity.pupil_ids:
            kinds_of.setdefault(pid, set()).add(activity.kind)
            count_of[pid] += 1
            if challenges:
                challenged.add(pid)
        sector = " ".join(activity.sector.split())
        if sector:
            shown, reached, n = sectors.get(sector.casefold(), (sector, set(), 0))
            sectors[sector.casefold()] = (shown, reached | set(activity.pupil_ids), n + 1)
        for person in activity.role_models:
            people[(person.area, person.gender)] += 1
    on_roll = {p.id for p in roll}
    by_class: dict[str, list[PupilInfo]] = {}
    for pupil in roll:
        if pupil.class_name:
            by_class.setdefault(pupil.class_name, []).append(pupil)
    classes = []
    for name, members in by_class.items():
        kinds = Counter(k for p in members for k in kinds_of.get(p.id, ()))
        classes.append(ClassCoverage(
            name, members[0].year_group, len(members),
            sum(1 for p in members if p.id in kinds_of),
            tuple((k, kinds[k]) for k in KINDS)))
    classes.sort(key=lambda c: (year_group_rank(c.year_group), c.name))
    order = {k: i for i, k in enumerate(KINDS)}
    pupil_rows = tuple(PupilCoverage(p, count_of[p.id], tuple(sorted(
        kinds_of.get(p.id, ()), key=lambda k: order.get(k, 99)))) for p in roll)
    sector_rows = sorted((SectorCount(shown, n, len(reached & on_roll))
                          for shown, reached, n in sectors.values()),
                         key=lambda s: (-s.activities, s.sector.casefold()))
    role_rows = tuple(RoleModelCount(area, people[(area, "female")], people[(area, "male")],
                                     people[(area, "other")])
                      for area in JOB_AREAS
                      if any(people[(area, g)] for g in ROLE_GENDERS))
    return Coverage(
        year=year, activities=len(activities),
        meaningful=sum(1 for a in activities if a.meaningful),
        classes=tuple(classes), pupils=pupil_rows,
        without=tuple(p for p in roll if p.id not in kinds_of),
        sectors=tuple(sector_rows), role_models=role_rows,
        challenges=tuple(((g, a), people[(a, g)]) for g, a in CHALLENGES),
        pupils_challenged=len(challenged & on_roll))


# -- aspirations --------------------------------------------------------------------------------
@dataclass(frozen=True)
class AspirationInfo:
    pupil_id: uuid.UUID
    admission_number: str
    pupil_name: str
    year_group: str
    gender: str | None
    text: str
    area: str
    recorded_on: dt.date
    year: str


@dataclass(frozen=True)
class ChartRow:
    year_group: str | None  # None: all year groups together
    gender: str             # F | M | other
    counts: tuple[int | None, ...]  # one per area; None where suppressed

    def cell(self, index: int) -> str:
        value = self.counts[index]
        return SUPPRESSED if value is None else str(value)


@dataclass(frozen=True)
class AspirationChart:
    year: str
    areas: tuple[str, ...]
    rows: tuple[ChartRow, ...]
    minimum: int
    recorded: int | None  # how many aspirations in all (None when that is itself too few)
    suppressed: int


def suppress(count: int, minimum: int = MIN_CELL) -> int | None:
    """Primary suppression: a count under ``minimum`` (zero included) is not shown."""
    return count if count >= minimum else None


def gender_group(gender: str | None) -> str:
    return gender if gender in ("F", "M") else "other"


def aspiration_chart(year: str, aspirations: Iterable[AspirationInfo],
                     minimum: int = MIN_CELL) -> AspirationChart:
    """Counts by job area for each year group and gender, then for all years, suppressed."""
    minimum = max(minimum, MIN_CELL)  # never below five, whatever a caller asks for
    items = list(aspirations)
    cells: Counter[tuple[str | None, str, str]] = Counter()
    for item in items:
        group = gender_group(item.gender)
        area = item.area if item.area in JOB_AREAS else "other"
        cells[(item.year_group, group, area)] += 1
        cells[(None, group, area)] += 1
    year_groups = sorted({i.year_group for i in items}, key=year_group_rank)
    rows = []
    hidden = 0
    for year_group in [*year_groups, None]:
        for gender in PUPIL_GENDERS:
            raw = [cells[(year_group, gender, area)] for area in JOB_AREAS]
            if not any(raw):
                continue  # nobody of this gender in this year group said anything
            counts = tuple(suppress(n, minimum) for n in raw)
            hidden += sum(1 for c in counts if c is None)
            rows.append(ChartRow(year_group, gender, counts))
    return AspirationChart(year, JOB_AREAS, tuple(rows), minimum,
                           suppress(len(items), minimum), hidden)
