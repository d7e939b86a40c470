"""Staff accounts on an encrypted school: changing a password rewraps one slot, removing staff
removes their slot, role changes are audited, the last admin stays, the recovery key resets an
admin's password (G14, G17)."""

import json
import shutil
from pathlib import Path

import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import PermissionDenied
from skillsdesk.services.signin import init_school, reset_with_recovery, sign_in
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage import vault
from skillsdesk.storage.keyslots import OWASP_MINIMUM, AuthError, new_recovery_key
from tests.conftest import TODAY

HEAD_PW = "Lantern-Meadow-Quartz-9"
STAFF_PW = "Orchard-Bicycle-77x"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("staff-accounts") / "school"
    services, recovery = init_school(folder, "Moorside", "head", "Rhian Evans", HEAD_PW,
                                     today=TODAY, kdf=OWASP_MINIMUM)
    try:
        services.accounts.add_staff("deputy", "Owen Price", "admin", STAFF_PW)
        services.accounts.add_staff("teacher1", "Cerys Hughes", "teacher", STAFF_PW)
    finally:
        services.close()
    return folder, recovery


@pytest.fixture
def school(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """A fresh copy per test: the tests change passwords and remove staff."""
    folder = tmp_path / "school"
    shutil.copytree(template[0], folder, ignore=shutil.ignore_patterns("logs", "backups"))
    return folder, template[1]


def open_as(folder: Path, login: str, password: str = STAFF_PW):  # type: ignore[no-untyped-def]
    return sign_in(folder, login, password, today=TODAY, kdf=OWASP_MINIMUM)


def slots(folder: Path) -> dict[str, dict[str, object]]:
    data = json.loads(vault.keys_path(folder).read_text(encoding="utf-8"))
    return {slot["login"]: slot for slot in data["slots"]}


def actions(services, **filters) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.action for e in services.accounts.audit_trail(**filters)]


def test_a_password_change_rewraps_only_that_slot(school: tuple[Path, str]) -> None:
    folder, _key = school
    before = slots(folder)
    services = open_as(folder, "teacher1")
    try:
        with pytest.raises(AuthError):
            services.accounts.change_own_password("not-my-password", "Willow-Harbour-314")
        services.accounts.change_own_password(STAFF_PW, "Willow-Harbour-314")
    finally:
        services.close()
    after = slots(folder)
    assert after["teacher1"] != before["teacher1"]
    assert after["head"] == before["head"] and after["deputy"] == before["deputy"]
    with pytest.raises(AuthError):
        open_as(folder, "teacher1")
    services = open_as(folder, "teacher1", "Willow-Harbour-314")
    services.close()
    head = open_as(folder, "head", HEAD_PW)
    try:
        assert "staff.password" in actions(head, login="teacher1")
    finally:
        head.close()


def test_removing_staff_removes_their_slot_and_keeps_their_name(school: tuple[Path, str]) -> None:
    folder, _key = school
    head = open_as(folder, "head", HEAD_PW)
    try:
        with pytest.raises(UserError, match="yourself"):
            head.accounts.remove_staff("head")
        removed = head.accounts.remove_staff("teacher1")
        assert not removed.active and removed.name == "Cerys Hughes"
        assert "teacher1" not in slots(folder) and "deputy" in slots(folder)
        events = head.accounts.audit_trail(action="staff.remove")
        assert events[0].before["login"] == "teacher1" and events[0].after["active"] is False
        with pytest.raises(UserError):
            head.accounts.remove_staff("teacher1")  # already gone: said, nothing changes
    finally:
        head.close()
    with pytest.raises(AuthError):
        open_as(folder, "teacher1")


def test_role_changes_are_audited_and_only_by_admins(school: tuple[Path, str]) -> None:
    folder, _key = school
    teacher = open_as(folder, "teacher1")
    try:
        with pytest.raises(PermissionDenied):
            teacher.accounts.set_role("deputy", "teacher")
        with pytest.raises(PermissionDenied):
            teacher.accounts.audit_trail()
    finally:
        teacher.close()
    head = open_as(folder, "head", HEAD_PW)
    try:
        assert head.accounts.set_role("teacher1", "support").role == "support"
        event = head.accounts.audit_trail(action="staff.role")[0]
        assert event.login == "head" and event.role == "admin"
        assert event.before == {"login": "teacher1", "role": "teacher"}
        assert event.after == {"login": "teacher1", "role": "support"}
        with pytest.raises(UserError, match="own role"):
            head.accounts.set_role("head", "teacher")
        # The text filter and the chain check an admin's audit browser uses.
        assert {e.action for e in head.accounts.audit_trail(text="ROLE")} == {"staff.role"}
        assert head.accounts.check_audit_chain() is None
    finally:
        head.close()


def test_the_last_admin_cannot_be_removed_or_demoted(services) -> None:  # type: ignore[no-untyped-def]
    # A plain store has nobody signed in, so only the last-admin rule can refuse.
    services.accounts.add_staff("head", "Rhian Evans", "admin")
    services.accounts.add_staff("teacher1", "Cerys Hughes", "teacher")
    with pytest.raises(UserError, match="last admin"):
        services.accounts.remove_staff("head")
    with pytest.raises(UserError, match="last admin"):
        services.accounts.set_role("head", "teacher")
    services.accounts.set_role("teacher1", "admin")
    services.accounts.remove_staff("head")  # another admin now exists
    assert {p.login for p in services.school.staff() if p.active} == {"teacher1"}


def test_the_recovery_key_resets_an_admin_password(school: tuple[Path, str]) -> None:
    folder, key = school
    unchanged = vault.keys_path(folder).read_bytes()
    with pytest.raises(AuthError):
        reset_with_recovery(folder, new_recovery_key(), "head", "Copper-Lighthouse-58",
                            kdf=OWASP_MINIMUM)
    with pytest.raises(UserError, match="not an admin"):
        reset_with_recovery(folder, key, "teacher1", "Copper-Lighthouse-58", kdf=OWASP_MINIMUM)
    assert vault.keys_path(folder).read_bytes() == unchanged
    services = reset_with_recovery(folder, key.lower().replace("-", " "), "head",
                                   "Copper-Lighthouse-58", today=TODAY, kdf=OWASP_MINIMUM)
    try:
        assert services.context.actor.login == "head"
        with services.store.read() as session:
            newest = audit_repo.browse(session, limit=2)
        assert [e.action for e in newest] == ["signin", "staff.password_recovery"]
    finally:
        services.close()
    with pytest.raises(AuthError):
        open_as(folder, "head", HEAD_PW)
    open_as(folder, "head", "Copper-Lighthouse-58").close()
    open_as(folder, "deputy").close()  # other slots untouched
