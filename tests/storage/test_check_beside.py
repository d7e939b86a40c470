"""The start-up check running beside an open store (DESIGN.md §9 start-up, RELIABILITY.md G7):
reads go ahead, every write waits for the check, and a failed check means nothing is written.

The check is a monkeypatched function held on an event, never a sleep.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from skillsdesk.services.backups import CorruptDatabase, set_aside
from skillsdesk.services.demo import build_demo
from skillsdesk.services.signin import sign_in
from skillsdesk.storage import recovery
from skillsdesk.storage.database import DB_FILE, Store, WriteGate
from skillsdesk.storage.instance import acquire_instance_lock
from skillsdesk.storage.keyslots import OWASP_MINIMUM
from skillsdesk.storage.tables_audit import AuditEvent
from tests.conftest import TODAY

WAIT = 10  # seconds an event may take before the test fails (never what it measures)


class HeldCheck:
    """A check that waits until the test lets it finish, then passes or finds damage."""

    def __init__(self, damage: str | None = None) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.damage = damage

    def __call__(self, *_args: Any, **_kwargs: Any) -> str | None:
        self.started.set()
        assert self.release.wait(WAIT)
        return self.damage


def count_events(store: Store, action: str) -> int:
    with store.read() as session:
        return session.exec(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.action == action)).one()


@pytest.fixture(autouse=True)
def check_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """No window paints here: the check starts without waiting for one."""
    monkeypatch.setattr(WriteGate, "BEGIN_WITHIN", 0)


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    store = Store.open(tmp_path)
    store.close()
    return tmp_path


def test_a_write_issued_while_the_check_runs_waits_then_succeeds(plain: Path) -> None:
    from skillsdesk.storage import audit

    store = Store.open(plain)
    check = HeldCheck()
    store.check_beside(check)
    try:
        assert check.started.wait(WAIT)
        assert count_events(store, "test.write") == 0  # readers are not held up
        done = threading.Event()

        def write() -> None:
            with store.write() as session:
                audit.record(session, None, "test.write", "school", None)
            done.set()

        arrived = threading.Event()
        gate = store.gate
        assert gate is not None
        original = gate.wait
        gate.wait = lambda: (arrived.set(), original())[1]  # type: ignore[method-assign]
        thread = threading.Thread(target=write, daemon=True)
        thread.start()
        assert arrived.wait(WAIT)
        assert not done.is_set() and count_events(store, "test.write") == 0  # held at the gate
        check.release.set()
        thread.join(WAIT)
        assert done.is_set() and count_events(store, "test.write") == 1
        with store.write() as session:  # and later writes go straight through
            audit.record(session, None, "test.write", "school", None)
        assert count_events(store, "test.write") == 2
    finally:
        check.release.set()
        store.close()


def test_the_check_waits_for_the_window_to_begin_and_reads_go_ahead_meanwhile(
        plain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WriteGate, "BEGIN_WITHIN", 60)  # only begin() starts it here
    store = Store.open(plain)
    check = HeldCheck()
    gate = store.check_beside(check)
    try:
        assert count_events(store, "test.write") == 0  # a read, while the check has not begun
        assert not check.started.is_set() and not gate.settled
        gate.begin()  # the GUI's first window has painted
        assert check.started.wait(WAIT)
        check.release.set()
        gate.wait()
        assert gate.settled and gate.error is None
    finally:
        check.release.set()
        gate.begin()
        store.close()


def test_a_failed_check_refuses_pending_and_later_writes_and_writes_nothing(
        plain: Path) -> None:
    from skillsdesk.storage import audit

    db = plain / DB_FILE
    before = db.read_bytes()
    store = Store.open(plain)
    check = HeldCheck()
    queued: list[str] = []

    def failing() -> None:
        check()
        raise CorruptDatabase(db, "test damage", (), None)

    store.check_beside(failing)
    assert check.started.wait(WAIT)
    refused: list[BaseException] = []

    def write() -> None:
        try:
            with store.write() as session:
                audit.record(session, None, "test.write", "school", None)
        except CorruptDatabase as exc:
            refused.append(exc)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    store.after_check(lambda: queued.append("ran"))  # like the sign-in's audit row
    check.release.set()
    thread.join(WAIT)
    assert len(refused) == 1 and "test damage" in refused[0].message
    with pytest.raises(CorruptDatabase), store.write() as session:
        audit.record(session, None, "test.write", "school", None)
    with pytest.raises(CorruptDatabase):
        store.after_check(lambda: queued.append("ran"))
    assert queued == []
    assert count_events(store, "test.write") == 0
    store.close()
    assert db.read_bytes() == before  # not a byte changed
    assert not Path(f"{db}-wal").exists()


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("beside") / "school"
    build_demo(folder, pupils=12, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    services = sign_in(folder, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)
    services.backups.backup()
    services.close()
    return folder


def test_sign_in_opens_at_once_and_writes_its_audit_row_once_the_check_passed(
        encrypted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check = HeldCheck()
    monkeypatch.setattr(recovery, "deep_check", check)
    lock = acquire_instance_lock(encrypted)
    try:
        services = sign_in(encrypted, "head", "skillsdesk-demo", today=TODAY,
                           kdf=OWASP_MINIMUM, check_beside=True)
        try:
            signins = count_events(services.store, "signin")
            assert check.started.wait(WAIT)
            assert services.school.pupils()  # open and readable before the check is done
            check.release.set()
            services.store.wait_checked()
            services.store.close()  # waits for the queued audit row
            assert count_events(services.store, "signin") == signins + 1
        finally:
            check.release.set()
            services.close()
    finally:
        lock.release()


def test_a_check_beside_that_finds_damage_leaves_the_file_unchanged_and_set_aside(
        encrypted: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(encrypted, folder)
    db = folder / DB_FILE
    before = db.read_bytes()
    check = HeldCheck(damage="SQLite's quick check found damage (test)")
    monkeypatch.setattr(recovery, "deep_check", check)
    lock = acquire_instance_lock(folder)
    try:
        services = sign_in(folder, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM,
                           check_beside=True)
        check.release.set()
        with pytest.raises(CorruptDatabase):
            services.drafts.save(services.context.actor.staff_id, "typed", {})
        error = services.store.gate.error if services.store.gate else None
        services.close()
        assert isinstance(error, CorruptDatabase)
        assert db.read_bytes() == before  # neither the sign-in's row nor the draft
        moved = set_aside(error)
        assert not db.exists() and moved.moved[-1].read_bytes() == before
        assert moved.backup is not None and "damaged" in moved.message
    finally:
        lock.release()


def test_without_the_folder_lock_the_check_still_comes_first(
        encrypted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(recovery, "deep_check", lambda *_a, **_k: calls.append("x"))
    services = sign_in(encrypted, "head", "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM,
                       check_beside=True)
    try:
        assert services.store.gate is None and calls == ["x"]  # checked in full, first
    finally:
        services.close()
