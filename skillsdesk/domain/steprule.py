"""The step rule (DESIGN.md §4): when a step counts as secured, and what a pupil's current step is.

A step is *secured* when a member of staff records a secured judgement for it, or when it has been
seen independently on at least ``independent_days`` different days (and, if the school asks, in
at least ``min_settings`` different settings). A pupil's current step in a skill is the highest
secured step; the next step is the one after it, or the lowest step when nothing is secured yet.

Storage hands this module one summary per pupil, skill and step (``StepEvidence``), aggregated in
SQL, so the rule stays here while the database does the counting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

WITH_HELP = 1
INDEPENDENTLY = 2
SECURED = 3
LEVELS = (WITH_HELP, INDEPENDENTLY, SECURED)


@dataclass(frozen=True)
class StepRule:
    independent_days: int = 2
    min_settings: int = 1

    def __post_init__(self) -> None:
        if self.independent_days < 1 or self.min_settings < 1:
            raise ValueError("the step rule needs at least one day and one setting")


@dataclass(frozen=True)
class Seen:
    """One observation, as the rule needs it."""

    pupil: Hashable
    skill: Hashable
    step: int
    level: int
    on: dt.date
    setting: str


@dataclass(frozen=True)
class StepEvidence:
    """Everything the rule needs about one pupil, skill and step."""

    pupil: Hashable
    skill: Hashable
    step: int
    best_level: int
    independent_days: int
    independent_settings: int


def is_secured(evidence: StepEvidence, rule: StepRule) -> bool:
    if evidence.best_level >= SECURED:
        return True
    return (
        evidence.independent_days >= rule.independent_days
        and evidence.independent_settings >= rule.min_settings
    )


def summarise(seen: Iterable[Seen]) -> list[StepEvidence]:
    """Aggregate raw observations into evidence (the same sums the SQL query makes)."""
    best: dict[tuple[Hashable, Hashable, int], int] = {}
    days: dict[tuple[Hashable, Hashable, int], set[dt.date]] = {}
    settings: dict[tuple[Hashable, Hashable, int], set[str]] = {}
    for item in seen:
        key = (item.pupil, item.skill, item.step)
        best[key] = max(best.get(key, 0), item.level)
        days.setdefault(key, set())
        settings.setdefault(key, set())
        if item.level >= INDEPENDENTLY:
            days[key].add(item.on)
            settings[key].add(item.setting)
    return [
        StepEvidence(pupil, skill, step, level, len(days[(pupil, skill, step)]),
                     len(settings[(pupil, skill, step)]))
        for (pupil, skill, step), level in best.items()
    ]


def current_steps(
    evidence: Iterable[StepEvidence], rule: StepRule
) -> dict[tuple[Hashable, Hashable], int]:
    """The highest secured step for every (pupil, skill) that has one."""
    current: dict[tuple[Hashable, Hashable], int] = {}
    for item in evidence:
        if is_secured(item, rule):
            key = (item.pupil, item.skill)
            if item.step > current.get(key, -1):
                current[key] = item.step
    return current


def next_step(current: int | None, lowest: int = 0, highest: int | None = None) -> int | None:
    """The step a pupil is working on: one above the current step, or the lowest step."""
    if current is None:
        return lowest
    if highest is not None and current >= highest:
        return None
    return current + 1
