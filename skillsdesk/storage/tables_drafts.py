"""Drafts: the note a member of staff is typing, kept inside the (encrypted) database (G5).

One draft per owner (a staff id, or "" before anyone signs in): the record dialog saves it every
few seconds and clears it on save or cancel, so after a crash it can be offered again to the same
person, and to nobody else.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column
from sqlalchemy import Text as SAText
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Draft(SQLModel, table=True):
    __tablename__ = "draft"
    owner: str = Field(primary_key=True, max_length=36)
    text: str = Field(sa_column=Column(SAText, nullable=False))
    # What the note was for: pupil ids, skill, step, level, setting, date (JSON).
    context_json: str = Field(default="{}", sa_column=Column(SAText, nullable=False))
    saved_at: dt.datetime = Field(default_factory=_now)
