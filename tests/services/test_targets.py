"""Targets (issue 3's profile): set, met and removed with an audit row each, refused to
lunchtime supervisors ("target.set"), and kept to a support assistant's own groups."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from skillsdesk.domain.errors import NotFound
from skillsdesk.domain.permissions import PermissionDenied
from tests.conftest import TODAY, act_as


def test_each_change_to_a_target_writes_its_audit_row(demo_services: Any) -> None:
    framework = demo_services.frameworks.current()
    pupil = demo_services.school.pupils()[0]
    act_as(demo_services, "teacher1")
    try:
        target = demo_services.targets.set(framework, pupil.id, "listening", 3,
                                           TODAY + dt.timedelta(days=30))
        demo_services.targets.met(target)
        demo_services.targets.met(target, met=False)
        demo_services.targets.remove(target)
        act_as(demo_services, "head")
        trail = demo_services.accounts.audit_trail(limit=20)
    finally:
        demo_services.context.set_actor(None)
    mine = [e for e in trail if e.entity_type == "target"]
    assert [e.action for e in sorted(mine, key=lambda e: e.sequence)] == [
        "target.set", "target.met", "target.met", "target.remove"]
    assert {e.pupil_id for e in mine} == {pupil.id} and {e.login for e in mine} == {"teacher1"}
    assert demo_services.targets.for_pupil(framework, pupil.id) == []


def test_lunchtime_supervisors_may_read_but_not_set_targets(demo_services: Any) -> None:
    framework = demo_services.frameworks.current()
    pupil = demo_services.school.pupils()[0]
    target = demo_services.targets.set(framework, pupil.id, "listening", 3, None)
    act_as(demo_services, "lunch1")
    try:
        with pytest.raises(PermissionDenied):
            demo_services.targets.set(framework, pupil.id, "listening", 4, None)
        with pytest.raises(PermissionDenied):
            demo_services.targets.met(target)
        with pytest.raises(PermissionDenied):
            demo_services.targets.remove(target)
    finally:
        demo_services.context.set_actor(None)
    assert [t.id for t in demo_services.targets.for_pupil(framework, pupil.id)] == [target]


def test_support_staff_set_targets_for_their_own_groups_only(demo_services: Any) -> None:
    from skillsdesk.storage.pupils import visible_ids

    framework = demo_services.frameworks.current()
    pupils = demo_services.school.pupils()
    me = act_as(demo_services, "ta1")
    try:
        with demo_services.store.read() as session:
            mine = visible_ids(session, me.staff_id)
        inside = next(p for p in pupils if p.id in mine)
        outside = next(p for p in pupils if p.id not in mine)
        assert demo_services.targets.set(framework, inside.id, "listening", 3, None)
        with pytest.raises(NotFound):
            demo_services.targets.set(framework, outside.id, "listening", 3, None)
    finally:
        demo_services.context.set_actor(None)
    act_as(demo_services, "ta1")
    try:
        assert demo_services.targets.for_pupil(framework, outside.id) == []
    finally:
        demo_services.context.set_actor(None)
