"""Start-up checks: a damaged database is moved aside unchanged, never replaced by an empty one.

Firefox's lesson (RELIABILITY.md §1.4, G7): keep the damaged file, start from the best backup.
``examine`` looks at the files before SQLite is allowed to change them: opening a database
normally may replay its WAL into it and delete the WAL, which would destroy the evidence and the
chance of expert recovery. So the check reads the ``-shm`` index and the ``-wal`` by hand, then
runs ``quick_check`` on a read-only connection (which never checkpoints or deletes anything).

The WAL check uses the wal-index header SQLite keeps in ``-shm`` while a database is open (it
survives a crash; a clean close deletes both files). When that header says the WAL holds frames
not yet copied into the database, those frames must be there, carry the same salts and pass
their checksums, or committed work has been lost: the WAL was deleted, truncated, swapped for
another database's or damaged. (After a power cut the ``-shm``, which is never fsynced, may be
out of date; moving the files aside is the safe answer then too, because nothing is deleted.)
"""

from __future__ import annotations

import datetime as dt
import logging
import struct
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite_module

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _, format_date
from skillsdesk.storage.backup import BackupInfo, fsync_dir, replace, stamp
from skillsdesk.storage.engine import PLAIN_HEADER, StorageError
from skillsdesk.storage.keyslots import KEYS_FILE

log = logging.getLogger(__name__)

_WAL_MAGIC = (0x377F0682, 0x377F0683)  # little- and big-endian checksums
_WAL_INDEX_VERSION = 3007000
# Checksums are verified in pure Python (about 0.1 s per MB); past this a WAL is checked for
# length and salts only. Auto-checkpointing keeps a healthy WAL near 4 MB.
_CHECKSUM_LIMIT = 16 * 1024 * 1024


class CorruptDatabase(UserError):
    """The database was damaged (or is missing while backups exist); nothing was opened."""

    def __init__(self, db: Path, reason: str, moved: tuple[Path, ...],
                 backup: BackupInfo | None) -> None:
        if moved:
            text = _("The SkillsDesk database {file} is damaged: {reason}. It has been moved "
                     "aside, unchanged, to {moved}.").format(
                file=db, reason=reason, moved=moved[-1].name)
        else:
            text = _("The SkillsDesk database {file} cannot be used: {reason}.").format(
                file=db, reason=reason)
        if backup is not None:
            summary = ""
            if backup.contents is not None:
                summary = _(" ({pupils} pupils, {observations} observations)").format(
                    pupils=backup.contents.pupils, observations=backup.contents.observations)
            text += " " + _("The newest verified backup is {file}, made on {date} at {time} "
                            "UTC{summary}. Restore it with: skillsdesk restore \"{path}\"").format(
                file=backup.path.name, date=format_date(backup.made_at.date()),
                time=backup.made_at.strftime("%H:%M"), summary=summary, path=backup.path)
        else:
            text += " " + _("No verified backup was found. To start an empty school instead, "
                            "move the damaged files out of {folder} first.").format(
                folder=db.parent)
        super().__init__(text)
        self.db = db
        self.reason = reason
        self.moved = moved
        self.backup = backup


def _checksum(data: bytes, s1: int, s2: int, big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum (wal.c, walChecksumBytes) over ``data``, continuing from s1, s2."""
    for x0, x1 in struct.iter_unpack(">II" if big_endian else "<II", data):
        s1 = (s1 + x0 + s2) & 0xFFFFFFFF
        s2 = (s2 + x1 + s1) & 0xFFFFFFFF
    return s1, s2


def _native_big_endian() -> bool:
    return struct.pack("=I", 1) == struct.pack(">I", 1)


def wal_problem(db: Path) -> str | None:
    """Why the WAL beside ``db`` does not hold what its index says it holds, or None."""
    shm, wal = Path(f"{db}-shm"), Path(f"{db}-wal")
    try:
        index = shm.read_bytes()[:136] if shm.is_file() else b""
    except OSError:
        return None
    if len(index) < 136 or index[0:48] != index[48:96]:
        return None  # no index, or one being written: no evidence either way
    version, _unused, _change, is_init, _big, size_code, frames, _pages = struct.unpack(
        "=IIIBBHII", index[:24])
    native_big = _native_big_endian()
    if version != _WAL_INDEX_VERSION or not is_init:
        return None
    if _checksum(index[:40], 0, 0, native_big) != struct.unpack("=II", index[40:48]):
        return None
    backfilled = struct.unpack("=I", index[96:100])[0]
    if frames <= backfilled:
        return None  # everything the WAL held is already in the database file
    page_size = 65536 if size_code == 1 else size_code
    if not wal.is_file():
        return _("its write-ahead log (-wal file), which held recent changes, is missing")
    frame_size = 24 + page_size
    if wal.stat().st_size < 32 + frames * frame_size:
        return _("its write-ahead log (-wal file) is shorter than the changes it should hold")
    with wal.open("rb") as handle:
        header = handle.read(32)
        magic, _fmt, wal_page, _seq = struct.unpack(">IIII", header[:16])
        if magic not in _WAL_MAGIC or wal_page != page_size:
            return _("its write-ahead log (-wal file) is not a valid log for it")
        if header[16:24] != index[32:40]:
            return _("its write-ahead log (-wal file) belongs to another copy of the database")
        big = magic == _WAL_MAGIC[1]
        verify = frames * frame_size <= _CHECKSUM_LIMIT
        sums = _checksum(header[:24], 0, 0, big)
        if verify and sums != struct.unpack(">II", header[24:32]):
            return _("its write-ahead log (-wal file) is damaged")
        for _number in range(frames):
            frame = handle.read(frame_size)
            if frame[8:16] != header[16:24]:
                return _("its write-ahead log (-wal file) is damaged")
            if verify:
                sums = _checksum(frame[24:], *_checksum(frame[:8], *sums, big), big)
                if sums != struct.unpack(">II", frame[16:24]):
                    return _("its write-ahead log (-wal file) is damaged")
        # The index also records the checksum of its last frame.
        if verify and sums != struct.unpack("=II", index[24:32]):
            return _("its write-ahead log (-wal file) is damaged")
    return None


def examine_files(db: Path, key: bytes | None = None, expect_data: bool = False,
                  expect_plain: bool = False) -> str | None:
    """The quick part of ``examine``: the files, their headers and the WAL, without SQLite.

    ``expect_data``: the folder shows a school existed (backups, or an earlier damaged copy), so
    a missing or empty database is damage rather than a first start. ``expect_plain``: its
    backups are unencrypted, so a file that does not look like plain SQLite is damaged rather
    than encrypted.
    """
    wal = Path(f"{db}-wal")
    wal_size = wal.stat().st_size if wal.is_file() else 0
    if not db.exists():
        if wal_size:
            return _("a write-ahead log (-wal file) is there without its database")
        return _("the database file is missing") if expect_data else None
    if db.stat().st_size == 0:
        if expect_data or wal_size:
            return _("the database file is empty")
        return None  # created, then stopped before the first commit: a new school
    problem = wal_problem(db)
    if problem:
        return problem
    with db.open("rb") as handle:
        header = handle.read(100)
    if key is None and header[:len(PLAIN_HEADER)] != PLAIN_HEADER:
        if (db.parent / KEYS_FILE).exists():
            raise StorageError(_("{file} is encrypted: sign in to open it.").format(file=db))
        # Bytes 21-23 of a plain SQLite header are always 64, 32, 32; an encrypted file is
        # random there. Without that or plain backups, it may be a school whose key file is
        # missing: refuse without moving anything.
        if header[21:24] != b"\x40\x20\x20" and not expect_plain:
            raise StorageError(_("{file} cannot be read: it is either encrypted and its key file "
                                 "({keys}) is missing, or damaged. Restore the key file from a "
                                 "backup.").format(file=db, keys=KEYS_FILE))
        return _("the file does not start like an SQLite database")
    return None


def examine(db: Path, key: bytes | None = None, expect_data: bool = False,
            expect_plain: bool = False) -> str | None:
    """Why ``db`` cannot be trusted, as a phrase, or None. Never changes any file.

    ``examine_files`` (its arguments mean the same here), then SQLite's own check.
    """
    problem = examine_files(db, key, expect_data, expect_plain)
    if problem is not None or not db.exists() or db.stat().st_size == 0:
        return problem
    return deep_check(db, key, expect_data)


def can_check_beside(db: Path, key: bytes | None, version: int) -> bool:
    """Whether ``quick_check`` may run while the store is already open (after ``examine_files``
    found nothing): the WAL holds nothing (a clean close deletes it), so opening and closing
    connections cannot copy anything into the file, and the schema is at ``version``, so opening
    migrates nothing. Anything else is checked first, as before."""
    wal = Path(f"{db}-wal")
    if (wal.is_file() and wal.stat().st_size) or not db.is_file() or not db.stat().st_size:
        return False
    try:
        conn = sqlite_module.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite_module.Error:
        return False
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        row = conn.execute("SELECT version FROM schema_version WHERE id = 1").fetchone()
    except sqlite_module.Error:
        return False
    finally:
        conn.close()
    return row is not None and row[0] == version


def deep_check(db: Path, key: bytes | None = None, expect_data: bool = False) -> str | None:
    """SQLite's ``quick_check`` on a read-only connection (the slow part of ``examine``: every
    page is read, and decrypted when encrypted). Safe beside open connections: it changes
    nothing, and a reader sees one consistent snapshot."""
    try:
        conn = sqlite_module.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite_module.Error as exc:
        return _("SQLite cannot open it ({reason})").format(reason=exc)
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        result = "; ".join(str(r[0]) for r in conn.execute("PRAGMA quick_check(10)").fetchall())
        if result != "ok":
            return _("SQLite's quick check found damage ({result})").format(result=result[:300])
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")\
            .fetchone()[0]
    except sqlite_module.DatabaseError as exc:
        return _("SQLite cannot read it ({reason})").format(reason=exc)
    finally:
        conn.close()
    if not tables and expect_data:
        return _("the database holds no data")
    return None


def quarantine(db: Path, moment: dt.datetime) -> tuple[Path, ...]:
    """Move ``db`` and its -wal and -shm aside byte for byte; returns the new paths, db last.

    The WAL goes first: a database left without its WAL is still the older consistent state,
    while a WAL left without its database would be replayed into a new, empty one.
    """
    base = db.with_name(f"{db.name}.corrupt-{stamp(moment)}")
    n = 1
    while any(Path(f"{base}{s}").exists() for s in ("", "-wal", "-shm")):
        n += 1
        base = db.with_name(f"{db.name}.corrupt-{stamp(moment)}-{n}")
    moved = []
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{db}{suffix}")
        if source.exists():
            target = Path(f"{base}{suffix}")
            replace(source, target)
            moved.append(target)
    fsync_dir(db.parent)
    log.warning("moved a damaged database aside to %s", base.name)
    return tuple(moved)


def quarantined(data_dir: Path, db_name: str) -> list[Path]:
    """Damaged databases moved aside earlier (their -wal/-shm companions left out)."""
    return sorted(p for p in data_dir.glob(f"{db_name}.corrupt-*")
                  if not p.name.endswith(("-wal", "-shm")))


def clean_orphans(db: Path) -> None:
    """Remove an empty -wal and a -shm left beside a database that is about to be replaced."""
    wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
    if wal.is_file() and wal.stat().st_size:
        raise StorageError(_("{file} still has unsaved changes in its write-ahead log; close "
                             "every SkillsDesk window and try again.").format(file=db))
    for path in (wal, shm):
        path.unlink(missing_ok=True)


def integrity(engine: Any) -> tuple[str, int]:
    """The live database's full ``integrity_check`` result and its foreign-key problem count."""
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        result = "; ".join(str(r[0]) for r in conn.execute(
            "PRAGMA integrity_check(20)").fetchall())
        problems = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        raw.close()
    return result, problems
