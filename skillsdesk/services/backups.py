"""Backups, restore and the start-up check (RELIABILITY.md G6-G8; Anki's rules, §1.2).

- ``backup`` makes a verified copy now; ``backup_before(reason)`` is called by every risky
  operation (import, restore, rollover, erasure; migrations back up in ``storage/schema.py``)
  and stops that operation if the copy fails. ``maybe_backup`` is the timer's: at most every
  30 minutes and only when something changed. ``on_exit`` is the clean exit's.
- After each automatic or forced backup the folder is thinned (12 daily, 10 weekly, 9 monthly),
  never deleting the newest verified backup.
- After a restore, automatic backups and thinning pause until SkillsDesk is restarted, so a bad
  restore can never push the good backups out (Anki). Forced backups before risky operations
  still happen: they only add copies.
- ``open_store`` is how the app opens a data folder: a damaged database is moved aside unchanged
  and ``CorruptDatabase`` names the newest verified backup; it is never replaced by an empty one.

The key is only needed to read a backup file that is not attached to the open store (a restore
candidate); copies of an open store are checked through it, with its own key.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from skillsdesk.domain.backup_policy import (
    DEFAULT_POLICY,
    RotationPolicy,
    ages_out_on,
    backup_due,
    to_delete,
)
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import Actor, require
from skillsdesk.i18n import _
from skillsdesk.services.context import Context
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import backup as repo
from skillsdesk.storage import recovery
from skillsdesk.storage.backup import BackupInfo, Contents
from skillsdesk.storage.database import DB_FILE, Store
from skillsdesk.storage.engine import StorageError, is_plain_sqlite
from skillsdesk.storage.instance import (
    AlreadyRunning,
    acquire_instance_lock,
    holds_instance_lock,
    location_warning,
)
from skillsdesk.storage.recovery import CorruptDatabase
from skillsdesk.storage.schema import SCHEMA_VERSION, ensure_schema

__all__ = ["AlreadyRunning", "BackupInfo", "BackupService", "Contents", "CorruptDatabase",
           "RestoreResult", "acquire_instance_lock", "backup_before", "location_warning",
           "open_store", "restore_into"]

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]
REASONS = ("manual", "auto", "exit", "copy", "import", "restore", "migration", "rollover",
           "erase")

_services: weakref.WeakKeyDictionary[Store, BackupService] = weakref.WeakKeyDictionary()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _app_version() -> str:
    try:
        return version("skillsdesk")
    except PackageNotFoundError:
        return ""


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    contents: Contents
    safety_backup: BackupInfo | None  # the copy of what was there before, if it could be made
    moved_aside: tuple[Path, ...] = ()  # a damaged database that was replaced


class BackupService:
    def __init__(self, store: Store, *, key: bytes | None = None, clock: Clock | None = None,
                 policy: RotationPolicy = DEFAULT_POLICY, context: Context | None = None) -> None:
        self._context = context or Context()
        self._store = store
        self._key = key
        self._clock = clock or _utc_now
        self.policy = policy
        self.paused = False
        _services[store] = self

    @property
    def folder(self) -> Path:
        return repo.backups_dir(self._store.path.parent)

    def now(self) -> dt.datetime:
        return self._clock()

    def list(self) -> list[BackupInfo]:
        return repo.list_backups(self.folder)

    def newest_verified(self) -> BackupInfo | None:
        return next((b for b in self.list() if b.verified), None)

    def backup(self, reason: str = "manual", actor: Actor | None = None) -> BackupInfo:
        actor = actor or self._context.actor
        if actor is not None:
            require(actor, "backup")
        if reason not in REASONS:
            raise ValueError(f"unknown backup reason {reason!r}")
        self._store.wait_checked()  # never a copy of a database its start-up check refused
        made = repo.make_backup(self._store.engines, self.folder, self.now(), reason,
                                _app_version())
        self.prune()
        return made

    def backup_before(self, reason: str) -> BackupInfo:
        """A verified backup before a risky operation; if it fails, the operation must not run."""
        try:
            return self.backup(reason)
        except StorageError as exc:
            raise StorageError(_("Nothing was changed, because the backup made first did not "
                                 "succeed: {reason}").format(reason=exc)) from exc

    def copy_to(self, folder: Path, actor: Actor | None = None) -> BackupInfo:
        """A verified copy on removable media (not thinned: that folder is the school's)."""
        actor = actor or self._context.actor
        if actor is not None:
            require(actor, "backup")
        try:
            return repo.make_backup(self._store.engines, Path(folder), self.now(), "copy",
                                    _app_version())
        except OSError as exc:
            raise UserError(_("{folder} could not be written to ({reason}).").format(
                folder=folder, reason=exc.strerror or exc)) from exc

    def changed(self) -> bool:
        """Whether anything was committed since the newest backup was made."""
        newest = next((b for b in self.list() if b.token), None)
        return newest is None or newest.token != repo.change_token(self._store.path)

    def maybe_backup(self) -> BackupInfo | None:
        """The timer's backup: only when due, never while paused after a restore."""
        if self.paused:
            return None
        newest = self.newest_verified()
        if not backup_due(newest.made_at if newest else None, self.now(), self.changed(),
                          self.policy):
            return None
        return self.backup("auto")

    def on_exit(self) -> BackupInfo | None:
        """A clean exit's backup, when something changed since the newest one."""
        if self.paused or not self.changed():
            return None
        return self.backup("exit")

    def prune(self) -> list[BackupInfo]:
        """Delete what the rotation no longer keeps (nothing while paused after a restore)."""
        if self.paused:
            return []
        found = self.list()
        newest = next((b for b in found if b.verified), None)
        doomed = to_delete([b.made_at for b in found], self.now(), self.policy,
                           protected=newest.made_at if newest else None)
        deleted = []
        for info in found:
            # Backups made in the same second share a time; the newest verified one is kept.
            if info.made_at in doomed and info is not newest:
                repo.delete_backup(info)
                deleted.append(info)
        return deleted

    def ages_out_on(self) -> dt.date | None:
        """When every backup there now will have been thinned away (if backups go on daily)."""
        return ages_out_on([b.made_at for b in self.list()], self.now(), self.policy)

    def restore(self, file: Path, actor: Actor | None = None) -> RestoreResult:
        """Replace the open store's database with a backup (see ``restore_into``)."""
        actor = actor or self._context.actor
        if actor is not None:
            require(actor, "restore")
        result = restore_into(self._store.path.parent, Path(file), key=self._key,
                              store=self._store, actor=actor, now=self.now())
        self.paused = True
        return result


def service_for(store: Store) -> BackupService:
    """The backup service registered for ``store`` (a default one if nobody made one)."""
    found = _services.get(store)
    return found if found is not None else BackupService(store)


def backup_before(store: Store, reason: str) -> BackupInfo:
    """The one call risky operations make first: a verified backup, or the operation stops."""
    return service_for(store).backup_before(reason)


def _check_candidate(file: Path, key: bytes | None, store: Store | None = None) -> Contents:
    try:
        if not file.is_file():
            raise StorageError(_("{file} does not exist.").format(file=file))
        # Through the open store, a copy is read with the store's own key (none needed here).
        contents = repo.inspect_attached(store.engines, file) if store is not None \
            else repo.inspect_file(file, key)
    except StorageError as exc:
        raise UserError(_("{file} was not restored: {reason}").format(
            file=file.name, reason=exc)) from exc
    if contents.integrity != "ok":
        raise UserError(_("{file} was not restored: it failed SQLite's integrity check "
                          "({result}).").format(file=file.name, result=contents.integrity))
    if contents.schema_version is None:
        raise UserError(_("{file} was not restored: it is not a SkillsDesk database.").format(
            file=file.name))
    if contents.schema_version > SCHEMA_VERSION:
        raise UserError(_("{file} was not restored: it was made by a newer SkillsDesk (schema "
                          "{found}; this copy knows up to {known}). Update SkillsDesk first.")
                        .format(file=file.name, found=contents.schema_version,
                                known=SCHEMA_VERSION))
    return contents


def restore_into(data_dir: Path, file: Path, *, key: bytes | None = None,
                 store: Store | None = None, actor: Actor | None = None,
                 now: dt.datetime | None = None) -> RestoreResult:
    """Put a backup in place of the data folder's database, atomically.

    The candidate is checked (integrity, a SkillsDesk schema no newer than this copy knows), the
    current database is backed up (or, if damaged, moved aside unchanged), the candidate is
    copied next to the database and checked again, every connection is closed, and one rename
    swaps it in: at every moment the database file is either the old one or the whole new one.
    ``store`` is the open store of a running app; it keeps working on the restored file.
    """
    now = now or _utc_now()
    file = Path(file).resolve()
    db = data_dir / DB_FILE
    contents = _check_candidate(file, key, store)
    if file == db.resolve():
        raise UserError(_("{file} is the database in use; choose a backup.").format(file=file))
    safety: BackupInfo | None = None
    moved: tuple[Path, ...] = ()
    if store is not None:
        safety = service_for(store).backup_before("restore")
    elif db.exists():
        if recovery.examine(db, key) is None:
            current = Store.open(data_dir, key)
            try:
                safety = BackupService(current, key=key, clock=lambda: now).backup_before(
                    "restore")
            finally:
                current.close()
        else:
            moved = recovery.quarantine(db, now)
    staged = data_dir / f".{DB_FILE}.restore-{secrets.token_hex(4)}.tmp"
    try:
        repo.copy_file(file, staged)
        if _check_candidate(staged, key, store) != contents:
            raise UserError(_("{file} was not restored: the copy made of it differs from the "
                              "original.").format(file=file.name))
        if store is not None:
            store.close()  # every connection closed: the WAL is checkpointed and removed
        recovery.clean_orphans(db)
        repo.replace(staged, db)
        repo.fsync_dir(data_dir)
    finally:
        staged.unlink(missing_ok=True)
    reopened = store if store is not None else Store.open(data_dir, key)
    try:
        if store is not None:
            ensure_schema(store.engines)  # an older backup is brought up to date
        with reopened.write() as session:
            audit_repo.record(session, actor, "database.restore", "backup", file.name[:64],
                              after={"file": file.name, "pupils": contents.pupils,
                                     "observations": contents.observations})
    finally:
        if store is None:
            reopened.close()
    log.info("restored %s", file.name)
    return RestoreResult(file, contents, safety, moved)


def open_store(data_dir: Path, key: bytes | None = None,
               now: dt.datetime | None = None,
               checked: Callable[[], None] | None = None, beside: bool = False) -> Store:
    """Open the data folder's database after checking it; raise ``CorruptDatabase`` if damaged.

    Nothing SQLite could change is touched before the check, and a damaged database (with its
    -wal and -shm) is moved aside byte for byte. A missing or empty database in a folder that
    has backups or an earlier damaged copy is refused too: that school's data is somewhere.

    The check needs the folder to itself: while another SkillsDesk has it open (a command run
    beside the open app), its WAL is changing under the check's feet, so the check is left to
    that app, which made it when it started.

    ``checked``: the GUI starts ``check_folder`` on a thread of its own while it is still
    importing (``quick_check`` runs in SQLite without Python's lock, so the two overlap) and
    passes here the call that waits for that check's outcome and raises what it raised. The
    caller holds the folder's instance lock, so nothing else can change the files in between.

    ``beside``: the GUI's sign-in. When the caller holds the instance lock, the files pass the
    quick part of the check (headers, the WAL's index) and the WAL is empty with the schema
    current, the store opens at once and ``quick_check`` (seconds on a big encrypted school)
    runs beside it: every write waits until it passed (``Store.check_beside``). If it fails,
    the caller closes the store and calls ``set_aside`` (nothing was written, nothing to replay).
    """
    if beside and holds_instance_lock(data_dir):
        store = _open_checking_beside(data_dir, key, now)
        if store is not None:
            return store
    if checked is not None:
        checked()
        return Store.open(data_dir, key)
    temporary = None
    if not holds_instance_lock(data_dir):
        try:
            temporary = acquire_instance_lock(data_dir)
        except AlreadyRunning:
            log.info("another SkillsDesk has this folder open; its start-up check stands")
            return Store.open(data_dir, key)
    try:
        check_folder(data_dir, key, now)
        return Store.open(data_dir, key)
    finally:
        if temporary is not None:
            temporary.release()


def check_folder(data_dir: Path, key: bytes | None = None,
                 now: dt.datetime | None = None) -> None:
    """The start-up check (G7) alone: return if the database may be opened, else move a damaged
    one aside and raise ``CorruptDatabase``. Opens nothing for writing; the caller must hold the
    folder's instance lock."""
    db = data_dir / DB_FILE
    backups = repo.list_backups(repo.backups_dir(data_dir))
    expect = bool(backups) or bool(recovery.quarantined(data_dir, DB_FILE))
    plain = key is None and bool(backups) and is_plain_sqlite(backups[0].path)
    reason = recovery.examine(db, key, expect_data=expect, expect_plain=plain)
    if reason is not None:
        moved: tuple[Path, ...] = ()
        if db.exists() or Path(f"{db}-wal").exists():
            moved = recovery.quarantine(db, now or _utc_now())
        log.error("database refused at start-up: %s", reason)
        raise CorruptDatabase(db, reason, moved, next((b for b in backups if b.verified), None))


def _expectations(data_dir: Path, key: bytes | None) -> tuple[list[BackupInfo], bool, bool]:
    backups = repo.list_backups(repo.backups_dir(data_dir))
    expect = bool(backups) or bool(recovery.quarantined(data_dir, DB_FILE))
    plain = key is None and bool(backups) and is_plain_sqlite(backups[0].path)
    return backups, expect, plain


def _open_checking_beside(data_dir: Path, key: bytes | None,
                          now: dt.datetime | None) -> Store | None:
    """The store open with ``quick_check`` running beside it, or None when it must be checked
    first (a WAL left by a crash, a schema to upgrade). Damage the quick part finds is handled
    as by ``check_folder``."""
    db = data_dir / DB_FILE
    backups, expect, plain = _expectations(data_dir, key)
    reason = recovery.examine_files(db, key, expect_data=expect, expect_plain=plain)
    if reason is not None:
        _refuse(db, reason, backups, now)
    if not recovery.can_check_beside(db, key, SCHEMA_VERSION):
        return None
    store = Store.open(data_dir, key)

    def check() -> None:
        try:
            found = recovery.deep_check(db, key, expect_data=expect)
        except Exception as exc:  # not proven damage: refuse writes, move nothing
            log.exception("the start-up check beside the open store could not finish")
            raise StorageError(_("The start-up check of {file} could not finish ({reason}), so "
                                 "nothing was saved. Close SkillsDesk and start it again.")
                               .format(file=db, reason=type(exc).__name__)) from exc
        if found is not None:
            log.error("database refused by the check beside the open store: %s", found)
            raise CorruptDatabase(db, found, (), next((b for b in backups if b.verified), None))

    store.check_beside(check)
    return store


def set_aside(error: CorruptDatabase, now: dt.datetime | None = None) -> CorruptDatabase:
    """After the check beside an open store failed and that store was closed: move the damaged
    database aside unchanged, as ``check_folder`` would have, and return the error that says
    where it went and which backup to restore."""
    db = error.db
    moved: tuple[Path, ...] = ()
    if db.exists() or Path(f"{db}-wal").exists():
        moved = recovery.quarantine(db, now or _utc_now())
    backups = repo.list_backups(repo.backups_dir(db.parent))
    return CorruptDatabase(db, error.reason, moved, next((b for b in backups if b.verified), None))


def _refuse(db: Path, reason: str, backups: list[BackupInfo], now: dt.datetime | None) -> None:
    moved: tuple[Path, ...] = ()
    if db.exists() or Path(f"{db}-wal").exists():
        moved = recovery.quarantine(db, now or _utc_now())
    log.error("database refused at start-up: %s", reason)
    raise CorruptDatabase(db, reason, moved, next((b for b in backups if b.verified), None))
