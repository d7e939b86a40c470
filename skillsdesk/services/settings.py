"""The school's settings: its name, the framework in use, the step rule and the idle lock.

Only admins change them (role action "settings"), each change audited with before and after.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.steprule import StepRule
from skillsdesk.i18n import _
from skillsdesk.services.context import Context
from skillsdesk.storage import frameworks as framework_repo
from skillsdesk.storage import school as repo
from skillsdesk.storage.database import Store

DEFAULT_LOCK_MINUTES = 5


@dataclass(frozen=True)
class SchoolSettings:
    school_name: str
    framework: str
    independent_days: int
    min_settings: int
    lock_minutes: int


class SettingsService:
    def __init__(self, store: Store, context: Context | None = None) -> None:
        self._store = store
        self._context = context or Context()

    def get(self) -> SchoolSettings:
        with self._store.read() as session:
            return self._read(session)

    @staticmethod
    def _read(session: Any) -> SchoolSettings:
        rule = repo.get_setting(session, "step_rule", {}) or {}
        return SchoolSettings(
            school_name=repo.school_name(session) or "",
            framework=repo.get_setting(session, "framework", "essential-skills"),
            independent_days=int(rule.get("independent_days", StepRule().independent_days)),
            min_settings=int(rule.get("min_settings", StepRule().min_settings)),
            lock_minutes=int(repo.get_setting(session, "lock_minutes", DEFAULT_LOCK_MINUTES)),
        )

    def update(self, **changes: Any) -> SchoolSettings:
        self._context.require("settings")
        with self._store.write() as session:
            before = self._read(session)
            after = replace(before, **changes)
            self._check(session, after)
            if after.school_name != before.school_name:
                repo.set_school(session, after.school_name)
            repo.set_setting(session, "framework", after.framework)
            repo.set_setting(session, "step_rule", {"independent_days": after.independent_days,
                                                    "min_settings": after.min_settings})
            repo.set_setting(session, "lock_minutes", after.lock_minutes)
            changed = {k: v for k, v in asdict(after).items() if asdict(before)[k] != v}
            if changed:
                self._context.audit(session, "settings.change", "settings", None,
                                    before={k: asdict(before)[k] for k in changed}, after=changed)
        return after

    @staticmethod
    def _check(session: Any, settings: SchoolSettings) -> None:
        if not settings.school_name.strip():
            raise UserError(_("The school needs a name."))
        if framework_repo.framework_id(session, settings.framework) is None:
            raise UserError(_("There is no framework called '{code}'.").format(
                code=settings.framework))
        if not 1 <= settings.independent_days <= 10:
            raise UserError(_("Seen independently on 1 to 10 different days secures a step."))
        if not 1 <= settings.min_settings <= 5:
            raise UserError(_("Choose 1 to 5 different settings for a step to be secured."))
        if not 1 <= settings.lock_minutes <= 15:
            raise UserError(_("The desk locks after 1 to 15 idle minutes."))
