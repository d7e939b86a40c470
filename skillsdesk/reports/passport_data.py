"""What a skills passport shows, as plain data: the service fills it, the builder draws it.

Nothing here can carry a UPN, SEN / pupil premium / EAL flags or staff-only notes: the record
simply has no place for them, so a passport cannot leak them whatever the builder does.
Framework texts arrive already in the family's language where the framework has a translation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PassportSkill:
    name: str
    colour: str  # "#rrggbb"
    path: tuple[int, ...]  # the step numbers drawn as stones, lowest first
    current: int | None  # highest secured step, None when nothing is secured yet
    next: int | None  # the step being worked on, None at the top of the path
    secured_text: str  # the child's "I can ..." for the current step ("" when none)
    next_text: str  # the child's "I can ..." for the next step ("" when none)
    home_tip: str


@dataclass(frozen=True)
class PassportMoment:
    """A highlighted observation, or something a family told the school."""

    on: dt.date
    skill: str  # "" when a family's note is not about one skill
    colour: str
    text: str


@dataclass(frozen=True)
class Passport:
    school: str  # "" when the school has not set its name
    pupil_name: str  # preferred names, exactly as stored
    first_name: str  # how the passport speaks of the child in sentences
    class_name: str
    academic_year: str
    printed_on: dt.date
    skills: tuple[PassportSkill, ...]
    moments: tuple[PassportMoment, ...] = ()
    from_home: tuple[PassportMoment, ...] = ()
    teacher_comment: str = ""
    logo: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Wording:
    """The language a passport is drawn in: its gettext functions, locale and direction.

    Passed in rather than read from the global locale, so a worker process (or a thread) can
    print a Polish passport while the app stays in English.
    """

    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    locale: str
    rtl: bool

    @property
    def start(self) -> str:
        """Where a line starts: the left edge, or the right one for Arabic and Urdu."""
        return "right" if self.rtl else "left"

    @property
    def end(self) -> str:
        return "left" if self.rtl else "right"
