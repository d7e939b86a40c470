"""Every role against every guarded action, through the services (issue 6, RELIABILITY.md G16).

The expected table is written out from DESIGN.md §8 here, not read from the code
(skillsdesk/domain/permissions.py is checked against the same words in
tests/domain/test_permissions.py). Each action is one real service call, made as a member of
staff of that role on a fresh copy of the demo school. A call is *refused* when it raises
``PermissionDenied``; anything else (done, or a plain "not found" for the made-up target most
calls are given, which can only come after the role check) counts as *allowed*. Reading is
scoped rather than refused: tests/services/test_scoping.py covers it role by role.
"""

import uuid
from pathlib import Path
from typing import Any

import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import PermissionDenied
from skillsdesk.services.recording import Entry
from tests.conftest import act_as

A, T, S, L = "admin", "teacher", "support", "lunchtime"
LOGIN = {A: "head", T: "teacher1", S: "ta1", L: "lunch1"}
EVERYONE, STAFF, ADMIN = {A, T, S, L}, {A, T, S}, {A}
NOWHERE = uuid.UUID(int=1)  # no row has this id

EXPECTED = {
    "record an observation in class": STAFF,
    "record a lunchtime observation": EVERYONE,
    "correct one's own observation": EVERYONE,
    "edit someone else's observation": ADMIN,
    "delete someone else's observation": ADMIN,
    "print a passport (own class)": {A, T},
    "print a passport (another class)": ADMIN,
    "subject-access bundle": ADMIN,
    "import pupils": ADMIN,
    "import observations": ADMIN,
    "import a framework": ADMIN,
    "change settings": ADMIN,
    "roll over the year": ADMIN,
    "make a backup": ADMIN,
    "copy a backup out": ADMIN,
    "restore a backup": ADMIN,
    "trust export": ADMIN,
    "erase a pupil": ADMIN,
    "add staff": ADMIN,
    "remove staff": ADMIN,
    "browse the audit trail": ADMIN,
    "photo consent": ADMIN,
    "log careers activities": {A, T},
    "careers self-audit": ADMIN,
    "appraise staff": ADMIN,
    "set a target": STAFF,
}




def calls(services: Any, tmp: Path, role: str) -> dict[str, Any]:
    """What each action is, as a service call; set-up made beforehand as the head."""
    from skillsdesk.storage.passports import pupils_taught_by

    framework = services.frameworks.current()
    pupils = services.school.pupils()
    head = act_as(services, "head")
    others = services.recording.record(framework, "speaking", [Entry(pupils[0].id, 1, 2)],
                                       setting="lunchtime").ids
    me = act_as(services, LOGIN[role])
    own = services.recording.record(framework, "speaking", [Entry(pupils[0].id, 1, 2)],
                                    setting="lunchtime").ids
    with services.store.read() as session:
        taught = pupils_taught_by(session, me.staff_id, services.school.current_year())
    teacher1 = next(p for p in services.school.staff() if p.login == "teacher1")
    with services.store.read() as session:
        theirs = pupils_taught_by(session, teacher1.id, services.school.current_year())
    mine = next((p for p in pupils if p.id in taught), None)
    elsewhere = next(p for p in pupils if p.id not in taught and p.id not in theirs)
    missing = tmp / "missing.csv"
    assert head.role == A
    return {
        "record an observation in class": lambda: services.recording.record(
            framework, "listening", [Entry(pupils[1].id, 1, 2)], setting="classroom"),
        "record a lunchtime observation": lambda: services.recording.record(
            framework, "listening", [Entry(pupils[1].id, 1, 2)], setting="lunchtime"),
        "correct one's own observation": lambda: services.recording.edit(
            framework, own[0], level=3),
        "edit someone else's observation": lambda: services.recording.edit(
            framework, others[0], level=3),
        "delete someone else's observation": lambda: services.recording.delete(list(others)),
        # Teachers print for their own classes: the test's teacher is given one of theirs.
        "print a passport (own class)": lambda: services.passports.preview(
            mine if mine is not None else pupils[0]),
        "print a passport (another class)": lambda: services.passports.preview(elsewhere),
        "subject-access bundle": lambda: services.sar.collect("no-such-adno"),
        "import pupils": lambda: services.pupils.import_file(missing),
        "import observations": lambda: services.observations.import_file(missing),
        "import a framework": lambda: services.frameworks.import_file(missing),
        "change settings": lambda: services.settings.update(lock_minutes=7),
        "roll over the year": lambda: services.rollover.rollover(dry_run=True),
        "make a backup": lambda: services.backups.backup(),
        "copy a backup out": lambda: services.backups.copy_to(tmp / "usb"),
        "restore a backup": lambda: services.backups.restore(tmp / "nothing.db"),
        "trust export": lambda: services.audit_export.build(),
        "erase a pupil": lambda: services.erasure.erase("no-such-adno"),
        "add staff": lambda: services.accounts.add_staff("new.person", "New Person", "support"),
        "remove staff": lambda: services.accounts.remove_staff("no-such-login"),
        "browse the audit trail": lambda: services.accounts.audit_trail(limit=1),
        "photo consent": lambda: services.photos.set_consent(pupils[2].id, True),
        "log careers activities": lambda: services.careers.delete(NOWHERE),
        "careers self-audit": lambda: services.careers.audit.delete_audit(NOWHERE),
        "appraise staff": lambda: services.appraisal.open_cycle(NOWHERE, None),
        "set a target": lambda: services.targets.met(NOWHERE),
    }


@pytest.mark.parametrize("role", [A, T, S, L])
def test_each_role_is_allowed_exactly_its_row_of_the_matrix(role: str, demo_services,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    actions = calls(demo_services, tmp_path, role)
    assert set(actions) == set(EXPECTED)  # every action of the table is tried
    allowed, refused = set(), set()
    try:
        for what, call in actions.items():
            try:
                call()
            except PermissionDenied:
                refused.add(what)
            except UserError:  # not found, bad input: said after the role check passed
                allowed.add(what)
            else:
                allowed.add(what)
    finally:
        demo_services.context.set_actor(None)
    assert allowed == {what for what, roles in EXPECTED.items() if role in roles}
    assert refused == set(EXPECTED) - allowed
