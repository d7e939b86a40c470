"""The audit trail in the database: same transaction, hash chain, triggers, browsing, erasure."""

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from skillsdesk.domain.permissions import Actor
from skillsdesk.storage import audit
from skillsdesk.storage.database import Store

HEAD = Actor(uuid.uuid4(), "head", "Morgan Head", "admin")
TEACHER = Actor(uuid.uuid4(), "t.one", "Teacher One", "teacher")
PUPIL = uuid.uuid4()
OTHER_PUPIL = uuid.uuid4()
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path)
    yield opened
    opened.close()


def _fill(store: Store, count: int = 6) -> None:
    for n in range(count):
        with store.write() as session:
            audit.record(session, TEACHER if n % 2 else HEAD, "observation.create", "observation",
                         uuid.uuid4(), None, {"step": n, "note": f"note {n}"},
                         pupil_id=PUPIL if n % 3 else OTHER_PUPIL,
                         at=T0 + dt.timedelta(minutes=n))


def _drop_triggers(store: Store) -> None:
    with store.write() as session:
        for name in ("audit_event_no_update", "audit_event_no_delete", "audit_content_no_update"):
            session.execute(text(f"DROP TRIGGER {name}"))


def test_records_form_an_unbroken_chain(store: Store) -> None:
    with store.read() as session:
        assert audit.verify_chain(session) is None  # an empty trail is fine
    _fill(store)
    with store.read() as session:
        assert audit.verify_chain(session) is None
        assert audit.head(session)[0] == 6  # type: ignore[index]
        rows = session.execute(text(
            "SELECT sequence, prev_hash, hash FROM audit_event ORDER BY sequence")).all()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0][1] == "0" * 64
    assert all(later[1] == earlier[2] for earlier, later in zip(rows, rows[1:], strict=False))


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET action = 'observation.delete' WHERE sequence = 2",
    "DELETE FROM audit_event WHERE sequence = 2",
    "UPDATE audit_content SET content_json = '{}' WHERE sequence = 2",
])
def test_triggers_refuse_updates_and_deletes(store: Store, statement: str) -> None:
    _fill(store, 3)
    with pytest.raises(IntegrityError, match="append-only"), store.write() as session:
        session.execute(text(statement))
    with store.read() as session:
        assert audit.verify_chain(session) is None
        assert session.execute(text("SELECT count(*) FROM audit_event")).scalar() == 3


@pytest.mark.parametrize(("statement", "broken"), [
    ("UPDATE audit_event SET action = 'observation.delete' WHERE sequence = 4", 4),
    ("UPDATE audit_event SET login = 'head' WHERE sequence = 2", 2),
    ("UPDATE audit_event SET at = '2026-11-30 10:00:00.000000' WHERE sequence = 3", 3),
    ("UPDATE audit_content SET content_json = '{\"after\":{\"step\":9},\"before\":null}' "
     "WHERE sequence = 5", 5),
    # Content first: the foreign key would refuse an event removed from under its content.
    ("DELETE FROM audit_content WHERE sequence = 3; DELETE FROM audit_event WHERE sequence = 3",
     4),
    ("DELETE FROM audit_content WHERE sequence = 1; DELETE FROM audit_event WHERE sequence = 1",
     2),
    ("DELETE FROM audit_content WHERE sequence = 2", 2),  # content gone without an erasure
    ("INSERT INTO audit_event SELECT sequence + 100, at, staff_id, login, role, action, "
     "entity_type, entity_id, pupil_id, content_hash, prev_hash, hash FROM audit_event "
     "WHERE sequence = 6", 106),
])
def test_tampering_is_found_at_exactly_that_row(store: Store, statement: str,
                                                broken: int) -> None:
    _fill(store)
    _drop_triggers(store)
    with store.write() as session:
        for part in statement.split(";"):
            session.connection().exec_driver_sql(part)
    with store.read() as session:
        assert audit.verify_chain(session) == broken


def test_a_recomputed_hash_still_breaks_the_next_row(store: Store) -> None:
    # Someone who edits a row and fixes its own hash still breaks the link from the next one.
    from skillsdesk.domain.audit import link_hash

    _fill(store)
    _drop_triggers(store)
    with store.write() as session:
        link = next(audit._stored(session))
        forged = type(link.link)(**{**link.link.__dict__, "login": "someone"})
        session.execute(text("UPDATE audit_event SET login = 'someone', hash = :h "
                             "WHERE sequence = 1"), {"h": link_hash(forged)})
    with store.read() as session:
        assert audit.verify_chain(session) == 2


def test_the_audit_row_shares_the_changes_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as session:
        session.execute(text("INSERT INTO setting (key, value) VALUES ('school', '1')"))
        audit.record(session, HEAD, "settings.change", "setting", "school", None, {"v": 1})
        raise RuntimeError("the disk filled up before COMMIT")
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_event")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM audit_content")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM setting")).scalar() == 0
    with store.write() as session:
        session.execute(text("INSERT INTO setting (key, value) VALUES ('school', '1')"))
        assert audit.record(session, HEAD, "settings.change", "setting", "school") == 1
    with store.read() as session:
        assert audit.verify_chain(session) is None


def test_browse_filters_and_returns_plain_records(store: Store) -> None:
    _fill(store)
    with store.write() as session:
        audit.record(session, None, "signin.failed", "staff", login="t.one",
                     at=T0 + dt.timedelta(hours=1))
    with store.read() as session:
        everything = audit.browse(session)
        assert [r.sequence for r in everything] == [7, 6, 5, 4, 3, 2, 1]
        mine = audit.browse(session, staff_id=TEACHER.staff_id)
        assert {r.sequence for r in mine} == {2, 4, 6}
        assert all(r.role == "teacher" and r.login == "t.one" for r in mine)
        assert {r.sequence for r in audit.browse(session, login="t.one")} == {2, 4, 6, 7}
        assert [r.sequence for r in audit.browse(session, action="signin")] == [7]
        assert len(audit.browse(session, action="observation")) == 6
        assert audit.browse(session, action="observ") == []  # whole words only
        about = audit.browse(session, pupil_id=OTHER_PUPIL)
        assert [r.sequence for r in about] == [4, 1]
        window = audit.browse(session, since=T0 + dt.timedelta(minutes=2),
                              until=T0 + dt.timedelta(minutes=4))
        assert [r.sequence for r in window] == [4, 3]
        page = audit.browse(session, before_sequence=4, limit=2)
        assert [r.sequence for r in page] == [3, 2]
    first = everything[-1]
    assert first.at == T0 and first.at.tzinfo is not None
    assert first.before is None and first.after == {"note": "note 0", "step": 0}
    assert first.login == "head" and first.role == "admin" and not first.content_erased
    failed = everything[0]
    assert failed.staff_id is None and failed.role is None and failed.after is None


def test_erasure_removes_a_pupils_content_but_keeps_a_whole_chain(store: Store) -> None:
    _fill(store)
    with store.write() as session:
        with pytest.raises(ValueError):
            audit.record(session, HEAD, "pupil.erase", "pupil", PUPIL, {"name": "x"}, None,
                         pupil_id=PUPIL)
        removed = audit.erase_content(session, PUPIL)
        audit.record(session, HEAD, "pupil.erase", "pupil", PUPIL, pupil_id=PUPIL)
    assert removed == 4
    with store.read() as session:
        assert audit.verify_chain(session) is None
        records = audit.browse(session, pupil_id=PUPIL)
        assert records[0].action == "pupil.erase" and records[0].after is None
        assert all(r.content_erased and r.after is None for r in records[1:])
        kept = audit.browse(session, pupil_id=OTHER_PUPIL)
        assert all(r.after is not None for r in kept)
        assert "note 1" not in str(session.execute(text("SELECT * FROM audit_content")).all())
