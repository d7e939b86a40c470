"""Framework rows: save a validated framework (update in place, archive what went), read it back."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func
from sqlmodel import Session, select

from skillsdesk.domain.frameworks import FrameworkSpec, LinkSpec, SkillSpec, StepSpec
from skillsdesk.domain.records import FrameworkInfo, SkillInfo, StepInfo
from skillsdesk.storage.tables import Framework, Skill, SkillLink, Step


def save_framework(session: Session, spec: FrameworkSpec) -> tuple[uuid.UUID, bool]:
    """Insert or update ``spec``; return its id and whether it was new.

    Skills and steps the new file no longer has are archived, never deleted, so observations
    made under them keep their meaning.
    """
    row = session.exec(select(Framework).where(Framework.code == spec.code)).first()
    created = row is None
    if row is None:
        row = Framework(code=spec.code, name=spec.name, version=spec.version)
    row.name, row.version = spec.name, spec.version
    row.licence, row.description = spec.licence, spec.description
    row.structure_only = spec.structure_only
    row.expected_json = json.dumps(spec.expected, sort_keys=True)
    session.add(row)
    session.flush()
    existing = {s.code: s for s in session.exec(select(Skill).where(Skill.framework_id == row.id))}
    for position, skill_spec in enumerate(spec.skills):
        _save_skill(session, row.id, position, skill_spec, existing.pop(skill_spec.code, None))
    for gone in existing.values():
        gone.archived = True
        session.add(gone)
    return row.id, created


def _save_skill(session: Session, framework_id: uuid.UUID, position: int, spec: SkillSpec,
                row: Skill | None) -> None:
    if row is None:
        row = Skill(framework_id=framework_id, code=spec.code, name=spec.name, colour=spec.colour,
                    position=position)
    row.name, row.colour, row.description = spec.name, spec.colour, spec.description
    row.position, row.archived = position, False
    row.translations_json = json.dumps(spec.translations, ensure_ascii=False, sort_keys=True)
    session.add(row)
    session.flush()
    steps = {s.number: s for s in session.exec(select(Step).where(Step.skill_id == row.id))}
    for step_spec in spec.steps:
        step = steps.pop(step_spec.number, None) or Step(skill_id=row.id, number=step_spec.number)
        _fill_step(step, step_spec)
        session.add(step)
    for gone in steps.values():
        gone.archived = True
        session.add(gone)


def _fill_step(step: Step, spec: StepSpec) -> None:
    step.descriptor, step.child, step.home = spec.descriptor, spec.child, spec.home
    step.translations_json = json.dumps(spec.translations, ensure_ascii=False, sort_keys=True)
    step.archived = False


def save_links(session: Session, source: uuid.UUID, target: uuid.UUID,
               links: tuple[LinkSpec, ...]) -> int:
    skills_from = _skill_ids(session, source)
    skills_to = _skill_ids(session, target)
    linked = select(SkillLink).where(SkillLink.from_skill_id.in_(skills_from.values()))
    for old in session.exec(linked):
        session.delete(old)
    session.flush()
    for link in links:
        session.add(SkillLink(from_skill_id=skills_from[link.from_skill],
                              to_skill_id=skills_to[link.to_skill], weight=link.weight))
    return len(links)


def _skill_ids(session: Session, framework_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = session.exec(select(Skill.code, Skill.id).where(Skill.framework_id == framework_id))
    return {code: skill_id for code, skill_id in rows}


def framework_id(session: Session, code: str) -> uuid.UUID | None:
    return session.exec(select(Framework.id).where(Framework.code == code)).first()


def framework_codes(session: Session) -> list[str]:
    return list(session.exec(select(Framework.code).order_by(Framework.code)))


def framework_summaries(session: Session) -> list[tuple[str, str, str, bool, int, int]]:
    """(code, name, version, structure only, skills, steps) per framework, by code.

    Counts what ``load_framework`` returns (skills and steps not archived) without loading
    every step's text: the desk lists frameworks at start-up.
    """
    live_skill = Skill.archived == False  # noqa: E712 - SQL expression
    skills = (select(Skill.framework_id, func.count(Skill.id).label("n")).where(live_skill)
              .group_by(Skill.framework_id).subquery())
    steps = (select(Skill.framework_id, func.count(Step.id).label("n"))
             .join(Step, Step.skill_id == Skill.id)
             .where(live_skill, Step.archived == False)  # noqa: E712
             .group_by(Skill.framework_id).subquery())
    query = (select(Framework.code, Framework.name, Framework.version, Framework.structure_only,
                    func.coalesce(skills.c.n, 0), func.coalesce(steps.c.n, 0))
             .outerjoin(skills, skills.c.framework_id == Framework.id)
             .outerjoin(steps, steps.c.framework_id == Framework.id)
             .order_by(Framework.code))
    return [(code, name, version, bool(structure_only), int(n_skills), int(n_steps))
            for code, name, version, structure_only, n_skills, n_steps in session.exec(query)]


def load_framework(session: Session, code: str, *,
                   include_archived: bool = False) -> FrameworkInfo | None:
    # Plain columns, not ORM rows: building an object per step made this the slowest read of
    # the desk's start-up.
    row = session.exec(select(Framework.id, Framework.code, Framework.name, Framework.version,
                              Framework.structure_only, Framework.expected_json)
                       .where(Framework.code == code)).first()
    if row is None:
        return None
    framework_id, code, name, version, structure_only, expected_json = row
    query = (select(Skill.id, Skill.code, Skill.name, Skill.colour)
             .where(Skill.framework_id == framework_id).order_by(Skill.position))
    if not include_archived:
        query = query.where(Skill.archived == False)  # noqa: E712 - SQL expression
    skills = list(session.exec(query))
    step_query = (select(Step.skill_id, Step.number, Step.descriptor, Step.child, Step.home)
                  .where(Step.skill_id.in_([s[0] for s in skills])).order_by(Step.number))
    if not include_archived:
        step_query = step_query.where(Step.archived == False)  # noqa: E712
    by_skill: dict[uuid.UUID, list[StepInfo]] = {}
    for skill_id, number, descriptor, child, home in session.exec(step_query):
        by_skill.setdefault(skill_id, []).append(StepInfo(number, descriptor, child, home))
    return FrameworkInfo(
        id=framework_id, code=code, name=name, version=version,
        structure_only=structure_only, expected=json.loads(expected_json),
        skills=tuple(SkillInfo(skill_id, skill_code, skill_name, colour,
                               tuple(by_skill.get(skill_id, ())))
                     for skill_id, skill_code, skill_name, colour in skills),
    )


def load_spec(session: Session, code: str) -> FrameworkSpec | None:
    """The framework as a spec again, for export (archived skills and steps left out)."""
    row = session.exec(select(Framework).where(Framework.code == code)).first()
    if row is None:
        return None
    skills = session.exec(select(Skill).where(Skill.framework_id == row.id,
                                              Skill.archived == False)  # noqa: E712
                          .order_by(Skill.position)).all()
    specs = []
    for skill in skills:
        steps = session.exec(select(Step).where(Step.skill_id == skill.id,
                                                Step.archived == False)  # noqa: E712
                             .order_by(Step.number)).all()
        specs.append(SkillSpec(
            skill.code, skill.name, skill.colour, skill.description,
            tuple(StepSpec(s.number, s.descriptor, s.child, s.home, json.loads(s.translations_json))
                  for s in steps),
            json.loads(skill.translations_json)))
    return FrameworkSpec(row.code, row.name, row.version, row.licence, row.description,
                         row.structure_only, json.loads(row.expected_json), tuple(specs))


def links_between(session: Session, source: str, target: str) -> list[tuple[str, str, str]]:
    src, dst = framework_id(session, source), framework_id(session, target)
    if src is None or dst is None:
        return []
    from_codes = {v: k for k, v in _skill_ids(session, src).items()}
    to_codes = {v: k for k, v in _skill_ids(session, dst).items()}
    rows = session.exec(select(SkillLink).where(SkillLink.from_skill_id.in_(from_codes)))
    return sorted((from_codes[r.from_skill_id], to_codes[r.to_skill_id], r.weight)
                  for r in rows if r.to_skill_id in to_codes)
