"""The audit trail's rules: what an event holds, how it is hashed, how a broken chain is found.

Each event's hash is the SHA-256 of a canonical JSON text of its fields, the SHA-256 of its
before/after content (if any) and the previous event's hash. Anyone who edits, inserts or
removes an event without recomputing every later hash breaks the chain at that event; the check
names the first sequence where it breaks (RELIABILITY.md G18). Pure Python: storage/audit.py
reads and writes the rows.

Erasure (G20) removes a pupil's before/after content but never the events: the event still says
"pupil #id erased by X", and its content hash still binds the chain. So content may be missing
only for a pupil that has an erasure event; anywhere else a missing content row is tampering.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
# Events whose content must stay empty, and which make a pupil's earlier content erasable.
ERASURE_ACTIONS = frozenset({"pupil.erase", "pupil.purge"})


@dataclass(frozen=True)
class AuditLink:
    """The fields an event's hash covers, exactly as stored."""

    sequence: int
    at: dt.datetime  # UTC (the hash uses it without a zone, as the database keeps it)
    staff_id: uuid.UUID | None
    login: str | None
    role: str | None
    action: str
    entity_type: str
    entity_id: str | None
    pupil_id: uuid.UUID | None
    content_hash: str | None
    prev_hash: str


@dataclass(frozen=True)
class StoredEvent:
    """One event as read back for checking: its link, stored hash and content text (if kept)."""

    link: AuditLink
    hash: str
    content_json: str | None


@dataclass(frozen=True)
class AuditRecord:
    """One event as shown to a person browsing the trail."""

    sequence: int
    at: dt.datetime  # aware, UTC
    staff_id: uuid.UUID | None
    login: str | None
    role: str | None
    action: str
    entity_type: str
    entity_id: str | None
    pupil_id: uuid.UUID | None
    before: Any
    after: Any
    content_erased: bool


def utc_naive(moment: dt.datetime) -> dt.datetime:
    """UTC without a zone, as the database stores it, so the hash survives a round trip."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _plain(value: Any) -> Any:
    # Values services put in before/after: ids, dates, enums; anything else is a bug.
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return utc_naive(value).isoformat(timespec="microseconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot put a {type(value).__name__} in an audit record")


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_plain, allow_nan=False)


def content_text(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str | None:
    if before is None and after is None:
        return None
    return canonical({"after": after, "before": before})


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link_hash(link: AuditLink) -> str:
    fields = {
        "sequence": link.sequence,
        "at": utc_naive(link.at).isoformat(timespec="microseconds"),
        "staff_id": None if link.staff_id is None else str(link.staff_id),
        "login": link.login,
        "role": link.role,
        "action": link.action,
        "entity_type": link.entity_type,
        "entity_id": link.entity_id,
        "pupil_id": None if link.pupil_id is None else str(link.pupil_id),
        "content_hash": link.content_hash,
        "prev_hash": link.prev_hash,
    }
    return digest(canonical(fields))


def first_break(events: Iterable[StoredEvent], erased: set[uuid.UUID]) -> int | None:
    """The sequence of the first event that does not fit the chain, or None if all do.

    ``events`` come in sequence order; ``erased`` holds the pupils with an erasure event.
    """
    expected_sequence = 1
    prev_hash = GENESIS
    for event in events:
        link = event.link
        if (
            link.sequence != expected_sequence
            or link.prev_hash != prev_hash
            or link_hash(link) != event.hash
            or not _content_fits(link, event.content_json, erased)
        ):
            return link.sequence
        expected_sequence = link.sequence + 1
        prev_hash = event.hash
    return None


def _content_fits(link: AuditLink, content_json: str | None, erased: set[uuid.UUID]) -> bool:
    if link.content_hash is None:
        return content_json is None
    if content_json is None:
        return link.pupil_id is not None and link.pupil_id in erased
    return digest(content_json) == link.content_hash
