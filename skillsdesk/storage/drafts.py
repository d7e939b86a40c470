"""Draft rows: one per owner, replaced on every save (see tables_drafts)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session

from skillsdesk.storage.tables_drafts import Draft


def save(session: Session, owner: str, text: str, context: dict[str, Any],
         saved_at: dt.datetime) -> None:
    row = session.get(Draft, owner) or Draft(owner=owner, text="")
    row.text = text
    row.context_json = json.dumps(context, ensure_ascii=False, sort_keys=True, default=str)
    row.saved_at = saved_at
    session.add(row)


def load(session: Session, owner: str) -> tuple[str, dict[str, Any], dt.datetime] | None:
    row = session.get(Draft, owner)
    if row is None:
        return None
    try:
        context = json.loads(row.context_json)
    except ValueError:
        context = {}
    saved_at = row.saved_at if row.saved_at.tzinfo else row.saved_at.replace(tzinfo=dt.UTC)
    return row.text, context if isinstance(context, dict) else {}, saved_at


def clear(session: Session, owner: str) -> bool:
    row = session.get(Draft, owner)
    if row is None:
        return False
    session.delete(row)
    return True
