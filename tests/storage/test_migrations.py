"""Every schema version's frozen DDL upgrades to exactly what a new database is (G9).

``tests/fixtures/schema/v<N>.sql`` is the schema as version N shipped it; add one whenever
``SCHEMA_VERSION`` goes up, and never edit an old one.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from skillsdesk.services.container import open_services
from skillsdesk.storage import schema
from tests.conftest import TODAY

FIXTURES = Path(__file__).parent.parent / "fixtures" / "schema"
OLD_VERSIONS = sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.sql"))


def _shape(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db)
    try:
        shape: dict[str, object] = {}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            shape[name] = (conn.execute(f"PRAGMA table_info({name})").fetchall(),
                           conn.execute(f"PRAGMA foreign_key_list({name})").fetchall())
        shape["-objects"] = sorted(conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger')"))
        return shape
    finally:
        conn.close()


def _old_database(folder: Path, version: int) -> Path:
    folder.mkdir(parents=True)
    db = folder / "skillsdesk.db"
    conn = sqlite3.connect(db)
    conn.executescript((FIXTURES / f"v{version}.sql").read_text(encoding="utf-8"))
    conn.commit()
    conn.close()
    return db


def test_every_shipped_version_has_a_fixture() -> None:
    assert list(range(1, schema.SCHEMA_VERSION)) == OLD_VERSIONS, (
        "freeze the previous version's DDL in tests/fixtures/schema/ when adding a migration")
    assert sorted(schema.MIGRATIONS) == list(range(2, schema.SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_old_schema_upgrades_to_the_new_shape(tmp_path: Path, version: int) -> None:
    fresh = open_services(tmp_path / "fresh", TODAY)
    fresh.close()
    old = _old_database(tmp_path / "old", version)
    upgraded = open_services(old.parent, TODAY)
    upgraded.close()
    assert _shape(old) == _shape(tmp_path / "fresh" / "skillsdesk.db")
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [
        (schema.SCHEMA_VERSION,)]
    conn.close()
    # The upgrade was backed up first, at the old version.
    assert any((old.parent / "backups").iterdir())


def test_version_1_rows_survive_and_notes_stay_visible(tmp_path: Path) -> None:
    db = _old_database(tmp_path / "old", 1)
    with sqlite3.connect(db) as conn:
        conn.executescript("""
            INSERT INTO framework VALUES ('f1', 'fw', 'Framework', '1', '', '', 0, '{}',
                                          '2026-09-01 00:00:00');
            INSERT INTO skill VALUES ('k1', 'f1', 'listen', 'Listening', '#336699', '', 0, '{}', 0);
            INSERT INTO pupil (id, admission_number, legal_first_name, legal_last_name,
                               year_group, sen, pupil_premium, eal, photo_consent, protected,
                               created_at, updated_at)
            VALUES ('p1', 'A001', 'Ada', 'Old', '3', 'N', 0, 0, 1, 0,
                    '2026-09-01 00:00:00', '2026-09-01 00:00:00');
            INSERT INTO observation (id, pupil_id, skill_id, step_number, observed_on, setting,
                                     level, note, source, created_at, updated_at)
            VALUES ('o1', 'p1', 'k1', 2, '2026-10-01', 'class', 2, 'Listened well', 'staff',
                    '2026-10-01 10:00:00', '2026-10-01 10:00:00');
        """)
        columns = [row[1] for row in conn.execute("PRAGMA table_info(observation)")]
    assert "staff_only" not in columns
    upgraded = open_services(db.parent, TODAY)
    upgraded.close()
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(observation)")]
        assert columns[-1] == "staff_only"
        # An old note is not staff-only: it stays where families could already see it.
        assert conn.execute("SELECT note, staff_only FROM observation").fetchall() == [
            ("Listened well", 0)]
        assert conn.execute("SELECT count(*) FROM pupil_photo").fetchone() == (0,)


# -- G9: an upgrade interrupted at any point leaves the old database exactly as it was ----------

V1_ROWS = """
    INSERT INTO framework VALUES ('f1', 'fw', 'Framework', '1', '', '', 0, '{}',
                                  '2026-09-01 00:00:00');
    INSERT INTO skill VALUES ('k1', 'f1', 'listen', 'Listening', '#336699', '', 0, '{}', 0);
    INSERT INTO pupil (id, admission_number, legal_first_name, legal_last_name, year_group, sen,
                       pupil_premium, eal, photo_consent, protected, created_at, updated_at)
    VALUES ('p1', 'A001', 'Ada', 'Old', '3', 'N', 0, 0, 1, 0,
            '2026-09-01 00:00:00', '2026-09-01 00:00:00');
    INSERT INTO observation (id, pupil_id, skill_id, step_number, observed_on, setting, level,
                             note, source, created_at, updated_at)
    VALUES ('o1', 'p1', 'k1', 2, '2026-10-01', 'class', 2, 'Listened well', 'staff',
            '2026-10-01 10:00:00', '2026-10-01 10:00:00');
"""
_WRITES = ("ALTER", "CREATE", "DROP", "INSERT", "UPDATE", "DELETE")


class Interrupted(Exception):
    """Raised (or the process ended) right after the Nth statement of an upgrade step."""


def _dump(db: Path) -> list[str]:
    """The database's whole logical content (schema and rows), WAL included."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _v1_with_rows(folder: Path) -> Path:
    db = _old_database(folder, 1)
    with sqlite3.connect(db) as conn:
        conn.executescript(V1_ROWS)
    conn.close()
    return db


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, stop_at: int | None,
                     how: str = "raise") -> tuple[list[str], Callable[[], None]]:
    """Count the writing statements of every upgrade step (its version stamp included) and
    stop right after statement number ``stop_at``: raise, or end the process at once as a kill
    would (no rollback, no clean-up). Returns the statements seen and the undo for the hook."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[str] = []
    armed = [False]

    def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if armed[0] and statement.lstrip().upper().startswith(_WRITES):
            seen.append(statement.split("(")[0].strip())
            if len(seen) == stop_at:
                if how == "kill":
                    os._exit(0)
                raise Interrupted(statement)

    def armed_step(step):  # type: ignore[no-untyped-def]
        def run(conn):  # type: ignore[no-untyped-def]
            armed[0] = True
            step(conn)
        return run

    real_stamp = schema._stamp

    def stamp(conn, version):  # type: ignore[no-untyped-def]
        try:
            real_stamp(conn, version)
        finally:
            armed[0] = False

    for target, step in list(schema.MIGRATIONS.items()):
        monkeypatch.setitem(schema.MIGRATIONS, target, armed_step(step))
    monkeypatch.setattr(schema, "_stamp", stamp)
    event.listen(Engine, "after_cursor_execute", after)
    return seen, lambda: event.remove(Engine, "after_cursor_execute", after)


def _upgrade_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patch:
        seen, undo = _interrupt_after(patch, None)
        try:
            open_services(_v1_with_rows(tmp_path / "count").parent, TODAY).close()
        finally:
            undo()
    return seen


def _check_completed(db: Path, fresh: Path) -> None:
    open_services(db.parent, TODAY).close()  # the next open completes the upgrade
    assert _shape(db) == _shape(fresh)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [
            (schema.SCHEMA_VERSION,)]
        assert conn.execute("SELECT id, note, staff_only FROM observation").fetchall() == [
            ("o1", "Listened well", 0)]
        assert conn.execute("SELECT admission_number FROM pupil").fetchall() == [("A001",)]
    finally:
        conn.close()


def test_an_upgrade_that_fails_at_any_statement_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = _upgrade_writes(tmp_path, monkeypatch)
    # Each step's statements, then its version stamp (for step 2: ALTER, CREATE, UPDATE).
    assert len(writes) >= 2 * (schema.SCHEMA_VERSION - 1), writes
    fresh = tmp_path / "fresh" / "skillsdesk.db"
    open_services(fresh.parent, TODAY).close()
    for stop_at in range(1, len(writes) + 1):
        db = _v1_with_rows(tmp_path / f"fail-{stop_at}")
        before = _dump(db)
        with monkeypatch.context() as patch:
            _seen, undo = _interrupt_after(patch, stop_at)
            try:
                with pytest.raises(Exception) as raised:
                    open_services(db.parent, TODAY)
            finally:
                undo()
        assert isinstance(raised.value, Interrupted) or isinstance(
            raised.value.__cause__, Interrupted), raised.value
        assert _dump(db) == before, f"stopped after {writes[stop_at - 1]!r}: the file changed"
        # The verified copy at the old version was made before the first step.
        assert any(p.suffix == ".db" for p in (db.parent / "backups").iterdir())
        _check_completed(db, fresh)


def killed_upgrade(db: str, stop_at: int) -> None:
    """Upgrade ``db`` and end the process, without any clean-up, after statement ``stop_at``.

    Run in a forked child, or as ``python -c`` where there is no fork; exit 3 means the kill
    never came."""
    with pytest.MonkeyPatch.context() as patch:
        _interrupt_after(patch, stop_at, how="kill")
        try:
            open_services(Path(db).parent, TODAY)
        finally:
            os._exit(3)


def test_an_upgrade_killed_at_any_statement_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = _upgrade_writes(tmp_path, monkeypatch)
    fresh = tmp_path / "fresh" / "skillsdesk.db"
    open_services(fresh.parent, TODAY).close()
    for stop_at in range(1, len(writes) + 1):
        db = _v1_with_rows(tmp_path / f"kill-{stop_at}")
        before = _dump(db)
        if hasattr(os, "fork"):
            pid = os.fork()
            if pid == 0:
                killed_upgrade(str(db), stop_at)
            code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        else:  # a fresh interpreter per kill: slower, the same check
            code = subprocess.run(
                [sys.executable, "-c", "import sys; from tests.storage.test_migrations import "
                 "killed_upgrade; killed_upgrade(sys.argv[1], int(sys.argv[2]))",
                 str(db), str(stop_at)], cwd=Path(__file__).resolve().parents[2],
                check=False).returncode
        assert code == 0, "the upgrade was not interrupted"
        assert _dump(db) == before, f"killed after {writes[stop_at - 1]!r}: the file changed"
        _check_completed(db, fresh)
