"""Sign-in data kept inside the encrypted database.

A PIN only lets a colleague switch in while the app is already unlocked (RELIABILITY.md §1.7):
it never wraps the database key, so its Argon2id hash lives here, behind the database's own
encryption, where a copied laptop disk gives an attacker nothing to guess 10,000 PINs against.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class StaffPin(SQLModel, table=True):
    __tablename__ = "staff_pin"
    staff_id: uuid.UUID = Field(foreign_key="staff.id", ondelete="CASCADE", primary_key=True)
    pin_hash: str = Field(max_length=200)  # argon2id encoded string, with its salt and cost
    set_at: dt.datetime = Field(default_factory=_now)
