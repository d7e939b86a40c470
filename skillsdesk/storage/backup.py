"""Verified backups of the live database, and reading what a backup file holds.

A backup is made the way SQLite advises (RELIABILITY.md §1.1): the WAL is checkpointed, then
``VACUUM INTO`` writes a consistent copy under a temporary name in the backups folder. The copy
is fsynced, attached to a fresh connection and ``integrity_check``ed; only then are the key-slot
file's copy and a small JSON sidecar written and the copy renamed to
``skillsdesk-<UTC yyyymmdd-HHMMSS>[-reason].db``. So a file with that name is always complete and
checked; a kill half-way leaves only a ``.tmp`` file, cleared by a later backup.

``ATTACH`` without a key uses the live database's own key under SQLCipher, so checking a copy
never needs the key; reading a file that is not attached (a restore candidate) takes ``key``.
The sidecar holds counts and versions only, nothing that names a pupil.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite_module

from skillsdesk import safefile
from skillsdesk.i18n import _
from skillsdesk.storage.engine import Engines, StorageError, backup_to
from skillsdesk.storage.keyslots import KEYS_FILE

log = logging.getLogger(__name__)

BACKUPS_DIR = "backups"
SIDECAR_FORMAT = "skillsdesk-backup"
_NAME = re.compile(r"^skillsdesk-(\d{8}-\d{6})(?:-([a-z0-9][a-z0-9-]*))?\.db$")
_STAMP = "%Y%m%d-%H%M%S"
# A temporary copy older than this belongs to a process that died; a younger one may belong to
# a backup still being made by another process (the CLI while the GUI is open).
_STALE_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Contents:
    """What a database file holds, as far as a backup list needs to say."""

    integrity: str
    schema_version: int | None
    pupils: int
    observations: int
    audit_head: tuple[int, str] | None = None


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: dt.datetime  # aware, UTC
    reason: str | None
    verified: bool
    contents: Contents | None
    size: int
    keys_path: Path | None
    token: str | None  # the source's change token when the copy was made

    @property
    def sidecar(self) -> Path:
        return self.path.with_suffix(".json")


def backups_dir(data_dir: Path) -> Path:
    return data_dir / BACKUPS_DIR


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(_STAMP)


def change_token(db_path: Path) -> str:
    """Changes whenever a transaction is committed to ``db_path``, and not otherwise.

    Commits append to the WAL (or, after a checkpoint, rewrite the database file); a backup
    checkpoints the WAL to zero length first, so an unchanged database keeps its token across
    reads, closes and restarts.
    """
    try:
        info = db_path.stat()
        db = f"{info.st_size}.{info.st_mtime_ns}"
    except FileNotFoundError:
        db = "-"
    try:
        wal = Path(f"{db_path}-wal").stat().st_size
    except FileNotFoundError:
        wal = 0  # an empty WAL and no WAL mean the same: everything is in the database file
    return f"{db}:{wal}"


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(target: Path, data: bytes) -> None:
    """Temporary file in the same folder, fsynced, renamed over ``target`` (G11)."""
    safefile.write_bytes(target, data)


def replace(source: Path, target: Path) -> None:
    """``os.replace``, retrying briefly for the Windows errors an antivirus causes (§1.5)."""
    for attempt in range(6):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", None) not in (5, 32) or attempt == 5:
                raise
            time.sleep(0.05)


def _contents(cursor: Any, schema: str) -> Contents:
    integrity = "; ".join(str(r[0]) for r in cursor.execute(
        f"PRAGMA {schema}.integrity_check(20)").fetchall())
    tables = {r[0] for r in cursor.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'").fetchall()}

    def scalar(sql: str) -> Any:
        row = cursor.execute(sql).fetchone()
        return None if row is None else row[0]

    version = scalar(f"SELECT version FROM {schema}.schema_version") \
        if "schema_version" in tables else None
    pupils = scalar(f"SELECT count(*) FROM {schema}.pupil") if "pupil" in tables else 0
    observations = scalar(f"SELECT count(*) FROM {schema}.observation WHERE deleted_at IS NULL") \
        if "observation" in tables else 0
    head = None
    if "audit_event" in tables:
        row = cursor.execute(f"SELECT sequence, hash FROM {schema}.audit_event "
                             "ORDER BY sequence DESC LIMIT 1").fetchone()
        head = None if row is None else (int(row[0]), str(row[1]))
    return Contents(integrity, None if version is None else int(version), int(pupils or 0),
                    int(observations or 0), head)


def inspect_attached(engines: Engines, path: Path) -> Contents:
    """Check a copy through a fresh connection to the live database (same key, if any)."""
    raw = engines.reader.raw_connection()
    try:
        conn = raw.driver_connection
        conn.execute("ATTACH DATABASE ? AS copy_check", (str(path),))
        try:
            return _contents(conn.cursor(), "copy_check")
        finally:
            conn.execute("DETACH DATABASE copy_check")
    except sqlite_module.DatabaseError as exc:
        raise StorageError(_("The backup {file} could not be read back ({reason}).").format(
            file=path.name, reason=exc)) from exc
    finally:
        raw.close()


def inspect_file(path: Path, key: bytes | None = None) -> Contents:
    """Open a database file read-only (never creating a -wal or -shm) and check it in full."""
    if not path.is_file():
        raise StorageError(_("{file} does not exist.").format(file=path))
    try:
        conn = sqlite_module.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite_module.Error as exc:
        raise StorageError(_("{file} could not be opened ({reason}).").format(
            file=path, reason=exc)) from exc
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        return _contents(conn.cursor(), "main")
    except sqlite_module.DatabaseError as exc:
        raise StorageError(_("{file} is not a readable SkillsDesk database ({reason}).").format(
            file=path, reason=exc)) from exc
    finally:
        conn.close()


def checkpoint(engines: Engines) -> tuple[int, int, int]:
    """Copy the WAL into the database and truncate it; returns SQLite's (busy, log, copied)."""
    raw = engines.writer.raw_connection()
    try:
        row = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return int(row[0]), int(row[1]), int(row[2])
    finally:
        raw.close()


def _unique_name(folder: Path, moment: dt.datetime, reason: str | None) -> str:
    base = f"skillsdesk-{stamp(moment)}" + (f"-{reason}" if reason else "")
    name, n = f"{base}.db", 1
    while (folder / name).exists() or (folder / name).with_suffix(".json").exists():
        n += 1
        name = f"{base}-{n}.db"
    return name


def clear_stale(folder: Path) -> None:
    """Remove temporary copies and sidecars left by a backup that was killed half-way."""
    # File times are the real clock's, whatever clock names the backups.
    cutoff = time.time() - _STALE_AFTER.total_seconds()
    for path in folder.glob(".*.tmp*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass
    for sidecar in folder.glob("skillsdesk-*.json"):
        if not sidecar.with_suffix(".db").exists():
            try:
                if sidecar.stat().st_mtime < cutoff:
                    sidecar.unlink()
                    sidecar.with_suffix(".keys").unlink(missing_ok=True)
            except OSError:
                pass


def make_backup(engines: Engines, folder: Path, moment: dt.datetime,
                reason: str | None = None, app_version: str = "") -> BackupInfo:
    """A verified copy of the live database (and its key-slot file) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    clear_stale(folder)
    db_path = engines.path
    busy, _log, _copied = checkpoint(engines)
    if busy:
        log.info("checkpoint before backup could not finish (a reader was active)")
    token = change_token(db_path)
    name = _unique_name(folder, moment, reason)
    final = folder / name
    tmp = folder / f".{name}.tmp-{secrets.token_hex(4)}"
    try:
        # A reader connection, so saving carries on while the copy is written (WAL).
        backup_to(engines.reader, tmp)
        _fsync_file(tmp)
        contents = inspect_attached(engines, tmp)
        if contents.integrity != "ok":
            raise StorageError(_("The backup copy failed its integrity check ({result}); it was "
                                 "not kept.").format(result=contents.integrity))
        keys = db_path.parent / KEYS_FILE
        keys_copy = None
        if keys.is_file():
            keys_copy = final.with_suffix(".keys")
            atomic_write(keys_copy, keys.read_bytes())
        sidecar = {
            "format": SIDECAR_FORMAT, "version": 1, "made_at": moment.astimezone(dt.UTC)
            .isoformat(timespec="seconds"), "reason": reason, "verified": True,
            "integrity": contents.integrity, "schema_version": contents.schema_version,
            "pupils": contents.pupils, "observations": contents.observations,
            "audit_head": list(contents.audit_head) if contents.audit_head else None,
            "token": token, "keys_file": keys_copy.name if keys_copy else None,
            "sqlite": sqlite_module.sqlite_version, "app_version": app_version,
        }
        atomic_write(final.with_suffix(".json"),
                     json.dumps(sidecar, indent=2, sort_keys=True).encode("utf-8"))
        replace(tmp, final)
        fsync_dir(folder)
    except sqlite_module.Error as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(_describe_failure(exc)) from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(_describe_failure(exc)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("backup %s made (%s pupils, %s observations)", final.name, contents.pupils,
             contents.observations)
    return read_info(final)


def _describe_failure(exc: BaseException) -> str:
    text = str(exc).lower()
    if "full" in text or "no space" in text:
        return _("The backup could not be written because the disk is full. Free some space "
                 "and try again.")
    return _("The backup could not be written ({reason}).").format(reason=exc)


def read_info(path: Path) -> BackupInfo:
    """A backup file's details from its name and sidecar (a missing sidecar: unverified)."""
    match = _NAME.match(path.name)
    made_at = None
    reason = None
    if match:
        made_at = dt.datetime.strptime(match.group(1), _STAMP).replace(tzinfo=dt.UTC)
        reason = match.group(2)
        if reason:
            reason = re.sub(r"-\d+$", "", reason) if not reason.isdigit() else None
    data: dict[str, Any] = {}
    try:
        data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if data.get("format") != SIDECAR_FORMAT:
            data = {}
    except (OSError, ValueError):
        data = {}
    if made_at is None:
        made_at = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    contents = None
    if data:
        head = data.get("audit_head")
        contents = Contents(str(data.get("integrity")), data.get("schema_version"),
                            int(data.get("pupils") or 0), int(data.get("observations") or 0),
                            (int(head[0]), str(head[1])) if head else None)
        reason = data.get("reason", reason)
    keys = path.with_suffix(".keys")
    return BackupInfo(path=path, made_at=made_at, reason=reason,
                      verified=bool(data.get("verified")) and data.get("integrity") == "ok",
                      contents=contents, size=path.stat().st_size,
                      keys_path=keys if keys.is_file() else None, token=data.get("token"))


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first (files named as SkillsDesk names them)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("skillsdesk-*.db"):
        if _NAME.match(path.name):
            try:
                found.append(read_info(path))
            except OSError:  # removed while listing
                continue
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def delete_backup(info: BackupInfo) -> None:
    """Remove a backup with its sidecar and key-slot copy (the database file first)."""
    info.path.unlink(missing_ok=True)
    info.sidecar.unlink(missing_ok=True)
    info.path.with_suffix(".keys").unlink(missing_ok=True)


def copy_file(source: Path, target: Path) -> None:
    """Copy a closed database file to ``target`` atomically (temp, fsync, rename)."""
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with source.open("rb") as src, tmp.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def backup_before_migration(engines: Engines) -> BackupInfo:
    """A verified copy of the database at its old schema, made before any upgrade step (G9)."""
    return make_backup(engines, backups_dir(engines.path.parent), dt.datetime.now(dt.UTC),
                       "migration")
