"""Skills frameworks as data: the TOML file format, read and validated in full before use.

A framework file is checked completely (every problem with its field) and only then handed on,
so a bad file is never half-loaded. See DESIGN.md §5 for the format.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillsdesk.domain.errors import Problem, UserError
from skillsdesk.domain.yeargroups import YEAR_GROUPS
from skillsdesk.i18n import _

MAX_FILE_BYTES = 2_000_000
MAX_SKILLS = 40
MAX_STEPS = 100
MAX_TEXT = 2_000
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

_FRAMEWORK_KEYS = {"code", "name", "version", "licence", "description", "structure_only",
                   "expected"}
_SKILL_KEYS = {"code", "name", "colour", "description", "steps", "translations"}
_STEP_KEYS = {"number", "descriptor", "child", "home", "translations"}
_TEXT_KEYS = ("descriptor", "child", "home")


@dataclass(frozen=True)
class StepSpec:
    number: int
    descriptor: str
    child: str
    home: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SkillSpec:
    code: str
    name: str
    colour: str
    description: str
    steps: tuple[StepSpec, ...]
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    name: str
    version: str
    licence: str
    description: str
    structure_only: bool
    expected: dict[str, int]
    skills: tuple[SkillSpec, ...]


@dataclass(frozen=True)
class LinkSpec:
    from_skill: str
    to_skill: str
    weight: str


@dataclass(frozen=True)
class MappingSpec:
    from_framework: str
    to_framework: str
    note: str
    links: tuple[LinkSpec, ...]


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(_("{file}: the file cannot be opened ({reason}).").format(
            file=path.name, reason=exc.strerror or exc)) from exc
    if size > MAX_FILE_BYTES:
        raise UserError(
            _("{file}: the file is too large to be a framework.").format(file=path.name))
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError(_("{file}: the file is not UTF-8 text.").format(file=path.name)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError(_("{file}: the file is not valid TOML ({reason}).").format(
            file=path.name, reason=exc)) from exc


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(message=message, field=where))

    def text(self, table: dict[str, Any], key: str, where: str, *, required: bool = True,
             allow_empty: bool = False) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f"{where}.{key}", _("is missing"))
            return ""
        if not isinstance(value, str):
            self.add(f"{where}.{key}", _("must be text"))
            return ""
        if not value.strip() and required and not allow_empty:
            self.add(f"{where}.{key}", _("must not be empty"))
        if len(value) > MAX_TEXT:
            self.add(f"{where}.{key}",
                     _("is longer than {limit} characters").format(limit=MAX_TEXT))
        return value.strip()

    def unknown(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.add(f"{where}.{key}", _("is not a key SkillsDesk knows"))

    def translations(self, value: Any, where: str,
                     keys: tuple[str, ...]) -> dict[str, dict[str, str]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(where, _("must be a table of languages"))
            return {}
        out: dict[str, dict[str, str]] = {}
        for locale, texts in value.items():
            if not isinstance(texts, dict) or not all(
                k in keys and isinstance(v, str) for k, v in texts.items()
            ):
                self.add(f"{where}.{locale}", _("must hold only text for {keys}").format(
                    keys=", ".join(keys)))
                continue
            out[locale] = dict(texts)
        return out


def parse_framework(data: dict[str, Any], source: str = "framework") -> FrameworkSpec:
    """Validate parsed TOML; raise UserError listing every problem, or return the framework."""
    check = _Checker()
    head = data.get("framework")
    if not isinstance(head, dict):
        raise UserError(_("{file}: there is no [framework] table.").format(file=source))
    check.unknown({k: v for k, v in data.items()}, {"framework", "skills"}, "file")
    check.unknown(head, _FRAMEWORK_KEYS, "framework")
    code = check.text(head, "code", "framework")
    if code and not CODE.match(code):
        check.add("framework.code", _("must be lowercase letters, digits and hyphens"))
    name = check.text(head, "name", "framework")
    version = head.get("version")
    if isinstance(version, int):
        version = str(version)
    if not isinstance(version, str) or not version.strip():
        check.add("framework.version", _("is missing"))
        version = ""
    licence = check.text(head, "licence", "framework", required=False)
    description = check.text(head, "description", "framework", required=False)
    structure_only = head.get("structure_only", False)
    if not isinstance(structure_only, bool):
        check.add("framework.structure_only", _("must be true or false"))
        structure_only = False
    expected = _expected(head.get("expected", {}), check)

    raw_skills = data.get("skills")
    if not isinstance(raw_skills, list) or not raw_skills:
        check.add("skills", _("the framework has no skills"))
        raw_skills = []
    if len(raw_skills) > MAX_SKILLS:
        check.add("skills", _("more than {limit} skills").format(limit=MAX_SKILLS))
        raw_skills = raw_skills[:MAX_SKILLS]
    skills: list[SkillSpec] = []
    seen_codes: set[str] = set()
    for index, raw in enumerate(raw_skills, start=1):
        where = f"skills[{index}]"
        if not isinstance(raw, dict):
            check.add(where, _("must be a table"))
            continue
        skill = _skill(raw, where, check, structure_only)
        if skill.code in seen_codes:
            check.add(f"{where}.code",
                      _("'{code}' is used by another skill").format(code=skill.code))
        seen_codes.add(skill.code)
        skills.append(skill)
    if check.problems:
        raise UserError(
            _("{file} was not loaded: it has {count} problem(s).").format(
                file=source, count=len(check.problems)),
            check.problems,
        )
    return FrameworkSpec(code, name, str(version).strip(), licence, description, structure_only,
                         expected, tuple(skills))


def _expected(value: Any, check: _Checker) -> dict[str, int]:
    if not isinstance(value, dict):
        check.add("framework.expected", _("must be a table of year group = step"))
        return {}
    out: dict[str, int] = {}
    for year, step in value.items():
        if year not in YEAR_GROUPS:
            check.add(f"framework.expected.{year}", _("is not a primary year group"))
        elif not isinstance(step, int) or isinstance(step, bool) or step < 0:
            check.add(f"framework.expected.{year}", _("must be a step number"))
        else:
            out[year] = step
    return out


def _skill(raw: dict[str, Any], where: str, check: _Checker, structure_only: bool) -> SkillSpec:
    check.unknown(raw, _SKILL_KEYS, where)
    code = check.text(raw, "code", where)
    if code and not CODE.match(code):
        check.add(f"{where}.code", _("must be lowercase letters, digits and hyphens"))
    name = check.text(raw, "name", where)
    colour = check.text(raw, "colour", where)
    if colour and not COLOUR.match(colour):
        check.add(f"{where}.colour", _("must be a colour like #1f77b4"))
    description = check.text(raw, "description", where, required=False)
    translations = check.translations(raw.get("translations"), f"{where}.translations",
                                      ("name", "description"))
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        check.add(f"{where}.steps", _("the skill has no steps"))
        raw_steps = []
    if len(raw_steps) > MAX_STEPS:
        check.add(f"{where}.steps", _("more than {limit} steps").format(limit=MAX_STEPS))
        raw_steps = raw_steps[:MAX_STEPS]
    steps: list[StepSpec] = []
    for index, step in enumerate(raw_steps, start=1):
        step_where = f"{where}.steps[{index}]"
        if not isinstance(step, dict):
            check.add(step_where, _("must be a table"))
            continue
        check.unknown(step, _STEP_KEYS, step_where)
        number = step.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < MAX_STEPS:
            check.add(f"{step_where}.number", _("must be a whole number from 0 to 99"))
            number = -1
        texts = [check.text(step, key, step_where, allow_empty=structure_only)
                 for key in _TEXT_KEYS]
        step_translations = check.translations(step.get("translations"),
                                               f"{step_where}.translations", _TEXT_KEYS)
        steps.append(StepSpec(number, *texts, translations=step_translations))
    numbers = [s.number for s in steps if s.number >= 0]
    if numbers and sorted(numbers) != list(range(min(numbers), min(numbers) + len(numbers))):
        check.add(f"{where}.steps", _("step numbers must run in order without gaps or repeats"))
    return SkillSpec(code, name, colour, description, tuple(steps), translations)


def read_framework(path: Path) -> FrameworkSpec:
    return parse_framework(_load_toml(path), path.name)


def read_mapping(path: Path) -> MappingSpec:
    data = _load_toml(path)
    check = _Checker()
    head = data.get("mapping")
    if not isinstance(head, dict):
        raise UserError(_("{file}: there is no [mapping] table.").format(file=path.name))
    source = check.text(head, "from", "mapping")
    target = check.text(head, "to", "mapping")
    note = check.text(head, "note", "mapping", required=False)
    links: list[LinkSpec] = []
    raw_links = data.get("links", [])
    if not isinstance(raw_links, list):
        raw_links = []
        check.add("links", _("must be a list of [[links]] tables"))
    for index, raw in enumerate(raw_links, start=1):
        where = f"links[{index}]"
        if not isinstance(raw, dict):
            check.add(where, _("must be a table"))
            continue
        weight = check.text(raw, "weight", where)
        if weight and weight not in ("main", "partial"):
            check.add(f"{where}.weight", _("must be main or partial"))
        links.append(LinkSpec(check.text(raw, "from", where), check.text(raw, "to", where), weight))
    if check.problems:
        raise UserError(_("{file} was not loaded: it has {count} problem(s).").format(
            file=path.name, count=len(check.problems)), check.problems)
    return MappingSpec(source, target, note, tuple(links))


def framework_to_toml_data(spec: FrameworkSpec) -> dict[str, Any]:
    """The inverse of ``parse_framework``: a dict that tomli-w writes as a framework file."""
    head: dict[str, Any] = {
        "code": spec.code, "name": spec.name, "version": spec.version,
        "licence": spec.licence, "description": spec.description,
        "structure_only": spec.structure_only, "expected": dict(spec.expected),
    }
    skills = []
    for skill in spec.skills:
        entry: dict[str, Any] = {"code": skill.code, "name": skill.name, "colour": skill.colour,
                                 "description": skill.description}
        if skill.translations:
            entry["translations"] = skill.translations
        entry["steps"] = []
        for step in skill.steps:
            item: dict[str, Any] = {"number": step.number, "descriptor": step.descriptor,
                                    "child": step.child, "home": step.home}
            if step.translations:
                item["translations"] = step.translations
            entry["steps"].append(item)
        skills.append(entry)
    return {"framework": head, "skills": skills}
