"""Restore (G8): current data backed up first, atomic swap, refusals, pause until restart."""

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlite_module

from skillsdesk.domain.errors import UserError
from skillsdesk.services.backups import restore_into
from skillsdesk.services.container import open_services
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import schema
from skillsdesk.storage.database import DB_FILE
from tests.conftest import TODAY

SKIP_TABLES = ("audit_event", "audit_content")


def dump(path: Path) -> list[tuple]:
    """A logical dump of a closed database file: its schema, then every row of every table in
    order, leaving out the audit trail (a restore adds its own event to it)."""
    conn = sqlite_module.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        objects = conn.execute("SELECT type, name, sql FROM sqlite_master "
                               "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
        out: list[tuple] = list(objects)
        for kind, name, _sql in objects:
            if kind == "table" and name not in SKIP_TABLES:
                rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
                out.append((name, sorted(rows, key=repr)))
        return out
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_pupil(services, adno: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / f"{adno}.csv"
    csv.write_text(f"Adno,Forename,Surname,Year,Class\n{adno},Ann,Lee{adno},3,3 Oak\n",
                   encoding="utf-8")
    services.pupils.import_file(csv)


def test_restore_round_trip_while_the_app_is_open(services, tmp_path: Path) -> None:
    add_pupil(services, "1", tmp_path)
    snapshot = services.backups.backup()
    expected = dump(snapshot.path)
    add_pupil(services, "2", tmp_path)
    services.school.set_name("Changed after the backup")
    result = services.backups.restore(snapshot.path)
    assert result.safety_backup is not None and result.safety_backup.reason == "restore"
    assert result.safety_backup.contents.pupils == 2  # what was there before is kept
    assert [p.admission_number for p in services.school.pupils()] == ["1"]
    assert services.school.name() is None
    services.close()
    assert dump(services.store.path) == expected
    # The store works on the restored file, and the restore is in the audit trail.
    with services.store.read() as session:
        events = audit_repo.browse(session, action="database.restore")
        assert len(events) == 1 and events[0].after["file"] == snapshot.path.name
        assert audit_repo.verify_chain(session) is None
    # Automatic backups and thinning wait for a restart (Anki's rule).
    assert services.backups.paused
    assert services.backups.maybe_backup() is None and services.backups.prune() == []
    assert services.backups.on_exit() is None


def test_restore_refuses_newer_damaged_and_foreign_files(services, tmp_path: Path) -> None:
    add_pupil(services, "1", tmp_path)
    good = services.backups.backup()
    before = dump(services.store.path)
    newer = tmp_path / "newer.db"
    shutil.copy(good.path, newer)
    conn = sqlite_module.connect(str(newer))
    conn.execute("UPDATE schema_version SET version = ?", (schema.SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="newer SkillsDesk"):
        services.backups.restore(newer)
    damaged = tmp_path / "damaged.db"
    data = bytearray(good.path.read_bytes())
    data[0:16] = b"not a database!!"
    damaged.write_bytes(bytes(data))
    with pytest.raises(UserError, match="was not restored"):
        services.backups.restore(damaged)
    foreign = tmp_path / "foreign.db"
    conn = sqlite_module.connect(str(foreign))
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="not a SkillsDesk database"):
        services.backups.restore(foreign)
    with pytest.raises(UserError):
        services.backups.restore(tmp_path / "missing.db")
    assert not services.backups.paused
    assert [b.reason for b in services.backups.list()] == ["manual", "import"]
    services.store.close()
    assert dump(services.store.path) == before


def test_restore_into_a_folder_whose_database_is_damaged(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    services = open_services(folder, today=TODAY)
    add_pupil(services, "7", tmp_path)
    good = services.backups.backup()
    services.close()
    db = folder / DB_FILE
    damaged = bytearray(db.read_bytes())
    damaged[0:16] = bytes(16)
    db.write_bytes(bytes(damaged))
    digest = sha(db)
    result = restore_into(folder, good.path, now=dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC))
    assert result.safety_backup is None
    assert [p.name for p in result.moved_aside] == ["skillsdesk.db.corrupt-20261201-080000"]
    assert sha(result.moved_aside[0]) == digest
    reopened = open_services(folder, today=TODAY)
    try:
        assert [p.admission_number for p in reopened.school.pupils()] == ["7"]
    finally:
        reopened.close()
