"""Observations: bulk history from a spreadsheet, and listings.

An import is checked in full (every row against the pupils, skills, steps and staff SkillsDesk
knows) before anything is written, then written in one transaction. Rows that match an
observation already held are left out, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from skillsdesk.domain.errors import Problem, UserError
from skillsdesk.domain.observation_import import parse_observations
from skillsdesk.domain.records import FrameworkInfo, ObservationInfo, SkillInfo, StaffInfo
from skillsdesk.domain.tabular import read_table
from skillsdesk.i18n import _, ngettext
from skillsdesk.services.backups import backup_before
from skillsdesk.services.context import Context
from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.scoping import scope_of
from skillsdesk.storage import observations as repo
from skillsdesk.storage import pupils as pupil_repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store


@dataclass(frozen=True)
class ObservationImportReport:
    source: str
    dry_run: bool
    added: int
    already_held: int
    warnings: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]

    def lines(self) -> list[str]:
        verb = _("Would add") if self.dry_run else _("Added")
        out = [_("{file}: {verb} {added} observations; {held} already held.").format(
            file=self.source, verb=verb, added=self.added, held=self.already_held)]
        if self.dry_run:
            out.append(_("Dry run: nothing was changed."))
        out.extend(_("  warning: {text}").format(text=w) for w in self.warnings)
        if self.ignored_columns:
            out.append(_("Columns left out: {names}").format(names=", ".join(self.ignored_columns)))
        return out


class ObservationService:
    def __init__(self, store: Store, frameworks: FrameworkService,
                 context: Context | None = None) -> None:
        self._context = context or Context()
        self._store = store
        self._frameworks = frameworks

    def import_file(self, path: Path, *, dry_run: bool = False) -> ObservationImportReport:
        self._context.require("import")
        parsed = parse_observations(read_table(Path(path)))
        problems = list(parsed.problems)
        warnings = list(parsed.warnings)
        framework = self._frameworks.current()
        skills = _skill_lookup(framework)
        with self._store.read() as session:
            pupils = pupil_repo.ids_by_admission(session)
            staff = _staff_lookup(school_repo.all_staff(session))
        rows: list[dict[str, Any]] = []
        for record in parsed.records:
            row_problems = []
            pupil = pupils.get(record.admission_number)
            if pupil is None:
                row_problems.append(Problem(_("no pupil has admission number {adno}").format(
                    adno=record.admission_number), record.line,
                    parsed.columns.get("admission_number")))
            skill = skills.get(record.skill.casefold())
            if skill is None:
                row_problems.append(Problem(_("'{skill}' is not a skill of {framework}").format(
                    skill=record.skill, framework=framework.name), record.line,
                    parsed.columns.get("skill")))
            elif not skill.lowest <= record.step <= skill.highest:
                row_problems.append(Problem(_("step {step} is outside {low}-{high}").format(
                    step=record.step, low=skill.lowest, high=skill.highest), record.line,
                    parsed.columns.get("step")))
            observer = None
            if record.observer:
                observer = staff.get(record.observer.casefold())
                if observer is None:
                    warnings.append(Problem(_("'{who}' is not a member of staff here; the "
                                              "observation is kept without an observer").format(
                        who=record.observer), record.line, parsed.columns.get("observer")))
            if row_problems:
                problems.extend(row_problems)
                continue
            assert pupil is not None and skill is not None
            rows.append({"pupil_id": pupil, "skill_id": skill.id, "step_number": record.step,
                         "observed_on": record.observed_on, "setting": record.setting,
                         "level": record.level, "note": record.note,
                         "observer_id": observer})
        if problems:
            lines = len({p.line for p in problems})
            raise UserError(ngettext(
                "{file} was not imported: {n} row has a problem. Nothing was changed.",
                "{file} was not imported: {n} rows have problems. Nothing was changed.",
                lines).format(file=parsed.source, n=lines), sorted(problems, key=_line))
        if not dry_run:
            backup_before(self._store, "import")  # a verified copy first (G6)
        with self._store.write() as session:
            held = repo.existing_keys(session, list({r["pupil_id"] for r in rows}))
            fresh, seen = [], set()
            for row in rows:
                key = (row["pupil_id"], row["skill_id"], row["step_number"], row["observed_on"],
                       row["setting"], row["level"], row["note"])
                if key in held or key in seen:
                    continue
                seen.add(key)
                fresh.append(row)
            repo.insert_observations(session, fresh)
            self._context.audit(session, "observations.import", "file", parsed.source,
                                after={"added": len(fresh)})
            if dry_run:
                session.rollback()
        return ObservationImportReport(parsed.source, dry_run, len(fresh), len(rows) - len(fresh),
                                       tuple(warnings), parsed.ignored_columns)

    def list(self, admission_number: str | None = None,
             limit: int | None = None) -> list[ObservationInfo]:
        """Newest first, as far as the member of staff may see (services/scoping.py): support
        staff the pupils of their own groups, lunchtime supervisors only what they recorded,
        without notes. Both filters run inside the query."""
        scope = scope_of(self._context)
        with self._store.read() as session:
            pupil = None
            if admission_number is not None:
                pupil = pupil_repo.existing_pupil_id(session, admission_number)
            found = repo.list_observations(
                session, pupil, limit, observer_id=scope.observer,
                pupils_in=None if scope.group_staff is None
                else pupil_repo.in_groups_of(scope.group_staff))
        if scope.sensitive:
            return found
        return [replace(o, note=None) for o in found]

    def count(self) -> int:
        with self._store.read() as session:
            return repo.count_observations(session)


def _line(problem: Problem) -> int:
    return problem.line or 0


def _skill_lookup(framework: FrameworkInfo) -> dict[str, SkillInfo]:
    lookup: dict[str, SkillInfo] = {}
    for skill in framework.skills:
        lookup[skill.code.casefold()] = skill
        lookup[skill.name.casefold()] = skill
    return lookup


def _staff_lookup(staff: list[StaffInfo]) -> dict[str, uuid.UUID]:
    lookup: dict[str, uuid.UUID] = {}
    for person in staff:
        for key in (person.initials, person.name, person.login):
            lookup.setdefault(key.casefold(), person.id)
    return lookup
