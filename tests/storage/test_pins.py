"""PINs for switching staff: hashed in the encrypted database, never a wrapping key."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import extract_parameters
from sqlalchemy import text

from skillsdesk.domain.errors import UserError
from skillsdesk.storage import pins
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store
from skillsdesk.storage.keyslots import OWASP_MINIMUM, KdfParams

FAST = OWASP_MINIMUM


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def staff_id(store: Store) -> uuid.UUID:
    with store.write() as session:
        return school_repo.add_staff(session, "lunch1", "Lunch One", "LO", "lunchtime")


def test_a_pin_switches_in_and_a_wrong_one_does_not(store: Store, staff_id: uuid.UUID) -> None:
    with store.write() as session:
        assert not pins.has_pin(session, staff_id)
        pins.set_pin(session, staff_id, "5821", FAST)
    with store.write() as session:
        assert pins.has_pin(session, staff_id)
        assert pins.check_pin(session, staff_id, "5821", FAST)
        assert not pins.check_pin(session, staff_id, "5822", FAST)
        assert not pins.check_pin(session, uuid.uuid4(), "5821", FAST)  # nobody with a PIN
    with store.read() as session:
        stored = session.execute(text("SELECT pin_hash FROM staff_pin")).scalar()
    assert "5821" not in stored and stored.startswith("$argon2id$")


def test_easy_pins_are_refused(store: Store, staff_id: uuid.UUID) -> None:
    for pin in ("1234", "0000", "9876", "12", "12345678901", "12a4"):
        with pytest.raises(UserError), store.write() as session:
            pins.set_pin(session, staff_id, pin, FAST)
    with store.read() as session:
        assert not pins.has_pin(session, staff_id)


def test_a_new_pin_replaces_the_old_and_clearing_removes_it(store: Store,
                                                            staff_id: uuid.UUID) -> None:
    with store.write() as session:
        pins.set_pin(session, staff_id, "5821", FAST)
        pins.set_pin(session, staff_id, "730519", FAST)
        assert not pins.check_pin(session, staff_id, "5821", FAST)
        assert pins.check_pin(session, staff_id, "730519", FAST)
        pins.clear_pin(session, staff_id)
        assert not pins.check_pin(session, staff_id, "730519", FAST)


def test_a_weaker_pin_hash_is_redone_on_use(store: Store, staff_id: uuid.UUID) -> None:
    with store.write() as session:
        pins.set_pin(session, staff_id, "5821", FAST)
    stronger = KdfParams(3, 19 * 1024, 1)
    with store.write() as session:
        assert pins.check_pin(session, staff_id, "5821", stronger)
    with store.read() as session:
        stored = session.execute(text("SELECT pin_hash FROM staff_pin")).scalar()
    assert extract_parameters(stored).time_cost == 3
    with pytest.raises(ValueError):
        pins.set_pin(session, staff_id, "5821", KdfParams(1, 1024, 1))


def test_removing_the_member_of_staff_removes_the_pin(store: Store, staff_id: uuid.UUID) -> None:
    with store.write() as session:
        pins.set_pin(session, staff_id, "5821", FAST)
    with store.write() as session:
        session.execute(text("DELETE FROM staff WHERE id = :id"), {"id": staff_id.hex})
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM staff_pin")).scalar() == 0
