"""Where pupils are: current step per skill for a pupil, a class or the whole school.

The database sums the evidence per pupil, skill and step; the step rule in the domain decides
what is secured. Nothing here writes.

Support and lunchtime staff get rows only for the pupils of their own groups (services/scoping.py):
the pupils asked for are narrowed by one indexed membership query in the same read, so the
grid's step query itself is unchanged. A pupil's current step is a summary, not an observation,
so a lunchtime supervisor's tiles show it from everyone's evidence (lunchtime mode records at
each child's next step); the observations themselves they see only when they recorded them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass

from skillsdesk.domain.records import FrameworkInfo, PupilInfo
from skillsdesk.domain.steprule import StepRule, next_step
from skillsdesk.services.context import Context
from skillsdesk.services.scoping import Scope, masked, scope_of
from skillsdesk.storage import observations as obs_repo
from skillsdesk.storage import pupils as pupil_repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store


@dataclass(frozen=True)
class SkillPosition:
    skill: str
    current: int | None
    next: int | None


@dataclass(frozen=True)
class PupilProgress:
    pupil: PupilInfo
    skills: tuple[SkillPosition, ...]

    def current(self, skill: str) -> int | None:
        return next((s.current for s in self.skills if s.skill == skill), None)


@dataclass(frozen=True)
class GridRows:
    """The class grid's rows, and the (pupil id, skill code) pairs seen since a date."""

    rows: tuple[PupilProgress, ...]
    seen: frozenset[tuple[uuid.UUID, str]]


class ProgressService:
    def __init__(self, store: Store, context: Context | None = None) -> None:
        self._store = store
        self._context = context or Context()

    def rule(self) -> StepRule:
        with self._store.read() as session:
            return _rule(school_repo.get_setting(session, "step_rule", {}))

    def current_steps(self, framework: FrameworkInfo,
                      pupil_ids: list[uuid.UUID] | None = None) -> dict[tuple[uuid.UUID, str], int]:
        """(pupil id, skill code) -> highest secured step, for pupils with one."""
        codes = {s.id: s.code for s in framework.skills}
        scope = scope_of(self._context)
        with self._store.read() as session:
            rule = _rule(school_repo.get_setting(session, "step_rule", {}))
            if not scope.everything:
                pupil_ids = _visible(session, scope, pupil_ids)
            found = obs_repo.secured_steps(session, list(codes), rule.independent_days,
                                           rule.min_settings, pupil_ids)
        return {(pupil, codes[skill]): step for (pupil, skill), step in found.items()}

    def for_pupils(self, framework: FrameworkInfo,
                   pupils: list[PupilInfo]) -> list[PupilProgress]:
        scope = scope_of(self._context)
        if not scope.everything:
            with self._store.read() as session:
                shown = pupil_repo.visible_ids(session, scope.group_staff, [p.id for p in pupils])
            pupils = masked([p for p in pupils if p.id in shown], scope)
        return _positions(framework, pupils, self.current_steps(framework, [p.id for p in pupils]))

    def for_grid(self, framework: FrameworkInfo, pupils: list[PupilInfo],
                 seen_since: dt.date) -> GridRows:
        """``for_pupils`` and what was seen since ``seen_since``, in one read.

        The class grid asks for both on every load and after every save, so they share one
        session (one connection and snapshot) rather than opening one each.
        """
        codes = {s.id: s.code for s in framework.skills}
        ids = [p.id for p in pupils]
        scope = scope_of(self._context)
        with self._store.read() as session:
            if not scope.everything:  # one membership query, in the same read
                shown = pupil_repo.visible_ids(session, scope.group_staff, ids)
                pupils = masked([p for p in pupils if p.id in shown], scope)
                ids = [p.id for p in pupils]
            rule = _rule(school_repo.get_setting(session, "step_rule", {}))
            found = obs_repo.secured_steps(session, list(codes), rule.independent_days,
                                           rule.min_settings, ids)
            pairs = obs_repo.seen_since(session, list(codes), ids, seen_since)
        current = {(pupil, codes[skill]): step for (pupil, skill), step in found.items()}
        return GridRows(tuple(_positions(framework, pupils, current)),
                        frozenset((pupil, codes[skill]) for pupil, skill in pairs))

    def for_pupil(self, framework: FrameworkInfo, admission_number: str,
                  year_label: str) -> PupilProgress:
        scope = scope_of(self._context)
        with self._store.read() as session:
            pid = pupil_repo.pupil_id(session, admission_number)
            pupils = [] if pid is None else pupil_repo.list_pupils(
                session, year_label, pupil_ids=[pid], staff_id=scope.group_staff)
        if not pupils:
            raise pupil_repo.no_such_pupil(admission_number)
        return self.for_pupils(framework, pupils)[0]

    def school_distribution(self, framework: FrameworkInfo,
                            year_label: str) -> dict[tuple[str, str], Counter[int | None]]:
        """(year group, skill code) -> how many pupils are at each current step (None: none yet)."""
        scope = scope_of(self._context)
        with self._store.read() as session:
            pupils = pupil_repo.list_pupils(session, year_label, staff_id=scope.group_staff)
        current = self.current_steps(framework, None if scope.everything else
                                     [p.id for p in pupils])
        table: dict[tuple[str, str], Counter[int | None]] = {}
        for pupil in pupils:
            for skill in framework.skills:
                key = (pupil.year_group, skill.code)
                table.setdefault(key, Counter())[current.get((pupil.id, skill.code))] += 1
        return table


def _visible(session: object, scope: Scope,
             pupil_ids: list[uuid.UUID] | None) -> list[uuid.UUID]:
    """The pupils (of those asked for; else all) that a limited scope may see, asked order."""
    assert scope.group_staff is not None
    shown = pupil_repo.visible_ids(session, scope.group_staff, pupil_ids)  # type: ignore[arg-type]
    return list(shown) if pupil_ids is None else [p for p in pupil_ids if p in shown]


def _positions(framework: FrameworkInfo, pupils: list[PupilInfo],
               current: dict[tuple[uuid.UUID, str], int]) -> list[PupilProgress]:
    skills = [(s.code, s.lowest, s.highest) for s in framework.skills]
    out = []
    for pupil in pupils:
        positions = []
        for code, lowest, highest in skills:
            step = current.get((pupil.id, code))
            positions.append(SkillPosition(code, step, next_step(step, lowest, highest)))
        out.append(PupilProgress(pupil, tuple(positions)))
    return out


def _rule(raw: dict[str, int] | None) -> StepRule:
    return StepRule(**{k: int(v) for k, v in (raw or {}).items()
                       if k in ("independent_days", "min_settings")})
