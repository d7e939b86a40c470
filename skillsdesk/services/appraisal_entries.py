"""Correcting, deleting and putting back appraisal entries (self-assessments, observations of
practice, targets, training), mixed into ``AppraisalService``.

It leans on the service for who may do what (``_require_for``, ``_writable``), for the cycle and
skill look-ups and for the store and context, so the rules stay in one place. Hard deletes: the
appraisal tables have no deleted_at column (schema v2), so the audit row of a delete carries
every value the entry had, an edit carries before and after, and undo puts exactly those back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from skillsdesk.domain import appraisal as rules
from skillsdesk.domain.appraisal import (
    OPEN,
    AppraisalView,
    CycleInfo,
)
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.records import SETTINGS
from skillsdesk.i18n import N_, _
from skillsdesk.storage import appraisal as repo
from skillsdesk.storage import school as school_repo

ENTITY = "appraisal"
KEEP = object()  # "leave as it is" for optional fields of an edit, where None means "none"
AUDIT_ACTIONS = {"self_assessment": "appraisal.self_assess", "practice": "appraisal.observe",
                 "target": "appraisal.target", "training": "appraisal.training"}
# What an edit may change, per kind (undo puts exactly these back).
EDITABLE = {"self_assessment": ("skill_id", "step_number", "comment", "assessed_on"),
            "practice": ("skill_id", "setting", "seen", "observed_on"),
            "target": ("text", "review_on", "skill_id"),
            "training": ("title", "hours", "attended_on", "skill_id", "changed")}
GONE = {"self_assessment": N_("That self-assessment no longer exists."),
        "practice": N_("That observation of practice no longer exists."),
        "target": N_("That target no longer exists."),
        "training": N_("That training record no longer exists.")}


class EntryCorrections:
    """The correcting half of ``AppraisalService`` (see the module docstring)."""

    # -- correcting and deleting entries ----------------------------------------------------------
    # Hard deletes: the appraisal tables have no deleted_at column (schema v2), so the audit row
    # of a delete carries every value the entry had, and an edit carries before and after.
    def edit_self_assessment(self, entry_id: uuid.UUID, *, skill: uuid.UUID | str | None = None,
                             step: int | None = None, comment: str | None = None,
                             day: dt.date | None = None) -> AppraisalView:
        values, cycle = self._entry("self_assessment", entry_id)
        chosen = self._skill(cycle, skill if skill is not None else values["skill_id"])
        step = values["step_number"] if step is None else step
        if step not in {s.number for s in chosen.steps}:
            raise UserError(_("{skill} has no step {step}; choose a step from {low} to {high}.")
                            .format(skill=chosen.name, step=step, low=chosen.lowest,
                                    high=chosen.highest))
        return self._save_edit("self_assessment", entry_id, values, cycle, {
            "skill_id": chosen.id, "step_number": step,
            "comment": values["comment"] if comment is None else
            rules.clean_text(comment, _("comment"), required=False),
            "assessed_on": values["assessed_on"] if day is None else
            self._day_in_cycle(cycle, day, _("self-assessment"))})

    def edit_practice(self, entry_id: uuid.UUID, *, skill: uuid.UUID | str | None = None,
                      seen: str | None = None, setting: str | None = None,
                      day: dt.date | None = None) -> AppraisalView:
        values, cycle = self._entry("practice", entry_id)
        chosen = self._skill(cycle, skill if skill is not None else values["skill_id"])
        setting = values["setting"] if setting is None else setting
        if setting not in SETTINGS:
            raise UserError(_("'{setting}' is not a setting; use one of {settings}.").format(
                setting=setting, settings=", ".join(SETTINGS)))
        return self._save_edit("practice", entry_id, values, cycle, {
            "skill_id": chosen.id, "setting": setting,
            "seen": values["seen"] if seen is None else
            rules.clean_text(seen, _("description of what was seen")),
            "observed_on": values["observed_on"] if day is None else
            self._day_in_cycle(cycle, day, _("observation"))})

    def edit_target(self, target_id: uuid.UUID, *, text: str | None = None,
                    review_on: dt.date | None = None,
                    skill: uuid.UUID | str | None | object = KEEP) -> AppraisalView:
        """Change a target's wording, review date or skill (``skill=None``: no skill)."""
        values, cycle = self._entry("target", target_id)
        if review_on is not None and review_on != values["review_on"] \
                and review_on < self._school.today():
            raise UserError(_("The review date {date} is before today.").format(
                date=review_on.isoformat()))
        return self._save_edit("target", target_id, values, cycle, {
            "text": values["text"] if text is None else rules.clean_text(text, _("target")),
            "review_on": values["review_on"] if review_on is None else review_on,
            "skill_id": self._optional_skill(cycle, values["skill_id"], skill)})

    def edit_training(self, training_id: uuid.UUID, *, title: str | None = None,
                      hours: float | None = None, day: dt.date | None = None,
                      skill: uuid.UUID | str | None | object = KEEP,
                      changed: str | None = None) -> AppraisalView:
        values, cycle = self._entry("training", training_id)
        return self._save_edit("training", training_id, values, cycle, {
            "title": values["title"] if title is None else
            rules.clean_text(title, _("course or session title"), limit=rules.MAX_TITLE),
            "hours": values["hours"] if hours is None else rules.check_hours(hours),
            "attended_on": values["attended_on"] if day is None else
            self._day_in_cycle(cycle, day, _("training")),
            "skill_id": self._optional_skill(cycle, values["skill_id"], skill),
            "changed": values["changed"] if changed is None else
            rules.clean_text(changed, _("what changed in practice"), required=False)})

    def delete_self_assessment(self, entry_id: uuid.UUID) -> AppraisalView:
        return self._delete("self_assessment", entry_id)

    def delete_practice(self, entry_id: uuid.UUID) -> AppraisalView:
        return self._delete("practice", entry_id)

    def delete_target(self, target_id: uuid.UUID) -> AppraisalView:
        return self._delete("target", target_id)

    def delete_training(self, training_id: uuid.UUID) -> AppraisalView:
        return self._delete("training", training_id)

    def _entry(self, kind: str, entry_id: uuid.UUID) -> tuple[dict[str, Any], CycleInfo]:
        """An entry's values and its cycle, once the person at the desk may change it."""
        with self._store.read() as session:
            values, cycle = self._entry_in(session, kind, entry_id)
        self._require_for(kind, cycle)
        self._writable(cycle)
        return values, cycle

    def _entry_in(self, session: Any, kind: str,
                  entry_id: uuid.UUID) -> tuple[dict[str, Any], CycleInfo]:
        values = repo.entry_values(session, kind, entry_id)
        if values is None:
            raise NotFound(_(GONE[kind]))
        if kind != "training":
            return values, self._cycle(session, values["cycle_id"])
        return values, self._training_cycle(session, values["staff_id"], values["attended_on"])

    def _training_cycle(self, session: Any, staff_id: uuid.UUID, day: dt.date) -> CycleInfo:
        """Training belongs to the person; it is changed through the cycle of its year."""
        person = next((p for p in school_repo.all_staff(session) if p.id == staff_id), None)
        if person is None:
            raise NotFound(_(GONE["training"]))
        self._check_sees(session, person.id, person.name)
        found = [c for c in repo.cycles(session, staff_id=person.id)
                 if self.school_year(c.academic_year).contains(day)]
        if not found:
            raise NotFound(_("That training is outside every appraisal year of {name}.").format(
                name=person.name))
        return sorted(found, key=lambda c: c.status != OPEN)[0]

    def _require_for(self, kind: str, cycle: CycleInfo) -> None:
        if kind == "self_assessment":
            self._require_self_assess(cycle)
        elif kind == "training":
            self._require_training(cycle)
        else:
            self._require_manager(cycle)

    def _optional_skill(self, cycle: CycleInfo, current: uuid.UUID | None,
                        skill: uuid.UUID | str | None | object) -> uuid.UUID | None:
        if skill is KEEP:
            return current
        if skill is None:
            return None
        return self._skill(cycle, skill).id  # type: ignore[arg-type]

    def _audit_values(self, cycle: CycleInfo, values: dict[str, Any]) -> dict[str, Any]:
        """Plain JSON values for the audit row: skills by code, dates as ISO text."""
        codes = {s.id: s.code for s in self._frameworks.get(cycle.framework_code).skills}
        out: dict[str, Any] = {}
        for key, value in values.items():
            if key == "skill_id":
                out["skill"] = codes.get(value, str(value)) if value is not None else None
            elif isinstance(value, dt.date):
                out[key] = value.isoformat()
            elif isinstance(value, uuid.UUID):
                out[key] = str(value)
            else:
                out[key] = value
        return out

    def _save_edit(self, kind: str, entry_id: uuid.UUID, values: dict[str, Any],
                   cycle: CycleInfo, wanted: dict[str, Any]) -> AppraisalView:
        changes = {k: v for k, v in wanted.items() if v != values[k]}
        if not changes:
            return self.view(cycle.id)
        before = self._audit_values(cycle, {"id": entry_id, **{k: values[k] for k in changes}})
        after = self._audit_values(cycle, {"id": entry_id, **changes})
        with self._store.write() as session:
            if repo.entry_values(session, kind, entry_id) is None:
                raise NotFound(_(GONE[kind]))
            repo.update_entry(session, kind, entry_id, changes)
            self._context.audit(session, f"{AUDIT_ACTIONS[kind]}.edit", ENTITY, cycle.id,
                                before=before, after=after)
        return self.view(cycle.id)

    def _delete(self, kind: str, entry_id: uuid.UUID) -> AppraisalView:
        values, cycle = self._entry(kind, entry_id)
        before = self._audit_values(cycle, {"id": entry_id, **values})
        with self._store.write() as session:
            if repo.entry_values(session, kind, entry_id) is None:
                raise NotFound(_(GONE[kind]))
            repo.delete_entry(session, kind, entry_id)
            self._context.audit(session, f"{AUDIT_ACTIONS[kind]}.delete", ENTITY, cycle.id,
                                before=before)
        return self.view(cycle.id)

    # -- undo and redo (the page's Edit > Undo / Redo) ------------------------------------------
    def delete_entry(self, kind: str, entry_id: uuid.UUID) -> AppraisalView:
        """Delete an entry of any kind ("self_assessment", "practice", "target", "training")."""
        self._kind(kind)
        return self._delete(kind, entry_id)

    def entry_snapshot(self, kind: str, entry_id: uuid.UUID) -> dict[str, Any]:
        """An entry's values as they are now, kept by the page so a change can be undone."""
        self._kind(kind)
        values, _cycle = self._entry(kind, entry_id)
        return {"id": entry_id, **values}

    def put_back(self, kind: str, entry_id: uuid.UUID, values: dict[str, Any]) -> AppraisalView:
        """Undo (or redo) an edit: the entry's values become ``values`` again (audited as an
        edit with before and after, like any correction)."""
        self._kind(kind)
        current, cycle = self._entry(kind, entry_id)
        wanted = {k: values[k] for k in EDITABLE[kind] if k in values}
        self._check_values(kind, cycle, {**current, **wanted})
        return self._save_edit(kind, entry_id, current, cycle, wanted)

    def restore_entry(self, kind: str, values: dict[str, Any]) -> AppraisalView:
        """Undo a delete: the entry comes back under its own id with the values it had
        (``values`` as from ``entry_snapshot``), audited as a restore of that entry."""
        self._kind(kind)
        entry_id = values.get("id")
        columns = repo.entry_columns(kind)
        if not isinstance(entry_id, uuid.UUID) or any(k not in values for k in columns):
            raise UserError(_("That entry cannot be put back: its values are incomplete."))
        row = {k: values[k] for k in columns}
        with self._store.read() as session:
            if repo.entry_values(session, kind, entry_id) is not None:
                raise UserError(_("That entry is already there."))
            if kind == "training":
                cycle = self._training_cycle(session, row["staff_id"], row["attended_on"])
            else:
                cycle = self._cycle(session, row["cycle_id"])
        self._require_for(kind, cycle)
        self._writable(cycle)
        self._check_values(kind, cycle, row)
        with self._store.write() as session:
            if repo.entry_values(session, kind, entry_id) is not None:
                raise UserError(_("That entry is already there."))
            repo.insert_entry(session, kind, entry_id, row)
            self._context.audit(session, f"{AUDIT_ACTIONS[kind]}.restore", ENTITY, cycle.id,
                                after=self._audit_values(cycle, {"id": entry_id, **row}))
        return self.view(cycle.id)

    @staticmethod
    def _kind(kind: str) -> None:
        if kind not in AUDIT_ACTIONS:
            raise UserError(_("'{kind}' is not a kind of appraisal entry.").format(kind=kind))

    def _check_values(self, kind: str, cycle: CycleInfo, values: dict[str, Any]) -> None:
        """Values put back must still fit the cycle: its framework's skills and steps."""
        skill = values.get("skill_id")
        if skill is None and kind in ("self_assessment", "practice"):
            raise UserError(_("That entry cannot be put back: it has no skill."))
        chosen = None if skill is None else self._skill(cycle, skill)
        if kind == "self_assessment" and chosen is not None \
                and values["step_number"] not in {s.number for s in chosen.steps}:
            raise UserError(_("{skill} has no step {step}; choose a step from {low} to {high}.")
                            .format(skill=chosen.name, step=values["step_number"],
                                    low=chosen.lowest, high=chosen.highest))
        if kind == "practice" and values["setting"] not in SETTINGS:
            raise UserError(_("'{setting}' is not a setting; use one of {settings}.").format(
                setting=values["setting"], settings=", ".join(SETTINGS)))
