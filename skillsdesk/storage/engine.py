"""The one place SkillsDesk opens database connections, and the pragmas every connection gets.

SQLite is driven through the ``sqlcipher3`` module even when no key is set: it bundles a recent
SQLite (past the WAL-reset bug of 3.7.0-3.51.2) and SQLCipher, so encrypted and plain stores share
one code path, and the process never loads two SQLite copies against one file.

Two engines share the file: a writer with exactly one connection, whose transactions start with
``BEGIN IMMEDIATE`` so writes never deadlock on a lock upgrade, and a reader pool whose
transactions start with a plain ``BEGIN`` so reads see one consistent snapshot.

With a key, every connection is keyed with the raw 256-bit key before anything else and proven
by reading the schema, so a wrong key fails at once with ``WrongKeyError`` instead of surfacing
later as "file is not a database". The database, its WAL and ``VACUUM INTO`` copies are then all
encrypted; temporary tables and sorts stay in memory (``temp_store=MEMORY``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite_module
from sqlalchemy import DDL, Engine, Table, create_engine, event
from sqlalchemy.pool import QueuePool

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# Versions with the WAL-reset race fixed: 3.51.3 and later, and the 3.50.7 / 3.44.6 backports.
_FIXED = ((3, 51, 3), (3, 50, 7), (3, 44, 6))
KEY_BYTES = 32
# Every plain SQLite file starts with this; an encrypted one starts with random salt.
PLAIN_HEADER = b"SQLite format 3\x00"


class StorageError(UserError):
    """The database cannot be used as it is (wrong key, newer schema, unsafe library), or a
    write failed (disk full, read-only folder): always with a sentence for a person, so the GUI
    shows it as it is rather than a general apology (RELIABILITY.md G4)."""


class WrongKeyError(StorageError):
    """The file is encrypted with another key (or is not a database at all)."""

    def __init__(self, path: Path) -> None:
        super().__init__(_(
            "{path} could not be opened with this key: it belongs with another key file, or it "
            "is damaged.").format(path=path))
        self.path = path


def is_plain_sqlite(path: Path) -> bool:
    """True when ``path`` is an unencrypted SQLite file (anyone could read it)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    except OSError:
        return False


def sqlite_version() -> tuple[int, int, int]:
    major, minor, patch = (int(p) for p in sqlite_module.sqlite_version.split(".")[:3])
    return major, minor, patch


def wal_reset_bug_fixed(version: tuple[int, int, int] | None = None) -> bool:
    version = version or sqlite_version()
    if version < (3, 7, 0):
        return True
    for fixed in _FIXED:
        if version[:2] == fixed[:2]:
            return version >= fixed
    return version >= _FIXED[0]


@dataclass(frozen=True)
class Engines:
    writer: Engine
    reader: Engine
    path: Path

    def dispose(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def _connect(path: Path, key: bytes | None) -> Any:
    def creator() -> Any:
        conn = sqlite_module.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                                     check_same_thread=False)
        # We issue BEGIN ourselves (see _begin) so DDL is transactional too.
        conn.isolation_level = None
        if key is not None:
            # SQLCipher prints "hmac check failed" to stderr on a wrong key; the caller gets
            # WrongKeyError instead, so its own log stays quiet (the setting is process-wide).
            conn.execute("PRAGMA cipher_log_level = NONE")
            # A raw 256-bit key, never a passphrase in a URL that could end up in a log.
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            try:
                # The key is only checked when the first page is read.
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite_module.DatabaseError as exc:
                conn.close()
                raise WrongKeyError(path) from exc
        return conn

    return creator


def _apply_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit the app reported as saved survives a power cut (RELIABILITY.md G2).
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA temp_store = MEMORY")
    finally:
        cursor.close()


def create_engines(path: Path, key: bytes | None = None) -> Engines:
    """Engines for the database file at ``path`` (created if missing)."""
    if not wal_reset_bug_fixed():
        raise StorageError(
            f"SQLite {sqlite_module.sqlite_version} has a known corruption bug; update SkillsDesk."
        )
    if key is not None and len(key) != KEY_BYTES:
        raise ValueError(f"a database key is {KEY_BYTES} bytes, not {len(key)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    creator = _connect(path, key)
    # hide_parameters: a failed statement's message (which gets logged) must not carry the
    # values being written — a pupil's name or a note would otherwise reach the log file.
    writer = create_engine(
        "sqlite://", creator=creator, module=sqlite_module, poolclass=QueuePool,
        pool_size=1, max_overflow=0, pool_timeout=60, hide_parameters=True,
    )
    # Readers are kept between reads: opening one keys it, reads the schema and sets six
    # pragmas (a few milliseconds each, a dozen times before the first grid shows), and its page
    # cache keeps the decrypted index pages the next read needs. Two cover the GUI thread and the
    # task runner's; a third reader at once gets a connection of its own, closed after use.
    reader = create_engine("sqlite://", creator=creator, module=sqlite_module, poolclass=QueuePool,
                           pool_size=2, max_overflow=8, pool_timeout=60, hide_parameters=True)
    for engine, begin in ((writer, "BEGIN IMMEDIATE"), (reader, "BEGIN")):
        event.listen(engine, "connect", _apply_pragmas)
        event.listen(engine, "begin", _make_begin(begin))
    return Engines(writer=writer, reader=reader, path=path)


def _make_begin(statement: str) -> Any:
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(statement)

    return _begin


def storage_settings(engine: Engine) -> dict[str, Any]:
    """The pragmas in force on a connection, for ``skillsdesk check`` and the tests (G3)."""
    with engine.connect() as conn:
        names = ("journal_mode", "synchronous", "foreign_keys", "secure_delete", "temp_store")
        found: dict[str, Any] = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in names
        }
    found["sqlite_version"] = sqlite_module.sqlite_version
    found["wal_reset_bug_fixed"] = wal_reset_bug_fixed()
    return found


def quick_check(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA quick_check").scalar())


def backup_to(engine: Engine, target: Path) -> None:
    """A consistent copy of the live database through SQLite's own ``VACUUM INTO``."""
    raw = engine.raw_connection()
    try:
        # VACUUM cannot run inside a transaction, so it goes straight to the driver connection,
        # which never opens one by itself (isolation_level is None).
        raw.driver_connection.execute("VACUUM INTO ?", (str(target),))
    finally:
        raw.close()


def refuse_changes(table: Table, operations: tuple[str, ...] = ("UPDATE", "DELETE")) -> None:
    """Create ``table`` with triggers that abort the given statements on its rows.

    This keeps the audit trail append-only against the app and casual SQL tools. Only SQLite gets
    triggers here, so no dialect-specific SQL lives outside this module (a server database would
    use grants instead). A table may allow DELETE (erasure of content) yet refuse UPDATE.
    """
    name = table.name
    for operation in operations:
        if operation not in ("UPDATE", "DELETE"):
            raise ValueError(f"cannot refuse {operation!r}")
        ddl = DDL(
            f"CREATE TRIGGER IF NOT EXISTS {name}_no_{operation.lower()} "
            f"BEFORE {operation} ON {name} "
            f"BEGIN SELECT RAISE(ABORT, '{name} is append-only: {operation} refused'); END"
        )
        event.listen(table, "after_create", ddl.execute_if(dialect="sqlite"))
