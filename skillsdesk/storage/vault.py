"""An encrypted school folder: the key file and the database, opened or created together.

``create_encrypted`` makes a new school: a random data key, the first admin's key slot and the
recovery key, then the SQLCipher database keyed with it. If anything fails half-way, whatever was
written is removed, so a retry starts clean. ``unlock`` and ``unlock_with_recovery`` turn a
password or the recovery key into an open ``Store``. ``folder_state`` tells the caller which of
these applies before anything is opened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from skillsdesk.i18n import _
from skillsdesk.storage.database import DB_FILE, Store
from skillsdesk.storage.engine import StorageError, is_plain_sqlite
from skillsdesk.storage.keyslots import DEFAULT_PARAMS, KEYS_FILE, KdfParams, KeySlots

log = logging.getLogger(__name__)

NEW, PLAIN, ENCRYPTED, KEYS_MISSING, DATABASE_MISSING = (
    "new", "plain", "encrypted", "keys_missing", "database_missing")


def keys_path(data_dir: Path) -> Path:
    return data_dir / KEYS_FILE


def folder_state(data_dir: Path) -> str:
    """What ``data_dir`` holds: ``new`` (nothing yet), ``plain`` (an unencrypted database),
    ``encrypted`` (key file and database), or one of the two without the other."""
    database, keys = data_dir / DB_FILE, keys_path(data_dir)
    has_database = database.exists() and database.stat().st_size > 0
    if keys.exists():
        return ENCRYPTED if has_database else DATABASE_MISSING
    if not has_database:
        return NEW
    return PLAIN if is_plain_sqlite(database) else KEYS_MISSING


@dataclass
class Unlocked:
    """An open encrypted school. ``data_key`` is kept only while unlocked, to add staff slots."""

    store: Store
    keys: KeySlots
    data_key: bytes = field(repr=False)

    def close(self) -> None:
        # Python cannot wipe memory; dropping the last reference is what can be done.
        self.store.close()
        self.data_key = b""


def _refuse(data_dir: Path, state: str) -> StorageError:
    messages = {
        PLAIN: _("{folder} holds an unencrypted SkillsDesk database."),
        KEYS_MISSING: _("The key file is missing from {folder}, so its data cannot be opened. "
                        "Restore the key file from a backup."),
        DATABASE_MISSING: _("The database is missing from {folder} (only its key file is there). "
                            "Restore it from a backup."),
        ENCRYPTED: _("{folder} already holds a school; sign in to open it."),
        NEW: _("{folder} holds no school yet."),
    }
    return StorageError(messages[state].format(folder=data_dir))


def create_encrypted(data_dir: Path, login: str, password: str,
                     params: KdfParams = DEFAULT_PARAMS) -> tuple[Unlocked, str]:
    """A new, empty encrypted school; returns it open and the recovery key to print once."""
    state = folder_state(data_dir)
    if state != NEW:
        raise _refuse(data_dir, state)
    data_dir.mkdir(parents=True, exist_ok=True)
    created = None
    store = None
    try:
        created = KeySlots.create(keys_path(data_dir), login, password, params)
        store = Store.open(data_dir, key=created.data_key)
    except BaseException:
        if store is not None:
            store.close()
        if created is not None:  # only remove what this call wrote
            for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", KEYS_FILE):
                (data_dir / name).unlink(missing_ok=True)
        raise
    log.info("created an encrypted school folder")
    return Unlocked(store, created.slots, created.data_key), created.recovery_key


def _open(data_dir: Path, keys: KeySlots, data_key: bytes) -> Unlocked:
    return Unlocked(Store.open(data_dir, key=data_key), keys, data_key)


def _keys(data_dir: Path, params: KdfParams) -> KeySlots:
    state = folder_state(data_dir)
    if state != ENCRYPTED:
        raise _refuse(data_dir, state)
    return KeySlots.load(keys_path(data_dir), params)


def unlock(data_dir: Path, login: str, password: str,
           params: KdfParams = DEFAULT_PARAMS) -> Unlocked:
    """Open the school with a staff member's password (``AuthError`` if it is wrong)."""
    keys = _keys(data_dir, params)
    return _open(data_dir, keys, keys.unlock(login, password))


def unlock_with_recovery(data_dir: Path, recovery_key: str,
                         params: KdfParams = DEFAULT_PARAMS) -> Unlocked:
    """Open the school with the printed recovery key, e.g. to reset an admin's password."""
    keys = _keys(data_dir, params)
    return _open(data_dir, keys, keys.unlock_with_recovery(recovery_key))
