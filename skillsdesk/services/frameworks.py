"""Frameworks: import, list and export TOML files; the shipped frameworks and mapping."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomli_w

from skillsdesk import safefile
from skillsdesk.domain.errors import NotFound, Problem, UserError
from skillsdesk.domain.frameworks import framework_to_toml_data, read_framework, read_mapping
from skillsdesk.domain.records import FrameworkInfo
from skillsdesk.i18n import _
from skillsdesk.paths import frameworks_dir
from skillsdesk.services.backups import backup_before
from skillsdesk.services.context import Context
from skillsdesk.storage import frameworks as repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store

DEFAULT_FRAMEWORK = "essential-skills"
SHIPPED = ("essential-skills.toml", "trust-six.toml", "skills-builder-template.toml")


@dataclass(frozen=True)
class FrameworkSummary:
    code: str
    name: str
    version: str
    skills: int
    steps: int
    structure_only: bool
    created: bool = False


def _summary(info: FrameworkInfo, created: bool = False) -> FrameworkSummary:
    return FrameworkSummary(info.code, info.name, info.version, len(info.skills),
                            sum(len(s.steps) for s in info.skills), info.structure_only, created)


class FrameworkService:
    def __init__(self, store: Store, context: Context | None = None) -> None:
        self._context = context or Context()
        self._store = store

    def install_shipped(self) -> list[FrameworkSummary]:
        """Load the frameworks and mappings that ship with SkillsDesk (one transaction)."""
        folder = frameworks_dir()
        specs = [read_framework(folder / name) for name in SHIPPED]
        mappings = [read_mapping(p) for p in sorted((folder / "mappings").glob("*.toml"))]
        with self._store.write() as session:
            for spec in specs:
                repo.save_framework(session, spec)
            for mapping in mappings:
                self._save_mapping(session, mapping)
            if school_repo.get_setting(session, "framework") is None:
                school_repo.set_setting(session, "framework", DEFAULT_FRAMEWORK)
        return self.list()

    @staticmethod
    def _save_mapping(session, mapping) -> None:  # type: ignore[no-untyped-def]
        source = repo.load_framework(session, mapping.from_framework)
        target = repo.load_framework(session, mapping.to_framework)
        if source is None or target is None:
            raise UserError(
                _("The mapping needs frameworks {a} and {b} to be loaded first.").format(
                    a=mapping.from_framework, b=mapping.to_framework))
        problems = []
        for index, link in enumerate(mapping.links, start=1):
            if link.from_skill not in {s.code for s in source.skills}:
                problems.append(Problem(_("no skill '{code}' in {fw}").format(
                    code=link.from_skill, fw=source.code), field=f"links[{index}].from"))
            if link.to_skill not in {s.code for s in target.skills}:
                problems.append(Problem(_("no skill '{code}' in {fw}").format(
                    code=link.to_skill, fw=target.code), field=f"links[{index}].to"))
        if problems:
            raise UserError(_("The mapping was not loaded."), problems)
        repo.save_links(session, source.id, target.id, mapping.links)

    def import_file(self, path: Path) -> FrameworkSummary:
        self._context.require("import")
        spec = read_framework(Path(path))  # validated in full before anything is written
        backup_before(self._store, "import")  # a verified copy first (G6)
        with self._store.write() as session:
            _, created = repo.save_framework(session, spec)
            self._context.audit(session, "framework.import", "framework", spec.code,
                                after={"version": spec.version})
        return _summary(self.get(spec.code), created)

    def list(self) -> list[FrameworkSummary]:
        with self._store.read() as session:
            rows = repo.framework_summaries(session)
        return [FrameworkSummary(code, name, version, skills, steps, structure_only)
                for code, name, version, structure_only, skills, steps in rows]

    def get(self, code: str) -> FrameworkInfo:
        with self._store.read() as session:
            info = repo.load_framework(session, code)
        if info is None:
            raise NotFound(_("There is no framework called '{code}'.").format(code=code))
        return info

    def current(self) -> FrameworkInfo:
        """The framework the school works in day to day."""
        with self._store.read() as session:
            code = school_repo.get_setting(session, "framework", DEFAULT_FRAMEWORK)
        return self.get(code)

    def export(self, code: str, path: Path) -> Path:
        with self._store.read() as session:
            spec = repo.load_spec(session, code)
        if spec is None:
            raise NotFound(_("There is no framework called '{code}'.").format(code=code))
        data = tomli_w.dumps(framework_to_toml_data(spec), multiline_strings=False)
        try:
            safefile.write_text(Path(path), data)
        except OSError as exc:
            raise UserError(_("{file} could not be written ({reason}).").format(
                file=path, reason=exc.strerror or exc)) from exc
        return Path(path)

    def links(self, source: str, target: str) -> list[tuple[str, str, str]]:
        with self._store.read() as session:
            return repo.links_between(session, source, target)
