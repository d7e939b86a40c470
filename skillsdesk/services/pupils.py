"""Pupil import from MIS exports, and the pupil lists.

An import is all or nothing: the file is read and checked in full, then every addition, update
and class change is written in one transaction. A file with an invalid row changes nothing unless
the caller asks to skip invalid rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillsdesk.domain.calendar import school_year_of
from skillsdesk.domain.errors import Problem, UserError
from skillsdesk.domain.pupil_import import ParsedPupils, PupilRecord, parse_pupils
from skillsdesk.domain.tabular import read_table
from skillsdesk.i18n import _, ngettext
from skillsdesk.services.backups import backup_before
from skillsdesk.services.context import Context
from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import pupils as repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store

# File field -> pupil column, for the optional fields an import only touches when present.
_OPTIONAL = {
    "preferred_first_name": "preferred_first_name",
    "preferred_last_name": "preferred_last_name",
    "gender": "gender",
    "sen": "sen",
    "pupil_premium": "pupil_premium",
    "eal": "eal",
    "first_language": "first_language",
}


@dataclass(frozen=True)
class PupilChange:
    line: int
    admission_number: str
    name: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class PupilImportReport:
    source: str
    dry_run: bool
    added: tuple[PupilChange, ...]
    updated: tuple[PupilChange, ...]
    unchanged: int
    skipped: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The report as sentences, for the terminal and the import dialog."""
        verb = _("Would add") if self.dry_run else _("Added")
        out = [_("{file}: {verb} {added}, updated {updated}, unchanged {unchanged}.").format(
            file=self.source, verb=verb, added=len(self.added), updated=len(self.updated),
            unchanged=self.unchanged)]
        if self.dry_run:
            out.append(_("Dry run: nothing was changed."))
        for change in self.added:
            out.append(_("  line {line}: new pupil {adno} {name}").format(
                line=change.line, adno=change.admission_number, name=change.name))
        for change in self.updated:
            out.append(_("  line {line}: {adno} {name}: {fields}").format(
                line=change.line, adno=change.admission_number, name=change.name,
                fields=", ".join(change.fields)))
        if self.skipped:
            out.append(ngettext("Skipped {n} invalid row:", "Skipped {n} invalid rows:",
                                len({p.line for p in self.skipped})).format(
                n=len({p.line for p in self.skipped})))
            out.extend(f"  {p}" for p in self.skipped)
        for warning in self.warnings:
            out.append(_("  warning: {text}").format(text=warning))
        if self.ignored_columns:
            out.append(_("Columns left out (SkillsDesk does not need them): {names}").format(
                names=", ".join(self.ignored_columns)))
        return out


class PupilService:
    def __init__(self, store: Store, school: SchoolService, frameworks: FrameworkService,
                 context: Context | None = None) -> None:
        self._context = context or Context()
        self._store = store
        self._school = school
        self._frameworks = frameworks

    def import_file(self, path: Path, *, dry_run: bool = False,
                    skip_invalid: bool = False) -> PupilImportReport:
        self._context.require("import")
        parsed = parse_pupils(read_table(Path(path)))
        if parsed.problems and not skip_invalid:
            rows = len({p.line for p in parsed.problems})
            raise UserError(
                ngettext("{file} was not imported: {n} row has a problem. Nothing was changed.",
                         "{file} was not imported: {n} rows have problems. Nothing was changed.",
                         rows).format(file=parsed.source, n=rows),
                parsed.problems)
        if not dry_run:
            backup_before(self._store, "import")  # a verified copy first (G6)
        return self._apply(parsed, dry_run)

    def _apply(self, parsed: ParsedPupils, dry_run: bool) -> PupilImportReport:
        year = school_year_of(self._school.today())
        present = set(parsed.columns)
        added: list[PupilChange] = []
        updated: list[PupilChange] = []
        unchanged = 0
        with self._store.write() as session:
            year_id = school_repo.ensure_year(session, year)
            existing = repo.current_values(session, (r.admission_number for r in parsed.records))
            # One look-up per class name and one query for this year's classes, not one per row.
            group_ids: dict[str, object] = {}
            for record in parsed.records:
                name = record.registration_group
                if name and name not in group_ids:
                    group_ids[name] = school_repo.ensure_group(session, year_id, name, "class",
                                                               record.year_group)
            in_class = school_repo.class_memberships(session, year_id)
            new_rows: list[dict[str, Any]] = []
            moves: dict[Any, Any] = {}
            for record in parsed.records:
                values = _values(record, present)
                name = f"{record.preferred_first_name or record.legal_first_name} " \
                       f"{record.preferred_last_name or record.legal_last_name}"
                current = existing.get(record.admission_number)
                wanted = group_ids.get(record.registration_group or "")
                if current is None:
                    row = {"admission_number": record.admission_number, **values}
                    repo.assign_id(row)
                    new_rows.append(row)
                    added.append(PupilChange(record.line, record.admission_number, name))
                    if wanted is not None:
                        moves[row["id"]] = wanted
                    continue
                changes = {k: v for k, v in values.items() if current.get(k) != v}
                if changes:
                    repo.update_pupil(session, current["id"], changes)
                class_changed = wanted is not None and in_class.get(current["id"]) != wanted
                if class_changed:
                    moves[current["id"]] = wanted
                fields = tuple(changes) + (("class",) if class_changed else ())
                if fields:
                    updated.append(PupilChange(record.line, record.admission_number, name, fields))
                else:
                    unchanged += 1
            repo.insert_pupils(session, new_rows)
            school_repo.move_to_classes(session, year_id, moves)
            self._context.audit(session, "pupils.import", "file", parsed.source, after={
                "added": len(added), "updated": len(updated), "unchanged": unchanged})
            if dry_run:
                session.rollback()
        return PupilImportReport(
            source=parsed.source, dry_run=dry_run, added=tuple(added), updated=tuple(updated),
            unchanged=unchanged, skipped=parsed.problems, warnings=parsed.warnings,
            columns=dict(parsed.columns), ignored_columns=parsed.ignored_columns)


def _values(record: PupilRecord, present: set[str]) -> dict[str, Any]:
    """The columns this file sets: required ones always, optional ones only if the file has them."""
    values: dict[str, Any] = {
        "legal_first_name": record.legal_first_name,
        "legal_last_name": record.legal_last_name,
        "year_group": record.year_group,
    }
    for name, column in _OPTIONAL.items():
        if name in present:
            values[column] = getattr(record, name)
    if record.upn:
        values["upn"] = record.upn
    if values.get("sen") is None and "sen" in values:
        values["sen"] = "N"
    for flag in ("pupil_premium", "eal"):
        if flag in values and values[flag] is None:
            values[flag] = False
    return values
