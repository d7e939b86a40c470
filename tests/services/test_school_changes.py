"""The school's name and saved table groups are changes like any other (issue 6): each writes
its audit row, and renaming the school is an admin's ("settings")."""

from __future__ import annotations

from typing import Any

import pytest

from skillsdesk.domain.permissions import PermissionDenied
from tests.conftest import act_as


def test_renaming_the_school_is_an_admins_and_is_audited(demo_services: Any) -> None:
    act_as(demo_services, "teacher1")
    try:
        with pytest.raises(PermissionDenied):
            demo_services.school.set_name("Not Mine Primary")
        act_as(demo_services, "head")
        demo_services.school.set_name("Larkspur Lane Primary")
        renamed = demo_services.accounts.audit_trail(action="school.rename")
    finally:
        demo_services.context.set_actor(None)
    assert demo_services.school.name() == "Larkspur Lane Primary"
    assert len(renamed) == 1 and renamed[0].after == {"name": "Larkspur Lane Primary"}


def test_saving_a_table_group_is_audited(demo_services: Any) -> None:
    pupils = demo_services.school.pupils()[:3]
    act_as(demo_services, "teacher1")
    try:
        group = demo_services.school.save_set("Blue table", [p.id for p in pupils])
        act_as(demo_services, "head")
        saved = demo_services.accounts.audit_trail(action="group.save")
    finally:
        demo_services.context.set_actor(None)
    assert [(e.login, e.entity_id, e.after) for e in saved] == [
        ("teacher1", str(group.id), {"name": "Blue table", "pupils": 3})]
