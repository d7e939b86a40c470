"""The key-slot file: the database key, wrapped once per staff login and once for recovery.

A random 256-bit data key encrypts the database (SQLCipher). ``skillsdesk.keys`` beside it holds
that key wrapped with AES-256-GCM under a key derived from each staff member's password with
Argon2id, plus one slot for the printed recovery key (the LUKS / KeePass idea, RELIABILITY.md
§1.7). Changing a password rewraps one slot and never touches the database; removing a leaver
removes their slot. Each slot's login is the AES-GCM associated data, so a slot copied under
another login does not open. The file names staff logins and nothing about pupils; it is JSON,
replaced atomically (``safefile``) on every change, and a backup carries its own copy.

PINs never wrap the key (a 4-digit PIN falls to an offline guess whatever the cost): see
``storage/pins.py``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from skillsdesk import safefile
from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _
from skillsdesk.storage.engine import StorageError

log = logging.getLogger(__name__)

KEYS_FILE = "skillsdesk.keys"
FORMAT = "skillsdesk-keys"
FORMAT_VERSION = 1
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
# Crockford's base 32: no I, L, O or U, so a key read aloud or retyped is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_SYMBOLS = 27  # 135 bits, plus one check symbol: 7 groups of 4
_READS_AS = {"O": "0", "I": "1", "L": "1"}
_CHECK_LABEL = b"skillsdesk/key-check"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: iterations, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int

    def at_least(self, other: KdfParams) -> bool:
        return (self.time_cost >= other.time_cost and self.memory_kib >= other.memory_kib
                and self.parallelism >= other.parallelism)

    def to_json(self) -> dict[str, int]:
        return {"t": self.time_cost, "m": self.memory_kib, "p": self.parallelism}

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        return cls(int(data["t"]), int(data["m"]), int(data["p"]))


# OWASP's floor (19 MiB, 2 passes, 1 lane): never go below it, tests included.
OWASP_MINIMUM = KdfParams(time_cost=2, memory_kib=19 * 1024, parallelism=1)
# RFC 9106's low-memory profile and argon2-cffi's default (G14); about 0.2 s on a 2-core laptop.
DEFAULT_PARAMS = KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=4)
# A crafted key file must not make sign-in take minutes or exhaust memory.
_CEILING = KdfParams(time_cost=16, memory_kib=1024 * 1024, parallelism=16)


class AuthError(UserError):
    """A sign-in that failed; the message never says whether the login exists."""


class KeyFileError(StorageError):
    """The key file is missing, damaged or from a newer SkillsDesk."""


class SlotError(UserError):
    """A slot change that does not fit the file (a login twice, the last slot removed)."""


@dataclass(frozen=True)
class Slot:
    salt: bytes
    params: KdfParams
    nonce: bytes
    wrapped: bytes  # AES-256-GCM ciphertext of the data key, tag included

    def to_json(self) -> dict[str, Any]:
        return {"salt": _b64(self.salt), "kdf": self.params.to_json(),
                "nonce": _b64(self.nonce), "wrapped": _b64(self.wrapped)}

    @classmethod
    def from_json(cls, data: Any) -> Slot:
        slot = cls(_unb64(data["salt"]), KdfParams.from_json(data["kdf"]),
                   _unb64(data["nonce"]), _unb64(data["wrapped"]))
        if not (slot.params.at_least(OWASP_MINIMUM) and _CEILING.at_least(slot.params)):
            raise ValueError("key derivation cost out of range")
        if len(slot.nonce) != NONCE_BYTES or len(slot.wrapped) != KEY_BYTES + 16:
            raise ValueError("slot has the wrong size")
        return slot


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)


def normalise_login(login: str) -> str:
    return login.strip().casefold()


def _secret(password: str) -> bytes:
    # The same password typed on macOS (NFD) and Windows (NFC) must open the same slot.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _password_label(login: str) -> bytes:
    return b"skillsdesk/password/" + normalise_login(login).encode("utf-8")


_RECOVERY_LABEL = b"skillsdesk/recovery"


def _derive(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(secret, salt, params.time_cost, params.memory_kib, params.parallelism,
                           KEY_BYTES, Type.ID)


def _wrap(data_key: bytes, secret: bytes, label: bytes, params: KdfParams) -> Slot:
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    wrapped = AESGCM(_derive(secret, salt, params)).encrypt(nonce, data_key, label)
    return Slot(salt, params, nonce, wrapped)


def _unwrap(slot: Slot, secret: bytes, label: bytes) -> bytes | None:
    try:
        return AESGCM(_derive(secret, slot.salt, slot.params)).decrypt(
            slot.nonce, slot.wrapped, label)
    except InvalidTag:
        return None


def key_check(data_key: bytes) -> str:
    """A short fingerprint that tells whether a key is this file's, without revealing it."""
    return hmac.new(data_key, _CHECK_LABEL, hashlib.sha256).hexdigest()[:16]


def new_recovery_key() -> str:
    """A fresh recovery key, e.g. ``7K3M-Q9TD-…`` (7 groups of 4, the last symbol a check)."""
    symbols = "".join(secrets.choice(ALPHABET) for _n in range(RECOVERY_SYMBOLS))
    symbols += _check_symbol(symbols)
    return "-".join(symbols[i:i + 4] for i in range(0, len(symbols), 4))


def _check_symbol(symbols: str) -> str:
    # Odd weights: any single mistyped symbol changes the sum, so it is always caught.
    total = sum((2 * i + 1) * ALPHABET.index(c) for i, c in enumerate(symbols))
    return ALPHABET[total % len(ALPHABET)]


def parse_recovery_key(text: str) -> str:
    """The recovery key's symbols, forgiving case, spaces, dashes and O/I/L for 0/1."""
    symbols = "".join(_READS_AS.get(c, c) for c in text.upper() if c not in " -\t\n")
    if (len(symbols) != RECOVERY_SYMBOLS + 1 or any(c not in ALPHABET for c in symbols)
            or _check_symbol(symbols[:-1]) != symbols[-1]):
        raise AuthError(_("That is not a SkillsDesk recovery key: check each group of four "
                          "characters against the printed sheet."))
    return symbols


def _wrong_sign_in() -> AuthError:
    return AuthError(_("The login or password is not right. Check Caps Lock and try again."))


@dataclass(frozen=True)
class Created:
    slots: KeySlots
    data_key: bytes
    recovery_key: str  # show once, to print or write down; never stored


class KeySlots:
    """The key file of one data folder. Every change is written to disk before it returns."""

    def __init__(self, path: Path, check: str, slots: dict[str, Slot], recovery: Slot | None,
                 params: KdfParams) -> None:
        self.path = path
        self.params = params  # the cost for new and upgraded slots
        self._check = check
        self._slots = dict(slots)
        self._recovery = recovery

    # -- creating and reading -------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, login: str, password: str,
               params: KdfParams = DEFAULT_PARAMS) -> Created:
        """A new data key with the first admin's slot and a recovery key, written to ``path``."""
        _require_params(params)
        if path.exists():
            raise KeyFileError(_("{path} already exists; SkillsDesk will not replace a key "
                                 "file.").format(path=path))
        data_key = secrets.token_bytes(KEY_BYTES)
        recovery = new_recovery_key()
        slots = cls(path, key_check(data_key),
                    {normalise_login(login): _wrap(data_key, _secret(password),
                                                   _password_label(login), params)},
                    _wrap(data_key, parse_recovery_key(recovery).encode("ascii"),
                          _RECOVERY_LABEL, params), params)
        slots._write()
        return Created(slots, data_key, recovery)

    @classmethod
    def load(cls, path: Path, params: KdfParams = DEFAULT_PARAMS) -> KeySlots:
        _require_params(params)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise KeyFileError(_("The key file {path} is missing, so the data cannot be "
                                 "unlocked. Restore it from a backup.").format(path=path)) from None
        except OSError as exc:
            raise KeyFileError(_("The key file {path} cannot be read ({reason}).")
                               .format(path=path, reason=exc.strerror)) from exc
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("not a key file")
            version = int(data["version"])
            if version > FORMAT_VERSION:
                raise KeyFileError(_("The key file {path} was written by a newer SkillsDesk; "
                                     "update SkillsDesk to open it.").format(path=path))
            slots = {normalise_login(item["login"]): Slot.from_json(item)
                     for item in data["slots"]}
            recovery = None if data.get("recovery") is None else Slot.from_json(data["recovery"])
            check = str(data["key_check"])
        except KeyFileError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            log.error("key file unreadable: %s", type(exc).__name__)
            raise KeyFileError(_("The key file {path} is damaged. Restore it from a backup, "
                                 "or ask an admin for the recovery key.")
                               .format(path=path)) from exc
        return cls(path, check, slots, recovery, params)

    def _write(self, target: Path | None = None) -> None:
        data = {
            "format": FORMAT, "version": FORMAT_VERSION, "cipher": "AES-256-GCM",
            "kdf": "argon2id", "key_check": self._check,
            "slots": [{"login": login, **slot.to_json()}
                      for login, slot in sorted(self._slots.items())],
            "recovery": None if self._recovery is None else self._recovery.to_json(),
        }
        safefile.write_bytes(target or self.path,
                             json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))

    def save_copy(self, target: Path) -> None:
        """Write this file's slots to ``target`` (a backup carries its own key file)."""
        self._write(target)

    # -- unlocking -------------------------------------------------------------------------
    def logins(self) -> tuple[str, ...]:
        return tuple(sorted(self._slots))

    def has_slot(self, login: str) -> bool:
        return normalise_login(login) in self._slots

    def unlock(self, login: str, password: str) -> bytes:
        """The data key, if ``password`` is ``login``'s; otherwise ``AuthError``.

        A weaker slot than ``params`` is rewrapped at the current cost on the way (G14).
        """
        slot = self._slots.get(normalise_login(login))
        if slot is None:
            # Spend the same time as a real attempt, so timing does not reveal real logins.
            _derive(_secret(password), bytes(SALT_BYTES), self.params)
            raise _wrong_sign_in()
        data_key = _unwrap(slot, _secret(password), _password_label(login))
        if data_key is None or key_check(data_key) != self._check:
            raise _wrong_sign_in()
        if not slot.params.at_least(self.params):
            try:
                self.rewrap_slot(data_key, login, password)
                log.info("key slot upgraded to the current key derivation cost")
            except (OSError, StorageError):
                log.warning("could not upgrade a key slot; it still opens as before")
        return data_key

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        symbols = parse_recovery_key(recovery_key)
        data_key = None if self._recovery is None else _unwrap(
            self._recovery, symbols.encode("ascii"), _RECOVERY_LABEL)
        if data_key is None or key_check(data_key) != self._check:
            raise AuthError(_("That recovery key does not belong to this school's data."))
        return data_key

    def matches(self, data_key: bytes) -> bool:
        return hmac.compare_digest(key_check(data_key), self._check)

    # -- changing slots (each needs the data key, so only an unlocked session can) ----------
    def add_slot(self, data_key: bytes, login: str, password: str) -> None:
        def change(slots: KeySlots) -> None:
            if normalise_login(login) in slots._slots:
                raise SlotError(_("{login} already has a password.").format(login=login))
            slots._slots[normalise_login(login)] = _wrap(
                data_key, _secret(password), _password_label(login), self.params)

        self._change(data_key, change)

    def rewrap_slot(self, data_key: bytes, login: str, password: str) -> None:
        """Give ``login`` a new password (own change, admin reset or recovery): one slot only."""
        def change(slots: KeySlots) -> None:
            if normalise_login(login) not in slots._slots:
                raise SlotError(_("{login} has no password to change.").format(login=login))
            slots._slots[normalise_login(login)] = _wrap(
                data_key, _secret(password), _password_label(login), self.params)

        self._change(data_key, change)

    def change_password(self, login: str, old_password: str, new_password: str) -> None:
        self.rewrap_slot(self.unlock(login, old_password), login, new_password)

    def remove_slot(self, login: str) -> None:
        """Forget ``login``'s password: it no longer opens this data (older backups still do)."""
        def change(slots: KeySlots) -> None:
            if slots._slots.pop(normalise_login(login), None) is None:
                raise SlotError(_("{login} has no password here.").format(login=login))
            if not slots._slots:
                raise SlotError(_("The last password cannot be removed: add another admin "
                                  "first."))

        self._change(None, change)

    def replace_recovery_key(self, data_key: bytes) -> str:
        """A new recovery key; the old one stops working. Returns it to print."""
        recovery = new_recovery_key()

        def change(slots: KeySlots) -> None:
            slots._recovery = _wrap(data_key, parse_recovery_key(recovery).encode("ascii"),
                                    _RECOVERY_LABEL, self.params)

        self._change(data_key, change)
        return recovery

    def _change(self, data_key: bytes | None, change: Any) -> None:
        # Re-read the file first so a change made by another window or command is kept, then
        # write the whole file atomically; this object follows only once the write succeeded.
        if data_key is not None and not self.matches(data_key):
            raise ValueError("that data key does not belong to this key file")
        current = KeySlots.load(self.path, self.params)
        if current._check != self._check:
            raise KeyFileError(_("The key file {path} was replaced by another one while "
                                 "SkillsDesk was open.").format(path=self.path))
        change(current)
        current._write()
        self._slots, self._recovery = current._slots, current._recovery


def _require_params(params: KdfParams) -> None:
    if not params.at_least(OWASP_MINIMUM) or not _CEILING.at_least(params):
        raise ValueError(f"Argon2id cost {params} is outside the allowed range")
