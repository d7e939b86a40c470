"""The store: opens the file, keeps the schema current, hands out sessions.

Every write is one transaction on the single writer connection; callers get a session inside
``with store.write() as session:`` and everything in the block commits together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from skillsdesk.storage.engine import Engines, StorageError, create_engines, quick_check
from skillsdesk.storage.schema import ensure_schema

log = logging.getLogger(__name__)

DB_FILE = "skillsdesk.db"


class Store:
    def __init__(self, engines: Engines) -> None:
        self._engines = engines

    @classmethod
    def open(cls, data_dir: Path, key: bytes | None = None) -> Store:
        """Open (creating if needed) the database in ``data_dir``."""
        engines = create_engines(data_dir / DB_FILE, key)
        try:
            ensure_schema(engines)
        except DatabaseError as exc:
            engines.dispose()
            raise StorageError(
                f"{data_dir / DB_FILE} cannot be read as a SkillsDesk database ({exc.orig})."
            ) from exc
        except BaseException:
            engines.dispose()
            raise
        return cls(engines)

    @property
    def path(self) -> Path:
        return self._engines.path

    @property
    def engines(self) -> Engines:
        return self._engines

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session over one consistent snapshot; nothing it does is committed."""
        # The session begins on first use and rolls back when closed.
        with Session(self._engines.reader, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: everything done in the block is committed together, or nothing."""
        try:
            with Session(self._engines.writer, expire_on_commit=False) as session:
                with session.begin():
                    yield session
        except OperationalError as exc:
            log.exception("write failed")
            raise StorageError(_describe(exc)) from exc

    def quick_check(self) -> str:
        return quick_check(self._engines.reader)

    def close(self) -> None:
        self._engines.dispose()


def _describe(exc: OperationalError) -> str:
    text = str(exc.orig).lower()
    if "full" in text:
        return "The disk is full, so the change was not saved. Free some space and try again."
    if "locked" in text or "busy" in text:
        return "Another task is still saving; the change was not saved. Try again in a moment."
    if "readonly" in text or "read-only" in text:
        return "The data folder cannot be written to, so the change was not saved."
    return "The change could not be saved because the database reported an error."
