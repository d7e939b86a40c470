"""The English school year: 1 September to 31 August, labelled like "2026/27", three terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SchoolYear:
    label: str
    starts_on: dt.date
    ends_on: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class TermDates:
    name: str
    starts_on: dt.date
    ends_on: dt.date


def school_year_starting(year: int) -> SchoolYear:
    label = f"{year}/{(year + 1) % 100:02d}"
    return SchoolYear(label, dt.date(year, 9, 1), dt.date(year + 1, 8, 31))


def school_year_of(day: dt.date) -> SchoolYear:
    return school_year_starting(day.year if day.month >= 9 else day.year - 1)


def default_terms(year: SchoolYear) -> tuple[TermDates, ...]:
    """Editable defaults: Autumn to Christmas, Spring to Easter-ish, Summer to the end of July.

    Academies set their own dates, so these are only where a school starts from.
    """
    start = year.starts_on.year
    return (
        TermDates("Autumn", dt.date(start, 9, 1), dt.date(start, 12, 31)),
        TermDates("Spring", dt.date(start + 1, 1, 1), dt.date(start + 1, 4, 14)),
        TermDates("Summer", dt.date(start + 1, 4, 15), dt.date(start + 1, 8, 31)),
    )


def term_of(day: dt.date) -> str:
    for term in default_terms(school_year_of(day)):
        if term.starts_on <= day <= term.ends_on:
            return term.name
    return "Summer"  # unreachable: the three terms cover the whole year
