"""A new academic year: who moves up, who leaves, and what the new classes are called.

The rule is deliberately simple (and shown before it is applied):
- every pupil on roll moves up one year group per academic year that has passed; a pupil who
  would move beyond Year 6 leaves, with the last day of the old year as their leaving date;
- each class of the old year with a year group becomes a class of the new year with its
  members (leavers excepted). Its name has the year group at the start swapped for the new one
  ("3 Oak" → "4 Oak", "Year 3 Oak" → "Year 4 Oak", "Y3 Oak" → "Y4 Oak", "3A" → "4A",
  "R Ash" → "1 Ash"); a name that does not start with its year group is kept ("Kestrels");
- sets, lunchtime groups and staff assignments belong to their year and are not carried over;
- nothing of the old year changes: its classes, members and observations stay as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillsdesk.domain.yeargroups import shift_year_group


@dataclass(frozen=True)
class ClassMove:
    old_name: str
    new_name: str
    old_year_group: str
    new_year_group: str
    pupils: int


def _token(year_group: str) -> str:
    # "R" and "N2" must not match the start of "Robins" or "N2x"; digits may run into a letter
    # ("3A"), letters may not.
    tail = r"(?=$|[\s\-_/.]|[A-Za-z])" if year_group.isdigit() else r"(?=$|[\s\-_/.])"
    return rf"^(?P<prefix>(?:year\s*|yr\s*|y)?){re.escape(year_group)}{tail}"


def next_class_name(name: str, old_year_group: str, new_year_group: str) -> str:
    """``name`` with a leading year group ``old_year_group`` replaced by ``new_year_group``."""
    pattern = re.compile(_token(old_year_group), re.IGNORECASE)
    match = pattern.match(name)
    if match is None:
        return name
    prefix = match.group("prefix")
    if prefix and not new_year_group.isdigit() and prefix.strip().lower() == "y":
        prefix = ""  # "Y" before "R" reads oddly: "YR" is a different code
    return prefix + new_year_group + name[match.end():]


def moved_year_group(year_group: str, years: int) -> str | None:
    """The year group after ``years`` rollovers, or None for a pupil who has left primary."""
    return shift_year_group(year_group, years)


def unique_names(moves: list[ClassMove]) -> list[ClassMove]:
    """Make new class names unique within the year (two old names can map to one new name)."""
    seen: set[str] = set()
    result = []
    for move in moves:
        name = move.new_name
        if name.casefold() in seen:
            name = f"{move.new_name} ({move.new_year_group})"
            n = 2
            while name.casefold() in seen:
                name = f"{move.new_name} ({move.new_year_group}, {n})"
                n += 1
        seen.add(name.casefold())
        result.append(ClassMove(move.old_name, name, move.old_year_group, move.new_year_group,
                                move.pupils))
    return result
