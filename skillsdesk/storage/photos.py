"""Pupil photos (schema 2's ``pupil_photo``) and the photo-consent flag they depend on.

Every read that hands out an image joins on ``pupil.photo_consent``: a photo is never returned
for a pupil whose consent is not recorded, whatever else has happened to the rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, select

from skillsdesk.storage.tables import Pupil, PupilPhoto


def pupil_keys(session: Session) -> list[dict[str, Any]]:
    """Every pupil's id, admission number, UPN, name and consent: to match photo files."""
    rows = session.execute(select(
        Pupil.id, Pupil.admission_number, Pupil.upn, Pupil.legal_first_name,
        Pupil.legal_last_name, Pupil.preferred_first_name, Pupil.preferred_last_name,
        Pupil.photo_consent))
    return [{"id": r[0], "admission_number": r[1], "upn": r[2],
             "name": f"{r[5] or r[3]} {r[6] or r[4]}", "consent": bool(r[7])} for r in rows]


def consent(session: Session, pupil_id: uuid.UUID) -> bool | None:
    """The pupil's photo consent, or None when there is no such pupil."""
    value = session.execute(select(Pupil.photo_consent).where(Pupil.id == pupil_id)).first()
    return None if value is None else bool(value[0])


def set_consent(session: Session, pupil_id: uuid.UUID, given: bool) -> None:
    session.execute(update(Pupil).where(Pupil.id == pupil_id).values(
        photo_consent=given, updated_at=dt.datetime.now(dt.UTC)))


def has_photo(session: Session, pupil_id: uuid.UUID) -> bool:
    return session.get(PupilPhoto, pupil_id) is not None


def put(session: Session, pupil_id: uuid.UUID, image: bytes, media_type: str) -> bool:
    """Store or replace the pupil's photo; True when one was replaced."""
    row = session.get(PupilPhoto, pupil_id)
    now = dt.datetime.now(dt.UTC)
    if row is None:
        session.add(PupilPhoto(pupil_id=pupil_id, media_type=media_type, image=image,
                               updated_at=now))
        session.flush()
        return False
    row.image, row.media_type, row.updated_at = image, media_type, now
    session.add(row)
    session.flush()
    return True


def remove(session: Session, pupil_id: uuid.UUID) -> bool:
    result = session.execute(delete(PupilPhoto).where(PupilPhoto.pupil_id == pupil_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def shown(session: Session, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, bytes]:
    """pupil id -> JPEG bytes, only for pupils whose photo consent is recorded."""
    wanted = list(dict.fromkeys(pupil_ids))
    found: dict[uuid.UUID, bytes] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        chunk = wanted[start:start + 500]
        for pupil_id, image in session.execute(
                select(PupilPhoto.pupil_id, PupilPhoto.image)
                .join(Pupil, Pupil.id == PupilPhoto.pupil_id)
                .where(PupilPhoto.pupil_id.in_(chunk),  # type: ignore[attr-defined]
                       Pupil.photo_consent.is_(True))):  # type: ignore[attr-defined]
            found[pupil_id] = bytes(image)
    return found


def status(session: Session) -> dict[uuid.UUID, tuple[bool, bool]]:
    """pupil id -> (consent recorded, photo held), for every pupil."""
    held = {row[0] for row in session.execute(select(PupilPhoto.pupil_id))}
    return {pid: (bool(given), pid in held)
            for pid, given in session.execute(select(Pupil.id, Pupil.photo_consent))}
