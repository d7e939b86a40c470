"""PINs for switching staff inside an unlocked session (RELIABILITY.md §1.7).

On a shared laptop a colleague picks their name and types their PIN, so each record carries the
right person without re-deriving the database key. A PIN never wraps the data key; its Argon2id
hash lives in the encrypted database (``staff_pin``), and a hash weaker than the current cost is
redone the next time the PIN is used (G14). Attempts are throttled by the caller
(``domain.throttle``), as for passwords.
"""

from __future__ import annotations

import datetime as dt
import uuid

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete
from sqlmodel import Session, select

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.passwords import pin_problems
from skillsdesk.storage.keyslots import DEFAULT_PARAMS, OWASP_MINIMUM, KdfParams
from skillsdesk.storage.tables_auth import StaffPin


def _hasher(params: KdfParams) -> PasswordHasher:
    if not params.at_least(OWASP_MINIMUM):
        raise ValueError(f"Argon2id cost {params} is below the OWASP minimum")
    return PasswordHasher(time_cost=params.time_cost, memory_cost=params.memory_kib,
                          parallelism=params.parallelism)


def set_pin(session: Session, staff_id: uuid.UUID, pin: str,
            params: KdfParams = DEFAULT_PARAMS) -> None:
    """Give a member of staff a new PIN (refusing the ones everyone tries first)."""
    problems = pin_problems(pin)
    if problems:
        raise UserError(problems[0])
    encoded = _hasher(params).hash(pin)
    row = session.get(StaffPin, staff_id)
    if row is None:
        session.add(StaffPin(staff_id=staff_id, pin_hash=encoded))
    else:
        row.pin_hash = encoded
        row.set_at = dt.datetime.now(dt.UTC)
    session.flush()


def clear_pin(session: Session, staff_id: uuid.UUID) -> None:
    session.execute(delete(StaffPin).where(StaffPin.staff_id == staff_id))  # type: ignore[arg-type]


def has_pin(session: Session, staff_id: uuid.UUID) -> bool:
    return session.exec(select(StaffPin.staff_id).where(StaffPin.staff_id == staff_id)).first() \
        is not None


def check_pin(session: Session, staff_id: uuid.UUID, pin: str,
              params: KdfParams = DEFAULT_PARAMS) -> bool:
    """Whether ``pin`` is this member of staff's PIN; call it in a write session, because a hash
    weaker than ``params`` is replaced on success."""
    hasher = _hasher(params)
    row = session.get(StaffPin, staff_id)
    if row is None:
        # Same time as a real check, so nobody learns who has a PIN by timing the answer.
        hasher.hash(pin)
        return False
    try:
        hasher.verify(row.pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    stored = extract_parameters(row.pin_hash)
    if not KdfParams(stored.time_cost, stored.memory_cost, stored.parallelism).at_least(params):
        row.pin_hash = hasher.hash(pin)
        session.flush()
    return True
