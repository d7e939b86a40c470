"""Verified backups, the 30-minute rule, thinning, backups before risky operations (G6)."""

import datetime as dt
import json
import os
import secrets
import time
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlite_module
from sqlalchemy import text

from skillsdesk.services import backups as backups_module
from skillsdesk.services.backups import BackupService, backup_before
from skillsdesk.storage import backup as repo
from skillsdesk.storage import schema
from skillsdesk.storage.database import DB_FILE, Store
from skillsdesk.storage.engine import PLAIN_HEADER, StorageError
from skillsdesk.storage.keyslots import KEYS_FILE

START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def write_something(store: Store, value: str = "x") -> None:
    with store.write() as session:
        session.execute(text("INSERT OR REPLACE INTO setting (key, value) VALUES ('t', :v)"),
                        {"v": json.dumps(value + secrets.token_hex(4))})


def test_a_backup_is_checked_named_and_described(services, tmp_path: Path) -> None:
    folder = services.store.path.parent
    (folder / KEYS_FILE).write_text('{"format": "skillsdesk-keys"}', encoding="utf-8")
    clock = Clock()
    made = BackupService(services.store, clock=clock).backup("manual")
    assert made.path.name == "skillsdesk-20261130-090000-manual.db"
    assert made.path.parent == folder / "backups"
    assert made.verified and made.contents is not None
    assert made.contents.integrity == "ok" and made.contents.schema_version == schema.SCHEMA_VERSION
    sidecar = json.loads(made.sidecar.read_text(encoding="utf-8"))
    assert sidecar["reason"] == "manual" and sidecar["pupils"] == 0 and sidecar["verified"]
    assert made.keys_path is not None
    assert made.keys_path.read_bytes() == (folder / KEYS_FILE).read_bytes()
    assert repo.inspect_file(made.path).integrity == "ok"
    # Two in the same second get distinct names; nothing temporary is left behind.
    second = BackupService(services.store, clock=clock).backup("manual")
    assert second.path != made.path and second.path.exists()
    assert not list((folder / "backups").glob(".*"))
    (folder / KEYS_FILE).unlink()


def test_an_encrypted_store_gives_encrypted_backups(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    store = Store.open(tmp_path / "school", key=key)
    try:
        write_something(store)
        made = BackupService(store, key=key).backup()
    finally:
        store.close()
    assert not made.path.read_bytes().startswith(PLAIN_HEADER)
    assert made.verified and repo.inspect_file(made.path, key).integrity == "ok"
    with pytest.raises(StorageError):
        repo.inspect_file(made.path)


def test_automatic_backups_every_30_minutes_when_something_changed(services) -> None:
    clock = Clock()
    service = BackupService(services.store, clock=clock)
    first = service.maybe_backup()
    assert first is not None and first.reason == "auto"
    clock.advance(minutes=10)
    write_something(services.store)
    assert service.maybe_backup() is None  # changed, but too soon
    clock.advance(minutes=25)
    second = service.maybe_backup()
    assert second is not None  # 35 minutes and a change
    clock.advance(hours=3)
    services.school.pupils()  # reading changes nothing
    assert service.maybe_backup() is None
    assert service.on_exit() is None
    write_something(services.store)
    assert service.on_exit() is not None  # a clean exit backs up any change at once
    assert len(service.list()) == 3


def test_thinning_on_disk_over_three_weeks(services) -> None:
    clock = Clock()
    service = BackupService(services.store, clock=clock)
    for day in range(21):
        for hour in (9, 15):
            clock.now = START.replace(hour=hour) + dt.timedelta(days=day)
            write_something(services.store)
            assert service.maybe_backup() is not None
    found = service.list()
    days = sorted({b.made_at.date() for b in found}, reverse=True)
    assert sum(1 for b in found if b.made_at.date() >= days[1]) == 4  # today and yesterday whole
    assert len(days) <= 2 + 12 + 3  # then a day each, then the newest of each week
    assert found[0].made_at == clock.now
    assert all(b.sidecar.exists() for b in found)
    assert len(list(service.folder.glob("*.json"))) == len(found)


def test_a_killed_backup_leaves_nothing_that_looks_like_a_backup(services) -> None:
    clock = Clock()
    service = BackupService(services.store, clock=clock)
    service.folder.mkdir(parents=True)
    stale = service.folder / ".skillsdesk-20261129-080000-auto.db.tmp-0000"
    stale.write_bytes(b"half a copy")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = service.folder / ".skillsdesk-20261130-085959-auto.db.tmp-1111"
    fresh.write_bytes(b"another process, still copying")
    assert service.list() == []
    service.backup()
    assert not stale.exists() and fresh.exists()
    assert [b.reason for b in service.list()] == ["manual"]


def test_imports_back_up_first_and_a_failed_backup_stops_them(services, tmp_path: Path,
                                                              monkeypatch) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("Adno,Forename,Surname,Year,Class\n1,Ann,Lee,3,3 Oak\n", encoding="utf-8")
    service = services.backups
    services.pupils.import_file(csv, dry_run=True)
    assert service.list() == []
    services.pupils.import_file(csv)
    made = service.list()
    assert [b.reason for b in made] == ["import"] and made[0].contents.pupils == 0

    def fail(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise StorageError("The backup could not be written because the disk is full.")

    monkeypatch.setattr(repo, "make_backup", fail)
    csv.write_text("Adno,Forename,Surname,Year,Class\n2,Bea,Ray,3,3 Oak\n", encoding="utf-8")
    with pytest.raises(StorageError, match="Nothing was changed.*disk is full"):
        services.pupils.import_file(csv)
    assert [p.admission_number for p in services.school.pupils()] == ["1"]
    framework = Path(__file__).resolve().parents[2] / "resources" / "frameworks" / \
        "trust-six.toml"
    with pytest.raises(StorageError, match="Nothing was changed"):
        services.frameworks.import_file(framework)
    assert backup_before is backups_module.backup_before


def test_a_schema_upgrade_backs_up_the_old_schema_first(tmp_path: Path, monkeypatch) -> None:
    store = Store.open(tmp_path)
    write_something(store)
    store.close()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION,
                        lambda conn: conn.execute(text("CREATE TABLE extra (id INTEGER)")))
    store = Store.open(tmp_path)
    store.close()
    made = repo.list_backups(tmp_path / "backups")
    assert [b.reason for b in made] == ["migration"]
    assert made[0].contents.schema_version == schema.SCHEMA_VERSION - 1
    conn = sqlite_module.connect(str(made[0].path))
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "extra" not in tables and (tmp_path / DB_FILE).exists()
