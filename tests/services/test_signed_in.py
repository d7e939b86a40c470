"""Roles are enforced in the services and every change leaves an audit row (issue: staff
accounts). Uses a small encrypted demo school, signed in as different members of staff."""

import datetime as dt
from pathlib import Path

import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.permissions import PermissionDenied
from skillsdesk.services.demo import build_demo
from skillsdesk.services.recording import Entry
from skillsdesk.services.signin import sign_in
from skillsdesk.storage import audit as audit_repo
from skillsdesk.storage.keyslots import OWASP_MINIMUM, AuthError
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("encrypted") / "school"
    build_demo(folder, pupils=25, years=1, today=TODAY, kdf=OWASP_MINIMUM)
    return folder


def as_user(folder: Path, login: str):  # type: ignore[no-untyped-def]
    return sign_in(folder, login, "skillsdesk-demo", today=TODAY, kdf=OWASP_MINIMUM)


def test_wrong_password_is_refused(encrypted_demo: Path) -> None:
    with pytest.raises(AuthError):
        sign_in(encrypted_demo, "head", "nope", today=TODAY, kdf=OWASP_MINIMUM)


def test_a_teacher_may_record_but_not_import(encrypted_demo: Path, tmp_path: Path) -> None:
    services = as_user(encrypted_demo, "teacher1")
    try:
        pupil = services.school.pupils()[0]
        framework = services.frameworks.current()
        services.recording.record(framework, "listening", [Entry(pupil.id, 1, 2)])
        csv = tmp_path / "p.csv"
        csv.write_text("Adno,Forename,Surname,Year\n9,A,B,3\n", encoding="utf-8")
        with pytest.raises(PermissionDenied):
            services.pupils.import_file(csv)
        with pytest.raises(PermissionDenied):
            services.audit_export.build()
        with services.store.read() as session:
            events = audit_repo.browse(session, action="observation.add")
        assert events[0].login == "teacher1" and events[0].pupil_id == pupil.id
    finally:
        services.close()


def test_lunchtime_supervisors_record_only_at_lunchtime(encrypted_demo: Path) -> None:
    services = as_user(encrypted_demo, "lunch1")
    try:
        pupil = services.school.pupils()[0]
        framework = services.frameworks.current()
        services.recording.record(framework, "teamwork", [Entry(pupil.id, 1, 2)],
                                  setting="lunchtime")
        with pytest.raises(PermissionDenied):
            services.recording.record(framework, "teamwork", [Entry(pupil.id, 1, 2)],
                                      setting="classroom")
    finally:
        services.close()


def test_only_admins_change_other_peoples_observations(encrypted_demo: Path) -> None:
    head = as_user(encrypted_demo, "head")
    try:
        pupil = head.school.pupils()[1]
        framework = head.frameworks.current()
        made = head.recording.record(framework, "speaking", [Entry(pupil.id, 2, 2)],
                                     observed_on=dt.date(2026, 11, 2))
    finally:
        head.close()
    teacher = as_user(encrypted_demo, "teacher2")
    try:
        with pytest.raises(PermissionDenied):
            teacher.recording.delete(list(made.ids))
        own = teacher.recording.record(teacher.frameworks.current(), "speaking",
                                       [Entry(pupil.id, 2, 1)])
        teacher.recording.edit(teacher.frameworks.current(), own.ids[0], level=2)
        teacher.recording.delete(list(own.ids))
        with teacher.store.read() as session:
            actions = [e.action for e in audit_repo.browse(session, login="teacher2")]
            assert audit_repo.verify_chain(session) is None
        assert {"signin", "observation.add", "observation.edit", "observation.delete"} <= \
            set(actions)
    finally:
        teacher.close()


def test_pin_switching_and_audit(encrypted_demo: Path) -> None:
    services = as_user(encrypted_demo, "ta1")
    try:
        services.accounts.set_own_pin("4826")
        switched = services.accounts.switch_to("ta1", "4826")
        assert switched.login == "ta1"
        with pytest.raises(UserError, match="PIN is not right"):
            services.accounts.switch_to("ta1", "1111")
        with services.store.read() as session:
            actions = [e.action for e in audit_repo.browse(session, login="ta1")]
        assert "staff.switch" in actions and "signin.failed" in actions
    finally:
        services.close()
