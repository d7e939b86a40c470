"""The store: opens the file, keeps the schema current, hands out sessions.

Every write is one transaction on the single writer connection; callers get a session inside
``with store.write() as session:`` and everything in the block commits together or not at all.

A store may be opened before its start-up check has finished (``check_beside``): reads go ahead
(WAL readers see one snapshot), while every write waits at the store's ``WriteGate`` until the
check has passed, and raises the check's error instead if it failed, so nothing is ever written
to a database the check found damaged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from skillsdesk.i18n import _
from skillsdesk.storage.engine import Engines, StorageError, create_engines, quick_check
from skillsdesk.storage.schema import ensure_schema

log = logging.getLogger(__name__)

DB_FILE = "skillsdesk.db"


class WriteGate:
    """Writes wait here while the start-up check runs beside the open store.

    ``passed`` lets them through; ``failed(error)`` makes every waiting and later write raise
    ``error`` (the check's ``CorruptDatabase``). Work queued with ``after`` runs once, in order,
    on the check's thread after it passed, and never if it failed.
    """

    # The check waits this long for ``begin`` (the GUI's first window painted) before starting
    # anyway: it reads every page of the file on a core of its own, which the window's first
    # paint would otherwise share on a two-core laptop.
    BEGIN_WITHIN = 2.0

    def __init__(self) -> None:
        self._settled = threading.Event()
        self._begin = threading.Event()
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._after: list[Callable[[], None]] = []

    @property
    def settled(self) -> bool:
        return self._settled.is_set()

    @property
    def error(self) -> BaseException | None:
        return self._error if self.settled else None

    def begin(self) -> None:
        """Start the check now (the window a person waits for is up)."""
        self._begin.set()

    def wait_to_begin(self) -> None:
        self._begin.wait(self.BEGIN_WITHIN)

    def wait(self) -> None:
        self._settled.wait()
        if self._error is not None:
            raise self._error

    def failed(self, error: BaseException) -> None:
        with self._lock:
            self._error = error
            self._after.clear()
            self._settled.set()

    def passed(self) -> None:
        with self._lock:
            self._settled.set()

    def after(self, work: Callable[[], None]) -> bool:
        """Queue ``work`` for after the check; False when it is settled already (run it now)."""
        with self._lock:
            if self._settled.is_set():
                return False
            self._after.append(work)
            return True

    def take_after(self) -> list[Callable[[], None]]:
        with self._lock:
            work, self._after = self._after, []
            return work


class Store:
    def __init__(self, engines: Engines) -> None:
        self._engines = engines
        self.gate: WriteGate | None = None
        self._checker: threading.Thread | None = None

    @classmethod
    def open(cls, data_dir: Path, key: bytes | None = None) -> Store:
        """Open (creating if needed) the database in ``data_dir``."""
        engines = create_engines(data_dir / DB_FILE, key)
        try:
            ensure_schema(engines)
        except DatabaseError as exc:
            engines.dispose()
            raise StorageError(_(
                "{file} cannot be read as a SkillsDesk database ({reason})."
            ).format(file=data_dir / DB_FILE, reason=exc.orig)) from exc
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

    def check_beside(self, check: Callable[[], None]) -> WriteGate:
        """Run the start-up ``check`` on a thread while the store is used; writes wait for it.

        ``check`` returns when the database is sound and raises (``CorruptDatabase``) when it is
        not. It must change nothing and must be safe beside open connections (``recovery``'s
        read-only ``deep_check``). It starts when ``gate.begin()`` is called or after
        ``WriteGate.BEGIN_WITHIN`` seconds, whichever comes first."""
        gate = self.gate = WriteGate()

        def run() -> None:
            gate.wait_to_begin()
            try:
                check()
            except BaseException as exc:  # every write from now on raises it
                log.error("the start-up check beside the open store failed")
                gate.failed(exc)
                return
            gate.passed()
            for work in gate.take_after():
                try:
                    work()
                except Exception:  # one queued write failing must not stop the others
                    log.exception("a write queued behind the start-up check failed")

        self._checker = threading.Thread(target=run, name="start-up check", daemon=True)
        self._checker.start()
        return gate

    def after_check(self, work: Callable[[], None]) -> None:
        """Run ``work`` (which writes) once the start-up check has passed: now when there is no
        check or it passed, on the check's thread when it passes, never when it failed. Callers
        on the GUI thread use this so a write never holds a window up while the check runs."""
        gate = self.gate
        if gate is None or not gate.after(work):
            if gate is not None:
                gate.wait()  # raises the check's error when it failed
            work()

    def wait_checked(self) -> None:
        """Return once a write may go ahead; raise the check's error if it failed."""
        if self.gate is not None:
            self.gate.wait()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: everything done in the block is committed together, or nothing.

        While a start-up check runs beside the store, this waits for it (``check_beside``)."""
        self.wait_checked()
        try:
            with (Session(self._engines.writer, expire_on_commit=False) as session,
                  session.begin()):
                yield session
        except OperationalError as exc:
            log.exception("write failed")
            raise StorageError(_describe(exc)) from exc

    def quick_check(self) -> str:
        return quick_check(self._engines.reader)

    def close(self) -> None:
        # A check still running (or the writes queued behind it) finishes first: closing the
        # last connection is what lets SQLite clean up the WAL.
        if self._checker is not None and self._checker is not threading.current_thread():
            if self.gate is not None:
                self.gate.begin()  # one still waiting for a window starts now
            self._checker.join()
        self._engines.dispose()


def _describe(exc: OperationalError) -> str:
    """A sentence for a person about a failed write; SQLite's own words stay in the log."""
    text = str(exc.orig).lower()
    if "full" in text:
        return _("The disk is full, so the change was not saved. Free some space and try again.")
    if "locked" in text or "busy" in text:
        return _("Another task is still saving; the change was not saved. Try again in a "
                 "moment.")
    if "readonly" in text or "read-only" in text:
        return _("The data folder cannot be written to, so the change was not saved.")
    return _("The change could not be saved because the database reported an error.")
