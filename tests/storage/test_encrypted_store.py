"""SQLCipher through SQLAlchemy: nothing readable on disk, wrong keys refused, backups encrypted."""

import secrets
from pathlib import Path

import pytest
from sqlalchemy import text

from skillsdesk.storage import vault
from skillsdesk.storage.database import DB_FILE, Store
from skillsdesk.storage.engine import (
    PLAIN_HEADER,
    StorageError,
    WrongKeyError,
    backup_to,
    create_engines,
    is_plain_sqlite,
    storage_settings,
)
from skillsdesk.storage.keyslots import OWASP_MINIMUM, AuthError, KeySlots

CANARY = "Zephyrine Quillfeather-Oyelaran"
CANARY_NOTE = "tied her shoelaces unprompted at the Wednesday canary trip"


def _canary_bytes() -> list[bytes]:
    found = []
    for text_ in (CANARY, CANARY_NOTE):
        found += [text_.encode("utf-8"), text_.encode("utf-16-le"), text_.encode("utf-16-be")]
    return found


def _write_canaries(store: Store) -> None:
    with store.write() as session:
        for n in range(200):  # enough pages that some stay in the WAL
            session.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"),
                            {"k": f"{CANARY} {n}", "v": f'"{CANARY_NOTE} {n}"'})


def _assert_unreadable(path: Path) -> None:
    data = path.read_bytes()
    assert not data.startswith(PLAIN_HEADER), path
    for canary in _canary_bytes():
        assert canary not in data, (path, canary)


def test_an_encrypted_store_keeps_nothing_readable_on_disk(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    store = Store.open(tmp_path, key=key)
    try:
        _write_canaries(store)
        settings = storage_settings(store.engines.writer)
        assert settings["journal_mode"] == "wal"
        assert settings["temp_store"] == 2  # MEMORY: no plaintext temp files
        assert settings["synchronous"] == 2
        wal = tmp_path / f"{DB_FILE}-wal"
        assert wal.exists() and wal.stat().st_size > 0  # the canaries are still in the WAL
        _assert_unreadable(tmp_path / DB_FILE)
        _assert_unreadable(wal)
        backup = tmp_path / "backup.db"
        backup_to(store.engines.writer, backup)
        _assert_unreadable(backup)
        assert store.quick_check() == "ok"
    finally:
        store.close()
    _assert_unreadable(tmp_path / DB_FILE)
    # The backup opens with the same key and holds the same rows.
    copy = create_engines(backup, key)
    try:
        with copy.reader.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM setting")).scalar() == 200
    finally:
        copy.dispose()


def test_a_plain_store_still_opens_without_a_key(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.close()
    assert is_plain_sqlite(tmp_path / DB_FILE)


def test_the_wrong_key_is_a_clear_error(tmp_path: Path) -> None:
    Store.open(tmp_path, key=secrets.token_bytes(32)).close()
    with pytest.raises(WrongKeyError, match="could not be opened with this key"):
        Store.open(tmp_path, key=secrets.token_bytes(32))
    with pytest.raises(StorageError):  # without any key it is not readable either
        Store.open(tmp_path)


def test_a_plain_database_is_not_opened_with_a_key(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    with pytest.raises(WrongKeyError):
        Store.open(tmp_path, key=secrets.token_bytes(32))


def test_a_key_must_be_256_bits(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        create_engines(tmp_path / "x.db", b"short")


def test_a_wrong_key_prints_nothing_on_stderr(tmp_path: Path,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    # SQLCipher's C code writes "hmac check failed" straight to file descriptor 2, which capfd
    # captures (sys.stderr alone would not see it).
    Store.open(tmp_path, key=secrets.token_bytes(32)).close()
    with pytest.raises(WrongKeyError):
        Store.open(tmp_path, key=secrets.token_bytes(32))
    captured = capfd.readouterr()
    assert "hmac" not in captured.err and "ERROR" not in captured.err, captured.err


def test_vault_creates_unlocks_and_recovers(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    assert vault.folder_state(folder) == vault.NEW
    opened, recovery = vault.create_encrypted(folder, "head", "long enough pass", OWASP_MINIMUM)
    try:
        _write_canaries(opened.store)
    finally:
        opened.close()
    assert vault.folder_state(folder) == vault.ENCRYPTED
    for name in (DB_FILE, "skillsdesk.keys"):
        _assert_unreadable(folder / name)
    again = vault.unlock(folder, "Head", "long enough pass", OWASP_MINIMUM)
    with again.store.read() as session:
        assert session.execute(text("SELECT count(*) FROM setting")).scalar() == 200
    again.close()
    with pytest.raises(AuthError):
        vault.unlock(folder, "head", "not the password", OWASP_MINIMUM)
    rescued = vault.unlock_with_recovery(folder, recovery, OWASP_MINIMUM)
    rescued.keys.rewrap_slot(rescued.data_key, "head", "brand new pass phrase")
    rescued.close()
    vault.unlock(folder, "head", "brand new pass phrase", OWASP_MINIMUM).close()


def test_password_change_leaves_the_database_bytes_alone(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    opened, _recovery = vault.create_encrypted(folder, "head", "long enough pass", OWASP_MINIMUM)
    _write_canaries(opened.store)
    opened.close()
    before = (folder / DB_FILE).read_bytes()
    keys = KeySlots.load(folder / "skillsdesk.keys", OWASP_MINIMUM)
    keys.change_password("head", "long enough pass", "another long pass")
    assert (folder / DB_FILE).read_bytes() == before
    vault.unlock(folder, "head", "another long pass", OWASP_MINIMUM).close()


def test_vault_refuses_folders_it_cannot_safely_use(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    Store.open(plain).close()
    assert vault.folder_state(plain) == vault.PLAIN
    with pytest.raises(StorageError, match="unencrypted"):
        vault.create_encrypted(plain, "head", "long enough pass", OWASP_MINIMUM)

    school = tmp_path / "school"
    vault.create_encrypted(school, "head", "long enough pass", OWASP_MINIMUM)[0].close()
    with pytest.raises(StorageError, match="already holds a school"):
        vault.create_encrypted(school, "head", "long enough pass", OWASP_MINIMUM)
    keys = (school / "skillsdesk.keys").read_bytes()
    (school / "skillsdesk.keys").unlink()
    assert vault.folder_state(school) == vault.KEYS_MISSING
    with pytest.raises(StorageError, match="key file is missing"):
        vault.unlock(school, "head", "long enough pass", OWASP_MINIMUM)
    (school / "skillsdesk.keys").write_bytes(keys)
    (school / DB_FILE).unlink()
    assert vault.folder_state(school) == vault.DATABASE_MISSING
    with pytest.raises(StorageError, match="database is missing"):  # never a new empty school
        vault.unlock(school, "head", "long enough pass", OWASP_MINIMUM)
    assert not (school / DB_FILE).exists()


def test_a_failed_creation_leaves_the_folder_new(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "school"

    def broken_open(*_args: object, **_kwargs: object) -> Store:
        raise StorageError("disk full")

    monkeypatch.setattr(vault.Store, "open", broken_open)
    with pytest.raises(StorageError):
        vault.create_encrypted(folder, "head", "long enough pass", OWASP_MINIMUM)
    assert vault.folder_state(folder) == vault.NEW
    assert list(folder.iterdir()) == []
