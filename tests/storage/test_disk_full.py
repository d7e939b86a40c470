"""A full disk (G4): the save fails with a plain sentence, nothing is half-written, and once
there is room again the same save succeeds exactly once.

The database is capped with ``PRAGMA max_page_count`` on the single writer connection, which
makes SQLite fail a write with SQLITE_FULL exactly as a full disk does.
"""

import pytest
from sqlalchemy import text

from skillsdesk.services.recording import Entry
from skillsdesk.storage.engine import StorageError


def _limit(store, pages: int | None = None) -> int:  # type: ignore[no-untyped-def]
    with store.engines.writer.connect() as conn:
        if pages is None:
            return int(conn.exec_driver_sql("PRAGMA page_count").scalar())
        return int(conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}").scalar())


def _count(store, sql: str) -> int:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return int(session.execute(text(sql)).scalar_one())


def test_a_full_disk_says_so_saves_nothing_and_a_retry_saves_once(demo_services) -> None:
    s = demo_services
    framework = s.frameworks.current()
    pupils = s.school.pupils(group=s.school.classes()[0].name)
    entries = [Entry(p.id, 2, 2) for p in pupils]
    # A long note on every row: more than the free space left in the database's pages.
    note = " ".join(["Worked with a partner to plan the model bridge and explained it."] * 40)
    before = _count(s.store, "SELECT count(*) FROM observation")
    assert _limit(s.store, _limit(s.store)) > 0  # no room to grow

    with pytest.raises(StorageError) as caught:
        s.recording.record(framework, framework.skills[0].code, entries, note=note)
    assert "disk is full" in str(caught.value) and "not saved" in str(caught.value)
    assert _count(s.store, "SELECT count(*) FROM observation") == before  # nothing half-written
    assert s.store.quick_check() == "ok"

    _limit(s.store, 1_000_000)  # space freed
    saved = s.recording.record(framework, framework.skills[0].code, entries, note=note)
    assert len(saved.ids) == len(entries)
    assert _count(s.store, "SELECT count(*) FROM observation") == before + len(entries)
    assert _count(s.store, "SELECT count(*) FROM observation WHERE note = "
                           f"'{note}'") == len(entries)  # exactly once, not twice
    with s.store.read() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
