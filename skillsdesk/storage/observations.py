"""Observation rows: bulk insert, listings, and the aggregate the step rule reads."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Date, Integer, String, and_, bindparam, case, func, insert, or_, type_coerce
from sqlmodel import Session, select

from skillsdesk.domain.records import ObservationInfo
from skillsdesk.domain.steprule import INDEPENDENTLY, SECURED, StepEvidence
from skillsdesk.storage.tables import Framework, Observation, Pupil, Skill, Staff

CHUNK = 20_000


def insert_observations(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Insert plain dicts with SQLAlchemy Core, in chunks (an ORM object per row is ~15x slower)."""
    now = dt.datetime.now(dt.UTC)
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        row.setdefault("id", uuid.uuid4())
        row.setdefault("created_at", now)
        row.setdefault("updated_at", now)
        row.setdefault("source", "staff")
        row.setdefault("note", None)
        row.setdefault("observer_id", None)
        row.setdefault("staff_only", False)
        batch.append(row)
        if len(batch) >= CHUNK:
            _insert(session, batch)
            count += len(batch)
            batch = []
    if batch:
        _insert(session, batch)
        count += len(batch)
    return count


def _insert(session: Session, batch: list[dict[str, Any]]) -> None:
    # A Core insert on the table (not the ORM entity), so rows whose note is None are not split
    # into separate statements: one executemany per chunk.
    session.connection().execute(insert(Observation.__table__), batch)


def step_evidence(session: Session, skill_ids: list[uuid.UUID],
                  pupil_ids: list[uuid.UUID] | None = None,
                  before: dt.date | None = None) -> list[StepEvidence]:
    """Per pupil, skill and step: best level, and distinct days and settings seen independently.

    Only observations dated before ``before`` when it is given (where pupils stood on a day,
    for the trust export's steps gained). Reads only the covering index ``ix_observation_progress``.
    """
    independent = Observation.level >= INDEPENDENTLY
    query = (
        select(
            Observation.pupil_id, Observation.skill_id, Observation.step_number,
            func.max(Observation.level),
            func.count(func.distinct(case((independent, Observation.observed_on)))),
            func.count(func.distinct(case((independent, Observation.setting)))),
        )
        .where(Observation.deleted_at.is_(None), Observation.skill_id.in_(skill_ids))
        .group_by(Observation.pupil_id, Observation.skill_id, Observation.step_number)
    )
    if before is not None:
        query = query.where(Observation.observed_on < before)
    if pupil_ids is None:
        return [StepEvidence(*row) for row in session.exec(query)]
    evidence: list[StepEvidence] = []
    for start in range(0, len(pupil_ids), 500):
        chunk = pupil_ids[start:start + 500]
        evidence.extend(StepEvidence(*row) for row in
                        session.exec(query.where(Observation.pupil_id.in_(chunk))))
    return evidence


def _secured_statement(by_pupil: bool, dated: bool, settings: bool) -> Any:
    """Highest secured step per pupil and skill, the rule's numbers left as parameters.

    Without ``settings`` the count of settings is left out: one setting is implied by one
    independent day, so a rule asking for no more than that needs no second count.
    Ids come back as stored text, turned into UUIDs by the caller from the ids it asked for.
    """
    table = Observation.__table__
    independent = table.c.level >= INDEPENDENTLY
    enough = func.count(func.distinct(case((independent, table.c.observed_on)))) \
        >= bindparam("days", type_=Integer)
    if settings:
        enough = and_(enough, func.count(func.distinct(case((independent, table.c.setting))))
                      >= bindparam("settings", type_=Integer))
    secured = (
        select(table.c.pupil_id, table.c.skill_id, table.c.step_number)
        .where(table.c.deleted_at.is_(None),
               table.c.skill_id.in_(bindparam("skills", expanding=True)))
        .group_by(table.c.pupil_id, table.c.skill_id, table.c.step_number)
        .having(or_(func.max(table.c.level) >= SECURED, enough))
    )
    if by_pupil:
        secured = secured.where(table.c.pupil_id.in_(bindparam("pupils", expanding=True)))
    if dated:
        secured = secured.where(table.c.observed_on < bindparam("before", type_=Date))
    inner = secured.subquery()
    return (select(type_coerce(inner.c.pupil_id, String), type_coerce(inner.c.skill_id, String),
                   func.max(inner.c.step_number))
            .group_by(inner.c.pupil_id, inner.c.skill_id))


# Built once: the class grid runs this after every save, and building the statement anew each
# time cost more than the query on a class of thirty.
_SECURED = {(by_pupil, dated, settings): _secured_statement(by_pupil, dated, settings)
            for by_pupil in (False, True) for dated in (False, True) for settings in (False, True)}


def secured_steps(session: Session, skill_ids: list[uuid.UUID], independent_days: int,
                  min_settings: int, pupil_ids: list[uuid.UUID] | None = None,
                  before: dt.date | None = None) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """(pupil, skill) -> highest secured step, with the step rule applied inside SQL.

    The same rule as ``domain.steprule.is_secured`` (a property test holds the two together);
    doing it here returns one row per pupil and skill instead of one per step, which keeps
    the class grid within budget on a school with a million observations.
    """
    settings = min_settings > 1 or independent_days < 1
    statement = _SECURED[(pupil_ids is not None, before is not None, settings)]
    values: dict[str, Any] = {"skills": list(skill_ids), "days": independent_days}
    if settings:
        values["settings"] = min_settings
    if before is not None:
        values["before"] = before
    # Ids back from their stored text through a lookup: a UUID built per row cost more
    # than the query for a class.
    ids = _IdLookup(list(skill_ids) + list(pupil_ids or ()))
    found: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    chunks = [None] if pupil_ids is None else [
        pupil_ids[i:i + 500] for i in range(0, len(pupil_ids), 500)]
    for chunk in chunks:
        if chunk is not None:
            values["pupils"] = chunk
        rows = session.execute(statement, values)
        found.update({(ids[pupil], ids[skill]): step for pupil, skill, step in rows})
    return found


class _IdLookup(dict[str, uuid.UUID]):
    """Stored id text -> UUID, for the ids a query was given; others are parsed when met."""

    def __init__(self, known: list[uuid.UUID]) -> None:
        super().__init__((i.hex, i) for i in known)

    def __missing__(self, text: str) -> uuid.UUID:
        value = self[text] = uuid.UUID(text)
        return value


def list_observations(session: Session, pupil_id: uuid.UUID | None = None,
                      limit: int | None = None, *, observer_id: uuid.UUID | None = None,
                      pupils_in: Any = None) -> list[ObservationInfo]:
    """Newest first; only ``observer_id``'s entries, or only pupils in the ``pupils_in``
    subquery (a member of staff's own groups), when given."""
    query = (
        select(Observation, Pupil.admission_number, Pupil.preferred_first_name,
               Pupil.legal_first_name, Pupil.preferred_last_name, Pupil.legal_last_name,
               Framework.code, Skill.code, Staff.name)
        .join(Pupil, Pupil.id == Observation.pupil_id)
        .join(Skill, Skill.id == Observation.skill_id)
        .join(Framework, Framework.id == Skill.framework_id)
        .outerjoin(Staff, Staff.id == Observation.observer_id)
        .where(Observation.deleted_at.is_(None))
        .order_by(Observation.observed_on.desc(), Observation.created_at.desc())
    )
    if pupil_id is not None:
        query = query.where(Observation.pupil_id == pupil_id)
    if observer_id is not None:
        query = query.where(Observation.observer_id == observer_id)
    if pupils_in is not None:
        query = query.where(Observation.pupil_id.in_(pupils_in))
    if limit is not None:
        query = query.limit(limit)
    out = []
    for obs, adno, pfirst, lfirst, plast, llast, fw, skill, observer in session.exec(query):
        out.append(ObservationInfo(
            id=obs.id, admission_number=adno,
            pupil_name=f"{pfirst or lfirst} {plast or llast}", framework=fw, skill=skill,
            step=obs.step_number, observed_on=obs.observed_on, setting=obs.setting,
            level=obs.level, note=obs.note, observer=observer, source=obs.source,
            staff_only=bool(obs.staff_only)))
    return out


def existing_keys(session: Session, pupil_ids: list[uuid.UUID]) -> set[tuple[Any, ...]]:
    """(pupil, skill, step, date, setting, level, note) of live observations, to skip repeats."""
    keys: set[tuple[Any, ...]] = set()
    for start in range(0, len(pupil_ids), 500):
        chunk = pupil_ids[start:start + 500]
        rows = session.exec(select(
            Observation.pupil_id, Observation.skill_id, Observation.step_number,
            Observation.observed_on, Observation.setting, Observation.level, Observation.note)
            .where(and_(Observation.pupil_id.in_(chunk), Observation.deleted_at.is_(None))))
        keys.update(tuple(r) for r in rows)
    return keys


def count_observations(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Observation)
                            .where(Observation.deleted_at.is_(None))).one())


def soft_delete(session: Session, ids: list[uuid.UUID]) -> int:
    now = dt.datetime.now(dt.UTC)
    rows = session.exec(select(Observation).where(Observation.id.in_(ids),
                                                  Observation.deleted_at.is_(None))).all()
    for row in rows:
        row.deleted_at = now
        row.updated_at = now
        session.add(row)
    return len(rows)


def restore(session: Session, ids: list[uuid.UUID]) -> int:
    rows = session.exec(select(Observation).where(Observation.id.in_(ids),
                                                  Observation.deleted_at.is_not(None))).all()
    for row in rows:
        row.deleted_at = None
        row.updated_at = dt.datetime.now(dt.UTC)
        session.add(row)
    return len(rows)


EDITABLE = ("step_number", "observed_on", "setting", "level", "note", "staff_only")


def values_of(session: Session, observation_id: uuid.UUID) -> dict[str, Any] | None:
    row = session.get(Observation, observation_id)
    if row is None:
        return None
    values = {name: getattr(row, name) for name in EDITABLE}
    values.update(pupil_id=row.pupil_id, skill_id=row.skill_id, observer_id=row.observer_id,
                  deleted=row.deleted_at is not None)
    return values


def update_values(session: Session, observation_id: uuid.UUID, changes: dict[str, Any]) -> None:
    row = session.get(Observation, observation_id)
    if row is None:
        return
    for name, value in changes.items():
        if name in EDITABLE:
            setattr(row, name, value)
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)


def seen_since(session: Session, skill_ids: list[uuid.UUID], pupil_ids: list[uuid.UUID],
               since: dt.date) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """(pupil, skill) pairs with any live observation on or after ``since``."""
    found: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for start in range(0, len(pupil_ids), 500):
        chunk = pupil_ids[start:start + 500]
        rows = session.exec(select(Observation.pupil_id, Observation.skill_id).distinct()
                            .where(Observation.pupil_id.in_(chunk),
                                   Observation.skill_id.in_(skill_ids),
                                   Observation.deleted_at.is_(None),
                                   Observation.observed_on >= since))
        found.update((p, s) for p, s in rows)
    return found


def timeline(session: Session, pupil_id: uuid.UUID,
             skill_ids: list[uuid.UUID],
             observer_id: uuid.UUID | None = None) -> list[tuple[Any, ...]]:
    """(id, skill id, step, date, setting, level, note, observer name, source, observer id,
    staff only); only ``observer_id``'s entries when given."""
    own = [] if observer_id is None else [Observation.observer_id == observer_id]
    rows = session.exec(
        select(Observation.id, Observation.skill_id, Observation.step_number,
               Observation.observed_on, Observation.setting, Observation.level, Observation.note,
               Staff.name, Observation.source, Observation.observer_id, Observation.staff_only)
        .outerjoin(Staff, Staff.id == Observation.observer_id)
        .where(Observation.pupil_id == pupil_id, Observation.skill_id.in_(skill_ids),
               Observation.deleted_at.is_(None), *own)
        .order_by(Observation.observed_on.desc(), Observation.created_at.desc()))
    return [tuple(r) for r in rows]
