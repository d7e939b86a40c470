"""The audit chain's rules, without a database: any change to any event is found where it is."""

import dataclasses
import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillsdesk.domain import audit

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
PUPIL = uuid.uuid4()


def chain(count: int, erased: bool = False) -> list[audit.StoredEvent]:
    events = []
    prev = audit.GENESIS
    for n in range(1, count + 1):
        content = audit.content_text(None, {"step": n, "note": f"note {n}"})
        link = audit.AuditLink(n, T0 + dt.timedelta(seconds=n), uuid.UUID(int=n), f"user{n}",
                               "teacher", "observation.create", "observation", str(n), PUPIL,
                               audit.digest(content), prev)
        prev = audit.link_hash(link)
        events.append(audit.StoredEvent(link, prev, None if erased else content))
    return events


def test_an_untouched_chain_has_no_break() -> None:
    assert audit.first_break(chain(20), set()) is None
    assert audit.first_break([], set()) is None


FIELDS = ["at", "staff_id", "login", "role", "action", "entity_type", "entity_id", "pupil_id",
          "content_hash", "prev_hash"]


@given(st.integers(1, 12), st.sampled_from(FIELDS))
def test_changing_any_field_of_any_event_breaks_there(position: int, field: str) -> None:
    events = chain(12)
    target = events[position - 1]
    old = getattr(target.link, field)
    new = {
        "at": T0 - dt.timedelta(days=1), "staff_id": uuid.uuid4(), "pupil_id": uuid.uuid4(),
    }.get(field, f"{old}x" if old is not None else "x")
    changed = dataclasses.replace(target, link=dataclasses.replace(target.link, **{field: new}))
    events[position - 1] = changed
    assert audit.first_break(events, set()) == position


@given(st.integers(1, 12))
def test_changed_content_breaks_there(position: int) -> None:
    events = chain(12)
    events[position - 1] = dataclasses.replace(events[position - 1],
                                               content_json='{"after":{"step":99},"before":null}')
    assert audit.first_break(events, set()) == position


def test_missing_content_is_allowed_only_for_an_erased_pupil() -> None:
    erased = chain(5, erased=True)
    assert audit.first_break(erased, set()) == 1
    assert audit.first_break(erased, {PUPIL}) is None


def test_hashes_ignore_how_the_same_instant_is_written() -> None:
    link = chain(1)[0].link
    london = dt.timezone(dt.timedelta(hours=1))
    assert audit.link_hash(dataclasses.replace(link, at=link.at.astimezone(london))) == \
        audit.link_hash(dataclasses.replace(link, at=link.at.replace(tzinfo=None)))


def test_content_is_canonical_and_plain() -> None:
    first = audit.content_text({"b": 1, "a": uuid.UUID(int=1)}, {"when": dt.date(2026, 9, 1)})
    second = audit.content_text({"a": uuid.UUID(int=1), "b": 1}, {"when": dt.date(2026, 9, 1)})
    assert first == second
    assert '"when":"2026-09-01"' in first  # type: ignore[operator]
    assert audit.content_text(None, None) is None
    with pytest.raises(TypeError):
        audit.content_text({"row": object()}, None)
