"""Every schema version's frozen DDL upgrades to exactly what a new database is (G9).

``tests/fixtures/schema/v<N>.sql`` is the schema as version N shipped it; add one whenever
``SCHEMA_VERSION`` goes up, and never edit an old one.
"""

from __future__ import annotations

import sqlite3
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
    assert OLD_VERSIONS == list(range(1, schema.SCHEMA_VERSION)), (
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
