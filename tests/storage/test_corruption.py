"""Generated damage (G7): never a traceback, never an empty database, always the recovery path,
and the damaged files moved aside byte for byte.

Plain SQLite has no page checksums, so in a plain database only damage to its structure can be
found (page headers, cell pointers, the file header, truncation, the WAL). In an encrypted
database every page carries an HMAC, so any flipped byte in any page in use is found: that case
flips random bytes anywhere.
"""

import hashlib
import random
import secrets
import shutil
import struct
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlite_module
from sqlalchemy import text

from skillsdesk.__main__ import main
from skillsdesk.services.backups import BackupService, open_store
from skillsdesk.services.container import open_services
from skillsdesk.storage.backup import list_backups
from skillsdesk.storage.database import DB_FILE, Store
from skillsdesk.storage.recovery import CorruptDatabase, examine
from tests.conftest import TODAY

PAGE = 4096


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(folder: Path) -> None:
    services = open_services(folder, today=TODAY)
    try:
        rows = "\n".join(f"{n},Pupil{n},Family{n},{3 + n % 4},{3 + n % 4} Oak" for n in range(60))
        csv = folder.parent / f"{folder.name}.csv"
        csv.write_text("Adno,Forename,Surname,Year,Class\n" + rows + "\n", encoding="utf-8")
        services.pupils.import_file(csv)
        services.backups.backup()
    finally:
        services.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corrupt") / "school"
    _fill(folder)
    conn = sqlite_module.connect(str(folder / DB_FILE))
    conn.execute("VACUUM")  # no free pages: every page is one the checks read
    conn.close()
    return folder


def _crashed(source: Path, target: Path, rows: int) -> None:
    """``target``: ``source`` as a process killed mid-session leaves it (db, -wal, -shm)."""
    shutil.copytree(source, target)
    conn = sqlite_module.connect(str(target / DB_FILE))
    conn.isolation_level = None
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    for n in range(rows):
        conn.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (f"k{n}", f'"{n}"'))
    snapshot = target.parent / (target.name + "-snap")
    snapshot.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(target / f"{DB_FILE}{suffix}", snapshot / f"{DB_FILE}{suffix}")
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(snapshot / f"{DB_FILE}{suffix}", target / f"{DB_FILE}{suffix}")
    shutil.rmtree(snapshot)


def _root_pages(db: Path) -> list[int]:
    conn = sqlite_module.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE rootpage > 1 "
            "AND name IN ('pupil', 'group_member', 'setting', 'framework', 'step')")]
    finally:
        conn.close()


def _flip(path: Path, offsets: list[int], mask: int = 0xFF) -> None:
    data = bytearray(path.read_bytes())
    for offset in offsets:
        data[offset] ^= mask
    path.write_bytes(bytes(data))


def damage_page_type(folder: Path, rng: random.Random) -> None:
    db = folder / DB_FILE
    page = rng.choice(_root_pages(db))
    _flip(db, [(page - 1) * PAGE])


def damage_cell_pointers(folder: Path, rng: random.Random) -> None:
    db = folder / DB_FILE
    page = rng.choice(_root_pages(db))
    start = (page - 1) * PAGE
    header = 8 if db.read_bytes()[start] in (10, 13) else 12
    _flip(db, [start + header, start + header + 1], 0x7F)  # the first cell points out of range


def damage_truncate(folder: Path, rng: random.Random) -> None:
    db = folder / DB_FILE
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.truncate(rng.choice([0, PAGE + 100, size // 2, size - PAGE]))


def damage_header(folder: Path, rng: random.Random) -> None:
    db = folder / DB_FILE
    data = bytearray(db.read_bytes())
    if rng.random() < 0.5:
        data[0:16] = secrets.token_bytes(16)
    else:
        data[16:18] = struct.pack(">H", 1000)  # not a power of two: no valid page size
    db.write_bytes(bytes(data))


def damage_wal_missing(folder: Path, rng: random.Random) -> None:
    (folder / f"{DB_FILE}-wal").unlink()


def damage_wal_truncated(folder: Path, rng: random.Random) -> None:
    wal = folder / f"{DB_FILE}-wal"
    with wal.open("r+b") as handle:
        handle.truncate(32 + rng.randrange(1, 3) * (24 + PAGE))


def damage_wal_flipped(folder: Path, rng: random.Random) -> None:
    wal = folder / f"{DB_FILE}-wal"
    frames = (wal.stat().st_size - 32) // (24 + PAGE)
    frame = rng.randrange(frames)
    _flip(wal, [32 + frame * (24 + PAGE) + 24 + rng.randrange(PAGE)], 1 << rng.randrange(8))


def damage_wal_swapped(folder: Path, rng: random.Random) -> None:
    other = folder.parent / (folder.name + "-other")
    _crashed(folder.parent / "clean", other, 30)
    shutil.copy(other / f"{DB_FILE}-wal", folder / f"{DB_FILE}-wal")


DAMAGE = {
    "page-type": (damage_page_type, False), "cell-pointers": (damage_cell_pointers, False),
    "truncate": (damage_truncate, False), "header": (damage_header, False),
    "wal-missing": (damage_wal_missing, True), "wal-truncated": (damage_wal_truncated, True),
    "wal-flipped": (damage_wal_flipped, True), "wal-swapped": (damage_wal_swapped, True),
}
CASES = [(name, seed) for name in DAMAGE for seed in range(3 if name != "wal-missing" else 1)]


@pytest.mark.parametrize(("kind", "seed"), CASES, ids=[f"{k}-{s}" for k, s in CASES])
def test_damage_is_quarantined_and_the_backup_offered(template: Path, tmp_path: Path,
                                                      kind: str, seed: int, capsys) -> None:
    shutil.copytree(template, tmp_path / "clean")
    folder = tmp_path / "school"
    damage, needs_wal = DAMAGE[kind]
    if needs_wal:
        _crashed(template, folder, rows=40 + seed * 25)
        assert examine(folder / DB_FILE) is None  # a crash alone is not damage
    else:
        shutil.copytree(template, folder)
    damage(folder, random.Random(seed))
    files = {s: sha(folder / f"{DB_FILE}{s}") for s in ("", "-wal", "-shm")
             if (folder / f"{DB_FILE}{s}").exists()}
    newest = list_backups(folder / "backups")[0]

    with pytest.raises(CorruptDatabase) as caught:
        open_services(folder, today=TODAY)
    error = caught.value
    assert error.backup is not None and error.backup.path == newest.path
    assert newest.path.name in error.message
    assert not (folder / DB_FILE).exists()
    moved = {p.name.rsplit("corrupt-", 1)[1][15:]: p for p in error.moved}
    assert {s: sha(moved[s]) for s in files} == files  # byte for byte

    # Next start: still refused (never a new, empty school), and the CLI says so plainly.
    code = main(["pupils", "list", "--data-dir", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1 and newest.path.name in err and "Traceback" not in out + err
    assert not (folder / DB_FILE).exists() or (folder / DB_FILE).stat().st_size == 0

    # The offered backup brings the school back.
    assert main(["restore", str(newest.path), "--data-dir", str(folder)]) == 0
    capsys.readouterr()
    services = open_services(folder, today=TODAY)
    try:
        assert len(services.school.pupils()) == 60
    finally:
        services.close()


@pytest.mark.parametrize("seed", range(6))
def test_any_flipped_byte_in_an_encrypted_database_is_found(tmp_path: Path, seed: int) -> None:
    key = secrets.token_bytes(32)
    folder = tmp_path / "school"
    store = Store.open(folder, key=key)
    try:
        with store.write() as session:
            for n in range(300):
                session.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"),
                                {"k": f"note {n}", "v": f'"{"x" * 200}"'})
        BackupService(store, key=key).backup()
    finally:
        store.close()
    db = folder / DB_FILE
    rng = random.Random(seed)
    pages = db.stat().st_size // PAGE
    page = rng.randrange(pages)
    _flip(db, [page * PAGE + rng.randrange(PAGE)], 1 << rng.randrange(8))
    digest = sha(db)
    with pytest.raises(CorruptDatabase) as caught:
        open_store(folder, key)
    assert sha(caught.value.moved[-1]) == digest
    assert caught.value.backup is not None


def test_a_missing_database_beside_backups_is_refused_not_recreated(template: Path,
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "school"
    shutil.copytree(template, folder)
    (folder / DB_FILE).unlink()
    with pytest.raises(CorruptDatabase, match="missing") as caught:
        open_services(folder, today=TODAY)
    assert caught.value.moved == () and caught.value.backup is not None
    assert not (folder / DB_FILE).exists()
    # A folder without backups is a first start: a new, empty school.
    fresh = open_store(tmp_path / "new")
    fresh.close()
    assert (tmp_path / "new" / DB_FILE).exists()


def test_an_encrypted_database_without_its_key_file_is_not_taken_for_damage(
        tmp_path: Path) -> None:
    from skillsdesk.storage.engine import StorageError

    folder = tmp_path / "school"
    store = Store.open(folder, key=secrets.token_bytes(32))
    store.close()
    digest = sha(folder / DB_FILE)
    with pytest.raises(StorageError, match="key file"):
        open_store(folder)
    assert sha(folder / DB_FILE) == digest and not list(folder.glob("*.corrupt-*"))
