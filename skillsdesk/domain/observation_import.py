"""Turn a spreadsheet of past observations (bulk history) into records, checking every row.

The skill is kept as written: only the service knows the school's frameworks, so it matches the
text against skill codes and names and checks the step against the framework's range.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TypeVar

from skillsdesk.domain import normalise
from skillsdesk.domain.errors import Problem
from skillsdesk.domain.pupil_import import ALIASES as PUPIL_ALIASES
from skillsdesk.domain.pupil_import import RowReader, ragged_problem, superseded_warnings
from skillsdesk.domain.records import SETTINGS
from skillsdesk.domain.tabular import Table
from skillsdesk.i18n import N_, _

__all__ = [
    "LEVELS", "SETTINGS", "MAX_NOTE", "ObservationRecord", "ParsedObservations",
    "parse_observations",
]

T = TypeVar("T")

LEVELS = {1: N_("with help"), 2: N_("independently"), 3: N_("secured")}
MAX_NOTE = 20_000
EARLIEST = dt.date(2000, 1, 1)
REQUIRED = ("admission_number", "skill", "step", "date")

ALIASES: dict[str, tuple[str, ...]] = {
    "admission_number": PUPIL_ALIASES["admission_number"],
    "skill": ("Skill", "Skill Code", "Skill Name"),
    "step": ("Step", "Step Number", "Stage"),
    "date": ("Date", "Observed On", "Date Observed", "Observation Date"),
    "setting": ("Setting", "Where", "Context", "Location"),
    "level": ("Level", "Judgement", "How"),
    "note": ("Note", "Notes", "Comment", "Comments", "Observation"),
    "observer": ("Observer", "Staff", "Recorded By", "Teacher", "By"),
}

LABELS = {
    "admission_number": N_("admission number"),
    "skill": N_("skill"),
    "step": N_("step"),
    "date": N_("date"),
    "setting": N_("setting"),
    "level": N_("level"),
    "note": N_("note"),
    "observer": N_("observer"),
}

_LEVEL_WORDS = {
    "1": 1, "withhelp": 1, "help": 1, "helped": 1, "supported": 1, "support": 1,
    "2": 2, "independently": 2, "independent": 2, "indep": 2,
    "3": 3, "secured": 3, "secure": 3,
}
_SETTING_WORDS = {
    "classroom": "classroom", "class": "classroom", "lesson": "classroom",
    "lunchtime": "lunchtime", "lunch": "lunchtime", "dinner": "lunchtime",
    "dinnertime": "lunchtime",
    "playground": "playground", "break": "playground", "breaktime": "playground",
    "outside": "playground", "outdoors": "playground", "playtime": "playground",
    "trip": "trip", "visit": "trip", "schooltrip": "trip",
    "employer": "employer", "employeractivity": "employer", "work": "employer",
    "home": "home", "online": "online",
}
_STEP = re.compile(r"^(?:step\s*)?(\d{1,2})(?:\.0+)?$", re.IGNORECASE)
_NOTE_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ObservationRecord:
    line: int
    admission_number: str
    skill: str
    step: int
    observed_on: dt.date
    setting: str
    level: int
    note: str | None
    observer: str | None


@dataclass(frozen=True)
class ParsedObservations:
    source: str
    records: tuple[ObservationRecord, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    columns: dict[str, str]
    ignored_columns: tuple[str, ...]
    invalid_lines: frozenset[int]


def _label(field: str) -> str:
    return _(LABELS[field])


def _admission_number(reader: RowReader) -> str | None:
    raw = reader.raw("admission_number")
    value = normalise.admission_number(raw)
    if not value:
        reader.problem("admission_number", _("The admission number is blank."))
        return None
    if normalise.looks_scientific(raw) or len(value) > 50:
        reader.problem("admission_number", _('"{value}" is not an admission number.').format(
            value=value[:60]))
        return None
    return value


def _skill(reader: RowReader) -> str | None:
    value = normalise.name(reader.raw("skill"))
    if not value:
        reader.problem("skill", _("The skill is blank."))
        return None
    if len(value) > 200 or normalise.has_control_characters(value):
        reader.problem("skill", _('"{value}" is not a skill name or code.').format(
            value=value[:60]))
        return None
    return value


def _step(reader: RowReader) -> int | None:
    raw = reader.raw("step")
    match = _STEP.match(raw)
    if match:
        return int(match[1])
    if not raw:
        reader.problem("step", _("The step is blank."))
    else:
        reader.problem("step", _('"{value}" is not a step. Use a whole number from 0 to 99.')
                       .format(value=raw[:60]))
    return None


def _date(reader: RowReader, today: dt.date) -> dt.date | None:
    raw = reader.raw("date")
    if not raw:
        reader.problem("date", _("The date is blank."))
        return None
    value = normalise.parse_date(raw)
    if value is None:
        reader.problem("date", _('"{value}" is not a date SkillsDesk can read. Write dates as '
                                 "day/month/year, for example 22/11/2025.").format(value=raw[:60]))
    elif value > today:
        reader.problem("date", _('"{value}" is in the future.').format(value=raw))
    elif value < EARLIEST:
        reader.problem("date", _('"{value}" is before the year 2000; check the date.').format(
            value=raw))
    else:
        return value
    return None


def _choice(reader: RowReader, field: str, words: dict[str, T], default: T) -> T | None:
    """A word from a short list; blank (or no such column) means the usual default."""
    raw = reader.raw(field)
    if not raw:
        return default
    value = words.get(normalise.header_key(raw))
    if value is None:
        allowed = (
            ", ".join(SETTINGS) if field == "setting"
            else ", ".join(_(word) for word in LEVELS.values())
        )
        reader.problem(field, _('"{value}" is not a {field} SkillsDesk recognises. Use one of: '
                                "{allowed}.").format(
            value=raw[:60], field=_label(field), allowed=allowed))
    return value


def _note(reader: RowReader) -> str | None:
    # Notes keep their line breaks; only invisible control characters are dropped.
    text = unicodedata.normalize("NFC", reader.raw("note").replace("\r\n", "\n"))
    text = _NOTE_JUNK.sub("", text).strip()
    if not text:
        return None
    if len(text) > MAX_NOTE:
        reader.problem("note", _("The note is {count} characters long; the most SkillsDesk keeps "
                                 "is {limit}. Shorten it or split it into two observations.")
                       .format(count=len(text), limit=MAX_NOTE))
        return None
    return text


def _observer(reader: RowReader) -> str | None:
    value = normalise.name(reader.raw("observer"))
    if not value:
        return None
    if len(value) > 100 or normalise.has_control_characters(value):
        reader.problem("observer", _('"{value}" is not a staff name, login or initials.').format(
            value=value[:60]))
        return None
    return value


def parse_observations(table: Table, today: dt.date | None = None) -> ParsedObservations:
    """Check every row of an observation history file; ``today`` bounds future dates."""
    today = today or dt.date.today()
    match = normalise.match_columns(table.headers, ALIASES)
    missing = [field for field in REQUIRED if field not in match.index]
    if missing:
        raise normalise.missing_columns_error(table.source, table.headers, missing, LABELS, ALIASES)
    problems: list[Problem] = list(table.problems)
    warnings: list[Problem] = superseded_warnings(match, LABELS)
    records: list[ObservationRecord] = []
    invalid: set[int] = {p.line for p in table.problems if p.line is not None}
    for row in table.rows:
        reader = RowReader(row, match, LABELS)
        ragged = ragged_problem(row, len(table.headers))
        if ragged:
            reader.problems.append(ragged)
        adno = _admission_number(reader)
        skill = _skill(reader)
        step = _step(reader)
        observed_on = _date(reader, today)
        setting = _choice(reader, "setting", _SETTING_WORDS, "classroom")
        level = _choice(reader, "level", _LEVEL_WORDS, 2)
        note = _note(reader)
        observer = _observer(reader)
        problems.extend(reader.problems)
        warnings.extend(reader.warnings)
        if (
            reader.problems or adno is None or skill is None or step is None
            or observed_on is None or setting is None or level is None
        ):
            invalid.add(row.line)
            continue
        records.append(ObservationRecord(
            line=row.line, admission_number=adno, skill=skill, step=step,
            observed_on=observed_on, setting=setting, level=level, note=note,
            observer=observer,
        ))
    return ParsedObservations(
        source=table.source,
        records=tuple(records),
        problems=tuple(problems),
        warnings=tuple(warnings),
        columns=dict(match.columns),
        ignored_columns=match.ignored,
        invalid_lines=frozenset(invalid),
    )
