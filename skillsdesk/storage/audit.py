"""Writing, checking and reading the audit trail (RELIABILITY.md G17, G18).

``record`` appends one event in the caller's session, so it commits or rolls back together with
the change it describes. The chain rules (what is hashed, where a chain breaks) are in
``domain/audit.py``; this module only moves rows.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import delete, func, insert, or_
from sqlmodel import Session, select

from skillsdesk.domain.audit import (
    ERASURE_ACTIONS,
    GENESIS,
    AuditLink,
    AuditRecord,
    StoredEvent,
    content_text,
    digest,
    first_break,
    link_hash,
)
from skillsdesk.domain.permissions import Actor
from skillsdesk.storage.tables_audit import AuditContent, AuditEvent

BROWSE_LIMIT = 500
_INSERT_EVENT = insert(AuditEvent.__table__)  # type: ignore[arg-type]
_INSERT_CONTENT = insert(AuditContent.__table__)  # type: ignore[arg-type]
_HEAD = (select(AuditEvent.sequence, AuditEvent.hash)
         .order_by(AuditEvent.sequence.desc()).limit(1))  # type: ignore[attr-defined]


def _utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC instant (a naive one is taken to be UTC already, as the database keeps it)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def head(session: Session) -> tuple[int, str] | None:
    """The last event's sequence and hash (to anchor elsewhere, e.g. beside a backup)."""
    row = session.execute(_HEAD).first()
    return None if row is None else (int(row[0]), str(row[1]))


def record(session: Session, actor: Actor | None, action: str, entity: str,
           entity_id: str | uuid.UUID | None = None,
           before: Mapping[str, Any] | None = None, after: Mapping[str, Any] | None = None, *,
           pupil_id: uuid.UUID | None = None, login: str | None = None,
           at: dt.datetime | None = None) -> int:
    """Append one event in the caller's transaction; return its sequence.

    ``actor`` is None for events with nobody signed in (a failed sign-in: pass the ``login``
    tried). ``pupil_id`` names the pupil the event is about, for subject access and erasure.
    Erasure events carry no content, so the trail never keeps what was erased.
    """
    if action in ERASURE_ACTIONS and (before is not None or after is not None):
        raise ValueError("an erasure is recorded without content")
    last = head(session)
    sequence, prev_hash = (1, GENESIS) if last is None else (last[0] + 1, last[1])
    text = content_text(before, after)
    link = AuditLink(
        sequence=sequence,
        at=_utc(at or dt.datetime.now(dt.UTC)),
        staff_id=None if actor is None else actor.staff_id,
        login=actor.login if actor is not None else login,
        role=None if actor is None else actor.role,
        action=action,
        entity_type=entity,
        entity_id=None if entity_id is None else str(entity_id),
        pupil_id=pupil_id,
        content_hash=None if text is None else digest(text),
        prev_hash=prev_hash,
    )
    # Core statements built once and given parameters: an audit row is written with every
    # save, and building an ORM statement each time cost more than the insert itself.
    session.execute(_INSERT_EVENT, {**link.__dict__, "hash": link_hash(link)})
    if text is not None:
        session.execute(_INSERT_CONTENT, {"sequence": sequence, "content_json": text})
    return sequence


def _stored(session: Session) -> Iterator[StoredEvent]:
    query = (
        select(AuditEvent, AuditContent.content_json)
        .outerjoin(AuditContent,
                   AuditContent.sequence == AuditEvent.sequence)  # type: ignore[arg-type]
        .order_by(AuditEvent.sequence)  # type: ignore[arg-type]
        .execution_options(yield_per=2000)
    )
    for event, content in session.execute(query):
        yield StoredEvent(_link(event), event.hash, content)


def _link(event: AuditEvent) -> AuditLink:
    return AuditLink(event.sequence, event.at, event.staff_id, event.login, event.role,
                     event.action, event.entity_type, event.entity_id, event.pupil_id,
                     event.content_hash, event.prev_hash)


def erased_pupils(session: Session) -> set[uuid.UUID]:
    rows = session.execute(select(AuditEvent.pupil_id).where(
        AuditEvent.action.in_(ERASURE_ACTIONS),  # type: ignore[attr-defined]
        AuditEvent.pupil_id.is_not(None)))  # type: ignore[union-attr]
    return {row[0] for row in rows}


def verify_chain(session: Session) -> int | None:
    """The sequence of the first event that was edited, inserted or removed, or None.

    Removing events from the very end cannot be seen from the chain alone; compare ``head``
    with a copy kept elsewhere for that.
    """
    return first_break(_stored(session), erased_pupils(session))


def erase_content(session: Session, pupil_id: uuid.UUID) -> int:
    """Delete the before/after content of every event about ``pupil_id``; the events stay.

    Call it in the same transaction as the erasure and its ``pupil.erase`` event, or the chain
    check will report the missing content as tampering.
    """
    about = select(AuditEvent.sequence).where(AuditEvent.pupil_id == pupil_id)
    result = session.execute(delete(AuditContent).where(
        AuditContent.sequence.in_(about)))  # type: ignore[attr-defined]
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def browse(session: Session, *, staff_id: uuid.UUID | None = None, login: str | None = None,
           action: str | None = None, entity: str | None = None, entity_id: str | None = None,
           pupil_id: uuid.UUID | None = None, since: dt.datetime | None = None,
           until: dt.datetime | None = None, before_sequence: int | None = None,
           text: str | None = None, limit: int = BROWSE_LIMIT) -> list[AuditRecord]:
    """Events matching every filter given, newest first; page with ``before_sequence``.

    ``action`` matches that action and the actions under it ("observation" finds
    "observation.create" and "observation.delete"); ``since``/``until`` are instants; ``text``
    is found, in any case, in the login, role, action, entity or entity id.
    """
    query = select(AuditEvent, AuditContent.content_json).outerjoin(
        AuditContent, AuditContent.sequence == AuditEvent.sequence)  # type: ignore[arg-type]
    if staff_id is not None:
        query = query.where(AuditEvent.staff_id == staff_id)
    if login is not None:
        query = query.where(AuditEvent.login == login)
    if action is not None:
        under = AuditEvent.action.startswith(  # type: ignore[attr-defined]
            action + ".", autoescape=True)  # "_" in an action is not a wildcard
        query = query.where((AuditEvent.action == action) | under)
    if entity is not None:
        query = query.where(AuditEvent.entity_type == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == str(entity_id))
    if pupil_id is not None:
        query = query.where(AuditEvent.pupil_id == pupil_id)
    if since is not None:
        query = query.where(AuditEvent.at >= _utc(since))
    if until is not None:
        query = query.where(AuditEvent.at < _utc(until))
    if before_sequence is not None:
        query = query.where(AuditEvent.sequence < before_sequence)
    if text:
        columns = (AuditEvent.login, AuditEvent.role, AuditEvent.action, AuditEvent.entity_type,
                   AuditEvent.entity_id)
        query = query.where(or_(*(func.lower(column).contains(  # type: ignore[arg-type]
            text.lower(), autoescape=True) for column in columns)))
    query = query.order_by(AuditEvent.sequence.desc()).limit(limit)  # type: ignore[attr-defined]
    return [_record(event, content) for event, content in session.execute(query)]


def _record(event: AuditEvent, content: str | None) -> AuditRecord:
    data = {} if content is None else json.loads(content)
    return AuditRecord(
        sequence=event.sequence, at=_utc(event.at), staff_id=event.staff_id,
        login=event.login, role=event.role, action=event.action, entity_type=event.entity_type,
        entity_id=event.entity_id, pupil_id=event.pupil_id, before=data.get("before"),
        after=data.get("after"), content_erased=event.content_hash is not None and content is None,
    )
