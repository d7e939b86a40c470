"""The new academic year: move pupils up, set up the new classes, let Year 6 leave.

The rule is in ``domain/rollover.py``. The rollover goes from the newest earlier year that has
classes to the academic year of today; it is refused once the new year has classes (it was done
already, or pupils were imported for the new year, which sets classes from the MIS). A dry run
shows the plan and changes nothing; the real run makes a verified backup first and then writes
everything in one transaction, with its audit event. Earlier years are never rewritten.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from skillsdesk.domain.calendar import school_year_of
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, require
from skillsdesk.domain.rollover import ClassMove, moved_year_group, next_class_name, unique_names
from skillsdesk.domain.yeargroups import YEAR_GROUPS, year_group_rank
from skillsdesk.i18n import _, ngettext
from skillsdesk.services.backups import BackupInfo, backup_before
from skillsdesk.services.context import Context
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import rollover as repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store


@dataclass(frozen=True)
class RolloverPlan:
    from_year: str
    to_year: str
    classes: tuple[ClassMove, ...]
    moving_up: int
    leavers: int
    dry_run: bool
    backup: BackupInfo | None = None

    def lines(self) -> list[str]:
        verb = _("Would move") if self.dry_run else _("Moved")
        out = [_("{verb} {n} pupils up from {old} to {new}; {leavers} Year 6 pupils leave.")
               .format(verb=verb, n=self.moving_up, old=self.from_year, new=self.to_year,
                       leavers=self.leavers)]
        out.append(ngettext("{n} class for {year}:", "{n} classes for {year}:",
                            len(self.classes)).format(n=len(self.classes), year=self.to_year))
        for move in self.classes:
            out.append(_("  {old} → {new} ({n} pupils)").format(
                old=move.old_name, new=move.new_name, n=move.pupils))
        if self.dry_run:
            out.append(_("Dry run: nothing was changed."))
        elif self.backup is not None:
            out.append(_("A backup was made first: {file}.").format(file=self.backup.path.name))
        return out


@dataclass(frozen=True)
class _Work:
    plan: RolloverPlan
    target_id: uuid.UUID
    year_groups: dict[uuid.UUID, str]
    leavers: dict[dt.date, list[uuid.UUID]]
    members: dict[str, list[uuid.UUID]]  # new class name -> members


def _left_on(source_ends: dt.date, year_group: str) -> dt.date:
    # A pupil in Year 5 two rollovers back left at the end of the following year.
    years_left = len(YEAR_GROUPS) - 1 - year_group_rank(year_group)
    return source_ends.replace(year=source_ends.year + years_left)


class RolloverService:
    def __init__(self, store: Store, school: SchoolService,
                 context: Context | None = None) -> None:
        self._context = context or Context()
        self._store = store
        self._school = school

    def _work(self, session: Any, dry_run: bool) -> _Work:
        target = school_year_of(self._school.today())
        target_id = school_repo.ensure_year(session, target)
        if repo.class_count(session, target_id):
            raise UserError(_("{year} already has classes, so the new year has been set up "
                              "already (by a rollover or a pupil import). Nothing was changed.")
                            .format(year=target.label))
        source = repo.newest_year_with_classes(session, target.starts_on)
        if source is None:
            raise UserError(_("There are no classes in an earlier year to move up from. Import "
                              "pupils for {year} instead.").format(year=target.label))
        years = target.starts_on.year - source["starts_on"].year
        year_groups: dict[uuid.UUID, str] = {}
        leavers: dict[dt.date, list[uuid.UUID]] = {}
        for pupil_id, year_group in repo.pupils_on_roll(session):
            moved = moved_year_group(year_group, years)
            if moved is None:
                leavers.setdefault(_left_on(source["ends_on"], year_group), []).append(pupil_id)
            else:
                year_groups[pupil_id] = moved
        leaving = {p for group in leavers.values() for p in group}
        moves: list[ClassMove] = []
        members: list[list[uuid.UUID]] = []
        for name, year_group, old_members in repo.classes_with_members(session, source["id"]):
            new_group = moved_year_group(year_group, years) if year_group else None
            if year_group and new_group is None:
                continue  # a Year 6 class: its pupils have left
            kept = [p for p in old_members if p not in leaving and p in year_groups]
            new_name = next_class_name(name, year_group, new_group) if year_group and new_group \
                else name
            moves.append(ClassMove(name, new_name, year_group or "", new_group or "", len(kept)))
            members.append(kept)
        named = unique_names(moves)
        plan = RolloverPlan(source["label"], target.label, tuple(named), len(year_groups),
                            len(leaving), dry_run)
        return _Work(plan, target_id, year_groups, leavers,
                     {m.new_name: ids for m, ids in zip(named, members, strict=True)})

    def plan(self) -> RolloverPlan:
        """What a rollover would do now (nothing is written)."""
        return self.rollover(dry_run=True)

    def rollover(self, dry_run: bool = False, actor: Actor | None = None) -> RolloverPlan:
        actor = actor or self._context.actor
        if actor is not None:
            require(actor, "rollover")
        if dry_run:
            with self._store.write() as session:
                work = self._work(session, dry_run=True)
                session.rollback()
            return work.plan
        self.rollover(dry_run=True)  # refuse before making a backup for nothing
        made = backup_before(self._store, "rollover")
        with self._store.write() as session:
            work = self._work(session, dry_run=False)
            repo.set_year_groups(session, work.year_groups)
            for left_on, ids in work.leavers.items():
                repo.mark_left(session, ids, left_on)
            for move in work.plan.classes:
                repo.add_class(session, work.target_id, move.new_name,
                               move.new_year_group or None, work.members[move.new_name])
            audit_repo.record(session, actor, "school.rollover", "academic_year",
                              work.plan.to_year, after={
                                  "from": work.plan.from_year, "to": work.plan.to_year,
                                  "classes": len(work.plan.classes),
                                  "moved_up": work.plan.moving_up,
                                  "leavers": work.plan.leavers})
        return RolloverPlan(work.plan.from_year, work.plan.to_year, work.plan.classes,
                            work.plan.moving_up, work.plan.leavers, False, made)
