"""Who is acting: shared by every service of one open school, so each call can check the role
and write its audit row in the same transaction as its change.

A store opened with a staff member's password has an actor. A plain, unencrypted store (tests
and development only: SkillsDesk never makes one for a school) has none, and then no account
exists to check against, so nothing is refused; every change is still audited, without a name.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from skillsdesk.domain.permissions import Actor, can, require
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage.keyslots import DEFAULT_PARAMS, KdfParams


class Context:
    def __init__(self, actor: Actor | None = None, kdf: KdfParams = DEFAULT_PARAMS) -> None:
        self._actor = actor
        self.kdf = kdf

    @property
    def actor(self) -> Actor | None:
        return self._actor

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor

    @property
    def staff_id(self) -> uuid.UUID | None:
        return None if self._actor is None else self._actor.staff_id

    def require(self, action: str) -> None:
        if self._actor is not None:
            require(self._actor, action)

    def can(self, action: str) -> bool:
        return self._actor is None or can(self._actor.role, action)

    def audit(self, session: Any, action: str, entity: str,
              entity_id: str | uuid.UUID | None = None,
              before: Mapping[str, Any] | None = None, after: Mapping[str, Any] | None = None,
              *, pupil_id: uuid.UUID | None = None) -> int:
        return audit_repo.record(session, self._actor, action, entity, entity_id, before, after,
                                 pupil_id=pupil_id)
