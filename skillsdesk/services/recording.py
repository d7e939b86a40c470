"""Recording what staff saw: one pupil or a whole group in one entry, edits, deletes and undo.

Each call is one transaction and returns what changed, so the desk can update the grid in place
and keep an undo stack (delete is a soft delete; undo restores the same rows).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.permissions import recording_action
from skillsdesk.domain.records import SETTINGS, FrameworkInfo, SkillInfo
from skillsdesk.domain.steprule import LEVELS
from skillsdesk.i18n import _
from skillsdesk.services.context import Context
from skillsdesk.services.scoping import scope_of, sees_pupil
from skillsdesk.storage import observations as repo
from skillsdesk.storage.database import Store

MAX_NOTE = 20_000
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Entry:
    """One pupil's part of a recording: the step and how it was seen."""

    pupil_id: uuid.UUID
    step: int
    level: int


@dataclass(frozen=True)
class Recorded:
    ids: tuple[uuid.UUID, ...]
    pupil_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class TimelineItem:
    id: uuid.UUID
    skill: str
    step: int
    observed_on: dt.date
    setting: str
    level: int
    note: str | None
    observer: str | None
    source: str
    staff_only: bool = False  # the note is for staff only: never printed or shown to families
    # Whether the person signed in may edit or delete it (their own, or an admin): the GUI
    # disables what the service would refuse.
    editable: bool = True


class RecordingService:
    def __init__(self, store: Store, today: Any = None, context: Context | None = None) -> None:
        self._store = store
        self._context = context or Context()
        self._today = today or dt.date.today

    def record(self, framework: FrameworkInfo, skill_code: str, entries: list[Entry], *,
               setting: str = "classroom", observed_on: dt.date | None = None,
               note: str | None = None, observer_id: uuid.UUID | None = None,
               source: str = "staff", staff_only: bool = False) -> Recorded:
        self._context.require(recording_action(setting))
        observer_id = observer_id or self._context.staff_id  # records carry who saw it
        skill = _skill(framework, skill_code)
        observed_on = observed_on or self._today()
        if not entries:
            raise UserError(_("Choose at least one pupil to record for."))
        self._check(skill, [e.step for e in entries], [e.level for e in entries], setting,
                    observed_on)
        note = _clean_note(note)
        rows = [{"id": uuid.uuid4(), "pupil_id": e.pupil_id, "skill_id": skill.id,
                 "step_number": e.step, "level": e.level, "observed_on": observed_on,
                 "setting": setting, "note": note, "observer_id": observer_id,
                 "source": source, "staff_only": bool(staff_only)} for e in entries]
        with self._store.write() as session:
            repo.insert_observations(session, rows)
            for row in rows:
                self._context.audit(session, "observation.add", "observation", row["id"],
                                    after=_audit_values(row), pupil_id=row["pupil_id"])
        return Recorded(tuple(r["id"] for r in rows), tuple(e.pupil_id for e in entries))

    def delete(self, ids: list[uuid.UUID]) -> Recorded:
        return self._set_deleted(ids, True)

    def restore(self, ids: list[uuid.UUID]) -> Recorded:
        return self._set_deleted(ids, False)

    def _set_deleted(self, ids: list[uuid.UUID], deleted: bool) -> Recorded:
        with self._store.write() as session:
            for observation_id in ids:
                values = repo.values_of(session, observation_id)
                if values is None:
                    continue
                self._check_owner(values)
                self._context.audit(session, "observation.delete" if deleted else
                                    "observation.restore", "observation", observation_id,
                                    pupil_id=values["pupil_id"])
            pupils = _pupils_of(session, ids)
            (repo.soft_delete if deleted else repo.restore)(session, ids)
        return Recorded(tuple(ids), pupils)

    def _check_owner(self, values: dict[str, Any]) -> None:
        """Staff correct their own observations; only admins change other people's."""
        mine = values.get("observer_id") is not None and \
            values.get("observer_id") == self._context.staff_id
        self._context.require("observation.edit_own" if mine else "observation.edit_others")

    def edit(self, framework: FrameworkInfo, observation_id: uuid.UUID,
             **changes: Any) -> dict[str, Any]:
        """Change step, date, setting, level, note or whether it is staff only; returns the
        values before, for undo."""
        unknown = set(changes) - set(repo.EDITABLE)
        if unknown:
            raise UserError(_("These cannot be changed: {names}.").format(names=", ".join(unknown)))
        with self._store.write() as session:
            before = repo.values_of(session, observation_id)
            if before is None or before["deleted"]:
                raise NotFound(_("That observation no longer exists."))
            self._check_owner(before)
            skill = next((s for s in framework.skills if s.id == before["skill_id"]), None)
            if skill is None:
                raise NotFound(_("That observation belongs to another framework."))
            merged = {**{k: before[k] for k in repo.EDITABLE}, **changes}
            self._check(skill, [merged["step_number"]], [merged["level"]], merged["setting"],
                        merged["observed_on"])
            if "note" in changes:
                changes["note"] = _clean_note(changes["note"])
            if "staff_only" in changes:
                changes["staff_only"] = bool(changes["staff_only"])
            repo.update_values(session, observation_id, changes)
            self._context.audit(session, "observation.edit", "observation", observation_id,
                                before=_audit_values({k: before[k] for k in changes}),
                                after=_audit_values(changes), pupil_id=before["pupil_id"])
        return {k: before[k] for k in changes}

    def timeline(self, framework: FrameworkInfo, pupil_id: uuid.UUID) -> list[TimelineItem]:
        """A pupil's observations, newest first, as far as the member of staff may see them
        (services/scoping.py): none of a pupil outside a support assistant's own groups, only
        their own entries for a lunchtime supervisor, and no notes for a role without them."""
        codes = {s.id: s.code for s in framework.skills}
        scope = scope_of(self._context)
        with self._store.read() as session:
            if not sees_pupil(session, scope, pupil_id):
                return []
            rows = repo.timeline(session, pupil_id, list(codes), scope.observer)
        others = self._context.can("observation.edit_others")  # as _check_owner decides
        own = self._context.can("observation.edit_own")
        me = self._context.staff_id
        return [TimelineItem(r[0], codes[r[1]], r[2], r[3], r[4], r[5],
                             r[6] if scope.sensitive else None, r[7], r[8],
                             bool(r[10]), others or (own and r[9] is not None and r[9] == me))
                for r in rows]

    def seen_since(self, framework: FrameworkInfo, pupil_ids: list[uuid.UUID],
                   since: dt.date) -> set[tuple[uuid.UUID, str]]:
        codes = {s.id: s.code for s in framework.skills}
        with self._store.read() as session:
            pairs = repo.seen_since(session, list(codes), pupil_ids, since)
        return {(pupil, codes[skill]) for pupil, skill in pairs}

    def _check(self, skill: SkillInfo, steps: list[int], levels: list[int], setting: str,
               observed_on: dt.date) -> None:
        for step in steps:
            if not skill.lowest <= step <= skill.highest:
                raise UserError(_("{skill} has steps {low} to {high}; {step} is not one of them.")
                                .format(skill=skill.name, low=skill.lowest, high=skill.highest,
                                        step=step))
        if any(level not in LEVELS for level in levels):
            raise UserError(_("Choose how the step was seen: with help, independently or secured."))
        if setting not in SETTINGS:
            raise UserError(_("'{setting}' is not a setting SkillsDesk knows.").format(
                setting=setting))
        if observed_on > self._today():
            raise UserError(_("The date is in the future: an observation records what was seen."))
        if observed_on < EARLIEST:
            raise UserError(_("The date is too far in the past."))


def _skill(framework: FrameworkInfo, code: str) -> SkillInfo:
    for skill in framework.skills:
        if skill.code == code:
            return skill
    raise NotFound(_("'{code}' is not a skill of {framework}.").format(code=code,
                                                                     framework=framework.name))


def _clean_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    note = unicodedata.normalize("NFC", note.strip())
    if len(note) > MAX_NOTE:
        raise UserError(_("The note is longer than {limit} characters.").format(limit=MAX_NOTE))
    return note


def _pupils_of(session: Any, ids: list[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    pupils = []
    for observation_id in ids:
        values = repo.values_of(session, observation_id)
        if values is not None:
            pupils.append(values["pupil_id"])
    return tuple(dict.fromkeys(pupils))


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    """What an audit row keeps of an observation: plain JSON-able values."""
    keep = ("step_number", "observed_on", "setting", "level", "note", "source", "staff_only")
    return {k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in values.items() if k in keep}
