"""The key-slot file: slots per login, recovery key, rewrapping, and files that are not right."""

import json
import re
from pathlib import Path

import pytest

from skillsdesk.storage import keyslots
from skillsdesk.storage.keyslots import (
    DEFAULT_PARAMS,
    OWASP_MINIMUM,
    AuthError,
    KdfParams,
    KeyFileError,
    KeySlots,
    SlotError,
    new_recovery_key,
    parse_recovery_key,
)

# Tests run at the OWASP floor, never weaker (about 50 ms per derivation).
FAST = OWASP_MINIMUM


@pytest.fixture
def created(tmp_path: Path) -> keyslots.Created:
    return KeySlots.create(tmp_path / "skillsdesk.keys", "Head", "first-pass-phrase", FAST)


def test_create_then_unlock_with_password_and_recovery_key(created: keyslots.Created) -> None:
    assert len(created.data_key) == 32
    loaded = KeySlots.load(created.slots.path, FAST)
    assert loaded.logins() == ("head",)
    # Logins are matched as people type them, whatever the case or stray spaces.
    assert loaded.unlock(" HEAD ", "first-pass-phrase") == created.data_key
    assert loaded.unlock_with_recovery(created.recovery_key) == created.data_key


def test_the_file_holds_no_key_and_no_password(created: keyslots.Created) -> None:
    raw = created.slots.path.read_bytes()
    for secret in (created.data_key, created.data_key.hex().encode(), b"first-pass-phrase",
                   created.recovery_key.encode(), created.recovery_key.replace("-", "").encode()):
        assert secret not in raw
    data = json.loads(raw)
    assert data["version"] == keyslots.FORMAT_VERSION
    slot = data["slots"][0]
    assert slot["login"] == "head"
    assert slot["kdf"] == {"t": 2, "m": 19456, "p": 1}
    assert set(slot) == {"login", "salt", "kdf", "nonce", "wrapped"}


def test_the_production_cost_is_at_least_the_goal() -> None:
    # RELIABILITY.md G14: t=3, m=64 MiB, p=4 or more; and never below the OWASP floor.
    assert DEFAULT_PARAMS.at_least(KdfParams(3, 64 * 1024, 4))
    assert KdfParams(2, 19 * 1024, 1) == OWASP_MINIMUM
    with pytest.raises(ValueError):
        KeySlots.create(Path("unused"), "x", "y", KdfParams(1, 19 * 1024, 1))
    with pytest.raises(ValueError):
        KeySlots.create(Path("unused"), "x", "y", KdfParams(2, 8 * 1024, 1))


def test_a_wrong_password_and_an_unknown_login_get_the_same_answer(
        created: keyslots.Created) -> None:
    slots = created.slots
    with pytest.raises(AuthError) as wrong:
        slots.unlock("head", "first-pass-phrasE")
    with pytest.raises(AuthError) as unknown:
        slots.unlock("nobody", "first-pass-phrase")
    assert wrong.value.message == unknown.value.message
    assert "head" not in wrong.value.message and "nobody" not in unknown.value.message


def test_a_slot_copied_under_another_login_does_not_open(created: keyslots.Created) -> None:
    slots = created.slots
    slots.add_slot(created.data_key, "teacher1", "teacher-pass-phrase")
    data = json.loads(slots.path.read_bytes())
    head = next(s for s in data["slots"] if s["login"] == "head")
    teacher = next(s for s in data["slots"] if s["login"] == "teacher1")
    # Swap the wrapped keys and salts: each login's slot now holds the other's.
    for field in ("salt", "nonce", "wrapped"):
        head[field], teacher[field] = teacher[field], head[field]
    slots.path.write_text(json.dumps(data))
    swapped = KeySlots.load(slots.path, FAST)
    with pytest.raises(AuthError):
        swapped.unlock("head", "teacher-pass-phrase")
    with pytest.raises(AuthError):
        swapped.unlock("teacher1", "first-pass-phrase")


def test_password_change_rewraps_only_that_slot(created: keyslots.Created) -> None:
    slots = created.slots
    slots.add_slot(created.data_key, "ta", "support-pass-phrase")
    before = {s["login"]: s for s in json.loads(slots.path.read_bytes())["slots"]}
    recovery_before = json.loads(slots.path.read_bytes())["recovery"]
    slots.change_password("ta", "support-pass-phrase", "a-new-pass-phrase")
    after_file = json.loads(slots.path.read_bytes())
    after = {s["login"]: s for s in after_file["slots"]}
    assert after["head"] == before["head"]
    assert after["ta"] != before["ta"]
    assert after_file["recovery"] == recovery_before
    fresh = KeySlots.load(slots.path, FAST)
    assert fresh.unlock("ta", "a-new-pass-phrase") == created.data_key
    with pytest.raises(AuthError):
        fresh.unlock("ta", "support-pass-phrase")
    with pytest.raises(AuthError):  # the old password cannot change it again
        fresh.change_password("ta", "support-pass-phrase", "whatever-else-1")


def test_removed_slot_no_longer_opens(created: keyslots.Created) -> None:
    slots = created.slots
    slots.add_slot(created.data_key, "leaver", "leaver-pass-phrase")
    slots.remove_slot("LEAVER")
    fresh = KeySlots.load(slots.path, FAST)
    assert fresh.logins() == ("head",)
    with pytest.raises(AuthError):
        fresh.unlock("leaver", "leaver-pass-phrase")
    with pytest.raises(SlotError):
        slots.remove_slot("leaver")
    with pytest.raises(SlotError, match="last password"):
        slots.remove_slot("head")
    assert KeySlots.load(slots.path, FAST).unlock("head", "first-pass-phrase") == created.data_key


def test_slot_changes_refuse_duplicates_strangers_and_a_foreign_key(
        created: keyslots.Created) -> None:
    slots = created.slots
    with pytest.raises(SlotError):
        slots.add_slot(created.data_key, "HEAD", "another-pass-phrase")
    with pytest.raises(SlotError):
        slots.rewrap_slot(created.data_key, "nobody", "another-pass-phrase")
    with pytest.raises(ValueError):  # a slot must never wrap some other key
        slots.add_slot(bytes(32), "newcomer", "another-pass-phrase")
    assert KeySlots.load(slots.path, FAST).logins() == ("head",)


def test_recovery_key_resets_an_admins_password(created: keyslots.Created) -> None:
    slots = KeySlots.load(created.slots.path, FAST)
    data_key = slots.unlock_with_recovery(created.recovery_key.lower().replace("-", " "))
    slots.rewrap_slot(data_key, "head", "forgotten-no-more")
    assert KeySlots.load(slots.path, FAST).unlock("head", "forgotten-no-more") == data_key


def test_replacing_the_recovery_key_retires_the_old_one(created: keyslots.Created) -> None:
    slots = created.slots
    new_key = slots.replace_recovery_key(created.data_key)
    fresh = KeySlots.load(slots.path, FAST)
    assert fresh.unlock_with_recovery(new_key) == created.data_key
    with pytest.raises(AuthError, match="does not belong"):
        fresh.unlock_with_recovery(created.recovery_key)


def test_recovery_key_format_and_typos() -> None:
    key = new_recovery_key()
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}", key)
    assert (len(keyslots.ALPHABET) ** keyslots.RECOVERY_SYMBOLS).bit_length() > 128
    symbols = key.replace("-", "")
    assert parse_recovery_key(key) == symbols
    # Read aloud or retyped: O for 0, I or L for 1, any case, spaces instead of dashes.
    retyped = symbols.replace("0", "o").replace("1", "l").lower()
    assert parse_recovery_key(" ".join(retyped[i:i + 4] for i in range(0, 28, 4))) == symbols
    for position in range(len(symbols)):  # every single mistyped symbol is caught
        wrong = keyslots.ALPHABET[(keyslots.ALPHABET.index(symbols[position]) + 7) % 32]
        with pytest.raises(AuthError, match="not a SkillsDesk recovery key"):
            parse_recovery_key(symbols[:position] + wrong + symbols[position + 1:])
    with pytest.raises(AuthError):
        parse_recovery_key(key[:-5])


def test_a_weaker_slot_is_upgraded_when_used(tmp_path: Path) -> None:
    path = tmp_path / "skillsdesk.keys"
    created = KeySlots.create(path, "head", "first-pass-phrase", FAST)
    stronger = KdfParams(3, 19 * 1024, 1)
    KeySlots.load(path, stronger).unlock("head", "first-pass-phrase")
    slot = json.loads(path.read_bytes())["slots"][0]
    assert slot["kdf"] == {"t": 3, "m": 19456, "p": 1}
    assert KeySlots.load(path, FAST).unlock("head", "first-pass-phrase") == created.data_key


def test_two_open_copies_do_not_lose_each_others_changes(created: keyslots.Created) -> None:
    window = KeySlots.load(created.slots.path, FAST)
    command = KeySlots.load(created.slots.path, FAST)
    window.add_slot(created.data_key, "one", "first-colleague-pw")
    command.add_slot(created.data_key, "two", "second-colleague-pw")
    assert KeySlots.load(created.slots.path, FAST).logins() == ("head", "one", "two")


def test_a_backup_copy_opens_with_the_same_passwords(created: keyslots.Created,
                                                      tmp_path: Path) -> None:
    copy = tmp_path / "backups" / "skillsdesk.keys"
    created.slots.save_copy(copy)
    assert KeySlots.load(copy, FAST).unlock("head", "first-pass-phrase") == created.data_key


@pytest.mark.parametrize("content", [
    b"", b"not json", b"[]", b'{"format": "something-else"}',
    b'{"format": "skillsdesk-keys", "version": 1}',
    b'{"format": "skillsdesk-keys", "version": 1, "key_check": "x", "recovery": null, '
    b'"slots": [{"login": "a", "salt": "!!", "kdf": {"t": 2, "m": 19456, "p": 1}, '
    b'"nonce": "", "wrapped": ""}]}',
])
def test_a_damaged_key_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "skillsdesk.keys"
    path.write_bytes(content)
    with pytest.raises(KeyFileError, match="damaged"):
        KeySlots.load(path)


def test_a_crafted_cost_is_refused_before_any_work(created: keyslots.Created) -> None:
    data = json.loads(created.slots.path.read_bytes())
    data["slots"][0]["kdf"] = {"t": 2, "m": 64 * 1024 * 1024, "p": 1}  # 64 GiB
    created.slots.path.write_text(json.dumps(data))
    with pytest.raises(KeyFileError, match="damaged"):
        KeySlots.load(created.slots.path, FAST)


def test_missing_newer_and_existing_key_files(tmp_path: Path, created: keyslots.Created) -> None:
    with pytest.raises(KeyFileError, match="missing"):
        KeySlots.load(tmp_path / "nowhere.keys")
    data = json.loads(created.slots.path.read_bytes())
    data["version"] = keyslots.FORMAT_VERSION + 1
    created.slots.path.write_text(json.dumps(data))
    with pytest.raises(KeyFileError, match="newer SkillsDesk"):
        KeySlots.load(created.slots.path)
    with pytest.raises(KeyFileError, match="already exists"):
        KeySlots.create(created.slots.path, "head", "first-pass-phrase", FAST)
