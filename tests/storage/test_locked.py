"""G10: a write that cannot get the database's write lock (another program, or another
connection, holding it past the busy timeout) tells a person in a sentence, never "database is
locked" or a traceback; nothing is half-written, and once the lock is released the same save
succeeds exactly once.
"""

import pytest
import sqlcipher3.dbapi2 as sqlite_module
from sqlalchemy import text

from skillsdesk.services.recording import Entry
from skillsdesk.storage import engine
from skillsdesk.storage.database import DB_FILE
from skillsdesk.storage.engine import StorageError
from tests.conftest import TODAY


@pytest.fixture
def quick_services(demo_dir, monkeypatch):  # type: ignore[no-untyped-def]
    """The plain demo school opened with a short busy timeout, so a held lock fails fast."""
    from skillsdesk.services.container import open_services

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    opened = open_services(demo_dir, today=TODAY)
    yield opened
    opened.close()


def hold_write_lock(folder):  # type: ignore[no-untyped-def]
    """A raw second connection holding the write lock (as another program would)."""
    conn = sqlite_module.connect(str(folder / DB_FILE), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def _observations(store) -> int:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return int(session.execute(text("SELECT count(*) FROM observation")).scalar_one())


def test_a_held_lock_gives_a_sentence_and_the_retry_saves_once(quick_services,
                                                                 demo_dir) -> None:  # type: ignore[no-untyped-def]
    s = quick_services
    framework = s.frameworks.current()
    pupils = s.school.pupils(group=s.school.classes()[0].name)[:2]
    entries = [Entry(p.id, 2, 2) for p in pupils]
    before = _observations(s.store)
    other = hold_write_lock(demo_dir)
    try:
        with pytest.raises(StorageError) as caught:
            s.recording.record(framework, framework.skills[0].code, entries, note="Held")
        message = str(caught.value)
        assert "not saved" in message and "Try again" in message
        assert "locked" not in message.lower() and "Traceback" not in message
        assert "sqlite" not in message.lower() and "OperationalError" not in message
        assert _observations(s.store) == before  # nothing written while the lock was held
    finally:
        other.rollback()
        other.close()

    saved = s.recording.record(framework, framework.skills[0].code, entries, note="Held")
    assert len(saved.ids) == len(entries)
    assert _observations(s.store) == before + len(entries)  # exactly once, not twice
    assert s.store.quick_check() == "ok"
