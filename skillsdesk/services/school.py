"""The school as a whole: name, academic years, classes and staff."""

from __future__ import annotations

import datetime as dt
import uuid

from skillsdesk.domain.calendar import school_year_of
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.records import GroupInfo, PupilInfo, StaffInfo
from skillsdesk.domain.yeargroups import year_group_rank
from skillsdesk.i18n import _
from skillsdesk.services.context import Context
from skillsdesk.services.scoping import masked, scope_of
from skillsdesk.storage import pupils as pupil_repo
from skillsdesk.storage import school as repo
from skillsdesk.storage.database import Store


class SchoolService:
    """Classes, groups and pupils as the member of staff at the desk may see them
    (services/scoping.py): support and lunchtime staff get only their own groups and the
    pupils in them, and lunchtime supervisors no SEN, PP or EAL flags."""

    def __init__(self, store: Store, today: dt.date | None = None,
                 context: Context | None = None) -> None:
        self._store = store
        self._today = today
        self._context = context or Context()

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def current_year(self) -> str:
        return school_year_of(self.today()).label

    def ensure_current_year(self) -> str:
        year = school_year_of(self.today())
        with self._store.read() as session:
            known = year.label in repo.year_labels(session)
        if known:  # every open asks; only the first day of a new year writes
            return year.label
        with self._store.write() as session:
            repo.ensure_year(session, year)
        return year.label

    def name(self) -> str | None:
        with self._store.read() as session:
            return repo.school_name(session)

    def set_name(self, name: str) -> None:
        if not name.strip():
            raise UserError(_("The school needs a name."))
        self._context.require("settings")
        with self._store.write() as session:
            before = repo.school_name(session)
            repo.set_school(session, name.strip())
            self._context.audit(session, "school.rename", "school", None,
                                before={"name": before}, after={"name": name.strip()})

    def years(self) -> list[str]:
        with self._store.read() as session:
            return repo.year_labels(session)

    def classes(self, year_label: str | None = None) -> list[GroupInfo]:
        """The class switcher's list: every class for admin and teachers (a teacher's own
        first); support and lunchtime staff their own groups (a lunchtime supervisor's are
        lunchtime groups), or nothing when they have none."""
        scope = scope_of(self._context)
        year = year_label or self.current_year()
        with self._store.read() as session:
            if not scope.everything:
                found = repo.groups(session, year, staff_id=scope.group_staff)
                return sorted(found, key=lambda g: (g.kind != "class",
                                                    year_group_rank(g.year_group or "6"), g.name))
            found = repo.groups(session, year, kind="class")
            own = set() if scope.staff_id is None else repo.group_ids_of(session, scope.staff_id)
        return sorted(found, key=lambda g: (g.id not in own,
                                            year_group_rank(g.year_group or "6"), g.name))

    def groups(self, year_label: str | None = None) -> list[GroupInfo]:
        scope = scope_of(self._context)
        with self._store.read() as session:
            found = repo.groups(session, year_label or self.current_year(),
                                staff_id=scope.group_staff)
        return sorted(found, key=lambda g: (g.kind != "class",
                                            year_group_rank(g.year_group or "6"), g.name))

    def pupils(self, group: str | None = None, year_label: str | None = None) -> list[PupilInfo]:
        """Pupils on roll, optionally one group's (by name; the newest year that has it).

        Support and lunchtime staff get only the pupils of their own groups (of a group that
        is not theirs, none), and lunchtime supervisors without the sensitive flags."""
        year_label = year_label or self.current_year()
        scope = scope_of(self._context)
        with self._store.read() as session:
            if group is None:
                found = pupil_repo.list_pupils(session, year_label, staff_id=scope.group_staff)
                return masked(found, scope)
            matches = repo.find_groups(session, group)
            if not matches:
                raise NotFound(_("There is no group called '{name}'.").format(name=group))
            in_year = [gid for gid, label in matches if label == year_label]
            group_id = in_year[0] if in_year else matches[0][0]
            found = pupil_repo.list_pupils(session, year_label, group_id=group_id,
                                           staff_id=scope.group_staff)
            return masked(found, scope)

    def save_set(self, name: str, pupil_ids: list[uuid.UUID]) -> GroupInfo:
        """Save (or replace) a named set of pupils, such as a table group, for this year."""
        name = name.strip()
        if not name:
            raise UserError(_("The group needs a name."))
        if not pupil_ids:
            raise UserError(_("Choose the pupils for the group first."))
        year = school_year_of(self.today())
        with self._store.write() as session:
            year_id = repo.ensure_year(session, year)
            existing = [g for g in repo.groups(session, year.label) if g.name == name]
            if existing and existing[0].kind == "class":
                raise UserError(_("'{name}' is a class; choose another name.").format(name=name))
            group_id = repo.ensure_group(session, year_id, name, "set")
            repo.set_members(session, group_id, pupil_ids)
            self._context.audit(session, "group.save", "group", group_id,
                                after={"name": name, "pupils": len(pupil_ids)})
        return next(g for g in self.groups(year.label) if g.id == group_id)

    def sets(self, year_label: str | None = None) -> list[GroupInfo]:
        return [g for g in self.groups(year_label) if g.kind == "set"]

    def members(self, group_id: uuid.UUID) -> list[uuid.UUID]:
        with self._store.read() as session:
            return repo.members(session, group_id)

    def staff(self) -> list[StaffInfo]:
        with self._store.read() as session:
            return repo.all_staff(session)
