"""The audit trail's tables: one append-only row per event, its before/after content apart.

``audit_event`` says who did what to which record and when; each row carries the SHA-256 of the
row before it, so an edited, inserted or removed row breaks the chain (RELIABILITY.md G18), and
triggers refuse UPDATE and DELETE. The before/after content lives in ``audit_content``, bound to
its event by ``content_hash``: erasing a pupil (G20) deletes that pupil's content rows, which the
triggers allow, while the chain of events stays whole and verifiable. Content can never be
updated, only deleted, and ``verify_chain`` accepts missing content only for an erased pupil.

The sequence is assigned by ``storage.audit.record`` inside the writer's transaction (one writer,
``BEGIN IMMEDIATE``), not by the database, so it never skips or reuses a number.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy import Text as SAText
from sqlmodel import Field, SQLModel

from skillsdesk.storage.engine import refuse_changes


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    sequence: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    at: dt.datetime  # UTC
    staff_id: uuid.UUID | None = Field(default=None, index=True)  # no foreign key: staff leave
    login: str | None = Field(default=None, max_length=60)
    role: str | None = Field(default=None, max_length=20)
    action: str = Field(max_length=60, index=True)
    entity_type: str = Field(max_length=40)
    entity_id: str | None = Field(default=None, max_length=64)
    # The pupil the event is about, for subject access and for erasing that pupil's content.
    pupil_id: uuid.UUID | None = Field(default=None, index=True)
    content_hash: str | None = Field(default=None, max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditContent(SQLModel, table=True):
    __tablename__ = "audit_content"
    sequence: int = Field(sa_column=Column(
        Integer, ForeignKey("audit_event.sequence"), primary_key=True, autoincrement=False))
    # Canonical JSON {"after": ..., "before": ...}; its SHA-256 is the event's content_hash.
    content_json: str = Field(sa_column=Column(SAText, nullable=False))


refuse_changes(AuditEvent.__table__, ("UPDATE", "DELETE"))  # type: ignore[arg-type]
refuse_changes(AuditContent.__table__, ("UPDATE",))  # type: ignore[arg-type]
