"""How much pupil data the member of staff at the desk may read (DESIGN.md §8, "see pupils'
observations" and "see SEN / PP / EAL / protected flags, notes").

- admin and teachers read every pupil and every observation;
- support staff read the pupils of their own groups (the groups they are assigned to, in
  ``group_staff``) and every observation of those pupils;
- lunchtime supervisors read the pupils of their own (lunchtime) groups, only the observations
  they recorded themselves, and never flags or notes.

A plain development store has no actor, and then everything is read. The services ask for a
``Scope`` once per call and hand its staff id to the storage queries, which filter by group
membership inside SQL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from skillsdesk.domain.permissions import read_scope
from skillsdesk.domain.records import PupilInfo
from skillsdesk.services.context import Context
from skillsdesk.storage import pupils as pupil_repo

ALL, OWN_GROUPS, OWN = "all", "own_groups", "own"


@dataclass(frozen=True)
class Scope:
    kind: str  # all | own_groups | own
    staff_id: uuid.UUID | None
    sensitive: bool  # may see SEN, PP, EAL, protected flags and notes

    @property
    def everything(self) -> bool:
        return self.kind == ALL

    @property
    def group_staff(self) -> uuid.UUID | None:
        """The staff id whose groups bound the pupils read, or None for every pupil."""
        return None if self.everything else self.staff_id

    @property
    def observer(self) -> uuid.UUID | None:
        """The staff id whose own entries are the only observations read, or None."""
        return self.staff_id if self.kind == OWN else None


def scope_of(context: Context) -> Scope:
    actor = context.actor
    if actor is None:
        return Scope(ALL, None, True)
    return Scope(read_scope(actor.role), actor.staff_id, context.can("pupil.see_sensitive"))


def masked(pupils: list[PupilInfo], scope: Scope) -> list[PupilInfo]:
    """The pupils with SEN, PP, EAL and first language blanked for a role that may not see them.

    SEN becomes "" (not "N", which would claim the pupil has no special needs)."""
    if scope.sensitive:
        return pupils
    return [replace(p, sen="", pupil_premium=False, eal=False, first_language=None)
            for p in pupils]


def sees_pupil(session: Any, scope: Scope, pupil_id: uuid.UUID) -> bool:
    """Whether the pupil is within the scope: always for a scope over every pupil, else when
    the pupil is in one of the member of staff's groups (one query, in the caller's read)."""
    staff = scope.group_staff
    return staff is None or bool(pupil_repo.visible_ids(session, staff, [pupil_id]))
